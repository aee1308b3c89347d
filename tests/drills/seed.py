"""People for a drill: `python -m tests.drills.seed COUNT FROM UNTIL` makes COUNT verified
people in linked couples whose nudges come due between FROM and UNTIL seconds from now."""

from __future__ import annotations

import datetime as dt
import sys


def seed(count: int, due_from: float, due_until: float) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from couples.models import Couple, Membership, User
    from reminders.models import ReminderPreference

    now = timezone.now()
    start = User.objects.count()
    password = make_password("drill-password")  # hashed once: hashing per person is slow
    with transaction.atomic():
        people = User.objects.bulk_create(
            User(
                email=f"drill{start + n}@example.com", display_name=f"Drill {n}", password=password
            )
            for n in range(count)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=person, email=person.email, primary=True, verified=True)
            for person in people
        )
        couples = Couple.objects.bulk_create(Couple() for _ in range(count // 2))
        Membership.objects.bulk_create(
            Membership(couple=couples[n // 2], user=person, seat=n % 2 + 1)
            for n, person in enumerate(people)
        )
        step = (due_until - due_from) / max(count - 1, 1)
        ReminderPreference.objects.bulk_create(
            ReminderPreference(
                user=person,
                days=list(range(7)),
                digest_enabled=False,
                # The drills count nudges: the monthly and weekly check-in reminders, which
                # come due on their own calendar, would add rows on some days and not others.
                monthly_checkin=False,
                weekly_checkin=False,
                next_nudge_at=now + dt.timedelta(seconds=due_from + n * step),
            )
            for n, person in enumerate(people)
        )


if __name__ == "__main__":
    import django

    django.setup()
    seed(int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]))
