from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Practices"

    def ready(self) -> None:
        from couples import privacy as couples_privacy

        from . import cards, library, privacy, translated

        couples_privacy.register(privacy)
        cards.register()
        translated.register("prompts", library.PROMPTS_SHIPPED)
        translated.register("date ideas", library.IDEAS_SHIPPED)
