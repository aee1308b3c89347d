"""What reminders export for a person, and what it erases before their account goes."""

from __future__ import annotations

from couples.models import User

from .models import Nudge

MODELS = {
    Nudge: "exported: the log of emails (kind, tip, when, status), never their content",
}


def export(user: User) -> dict:
    return {
        "emails": list(
            Nudge.objects.filter(user=user)
            .order_by("slot")
            .values("kind", "tip", "slot", "status", "sent_at")
        ),
    }


def erase(user: User) -> None:
    """Nothing beyond the cascade: the outbox rows go with the account, so a send task
    that picks up their ids later finds nothing to send."""
