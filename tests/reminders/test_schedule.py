"""Slots in local time: daylight-saving changes neither skip nor double a reminder."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from reminders.models import Nudge, ReminderPreference
from reminders.schedule import next_slot

from .conftest import utc

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
EVERY_DAY = set(range(7))


def slots(start: dt.datetime, count: int, at: dt.time, zone: ZoneInfo) -> list[dt.datetime]:
    found, after = [], start
    for _ in range(count):
        after = next_slot(after, EVERY_DAY, at, zone)
        found.append(after)
    return found


def test_a_time_in_berlins_skipped_hour_is_sent_once_that_day_an_hour_later_in_local_terms():
    # 2026-03-29: 02:00 CET becomes 03:00 CEST, so 02:30 does not exist that day.
    got = slots(utc(2026, 3, 27, 12), 4, dt.time(2, 30), BERLIN)
    assert got == [
        utc(2026, 3, 28, 1, 30),  # 02:30 CET
        utc(2026, 3, 29, 1, 30),  # the missing 02:30, sent at 03:30 CEST
        utc(2026, 3, 30, 0, 30),  # 02:30 CEST
        utc(2026, 3, 31, 0, 30),
    ]


def test_a_time_in_new_yorks_repeated_hour_is_sent_once_on_its_first_occurrence():
    # 2026-11-01: 02:00 EDT becomes 01:00 EST, so 01:30 happens twice that night.
    got = slots(utc(2026, 10, 30, 12), 4, dt.time(1, 30), NEW_YORK)
    assert got == [
        utc(2026, 10, 31, 5, 30),  # 01:30 EDT
        utc(2026, 11, 1, 5, 30),  # the first 01:30 (EDT), not the second (EST, 06:30Z)
        utc(2026, 11, 2, 6, 30),  # 01:30 EST
        utc(2026, 11, 3, 6, 30),
    ]


def test_ordinary_times_keep_their_local_hour_across_the_change():
    got = slots(utc(2026, 3, 27, 12), 4, dt.time(19, 0), BERLIN)
    assert [slot.astimezone(BERLIN).time() for slot in got] == [dt.time(19, 0)] * 4
    assert got[2] - got[1] == dt.timedelta(hours=23)  # across the short night


def test_no_days_means_no_slot():
    assert next_slot(utc(2026, 1, 1), set(), dt.time(9), BERLIN) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "at", "start", "end", "expected"),
    [
        pytest.param(
            "Europe/Berlin",
            dt.time(2, 30),
            utc(2026, 3, 27, 12),
            utc(2026, 3, 31, 12),
            [
                utc(2026, 3, 28, 1, 30),
                utc(2026, 3, 29, 1, 30),
                utc(2026, 3, 30, 0, 30),
                utc(2026, 3, 31, 0, 30),
            ],
            id="berlin-skipped-hour",
        ),
        pytest.param(
            "America/New_York",
            dt.time(1, 30),
            utc(2026, 10, 30, 12),
            utc(2026, 11, 3, 12),
            [
                utc(2026, 10, 31, 5, 30),
                utc(2026, 11, 1, 5, 30),
                utc(2026, 11, 2, 6, 30),
                utc(2026, 11, 3, 6, 30),
            ],
            id="new-york-repeated-hour",
        ),
    ],
)
def test_the_dispatcher_sends_one_nudge_a_day_through_a_clock_change(
    zone, at, start, end, expected, prefs, alice, dispatch, mailoutbox, time_machine
):
    alice_pref, bob_pref = prefs
    ReminderPreference.objects.filter(pk=bob_pref.pk).delete()
    time_machine.move_to(start, tick=False)
    alice.timezone = zone
    alice.save()
    alice_pref.refresh_from_db()
    alice_pref.days, alice_pref.send_time, alice_pref.digest_enabled = sorted(EVERY_DAY), at, False
    alice_pref.reschedule()
    alice_pref.save()
    # Every quarter of an hour (beat runs every minute; slots here fall on the half
    # hour), through both occurrences of the repeated hour and past the skipped one.
    now = start
    while now <= end:
        dispatch(now)
        now += dt.timedelta(minutes=15)
    sent = list(Nudge.objects.filter(user=alice).order_by("slot").values_list("slot", flat=True))
    assert sent == expected
    local_days = Counter(slot.astimezone(ZoneInfo(zone)).date() for slot in sent)
    assert set(local_days.values()) == {1}
    assert len(mailoutbox) == len(expected)
