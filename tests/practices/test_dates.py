import datetime as dt
import re

import icalendar
import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from couples.services import hash_token
from practices import services as practices
from practices.models import CalendarFeed, DateIdea, DateNight, DateReflection
from tests.conftest import client_for
from tests.factories import date_night, end

pytestmark = pytest.mark.django_db

FUTURE = (timezone.now() + dt.timedelta(days=30)).date().isoformat()


def plan(client, **overrides):
    data = {
        "title": "Pottery class",
        "day": FUTURE,
        "time": "19:30",
        "timezone": "Europe/London",
        "place": "Studio 4",
        "notes": "Bring old clothes",
        "idea": "",
    } | overrides
    return client.post(reverse("practices:date_new"), data)


def test_the_library_ships_at_least_60_tagged_ideas():
    assert DateIdea.objects.count() >= 60
    for tag in DateIdea.TAGS:
        assert DateIdea.objects.filter(**{tag: True}).count() >= 10, tag


def test_ideas_are_browsable_by_tag(couple, alice_client):
    page = alice_client.get(reverse("practices:ideas") + "?tag=outdoors")
    ideas = list(page.context["ideas"])
    assert ideas and all(idea.outdoors for idea in ideas)
    assert len(ideas) < DateIdea.objects.count()
    everything = alice_client.get(reverse("practices:ideas") + "?tag=<script>")
    assert len(everything.context["ideas"]) == DateIdea.objects.count()


def test_plan_a_date_from_an_idea(couple, alice, alice_client):
    idea = DateIdea.objects.filter(learn_new=True).first()
    form = alice_client.get(reverse("practices:date_new") + f"?idea={idea.pk}")
    assert idea.title in form.text
    response = plan(alice_client, title=idea.title, idea=idea.pk)
    created = DateNight.objects.get()
    assert response["Location"] == reverse("practices:date", args=[created.pk])
    assert (created.idea, created.created_by, created.status) == (idea, alice, "planned")
    expected = dt.datetime.fromisoformat(f"{FUTURE}T19:30").replace(
        tzinfo=__import__("zoneinfo").ZoneInfo("Europe/London")
    )
    assert created.starts_at == expected


def test_each_partner_sees_the_time_in_their_own_zone(couple, alice, bob, bob_client):
    planned = date_night(
        couple,
        alice,
        starts_at=dt.datetime(2027, 1, 15, 19, 0, tzinfo=dt.UTC),
        timezone="Europe/London",
    )
    page = bob_client.get(reverse("practices:date", args=[planned.pk])).text
    # 19:00 in London is 08:00 the next morning in Auckland (NZDT, +13).
    assert "Saturday 16 January 2027, 08:00" in page
    assert "Planned as Friday 15 January, 19:00 in Europe/London" in page
    alice_page = client_for(alice).get(reverse("practices:date", args=[planned.pk])).text
    assert "Friday 15 January 2027, 19:00" in alice_page
    assert "Planned as" not in alice_page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Give your plan a title"),
        ({"title": "x" * 121}, "at most 120 characters"),
        ({"day": "2020-01-01"}, "already passed"),
        ({"day": "not a date"}, "Enter a valid date"),
        ({"time": "7pm"}, "Enter a valid time"),
        ({"timezone": "Moon/Tranquility"}, "is not a time zone we know"),
        ({"notes": "x" * 2001}, "at most 2000 characters"),
        ({"idea": "999999"}, "That date idea does not exist"),
    ],
)
def test_bad_date_input_gets_a_message_and_saves_nothing(couple, alice_client, overrides, message):
    response = plan(alice_client, **overrides)
    assert response.status_code == 200
    assert message in response.text
    assert not DateNight.objects.exists()


def test_html_in_a_date_is_shown_escaped(couple, alice_client, bob_client):
    plan(alice_client, title="<script>x()</script>", place="<i>here</i>")
    page = bob_client.get(reverse("practices:date", args=[DateNight.objects.get().pk])).text
    assert "<script>x()" not in page and "<i>here</i>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


def edit_page_version(client, pk: int) -> str:
    """The version a partner's browser would send back: the one on the edit page."""
    return client.get(reverse("practices:date_edit", args=[pk])).context["form"]["version"].value()


def test_edit_cancel_and_restore_a_date(couple, alice, bob_client):
    planned = date_night(couple, alice)
    bob_client.post(
        reverse("practices:date_edit", args=[planned.pk]),
        {
            "title": "Picnic, then stargazing",
            "day": FUTURE,
            "time": "20:00",
            "timezone": "UTC",
            "version": edit_page_version(bob_client, planned.pk),
        },
    )
    planned.refresh_from_db()
    assert planned.title == "Picnic, then stargazing" and planned.timezone == "UTC"
    bob_client.post(reverse("practices:date_status", args=[planned.pk]), {"status": "cancelled"})
    planned.refresh_from_db()
    assert planned.status == "cancelled"
    bob_client.post(reverse("practices:date_status", args=[planned.pk]), {"status": "planned"})
    planned.refresh_from_db()
    assert planned.status == "planned"


def test_a_date_cannot_be_moved_into_the_past(couple, alice, alice_client):
    planned = date_night(couple, alice)
    before = planned.starts_at
    response = alice_client.post(
        reverse("practices:date_edit", args=[planned.pk]),
        {
            "title": "x",
            "day": "2020-02-02",
            "time": "10:00",
            "timezone": "UTC",
            "version": edit_page_version(alice_client, planned.pk),
        },
    )
    assert "already passed" in response.text
    planned.refresh_from_db()
    assert planned.starts_at == before


def edit(client, pk: int, version: str, **overrides):
    data = {
        "title": "Pottery class",
        "day": FUTURE,
        "time": "19:30",
        "timezone": "Europe/London",
        "place": "Studio 4",
        "notes": "",
        "idea": "",
        "version": version,
    } | overrides
    return client.post(reverse("practices:date_edit", args=[pk]), data)


def test_two_partners_editing_at_once_lose_nothing(couple, alice, alice_client, bob_client):
    planned = date_night(couple, alice)
    alices_page = edit_page_version(alice_client, planned.pk)
    bobs_page = edit_page_version(bob_client, planned.pk)
    assert edit(alice_client, planned.pk, alices_page, place="The lake").status_code == 302
    response = edit(bob_client, planned.pk, bobs_page, notes="Bring the blue blanket")
    assert response.status_code == 200
    assert "This date changed while you were editing it" in response.text
    assert "The lake" in response.text  # what it says now
    assert "Bring the blue blanket" in response.text  # what Bob typed, still in the form
    planned.refresh_from_db()
    assert (planned.place, planned.notes) == ("The lake", "")
    # Saving again, knowingly, from the page he was shown.
    version = response.context["form"]["version"].value()
    assert edit(bob_client, planned.pk, version, notes="Bring the blue blanket").status_code == 302
    planned.refresh_from_db()
    assert planned.notes == "Bring the blue blanket"


def test_a_date_cancelled_while_being_edited_keeps_the_editors_words(
    couple, alice, alice_client, bob_client
):
    planned = date_night(couple, alice)
    version = edit_page_version(bob_client, planned.pk)
    alice_client.post(reverse("practices:date_status", args=[planned.pk]), {"status": "cancelled"})
    response = edit(bob_client, planned.pk, version, title="Pottery, then noodles")
    assert "Cancelled, so it can no longer change" in response.text
    assert "Pottery, then noodles" in response.text
    assert "Save changes" not in response.text
    planned.refresh_from_db()
    assert (planned.status, planned.title) == ("cancelled", "Picnic in the park")


@pytest.mark.parametrize("version", ["", "yesterday", "2026-01-01T10:00:00"])
def test_an_edit_without_a_good_version_is_refused_with_a_message(
    couple, alice, alice_client, version
):
    planned = date_night(couple, alice)
    response = edit(alice_client, planned.pk, version, title="Sneaky")
    assert "This page is out of date" in response.text
    assert "Sneaky" in response.text
    planned.refresh_from_db()
    assert planned.title != "Sneaky"


def test_after_the_date_both_partners_reflect(couple, alice, bob, alice_client, bob_client):
    planned = date_night(couple, alice)
    # Not before it starts.
    alice_client.post(reverse("practices:date_reflect", args=[planned.pk]), {"rating": 5})
    alice_client.post(reverse("practices:date_status", args=[planned.pk]), {"status": "done"})
    assert not DateReflection.objects.exists()
    planned.refresh_from_db()
    assert planned.status == "planned"

    with time_machine.travel(planned.starts_at + dt.timedelta(hours=3)):
        alice_client.post(reverse("practices:date_status", args=[planned.pk]), {"status": "done"})
        alice_client.post(
            reverse("practices:date_reflect", args=[planned.pk]),
            {"rating": 5, "body": "Best picnic ever"},
        )
        bob_client.post(
            reverse("practices:date_reflect", args=[planned.pk]), {"rating": 4, "body": "Lovely"}
        )
        bob_client.post(reverse("practices:date_reflect", args=[planned.pk]), {"rating": 9})
        page = bob_client.get(reverse("practices:date", args=[planned.pk])).text
    planned.refresh_from_db()
    assert planned.status == "done"
    assert {(r.user, r.rating) for r in DateReflection.objects.all()} == {(alice, 5), (bob, 4)}
    assert "Best picnic ever" in page and "Lovely" in page


def test_download_a_date_as_ics(couple, alice, bob_client):
    planned = date_night(
        couple,
        alice,
        title="Dinner & dancing",
        place="Café Nord",
        starts_at=dt.datetime(2027, 3, 5, 18, 30, tzinfo=dt.UTC),
        timezone="Europe/Berlin",
    )
    response = bob_client.get(reverse("practices:date_ics", args=[planned.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Dinner & dancing"
    assert str(event["LOCATION"]) == "Café Nord"
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2027, 3, 5, 18, 30, tzinfo=dt.UTC)
    assert str(start.tzinfo) == "Europe/Berlin"
    assert calendar.walk("VTIMEZONE")


def feed_address(page) -> str:
    return re.search(r'id="feed-url" type="text" value="([^"]+)"', page.text).group(1)


def test_the_private_calendar_feed_lists_planned_dates_and_can_be_regenerated(
    couple, alice, bob, alice_client, client
):
    date_night(couple, alice, title="Museum morning")
    date_night(couple, alice, title="Called off", status="cancelled")
    assert "Make my calendar address" in alice_client.get(reverse("practices:calendar")).text
    page = alice_client.post(reverse("practices:calendar"))
    address = feed_address(page)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert address == f"http://localhost:8000/calendar/{token}.ics"
    assert page["Cache-Control"].startswith("max-age=0")
    # Only a hash is stored, and the address is never shown again.
    assert CalendarFeed.objects.get(user=alice).token_hash == hash_token(token)
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    later = alice_client.get(reverse("practices:calendar"))
    assert token not in later.text and "cannot show it again" in later.text
    # A calendar app cannot log in: the secret address is the key.
    response = client.get(reverse("practices:feed", args=[token]))
    titles = [
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert titles == ["Museum morning"]

    new_token = feed_address(alice_client.post(reverse("practices:calendar"))).rsplit("/", 1)[1]
    assert new_token.removesuffix(".ics") != token
    assert CalendarFeed.objects.filter(user=alice).count() == 1
    assert client.get(reverse("practices:feed", args=[token])).status_code == 404
    assert client.get(reverse("practices:feed", args=[token[:-1] + "x"])).status_code == 404
    assert client.get(f"/calendar/{new_token}").status_code == 200


def test_the_feed_of_an_ended_couple_is_empty(couple, alice, client):
    date_night(couple, alice, title="Museum morning")
    token = practices.new_calendar_feed(alice)
    end(couple)
    response = client.get(reverse("practices:feed", args=[token]))
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT") == []


# Schema changes need a real transaction (SQLite).
@pytest.mark.django_db(transaction=True)
def test_existing_feed_addresses_keep_working_after_the_hashing_migration():
    executor = MigrationExecutor(connection)
    before = [("practices", "0007_keep_the_partners_writing")]
    after = [("practices", "0008_calendar_feed_token_hash")]
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        person = old_apps.get_model("couples", "User").objects.create(email="old@example.com")
        old_apps.get_model("practices", "CalendarFeed").objects.create(
            user_id=person.pk, token="an-address-from-before"
        )
        executor.loader.build_graph()
        executor.migrate(after)
        new_apps = executor.loader.project_state(after).apps
        feed = new_apps.get_model("practices", "CalendarFeed").objects.get(user_id=person.pk)
        assert feed.token_hash == hash_token("an-address-from-before")
    finally:
        # Back to the latest schema even when the check fails, or every later test in
        # this process would run against the old one.
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_dates_list_splits_upcoming_and_past(couple, alice, alice_client):
    date_night(couple, alice, title="Soon")
    date_night(couple, alice, title="Long ago", starts_at=timezone.now() - dt.timedelta(days=40))
    page = alice_client.get(reverse("practices:dates"))
    assert [d.title for d in page.context["upcoming"]] == ["Soon"]
    assert [d.title for d in page.context["past"]] == ["Long ago"]
