from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "couples"
    verbose_name = "Couples and accounts"

    def ready(self) -> None:
        from . import versions

        versions.watch_all()
