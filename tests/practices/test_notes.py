import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from practices import services
from practices.models import GratitudeNote
from practices.signals import note_delivered
from tests.conftest import client_for
from tests.factories import note

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered_signals():
    seen = []

    def receiver(sender, note, **kwargs):
        seen.append(note.pk)

    note_delivered.connect(receiver)
    yield seen
    note_delivered.disconnect(receiver)


def test_a_note_sent_now_arrives_at_once(couple, alice_client, bob_client, bob, delivered_signals):
    response = alice_client.post(
        reverse("practices:note_new"), {"body": "Thank you for the soup.", "when": "now"}
    )
    assert response.status_code == 302
    sent = GratitudeNote.objects.get()
    assert sent.recipient == bob and sent.delivered_at is not None
    assert delivered_signals == [sent.pk]
    inbox = bob_client.get(reverse("practices:notes"))
    assert "Thank you for the soup." in inbox.text
    home = bob_client.get(reverse("practices:home"))
    assert "1 new note from Alice" in home.text


def test_opening_a_note_marks_it_read_and_the_unread_count_drops(couple, alice, bob_client):
    sent = note(couple, alice)
    page = bob_client.get(reverse("practices:note", args=[sent.pk]))
    assert "Thank you for the tea." in page.text
    sent.refresh_from_db()
    assert sent.read_at is not None
    assert "new note" not in bob_client.get(reverse("practices:home")).text


def test_the_recipient_reacts_once_warmly(couple, alice, bob_client, alice_client):
    sent = note(couple, alice)
    bob_client.post(reverse("practices:note_react", args=[sent.pk]), {"reaction": "hug"})
    sent.refresh_from_db()
    assert sent.reaction == "hug"
    assert "Bob reacted" in alice_client.get(reverse("practices:note", args=[sent.pk])).text
    # The author cannot react to their own note; an unknown reaction changes nothing.
    assert (
        alice_client.post(
            reverse("practices:note_react", args=[sent.pk]), {"reaction": "heart"}
        ).status_code
        == 404
    )
    bob_client.post(reverse("practices:note_react", args=[sent.pk]), {"reaction": "<b>"})
    sent.refresh_from_db()
    assert sent.reaction == "hug"


def test_a_scheduled_note_is_invisible_until_it_arrives(
    couple, alice_client, bob_client, delivered_signals
):
    tomorrow = timezone.localtime(timezone.now(), couple.members[0].tzinfo) + dt.timedelta(days=1)
    alice_client.post(
        reverse("practices:note_new"),
        {
            "body": "Happy birthday, love.",
            "when": "later",
            "deliver_on": tomorrow.date().isoformat(),
            "deliver_time": "08:30",
        },
    )
    scheduled = GratitudeNote.objects.get()
    assert scheduled.delivered_at is None
    assert delivered_signals == []
    assert "Happy birthday" not in bob_client.get(reverse("practices:notes")).text
    assert bob_client.get(reverse("practices:note", args=[scheduled.pk])).status_code == 404
    assert "Happy birthday" in alice_client.get(reverse("practices:notes_sent")).text

    # The periodic task delivers it when its time comes, once.
    assert services.deliver_due_notes(scheduled.deliver_at - dt.timedelta(minutes=1)) == 0
    with time_machine.travel(scheduled.deliver_at + dt.timedelta(seconds=30)):
        assert services.deliver_due_notes() == 1
        assert services.deliver_due_notes() == 0
    assert delivered_signals == [scheduled.pk]
    assert "Happy birthday" in bob_client.get(reverse("practices:notes")).text


def test_scheduled_time_is_the_authors_local_time(couple, bob, time_machine):
    time_machine.move_to(dt.datetime(2027, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False)
    bob_client = client_for(bob)  # signed in at the frozen time, so the session is fresh
    # Bob lives in Auckland: 08:30 there is 19:30 UTC the day before (NZDT, +13).
    bob_client.post(
        reverse("practices:note_new"),
        {"body": "Morning!", "when": "later", "deliver_on": "2028-01-10", "deliver_time": "08:30"},
    )
    scheduled = GratitudeNote.objects.get()
    assert scheduled.deliver_at == dt.datetime(2028, 1, 9, 19, 30, tzinfo=dt.UTC)


def test_the_author_edits_or_cancels_a_scheduled_note(couple, alice, alice_client):
    later = timezone.now() + dt.timedelta(days=3)
    scheduled = note(couple, alice, "Draft", deliver_at=later)
    day = timezone.localtime(later, alice.tzinfo).date().isoformat()
    alice_client.post(
        reverse("practices:note_edit", args=[scheduled.pk]),
        {"body": "Better words", "when": "later", "deliver_on": day, "deliver_time": "10:00"},
    )
    scheduled.refresh_from_db()
    assert scheduled.body == "Better words" and scheduled.delivered_at is None
    alice_client.post(reverse("practices:note_cancel", args=[scheduled.pk]))
    assert not GratitudeNote.objects.exists()


def test_an_arrived_note_can_no_longer_be_edited_or_cancelled(couple, alice, alice_client):
    arrived = note(couple, alice, "Kept as written")
    alice_client.post(
        reverse("practices:note_edit", args=[arrived.pk]), {"body": "Changed", "when": "now"}
    )
    alice_client.post(reverse("practices:note_cancel", args=[arrived.pk]))
    arrived.refresh_from_db()
    assert arrived.body == "Kept as written"


def test_the_partner_cannot_edit_or_cancel_a_note_they_did_not_write(couple, alice, bob_client):
    scheduled = note(couple, alice, "Secret", deliver_at=timezone.now() + dt.timedelta(days=1))
    assert bob_client.get(reverse("practices:note_edit", args=[scheduled.pk])).status_code == 404
    assert bob_client.post(reverse("practices:note_cancel", args=[scheduled.pk])).status_code == 404
    assert GratitudeNote.objects.filter(pk=scheduled.pk, body="Secret").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "", "when": "now"}, "cannot be empty"),
        ({"body": "   ", "when": "now"}, "cannot be empty"),
        ({"body": "x" * 2001, "when": "now"}, "at most 2000 characters"),
        ({"body": "Hi", "when": "later"}, "Choose the day it should arrive"),
        (
            {"body": "Hi", "when": "later", "deliver_on": "2020-01-01", "deliver_time": "10:00"},
            "already passed",
        ),
        (
            {"body": "Hi", "when": "later", "deliver_on": "2020-13-45", "deliver_time": "10:00"},
            "Enter a valid date",
        ),
        (
            {"body": "Hi", "when": "later", "deliver_on": "2028-01-01", "deliver_time": "25:61"},
            "Enter a valid time",
        ),
        ({"body": "Hi", "when": "someday"}, "Select a valid choice"),
    ],
)
def test_bad_note_input_gets_a_message_and_saves_nothing(couple, alice_client, data, message):
    response = alice_client.post(reverse("practices:note_new"), data)
    assert response.status_code == 200
    assert message in response.text
    assert not GratitudeNote.objects.exists()


def test_a_time_the_clocks_skip_is_refused(couple, alice, time_machine):
    time_machine.move_to(dt.datetime(2028, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False)
    alice_client = client_for(alice)
    # Europe/London springs forward at 01:00 on 26 March 2028: 01:30 never happens.
    response = alice_client.post(
        reverse("practices:note_new"),
        {"body": "Hi", "when": "later", "deliver_on": "2028-03-26", "deliver_time": "01:30"},
    )
    assert "clocks skip that hour" in response.text
    assert not GratitudeNote.objects.exists()


def test_html_in_a_note_is_shown_escaped(couple, alice, bob_client):
    sent = note(couple, alice, '<script>alert("hi")</script><b>bold</b>')
    for url in (reverse("practices:note", args=[sent.pk]), reverse("practices:notes")):
        page = bob_client.get(url).text
        assert "<script>alert" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;" in page


def test_the_inbox_is_paginated_newest_first(couple, alice, bob_client):
    now = timezone.now()
    for i in range(25):
        note(couple, alice, f"Note number {i:02d}", deliver_at=now - dt.timedelta(hours=25 - i))
    first = bob_client.get(reverse("practices:notes")).text
    assert "Note number 24" in first and "Note number 04" not in first
    assert first.index("Note number 24") < first.index("Note number 23")
    second = bob_client.get(reverse("practices:notes") + "?page=2").text
    assert "Note number 04" in second and "Note number 24" not in second


def test_writing_needs_a_partner(charlie_client):
    response = charlie_client.post(reverse("practices:note_new"), {"body": "Hi", "when": "now"})
    assert response.status_code == 302 and response["Location"] == reverse("practices:home")
    assert not GratitudeNote.objects.exists()
