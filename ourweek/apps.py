from django.apps import AppConfig


class OurweekConfig(AppConfig):
    name = "ourweek"
    verbose_name = "Our week"

    def ready(self) -> None:
        from couples import privacy as couples_privacy

        from . import hub, privacy

        couples_privacy.register(privacy)
        hub.register()
