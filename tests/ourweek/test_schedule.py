"""The weekly time: Sunday 19:00 at home until either partner moves it, and both see who
moved it."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ourweek import services
from ourweek.models import WeeklyTime
from tests.test_urls import snapshot

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_a_couple_meets_on_sunday_at_seven_in_their_home_zone_by_default(couple, wednesday):
    when = services.weekly_time(couple)
    assert (when.weekday, when.at) == (6, dt.time(19, 0))
    meeting = services.next_meeting(when, couple.tzinfo, dt.datetime.now(dt.UTC))
    assert meeting == dt.datetime(2027, 3, 14, 19, 0, tzinfo=LONDON)


def test_the_next_meeting_is_today_until_its_time_has_passed(couple, time_machine):
    when = services.weekly_time(couple)
    time_machine.move_to(dt.datetime(2027, 3, 14, 18, 59, tzinfo=LONDON))
    assert services.next_meeting(when, couple.tzinfo, dt.datetime.now(dt.UTC)).day == 14
    time_machine.move_to(dt.datetime(2027, 3, 14, 19, 0, tzinfo=LONDON))
    assert services.next_meeting(when, couple.tzinfo, dt.datetime.now(dt.UTC)).day == 21


def test_either_partner_moves_it_and_both_see_who_did(couple, bob_client, alice_client, wednesday):
    response = bob_client.post(reverse("ourweek:time"), {"weekday": "5", "at": "10:00"})
    assert response.status_code == 302
    when = WeeklyTime.objects.get(couple=couple)
    assert (when.weekday, when.at, when.changed_by.name) == (5, dt.time(10, 0), "Bob")
    assert (
        "Bob moved our week to Saturday 10:00." in alice_client.get(reverse("ourweek:index")).text
    )
    assert "You moved our week to Saturday 10:00." in bob_client.get(reverse("ourweek:index")).text
    home = alice_client.get(reverse("practices:home")).text
    assert "Bob moved our week to Saturday 10:00." in home
    assert "Next check-in: Saturday 13 March, 10:00" in home


def test_the_change_notice_fades_after_a_week(couple, bob, alice, wednesday, time_machine):
    services.move_weekly_time(couple, bob, 5, dt.time(10, 0))
    when = services.weekly_time(couple)
    time_machine.move_to(dt.datetime(2027, 3, 18, 12, 1, tzinfo=dt.UTC))
    assert services.change_notice(when, alice, dt.datetime.now(dt.UTC)) == ""


def test_moving_it_moves_the_next_invitation_in_the_home_zone(couple, bob, wednesday):
    services.move_weekly_time(couple, bob, 5, dt.time(10, 0))
    assert WeeklyTime.objects.get(couple=couple).invite_at == dt.datetime(
        2027, 3, 13, 10, 0, tzinfo=dt.UTC
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekday": "7", "at": "10:00"}, "Select a valid choice"),
        ({"weekday": "-1", "at": "10:00"}, "Select a valid choice"),
        ({"weekday": "5", "at": "25:00"}, "Enter a valid time"),
        ({"weekday": "5", "at": ""}, "This field is required"),
    ],
)
def test_a_bad_weekly_time_changes_nothing(couple, alice_client, wednesday, data, message):
    services.weekly_time(couple)
    before = snapshot()
    response = alice_client.post(reverse("ourweek:time"), data)
    assert response.status_code == 400
    assert message in response.text
    assert snapshot() == before


@pytest.mark.parametrize(
    ("language", "first", "last"),
    [("en", (6, "Sunday"), (5, "Saturday")), ("de", (0, "Montag"), (6, "Sonntag"))],
)
def test_the_day_to_meet_is_listed_from_the_locales_first_day(
    couple, alice, alice_client, language, first, last
):
    alice.language = language
    alice.save(update_fields=["language"])
    page = alice_client.get(reverse("ourweek:time")).text
    options = re.findall(r'<option value="(\d)"[^>]*>([^<]+)</option>', page)
    assert (int(options[0][0]), options[0][1]) == first
    assert (int(options[-1][0]), options[-1][1]) == last
    assert sorted(int(day) for day, _ in options) == list(range(7))
