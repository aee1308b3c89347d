"""Privacy: export, deletion, purge, and the rule that every model pointing at a person or
a couple is covered by both."""

import datetime as dt
import json
import logging

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from couples import privacy, services
from couples.models import Couple, Membership, User
from practices import services as practices
from practices.models import (
    Answer,
    CalendarFeed,
    DailyQuestion,
    DateNight,
    DateReflection,
    FavoritePrompt,
    GratitudeNote,
    Prompt,
)
from reminders.models import Nudge
from tests.conftest import client_for
from tests.factories import date_night, note

pytestmark = pytest.mark.django_db


def models_pointing_at(*targets):
    """Every concrete model with a foreign key or one-to-one to one of `targets`."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model in targets
                and not model._meta.auto_created
            ):
                found.add(model)
    return found


def test_every_model_pointing_at_a_person_or_couple_is_covered_by_export_and_deletion():
    covered = privacy.covered_models()
    missing = models_pointing_at(User, Couple) - set(covered)
    assert not missing, f"add these to a privacy module's MODELS: {sorted(map(str, missing))}"


@pytest.fixture
def full_life(couple, alice, bob):
    """One of everything, written by both partners."""
    question = practices.todays_question(couple)
    practices.answer_question(question, alice, "Alice answers openly")
    past = DailyQuestion.objects.create(
        couple=couple, day=dt.date(2026, 1, 1), prompt=Prompt.objects.first()
    )
    Answer.objects.create(question=past, user=bob, body="Bob answered alone")
    own = Prompt.objects.create(
        text="Alice's own question?", tip="talk", couple=couple, author=alice
    )
    asked = DailyQuestion.objects.create(couple=couple, day=dt.date(2026, 1, 2), prompt=own)
    Answer.objects.create(question=asked, user=bob, body="Bob on Alice's question")
    FavoritePrompt.objects.create(user=alice, prompt=own)
    note(couple, alice, "From Alice with love")
    note(couple, bob, "From Bob, arrived")
    note(couple, bob, "From Bob, not yet", deliver_at=timezone.now() + dt.timedelta(days=2))
    alices_date = date_night(
        couple, alice, title="Alice's plan", starts_at=timezone.now() - dt.timedelta(days=1)
    )
    bobs_date = date_night(couple, bob, title="Bob's plan")
    DateReflection.objects.create(
        date_night=alices_date, user=alice, rating=5, body="Alice liked it"
    )
    DateReflection.objects.create(date_night=alices_date, user=bob, rating=4, body="Bob too")
    feed_token = practices.new_calendar_feed(alice)
    Nudge.objects.create(user=alice, kind="nudge", tip="talk", slot=timezone.now())
    return {
        "alices_date": alices_date,
        "bobs_date": bobs_date,
        "own": own,
        "feed_token": feed_token,
    }


def test_export_holds_what_you_wrote_and_received_and_nothing_unrevealed(full_life, alice):
    response = reauthenticated(alice).get(reverse("couples:export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    text = response.content.decode()

    assert data["profile"]["email"] == "alice@example.com"
    assert data["couples"][0]["partner"] == "Bob"
    assert [n["body"] for n in data["notes_written"]] == ["From Alice with love"]
    assert [n["body"] for n in data["notes_received"]] == ["From Bob, arrived"]
    assert "From Bob, not yet" not in text  # not arrived: not hers yet
    assert "Alice answers openly" in text
    assert "Bob answered alone" not in text  # Alice never answered that one
    assert "Bob on Alice's question" not in text
    assert {d["title"] for d in data["dates"]} == {"Alice's plan", "Bob's plan"}
    assert "Bob too" in text  # reflections are shared once written
    assert data["prompts_written"][0]["text"] == "Alice's own question?"
    assert data["favorite_prompts"] == ["Alice's own question?"]
    assert data["calendar_feed"] == {"exists": True}
    assert data["emails"][0]["kind"] == "nudge"
    assert full_life["feed_token"] not in text
    assert CalendarFeed.objects.get(user__email="alice@example.com").token_hash not in text
    for key in (
        "profile",
        "couples",
        "invitations_sent",
        "notes_written",
        "notes_received",
        "questions",
        "dates",
        "emails",
    ):
        assert key in data


def test_export_needs_login(client):
    response = client.get(reverse("couples:export"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_export_needs_a_fresh_password(full_life, alice):
    stale = client_for(alice)  # signed in long ago, as far as allauth knows
    response = stale.get(reverse("couples:export"))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('account_reauthenticate')}?next={reverse('couples:export').replace('/', '%2F')}"
    )
    assert "From Alice with love" not in response.text
    response = stale.post(response["Location"], {"password": "a-long-enough-pw"})
    assert response["Location"] == reverse("couples:export")
    download = stale.get(response["Location"])
    assert download.status_code == 200
    assert "From Alice with love" in download.text


def reauthenticated(user) -> Client:
    """A session that has just confirmed the password on allauth's reauthenticate page."""
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": "a-long-enough-pw"})
    response = client.post(reverse("account_reauthenticate"), {"password": "a-long-enough-pw"})
    assert response.status_code == 302, response
    return client


def test_deleting_needs_a_fresh_password_and_the_typed_word(full_life, alice):
    stale = client_for(alice)  # signed in long ago, as far as allauth knows
    response = stale.post(reverse("couples:delete_account"), {"confirm": "delete"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=alice.pk).exists()

    fresh = reauthenticated(alice)
    response = fresh.post(reverse("couples:delete_account"), {"confirm": "yes please"})
    assert "Type the word “delete”" in response.text
    assert User.objects.filter(pk=alice.pk).exists()


def test_deleting_erases_the_person_and_all_they_wrote(
    full_life, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    other_session = client_for(alice)
    client = reauthenticated(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("couples:delete_account"), {"confirm": "delete"})
    assert response.status_code == 302 and response["Location"] == reverse("landing")

    alice_id = alice.pk
    assert not User.objects.filter(pk=alice_id).exists()
    for model in models_pointing_at(User):
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and (
                field.related_model is User
            ):
                assert not model.objects.filter(**{field.attname: alice_id}).exists(), (
                    model,
                    field.name,
                )
    assert not GratitudeNote.objects.filter(body="From Alice with love").exists()
    assert not Answer.objects.filter(body="Alice answers openly").exists()
    assert not DateReflection.objects.filter(body="Alice liked it").exists()
    assert not Prompt.objects.filter(pk=full_life["own"].pk).exists()
    # Bob keeps what he wrote, including his notes to Alice.
    assert GratitudeNote.objects.filter(body="From Bob, arrived", recipient=None).exists()
    assert DateNight.objects.filter(title="Bob's plan").exists()
    assert Answer.objects.filter(body="Bob answered alone").exists()

    # The couple ended for Bob as if Alice had left; only Bob is told.
    couple = Couple.objects.get(memberships__user=bob)
    assert couple.status == "ended"
    assert [m.to for m in mailoutbox] == [["bob@example.com"]]
    # Both of Alice's sessions are over.
    for session in (client, other_session):
        assert session.get(reverse("practices:home")).status_code == 302


# Links that name who a row was for, not who wrote it: a note Alice wrote to Bob is hers.
ADDRESSEE_FIELDS = {("practices.GratitudeNote", "recipient"), ("couples.Invitation", "accepted_by")}


def rows_of(user) -> dict:
    """Every row `user` wrote or owns (any link to them but an addressee), with its fields."""
    rows = {}
    for model in models_pointing_at(User):
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is User
                and (model._meta.label, field.name) not in ADDRESSEE_FIELDS
            ):
                for row in model.objects.filter(**{field.attname: user.pk}).values():
                    rows[(model._meta.label, row["id"])] = row
    return rows


def test_deleting_an_account_keeps_every_row_the_partner_wrote(full_life, alice, bob):
    before = rows_of(bob)
    assert {label for label, _ in before} >= {
        "practices.GratitudeNote",
        "practices.Answer",
        "practices.DateNight",
        "practices.DateReflection",
    }
    privacy.delete_account(alice)

    after = rows_of(bob)
    for key, row in before.items():
        assert key in after, f"{key} was deleted with Alice"
        changed = {name for name in row if after[key][name] != row[name]}
        # Only his membership closes (the couple ended) and his notes lose their addressee.
        assert changed <= {"active", "recipient_id", "updated_at"}, (key, changed)

    # His reflection on the date Alice planned: the date stays, without its planner.
    reflection = DateReflection.objects.get(body="Bob too")
    assert reflection.date_night == full_life["alices_date"]
    assert DateNight.objects.get(pk=full_life["alices_date"].pk).created_by is None
    # His answer to Alice's own question: the day stays, without her words.
    answer = Answer.objects.get(body="Bob on Alice's question")
    assert answer.question.prompt is None
    assert not Prompt.objects.filter(text="Alice's own question?").exists()


def test_the_archive_shows_the_partner_what_survived_a_deletion(full_life, alice, bob, couple):
    privacy.delete_account(alice)
    client = client_for(bob)
    answer = Answer.objects.get(body="Bob on Alice's question")
    page = client.get(
        reverse("practices:archive_question_detail", args=[couple.pk, answer.question_id])
    )
    assert page.status_code == 200
    assert "Bob on Alice&#x27;s question" in page.text
    assert "A question one of you wrote, no longer here" in page.text
    page = client.get(reverse("practices:archive_history", args=[couple.pk]))
    assert "A question one of you wrote, no longer here" in page.text
    page = client.get(
        reverse("practices:archive_date", args=[couple.pk, full_life["alices_date"].pk])
    )
    assert page.status_code == 200
    assert "Bob too" in page.text and "Planned by" not in page.text
    data = json.loads(privacy.export_json(bob))
    asked = next(q for q in data["questions"] if q["my_answer"] == "Bob on Alice's question")
    assert asked["question"] is None
    assert {d["title"]: d["planned_by"] for d in data["dates"]}["Alice's plan"] is None


def test_purging_an_ended_couple_leaves_no_row_behind(full_life, couple):
    services.end_couple(couple)
    later = timezone.now() + dt.timedelta(days=settings.KINDLING_ARCHIVE_DAYS + 1)
    assert services.purge_ended_couples(later) == 1
    for model in models_pointing_at(Couple):
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Couple:
                assert not model.objects.filter(**{field.attname: couple.pk}).exists(), model
    assert not Answer.objects.exists()
    assert not DateReflection.objects.exists()
    assert not Membership.objects.exists()
    # The people remain; only the shared content is gone.
    assert User.objects.count() == 2


def test_note_bodies_and_answers_never_reach_the_logs(
    couple, alice, bob, alice_client, bob_client, caplog
):
    caplog.set_level(logging.DEBUG)
    alice_client.post(reverse("practices:note_new"), {"body": "WHISPERED-NOTE", "when": "now"})
    question = practices.todays_question(couple)
    bob_client.post(reverse("practices:answer", args=[question.pk]), {"body": "WHISPERED-ANSWER"})
    bob_client.get(reverse("practices:notes"))
    assert "WHISPERED" not in caplog.text


def test_error_reports_hide_what_was_written(couple, alice, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(practices, "write_note", broken)
    client = client_for(alice)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(
            reverse("practices:note_new"), {"body": "PRIVATE-WORDS", "when": "now"}
        )
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    report = ExceptionReporter(record.request, *record.exc_info).get_traceback_text()
    assert "PRIVATE-WORDS" not in report
    assert "PRIVATE-WORDS" not in caplog.text
