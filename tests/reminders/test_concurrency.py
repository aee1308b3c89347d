"""Exactly once with real row locks: two dispatchers, and two workers with the same
batch, at the same moment. Needs PostgreSQL (CI sets DATABASE_URL); skipped on SQLite."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from reminders import services
from reminders.dispatch import dispatch_due
from reminders.models import Nudge, ReminderPreference
from reminders.tasks import send_nudges
from tests.conftest import postgres_only
from tests.couples.test_concurrency import race
from tests.factories import UserFactory, link

from .conftest import utc

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

MONDAY_1900 = utc(2026, 11, 30, 19, 0)
PEOPLE = 60


@pytest.fixture
def crowd(time_machine):
    """PEOPLE partners in London, all due at Monday 19:00."""
    time_machine.move_to(MONDAY_1900 - dt.timedelta(hours=1), tick=False)
    people = UserFactory.create_batch(PEOPLE, timezone="Europe/London")
    for first, second in zip(people[::2], people[1::2], strict=True):
        link(first, second)
    for person in people:
        services.ensure_preference(person)
    time_machine.move_to(MONDAY_1900, tick=False)
    return people


def test_two_dispatchers_at_once_send_each_person_one_email(crowd, mailoutbox):
    for _ in range(3):
        outcomes = race(
            lambda: dispatch_due(MONDAY_1900, batch_size=7),
            lambda: dispatch_due(MONDAY_1900, batch_size=7),
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(outcomes) == 0  # the later rounds found nothing left to do
    assert Nudge.objects.count() == PEOPLE
    assert Counter(m.to[0] for m in mailoutbox) == Counter({p.email: 1 for p in crowd})
    assert set(Nudge.objects.values_list("status", flat=True)) == {"sent"}
    assert not ReminderPreference.objects.filter(next_nudge_at__lte=MONDAY_1900).exists()


def test_two_workers_given_the_same_batch_at_once_send_each_email_once(crowd, mailoutbox):
    Nudge.objects.bulk_create(
        Nudge(user=person, kind="nudge", tip="talk", template_key="talk-01", slot=MONDAY_1900)
        for person in crowd
    )
    ids = list(Nudge.objects.values_list("pk", flat=True))
    outcomes = race(lambda: send_nudges.delay(ids), lambda: send_nudges.delay(list(reversed(ids))))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Counter(m.to[0] for m in mailoutbox) == Counter({p.email: 1 for p in crowd})
    assert set(Nudge.objects.values_list("attempts", flat=True)) == {1}


def test_two_dispatchers_at_once_push_each_device_once(crowd, settings, monkeypatch):
    from reminders import push
    from reminders.models import PushSubscription
    from tests.push_service import PushService

    with PushService() as service:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(service.cert_path))
        push._tokens.clear()
        for person in crowd:
            device = service.device(f"d{person.pk}")
            PushSubscription.objects.create(
                user=person, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth_b64
            )
        outcomes = race(
            lambda: dispatch_due(MONDAY_1900, batch_size=7),
            lambda: dispatch_due(MONDAY_1900, batch_size=7),
        )
        errors = set(Nudge.objects.exclude(error="").values_list("error", flat=True))
        assert not [o for o in outcomes if isinstance(o, Exception)], (outcomes, errors)
        assert service.rejected == []
        assert Counter(name for name, _ in service.received) == {f"d{p.pk}": 1 for p in crowd}
    assert Counter(Nudge.objects.values_list("channel", flat=True)) == {
        "email": PEOPLE,
        "push": PEOPLE,
    }
