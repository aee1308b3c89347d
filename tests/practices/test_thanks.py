"""Let thanks land: the recipient answers a note with a few words, once (rewording is
fine); the author finds them on the note and on their home page; they count for
gratitude; export and deletion treat them as the recipient's words."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from couples import privacy as couples_privacy
from practices import services, stats
from practices.models import GratitudeNote
from tests.conftest import client_for
from tests.factories import UserFactory, link, note

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(couple, alice):
    return note(couple, alice, "Thank you for the soup when I was ill.")


def thank(client, pk, words):
    return client.post(reverse("practices:note_thank", args=[pk]), {"thanks": words}, follow=True)


def test_the_composer_offers_a_light_hint_and_no_extra_fields(couple, alice_client):
    page = alice_client.get(reverse("practices:note_new")).text
    assert "If it helps: what did they do, and how did it feel for you?" in page
    assert page.count("<textarea") == 1


def test_the_recipient_thanks_once_and_the_author_sees_it_on_the_note_and_at_home(
    received, alice_client, bob_client
):
    response = thank(bob_client, received.pk, "  It was the best soup. I felt so looked after.  ")
    assert "Alice will see your thank-you." in response.text
    received.refresh_from_db()
    assert received.thanks == "It was the best soup. I felt so looked after."
    note_page = alice_client.get(reverse("practices:note", args=[received.pk])).text
    assert "Bob wrote back" in note_page and "I felt so looked after." in note_page
    home = alice_client.get(reverse("practices:home")).text
    assert "Bob wrote back" in home and "I felt so looked after." in home
    assert "thanked you" in alice_client.get(reverse("practices:notes_sent")).text


def test_rewording_keeps_one_thank_you_and_its_first_time(received, bob_client):
    first = timezone.now()
    with time_machine.travel(first, tick=False):
        thank(bob_client, received.pk, "Thank you!")
    with time_machine.travel(first + dt.timedelta(hours=1), tick=False):
        response = thank(bob_client, received.pk, "Thank you, truly.")
    assert "Your thank-you is updated." in response.text
    received.refresh_from_db()
    assert (received.thanks, received.thanked_at) == ("Thank you, truly.", first)


def test_a_thank_you_counts_once_for_gratitude(received, couple, bob, django_assert_num_queries):
    services.thank_for_note(received, bob, "Thanks")
    services.thank_for_note(received, bob, "Thanks again, reworded")
    now = timezone.now()
    with django_assert_num_queries(1):
        result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert (result.notes, result.thanks, result.by_tip["gratitude"]) == (1, 1, 2)
    assert result.sentence() == "1 note, 0 answers, 0 talks, 0 dates and 1 thank-you"
    assert ("Thank-yous for notes", 1) in result.lines()


def test_only_the_recipient_may_thank(received, alice, alice_client):
    response = alice_client.post(
        reverse("practices:note_thank", args=[received.pk]), {"thanks": "Self-praise"}
    )
    assert response.status_code == 404
    with pytest.raises(services.PracticeError):
        services.thank_for_note(received, alice, "Self-praise")
    received.refresh_from_db()
    assert received.thanks == "" and received.thanked_at is None


def test_another_couples_note_is_a_404_and_stays_as_it_was(received):
    charlie = UserFactory()
    link(charlie, UserFactory())
    response = client_for(charlie).post(
        reverse("practices:note_thank", args=[received.pk]), {"thanks": "Intruder"}
    )
    assert response.status_code == 404
    received.refresh_from_db()
    assert received.thanks == ""


def test_a_scheduled_note_cannot_be_thanked_before_it_arrives(couple, alice, bob_client):
    later = note(couple, alice, "Soon", deliver_at=timezone.now() + dt.timedelta(days=1))
    response = bob_client.post(reverse("practices:note_thank", args=[later.pk]), {"thanks": "x"})
    assert response.status_code == 404


def test_an_over_long_thank_you_is_refused_with_the_words_kept(received, bob_client):
    words = "Thank you " * 51
    response = bob_client.post(
        reverse("practices:note_thank", args=[received.pk]), {"thanks": words}
    )
    assert response.status_code == 400
    assert "at most 500 characters" in response.text and words.strip() in response.text
    received.refresh_from_db()
    assert received.thanks == ""


def test_thank_yous_leave_the_home_page_after_two_weeks(received, bob, alice_client):
    services.thank_for_note(received, bob, "Lovely")
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        client = client_for(received.author)
        assert "Bob wrote back" not in client.get(reverse("practices:home")).text


def test_export_shows_the_thank_you_to_both_and_deletion_takes_only_the_recipients_words(
    received, alice, bob
):
    services.thank_for_note(received, bob, "Bob's words back")
    alice_export = couples_privacy.export_data(alice)
    bob_export = couples_privacy.export_data(bob)
    assert alice_export["notes_written"][0]["thanks"] == "Bob's words back"
    assert bob_export["notes_received"][0]["thanks"] == "Bob's words back"
    couples_privacy.delete_account(bob)
    kept = GratitudeNote.objects.get(pk=received.pk)
    assert kept.body == "Thank you for the soup when I was ill."
    assert (kept.thanks, kept.thanked_at) == ("", None)


@pytest.mark.parametrize("count", [1, 30])
def test_home_and_note_pages_stay_within_their_queries_with_many_thanks_and_timers(
    couple, alice, bob, alice_client, django_assert_max_num_queries, count
):
    from practices.models import DateNight
    from tests.factories import date_night

    now = timezone.now()
    for i in range(count):
        thanked = note(couple, alice, f"note {i}", deliver_at=now - dt.timedelta(hours=i + 1))
        services.thank_for_note(thanked, bob, f"thanks {i}")
        date_night(couple, alice, starts_at=now - dt.timedelta(minutes=i + 1))
    DateNight.objects.update(phones_away_minutes=30)
    alice_client.get(reverse("practices:home"))  # today's question gets created once
    # As in test_home: 12 with the feelings card, + 2 for the rituals card.
    with django_assert_max_num_queries(12 + 2):
        page = alice_client.get(reverse("practices:home"))
    assert "Bob wrote back" in page.text and "with phones away, together" in page.text
    with django_assert_max_num_queries(7):
        assert alice_client.get(reverse("practices:note", args=[thanked.pk])).status_code == 200
    date = DateNight.objects.first()
    with django_assert_max_num_queries(5):
        assert alice_client.get(reverse("practices:phones_away", args=[date.pk])).status_code == 200
