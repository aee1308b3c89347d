"""What reminders export for a person, and what it erases before their account goes."""

from __future__ import annotations

from couples.models import User

from .models import Nudge, PushSubscription, ReminderPreference

MODELS = {
    Nudge: "exported: the log of emails (kind, tip, when, status), never their content",
    ReminderPreference: "exported: the reminder settings; deleted with the account",
    PushSubscription: "exported: each device's name and dates, never its keys; deleted with "
    "the account",
}


def export(user: User) -> dict:
    return {
        "reminder_settings": list(
            ReminderPreference.objects.filter(user=user).values(
                "nudges_enabled",
                "days",
                "send_time",
                "tips",
                "paused_until",
                "note_alerts",
                "note_text_in_email",
                "date_reminders",
                "date_lead_hours",
                "digest_enabled",
                "channels",
            )
        ),
        "push_devices": list(
            PushSubscription.objects.filter(user=user)
            .order_by("created_at")
            .values("device_name", "created_at", "last_used_at")
        ),
        "emails": list(
            Nudge.objects.filter(user=user)
            .order_by("slot")
            .values("kind", "channel", "tip", "slot", "status", "sent_at")
        ),
    }


def erase(user: User) -> None:
    """Nothing beyond the cascade: the outbox rows go with the account, so a send task
    that picks up their ids later finds nothing to send."""
