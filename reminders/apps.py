from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from django.db.models.signals import post_save

        from couples.models import User
        from practices.signals import note_delivered

        from . import receivers, renderers  # noqa: F401 (renderers registers the email builders)

        email_confirmed.connect(receivers.create_preferences, dispatch_uid="reminders-prefs")
        note_delivered.connect(receivers.queue_note_alert, dispatch_uid="reminders-note")
        post_save.connect(receivers.follow_time_zone, sender=User, dispatch_uid="reminders-tz")
