"""Data for the real-service tests, made by the test process itself (PostgreSQL) or by a
subprocess against a fresh SQLite file (`python -m tests.reminders.realworld`)."""

from __future__ import annotations

import datetime as dt

RECIPIENTS = ["rw-alice@example.com", "rw-bob@example.com"]


def seed() -> None:
    """Two linked, verified partners whose nudge was due half a minute ago."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from couples.models import Couple, Membership, User
    from reminders.models import ReminderPreference

    couple = Couple.objects.create(timezone="Europe/London")
    for seat, address in enumerate(RECIPIENTS, start=1):
        user = User.objects.create_user(address, None, display_name=f"P{seat}")
        EmailAddress.objects.create(user=user, email=address, primary=True, verified=True)
        Membership.objects.create(couple=couple, user=user, seat=seat)
        ReminderPreference.objects.create(user=user, days=list(range(7)), digest_enabled=False)
    ReminderPreference.objects.update(next_nudge_at=timezone.now() - dt.timedelta(seconds=30))


if __name__ == "__main__":
    import django

    django.setup()
    seed()
