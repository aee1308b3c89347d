from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from django.db.models.signals import post_save

        from couples import privacy as couples_privacy
        from couples.models import User
        from couples.signals import couple_ended, invitation_created
        from feelings.signals import checkin_asks
        from ourweek.signals import weekly_time_changed
        from practices.signals import note_delivered
        from rituals.signals import thinking_sent

        # renderers and invitations register their email builders; tasks registers the
        # send task that outbox.enqueue_send finds by name, in the web process too.
        from . import invitations, privacy, push_messages, receivers, renderers, tasks  # noqa: F401

        couples_privacy.register(privacy)

        from practices import hub

        from .services import tips_kept_by

        hub.keep_tips_from("reminders", tips_kept_by)

        email_confirmed.connect(receivers.create_preferences, dispatch_uid="reminders-prefs")
        note_delivered.connect(receivers.queue_note_alert, dispatch_uid="reminders-note")
        couple_ended.connect(receivers.queue_couple_ended_notices, dispatch_uid="reminders-ended")
        invitation_created.connect(
            receivers.queue_invitation_email, dispatch_uid="reminders-invitation"
        )
        checkin_asks.connect(receivers.queue_checkin_alert, dispatch_uid="reminders-checkin")
        post_save.connect(receivers.follow_time_zone, sender=User, dispatch_uid="reminders-tz")
        weekly_time_changed.connect(
            receivers.reschedule_weekly_invitation, dispatch_uid="reminders-weekly-time"
        )

        from practices.hub import HomeCard, add_home_card

        # Hidden until static/js/pwa.js finds the browser can install Kindling.
        add_home_card(HomeCard("install", "reminders/install_card.html", lambda *args: True, 900))
        thinking_sent.connect(receivers.queue_thinking_alert, dispatch_uid="reminders-thinking")
