"""Both partners at once, on PostgreSQL (real row locks, two connections)."""

import datetime as dt
import time

import pytest
import time_machine

from ourweek import services
from ourweek.models import Week, WeeklyTime
from tests.conftest import postgres_only
from tests.couples.test_concurrency import race
from tests.factories import UserFactory, link

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


@pytest.fixture(autouse=True)
def wednesday():
    # Overrides the package's frozen clock: threads need a clock that ticks.
    with time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def pair():
    alice, bob = UserFactory(), UserFactory()
    return link(alice, bob, timezone="Europe/London"), alice, bob


def test_both_starting_at_once_make_one_week(pair):
    couple, _, _ = pair
    for _ in range(ROUNDS):
        Week.objects.filter(couple=couple).delete()
        outcomes = race(lambda: services.start_week(couple), lambda: services.start_week(couple))
        assert Week.objects.filter(couple=couple).count() == 1
        assert outcomes[0].pk == outcomes[1].pk


def test_both_finishing_at_once_make_one_record(pair):
    couple, alice, bob = pair
    for _ in range(ROUNDS):
        Week.objects.filter(couple=couple).delete()
        week = services.start_week(couple)
        Week.objects.filter(pk=week.pk).update(step=5)
        outcomes = race(
            lambda: services.finish_week(Week.objects.get(pk=week.pk), alice),  # noqa: B023
            lambda: services.finish_week(Week.objects.get(pk=week.pk), bob),  # noqa: B023
        )
        assert sorted(outcomes) == [False, True]
        week.refresh_from_db()
        winner = alice if outcomes[0] else bob
        assert week.finished_by == winner and week.took_part == [winner.pk]


def test_both_moving_the_time_at_once_keep_one_consistent_schedule(pair, monkeypatch):
    from reminders import weekly

    slow = weekly.next_invitation

    def next_invitation(*args):
        time.sleep(0.05)  # a slow receiver: the other move has every chance to cut in
        return slow(*args)

    monkeypatch.setattr(weekly, "next_invitation", next_invitation)
    couple, alice, bob = pair
    services.weekly_time(couple)
    for _ in range(ROUNDS):
        race(
            lambda: services.move_weekly_time(couple, alice, 5, dt.time(10, 0)),
            lambda: services.move_weekly_time(couple, bob, 2, dt.time(20, 30)),
        )
        when = WeeklyTime.objects.get(couple=couple)
        expected = {alice.pk: (5, dt.time(10, 0)), bob.pk: (2, dt.time(20, 30))}[when.changed_by_id]
        assert (when.weekday, when.at) == expected
        local = when.invite_at.astimezone(couple.tzinfo)
        assert (local.weekday(), local.time()) == expected
