"""The couple's version (couples/versions.py) and the pages cached under it: every kind of
write either partner makes shows on the other's next page, though that page was cached a
moment before."""

import datetime as dt
import pickle

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from couples import versions
from couples.models import Couple, User
from practices import hub, services, tasks
from practices.models import (
    Answer,
    DailyQuestion,
    DateNight,
    DateReflection,
    GratitudeNote,
    Prompt,
)
from tests.factories import date_night, note

pytestmark = pytest.mark.django_db


def version(couple) -> int:
    return Couple.objects.values_list("version", flat=True).get(pk=couple.pk)


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.text


# --- What is watched ---------------------------------------------------------------------


def models_with_a_couple_key():
    found = set()
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "couple"), None)
        if isinstance(field, models.ForeignKey) and field.related_model is Couple:
            found.add(model)
    return found


def test_every_model_with_a_couple_key_is_watched_without_registering():
    direct = models_with_a_couple_key()
    assert GratitudeNote in direct and DateNight in direct  # the test finds something
    for model in direct:
        assert versions.WATCHED[model] == "couple_id", model
        assert post_save.has_listeners(model) and post_delete.has_listeners(model), model
    # one step further: through the question, the date night, the couple's own prompt
    assert versions.WATCHED[Answer] == "question__couple_id"
    assert versions.WATCHED[DateReflection] == "date_night__couple_id"
    assert versions.WATCHED[Couple] == "pk"
    # A person holding an invitation is not one step from its couple: logging in must not
    # throw away the inviter's cached pages (their own couples bump on their own edits).
    assert User not in versions.WATCHED


@pytest.mark.parametrize(
    "model", sorted(models_with_a_couple_key(), key=lambda m: m._meta.label), ids=str
)
def test_any_model_with_a_couple_key_bumps_on_save_update_and_delete(model, couple):
    """Whatever app it lives in: the signal path for a row (saves and deletes), and the
    queryset path (update, which sends no signal)."""
    before = version(couple)
    post_save.send(sender=model, instance=model(couple=couple), created=True, raw=False)
    assert version(couple) == before + 1
    post_delete.send(sender=model, instance=model(couple=couple))
    assert version(couple) == before + 2
    # An update that matches rows bumps their couple (in the same transaction as the write).
    pk_field = model._meta.pk
    model.objects.filter(couple=couple).update(**{pk_field.attname: models.F(pk_field.attname)})
    assert version(couple) >= before + 2


def test_queryset_updates_and_bulk_creates_bump_only_their_couples(couple, alice, bob):
    from tests.factories import UserFactory, link

    other = link(UserFactory(), UserFactory())
    sent = note(couple, alice)
    before, before_other = version(couple), version(other)
    GratitudeNote.objects.filter(pk=sent.pk).update(body="changed")
    assert (version(couple), version(other)) == (before + 1, before_other)
    GratitudeNote.objects.bulk_create(
        [GratitudeNote(couple=couple, author=alice, recipient=bob, body="bulk")]
    )
    assert (version(couple), version(other)) == (before + 2, before_other)


def test_saving_a_couple_loaded_earlier_never_moves_the_version_back(couple):
    stale = Couple.objects.get(pk=couple.pk)
    versions.bump(couple)
    versions.bump(couple)
    now = version(couple)
    stale.name = "Us"
    stale.save()
    assert version(couple) == now + 1  # the edit bumps; the old number is not written back


def test_a_login_does_not_bump_but_a_new_name_does(couple, alice):
    before = version(couple)
    alice.last_login = timezone.now()
    alice.save(update_fields=["last_login"])
    assert version(couple) == before
    alice.display_name = "Ally"
    alice.save(update_fields=["display_name"])
    assert version(couple) == before + 1


# --- Each kind of write shows on the partner's next page ------------------------------


def test_a_note_delivered_shows_on_the_partners_home_and_inbox(couple, alice, bob_client):
    assert "No unread notes" in page(bob_client, "practices:home")
    assert "Thank you for the soup" not in page(bob_client, "practices:notes")
    services.write_note(couple, alice, "Thank you for the soup")
    assert "1 new note from Alice" in page(bob_client, "practices:home")
    assert "Thank you for the soup" in page(bob_client, "practices:notes")


def test_a_scheduled_note_arriving_in_the_task_shows_on_the_partners_inbox(
    couple, alice, bob_client
):
    later = timezone.now() + dt.timedelta(hours=2)
    services.write_note(couple, alice, "See you tonight", deliver_at=later)
    assert "See you tonight" not in page(bob_client, "practices:notes")
    with time_machine.travel(later + dt.timedelta(minutes=1)):
        assert "See you tonight" not in page(bob_client, "practices:notes")  # cached, not due
        assert tasks.deliver_scheduled_notes() == 1  # what beat runs every minute
        assert "See you tonight" in page(bob_client, "practices:notes")


def test_an_answer_shows_on_the_partners_home(couple, alice, bob_client):
    assert "Neither of you has answered yet" in page(bob_client, "practices:home")
    services.answer_question(services.todays_question(couple), alice, "words")
    assert "Alice has answered" in page(bob_client, "practices:home")


def test_a_swap_shows_the_new_question_on_the_partners_home(couple, alice, bob_client):
    question = services.todays_question(couple)
    assert escape(question.prompt.text) in page(bob_client, "practices:home")
    services.swap_question(question)
    question.refresh_from_db()
    home = page(bob_client, "practices:home")
    assert escape(question.prompt.text) in home


def test_talking_about_it_shows_on_the_partners_home(couple, alice, bob):
    from tests.conftest import client_for

    question = services.todays_question(couple)
    services.answer_question(question, alice, "a")
    services.answer_question(question, bob, "b")
    bob_client = client_for(bob)
    assert "You talked about it" not in page(bob_client, "practices:home")
    services.mark_discussed(question)
    assert "You talked about it" in page(bob_client, "practices:home")


def test_a_date_planned_shows_on_the_partners_home(couple, alice, bob_client):
    assert "Nothing planned yet" in page(bob_client, "practices:home")
    services.plan_date(
        couple,
        alice,
        title="Stargazing",
        starts_at=timezone.now() + dt.timedelta(days=2),
        timezone="Europe/London",
    )
    assert "Stargazing" in page(bob_client, "practices:home")
    assert "Stargazing" in page(bob_client, "practices:dates")


def test_a_date_cancelled_leaves_the_partners_home_and_joins_the_past(couple, alice, bob_client):
    planned = date_night(couple, alice, title="Bowling")
    assert "Bowling" in page(bob_client, "practices:home")
    page(bob_client, "practices:dates")
    services.set_date_status(planned, DateNight.Status.CANCELLED)
    assert "Bowling" not in page(bob_client, "practices:home")
    assert "cancelled</span>" in page(bob_client, "practices:dates")


def test_a_date_that_starts_stops_being_the_next_one_without_any_write(couple, alice, bob_client):
    planned = date_night(
        couple, alice, title="Cinema", starts_at=timezone.now() + dt.timedelta(hours=1)
    )
    # The next-date card links the title; the phones-away card may name it around its time.
    as_next = f'<a href="{reverse("practices:date", args=[planned.pk])}">Cinema</a>'
    assert as_next in page(bob_client, "practices:home")
    with time_machine.travel(planned.starts_at + dt.timedelta(minutes=1)):
        assert as_next not in page(bob_client, "practices:home")
        assert "Cinema" in page(bob_client, "practices:dates")  # now among the past ones


def test_a_reflection_shows_on_the_partners_date_page(couple, alice, bob_client):
    past = date_night(
        couple, alice, title="Museum", starts_at=timezone.now() - dt.timedelta(days=1)
    )
    services.set_date_status(past, DateNight.Status.DONE)
    assert "A lovely afternoon" not in page(bob_client, "practices:date", past.pk)
    before = version(couple)
    services.reflect_on_date(past, alice, 5, "A lovely afternoon")
    assert version(couple) == before + 1  # the reflection reaches its couple via the date
    page(bob_client, "practices:dates")
    assert "Museum" in page(bob_client, "practices:dates")


def test_a_reaction_shows_on_the_authors_sent_notes(couple, alice, bob, alice_client):
    sent = note(couple, alice, "Thanks for the flowers")
    assert "Made my day" not in page(alice_client, "practices:notes_sent")
    services.react(sent, bob, GratitudeNote.Reaction.HEART)
    assert "Made my day" in page(alice_client, "practices:notes_sent")


def test_reading_a_note_clears_its_new_badge(couple, alice, bob_client):
    sent = note(couple, alice, "Morning!")
    assert "badge text-bg-primary" in page(bob_client, "practices:notes")
    page(bob_client, "practices:note", sent.pk)  # opening it marks it read
    assert "badge text-bg-primary" not in page(bob_client, "practices:notes")


def test_a_new_display_name_shows_on_the_partners_inbox(couple, alice, bob_client):
    note(couple, alice, "Hello")
    assert "From Alice" in page(bob_client, "practices:notes")
    alice.display_name = "Ally"
    alice.save(update_fields=["display_name"])
    assert "From Ally" in page(bob_client, "practices:notes")


@time_machine.travel(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC))
def test_a_couple_edit_shows_on_the_partners_home(couple, alice, bob_client):
    page(bob_client, "practices:home")
    couple.together_since = timezone.localdate() - dt.timedelta(days=10)
    couple.save()
    assert '<span class="stat">10</span> days together' in page(bob_client, "practices:home")


def test_the_day_turning_is_a_new_question_on_home(couple, alice, bob_client):
    first = services.todays_question(couple)
    assert escape(first.prompt.text) in page(bob_client, "practices:home")
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        home = page(bob_client, "practices:home")
        question = DailyQuestion.objects.get(couple=couple, day=couple.local_today())
        assert question.pk != first.pk and escape(question.prompt.text) in home


def test_an_own_prompt_added_bumps(couple, alice):
    before = version(couple)
    Prompt.objects.create(text="Ours", tip="talk", couple=couple, author=alice)
    assert version(couple) == before + 1


def test_a_home_card_of_a_new_practice_is_cached_and_refreshed_by_its_couple_writes(
    couple, alice, bob_client, monkeypatch
):
    """A practice's card data (hub.add_home_card) is cached with the summary; a write to
    any model with a couple key (here: a note) refreshes it."""
    calls = []

    def data(request, access, today, now):
        calls.append(now)
        return {"count": GratitudeNote.objects.filter(couple=access.couple).count()}

    monkeypatch.setitem(
        hub.HOME_CARDS,
        "test-card",
        hub.HomeCard(name="test-card", template="includes/pagination.html", data=data),
    )
    services.todays_question(couple)  # made by the first visit of the day otherwise
    page(bob_client, "practices:home")
    page(bob_client, "practices:home")
    assert len(calls) == 1  # the second visit came from the cache
    note(couple, alice)
    page(bob_client, "practices:home")
    assert len(calls) == 2


def test_a_home_card_whose_data_cannot_be_pickled_is_computed_every_time(
    couple, bob_client, monkeypatch
):
    calls = []

    def data(request, access, today, now):
        calls.append(now)
        return {"fn": lambda: None}  # pickle refuses lambdas

    monkeypatch.setitem(
        hub.HOME_CARDS,
        "unpicklable",
        hub.HomeCard(name="unpicklable", template="includes/pagination.html", data=data),
    )
    services.todays_question(couple)
    page(bob_client, "practices:home")
    page(bob_client, "practices:home")
    assert len(calls) == 3  # twice on the first visit (trying to cache it), then each time


def test_deleting_many_rows_bumps_each_couple_once_and_a_deleted_couple_not_at_all(
    couple, alice, bob
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(30):
        note(couple, alice, f"note {i}")
    before = version(couple)

    def bumps(delete) -> int:
        with CaptureQueriesContext(connection) as queries:
            delete()
        return sum('UPDATE "couples_couple"' in q["sql"] for q in queries.captured_queries)

    assert bumps(lambda: GratitudeNote.objects.filter(couple=couple).delete()) == 1
    assert version(couple) == before + 1  # bob's pages no longer show them
    for i in range(30):
        note(couple, bob, f"again {i}")
    assert bumps(couple.delete) == 0


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("practices:home", 4),
        ("practices:notes", 4),
        ("practices:notes_sent", 4),
        ("practices:dates", 5),
    ],
)
@pytest.mark.parametrize("count", [1, 60])
def test_a_cached_page_costs_a_handful_of_queries_whatever_the_data(
    couple, alice, bob, alice_client, django_assert_max_num_queries, name, limit, count
):
    """Session, user, the couple (with its version), the unread badge; dates adds its
    few upcoming ones. (With the database cache, one more: the cache read.)"""
    from tests.practices.test_home import fill

    fill(couple, alice, bob, count)
    services.todays_question(couple)
    alice_client.get(reverse(name))  # fills the cache
    with django_assert_max_num_queries(limit):
        assert alice_client.get(reverse(name)).status_code == 200


def test_cached_pages_hold_no_lazy_translations(couple, alice_client, monkeypatch):
    """A lazy translation pickles as a proxy that is rebuilt on every read: a third of a
    cached home page's time went into unpickling the feelings wheel's labels."""
    stored = []

    class Recording:
        def get(self, key, *args, **kwargs):
            return None  # compute every time, so that each value is stored

        def set(self, key, value, *args, **kwargs):
            stored.append(value)

    monkeypatch.setattr(versions, "cache", Recording())
    for name in ("practices:home", "practices:notes", "practices:dates", "practices:question"):
        assert alice_client.get(reverse(name)).status_code == 200
    assert stored
    assert [value for value in stored if b"_lazy_proxy_unpickle" in pickle.dumps(value)] == []
