from django.apps import AppConfig


class RitualsConfig(AppConfig):
    name = "rituals"
    verbose_name = "Rituals and learning together"

    def ready(self) -> None:
        from couples import privacy as couples_privacy
        from practices import library as practices_library
        from practices import translated

        from . import home, library, privacy

        couples_privacy.register(privacy)
        practices_library.add_catalog(library.CATALOG, library.CONTENT)
        translated.register("rituals", library.SHIPPED)
        home.register()
