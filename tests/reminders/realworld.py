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


def add_devices(devices: list[dict]) -> None:
    """A push device for each person, in RECIPIENTS order: {"endpoint", "keys"}."""
    from couples.models import User
    from reminders.models import PushSubscription

    for address, device in zip(RECIPIENTS, devices, strict=True):
        PushSubscription.objects.create(
            user=User.objects.get(email=address),
            endpoint=device["endpoint"],
            p256dh=device["keys"]["p256dh"],
            auth=device["keys"]["auth"],
        )


if __name__ == "__main__":
    import json
    import sys

    import django

    django.setup()
    seed()
    if len(sys.argv) > 1:  # the devices, as JSON
        add_devices(json.loads(sys.argv[1]))
