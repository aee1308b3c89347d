from django.apps import AppConfig


class FeelingsConfig(AppConfig):
    name = "feelings"
    verbose_name = "Feelings"

    def ready(self) -> None:
        from couples import privacy as couples_privacy
        from practices import hub

        from . import balance, home, privacy

        couples_privacy.register(privacy)
        balance.register()
        hub.add_home_card(
            hub.HomeCard(
                name="feelings", template="feelings/home_card.html", data=home.card_data, order=10
            )
        )
