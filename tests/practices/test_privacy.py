"""Everything in a couple's space exists only for its two members: strangers (a member of
another couple, or someone with no couple) get 404 for every object, and nothing changes."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from practices import services
from practices.models import (
    Answer,
    DailyQuestion,
    DateNight,
    DateReflection,
    FavoritePrompt,
    GratitudeNote,
    Prompt,
)
from tests.conftest import client_for
from tests.factories import UserFactory, date_night, end, link, note

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(couple, alice, bob):
    question = services.todays_question(couple)
    services.answer_question(question, alice, "Alice's private answer")
    return {
        "note": note(couple, alice, "Private note"),
        "scheduled": note(
            couple, alice, "Scheduled note", deliver_at=timezone.now() + dt.timedelta(days=1)
        ),
        "question": question,
        "date": date_night(couple, bob, title="Private plan"),
        "past_date": date_night(
            couple,
            bob,
            title="Past plan",
            starts_at=timezone.now() - dt.timedelta(hours=3),
            phones_away_since=timezone.now() - dt.timedelta(hours=2),
        ),
        "prompt": Prompt.objects.create(text="Our own?", tip="talk", couple=couple),
        "couple": couple,
    }


def snapshot():
    rows = []
    for model in (
        GratitudeNote,
        DailyQuestion,
        Answer,
        DateNight,
        DateReflection,
        Prompt,
        FavoritePrompt,
    ):
        rows += [(model.__name__, model_to_dict(obj)) for obj in model.objects.order_by("pk")]
    return rows


def object_requests(space):
    n, s, q, d, p = (
        space["note"],
        space["scheduled"],
        space["question"],
        space["date"],
        space["prompt"],
    )
    past = space["past_date"]
    return [
        ("get", reverse("practices:note", args=[n.pk]), {}),
        ("get", reverse("practices:note", args=[s.pk]), {}),
        ("get", reverse("practices:note_edit", args=[s.pk]), {}),
        ("post", reverse("practices:note_edit", args=[s.pk]), {"body": "x", "when": "now"}),
        ("post", reverse("practices:note_cancel", args=[s.pk]), {}),
        ("post", reverse("practices:note_react", args=[n.pk]), {"reaction": "hug"}),
        ("get", reverse("practices:question_detail", args=[q.pk]), {}),
        ("post", reverse("practices:answer", args=[q.pk]), {"body": "intruder"}),
        ("post", reverse("practices:swap", args=[q.pk]), {}),
        ("post", reverse("practices:talked", args=[q.pk]), {}),
        ("post", reverse("practices:favorite", args=[p.pk]), {}),
        ("post", reverse("practices:pick", args=[p.pk]), {}),
        ("get", reverse("practices:date", args=[d.pk]), {}),
        ("get", reverse("practices:date_ics", args=[d.pk]), {}),
        ("get", reverse("practices:date_edit", args=[d.pk]), {}),
        (
            "post",
            reverse("practices:date_edit", args=[d.pk]),
            {"title": "x", "day": "2030-01-01", "time": "10:00", "timezone": "UTC"},
        ),
        ("post", reverse("practices:date_status", args=[d.pk]), {"status": "cancelled"}),
        ("post", reverse("practices:date_reflect", args=[past.pk]), {"rating": 1}),
        ("post", reverse("practices:note_thank", args=[n.pk]), {"thanks": "Intruder"}),
        ("get", reverse("practices:phones_away", args=[past.pk]), {}),
        ("post", reverse("practices:phones_away_start", args=[past.pk]), {}),
        ("post", reverse("practices:phones_away_stop", args=[past.pk]), {}),
        ("get", reverse("practices:phones_away_edit", args=[past.pk]), {}),
        ("post", reverse("practices:phones_away_edit", args=[past.pk]), {"minutes": "9"}),
        *[
            ("get", reverse(f"practices:archive_{name}", args=[space["couple"].pk, *args]), {})
            for name, args in [
                ("notes", []),
                ("notes_sent", []),
                ("note", [n.pk]),
                ("history", []),
                ("question_detail", [q.pk]),
                ("dates", []),
                ("date", [d.pk]),
                ("date_ics", [d.pk]),
            ]
        ],
    ]


@pytest.mark.parametrize("stranger_kind", ["partnered", "single"])
def test_strangers_get_404_for_every_object_and_change_nothing(space, charlie, stranger_kind):
    if stranger_kind == "partnered":
        link(charlie, UserFactory())
    client = client_for(charlie)
    before = snapshot()
    for method, url, data in object_requests(space):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        for secret in (
            "Private note",
            "Scheduled note",
            "Alice&#x27;s private answer",
            "Private plan",
        ):
            assert secret not in response.content.decode(), (url, secret)
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_login_for_every_object(space, client):
    before = snapshot()
    for method, url, data in object_requests(space):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert snapshot() == before


def test_a_scheduled_note_is_a_stranger_to_its_recipient_until_it_arrives(space, bob_client):
    scheduled = space["scheduled"]
    assert bob_client.get(reverse("practices:note", args=[scheduled.pk])).status_code == 404
    assert bob_client.get(reverse("practices:note_edit", args=[scheduled.pk])).status_code == 404


def test_an_ended_couple_stays_readable_but_not_writable(space, alice, bob):
    couple = end(space["couple"])
    before = snapshot()
    for user in (alice, bob):
        client = client_for(user)
        overview = client.get(reverse("couples:archive", args=[couple.pk]))
        assert overview.status_code == 200
        notes = client.get(reverse("practices:archive_notes_sent", args=[couple.pk])).text + (
            client.get(reverse("practices:archive_notes", args=[couple.pk])).text
        )
        assert "Private note" in notes
        assert "Write a note" not in notes
        date_page = client.get(
            reverse("practices:archive_date", args=[couple.pk, space["date"].pk])
        )
        assert "Private plan" in date_page.text and "Cancel this date" not in date_page.text
        history = client.get(reverse("practices:archive_history", args=[couple.pk]))
        assert history.status_code == 200
        # The live write URLs no longer reach the ended couple's content.
        for method, url, data in object_requests(space)[:18]:
            response = getattr(client, method)(url, data)
            assert response.status_code in (302, 404), url
    assert snapshot() == before
    # Scheduled notes of an ended couple never arrive.
    assert services.deliver_due_notes(timezone.now() + dt.timedelta(days=2)) == 0
