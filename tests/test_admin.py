"""The admin: staff need two-factor sign-in to use it, and see metadata, never anything a
couple wrote, on any page (lists, change forms, delete confirmations)."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from couples.models import Invitation
from practices import services
from practices.models import DailyQuestion, DateReflection, FavoritePrompt, Prompt
from reminders.models import Nudge
from tests.factories import date_night, note, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(staff_member(two_factor=True))
    return client


def test_staff_without_two_factor_are_sent_to_set_it_up():
    client = Client()
    client.force_login(staff_member(two_factor=False))
    for page in ("/admin/", "/admin/practices/prompt/", "/admin/couples/user/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == reverse("mfa_activate_totp"), page
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "The admin needs two-factor sign-in" in page.text


def test_staff_with_two_factor_use_the_admin(staff_client):
    assert staff_client.get("/admin/").status_code == 200
    assert staff_client.get("/admin/practices/prompt/").status_code == 200


def test_staff_without_two_factor_can_still_sign_out_of_the_admin():
    client = Client()
    client.force_login(staff_member(two_factor=False))
    assert client.post("/admin/logout/").status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.fixture
def everything_written(couple, alice, bob):
    """Something in every field a couple writes, each marked WRITTEN."""
    couple.name = "WRITTEN couple name"
    couple.save()
    arrived = note(
        couple, alice, "WRITTEN note", thanks="WRITTEN thanks", thanked_at=timezone.now()
    )
    note(couple, bob, "WRITTEN scheduled", deliver_at=timezone.now() + dt.timedelta(days=1))
    question = services.todays_question(couple)
    services.answer_question(question, bob, "WRITTEN answer")
    own = Prompt.objects.create(text="WRITTEN own prompt?", tip="talk", couple=couple, author=bob)
    DailyQuestion.objects.create(couple=couple, day=dt.date(2026, 1, 2), prompt=own)
    FavoritePrompt.objects.create(user=alice, prompt=own)
    planned = date_night(
        couple,
        alice,
        title="WRITTEN date title",
        place="WRITTEN place",
        notes="WRITTEN date notes",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    DateReflection.objects.create(date_night=planned, user=bob, rating=5, body="WRITTEN thought")
    # A live pairing code would let staff join the couple.
    Invitation.objects.create(
        couple=couple,
        inviter=alice,
        kind=Invitation.Kind.CODE,
        code="WRITTENC",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    Nudge.objects.create(
        user=bob, kind="note", tip="gratitude", slot=timezone.now(), object_id=arrived.pk
    )


def test_no_admin_page_shows_what_a_couple_wrote(everything_written, staff_client):
    visited = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        pages = [base]
        # The newest rows: the ones this test wrote, not the shipped library.
        for pk in model_admin.get_queryset(None).order_by("-pk").values_list("pk", flat=True)[:4]:
            pages += [f"{base}{pk}/change/", f"{base}{pk}/delete/"]
        for page in pages:
            response = staff_client.get(page)
            assert response.status_code == 200, page
            assert "WRITTEN" not in response.text, page
            visited += 1
    # A couple's own prompts are not in the admin at all.
    own = Prompt.objects.get(text="WRITTEN own prompt?")
    assert staff_client.get(f"/admin/practices/prompt/{own.pk}/change/").status_code == 302
    # Deleting the couple would sweep its writing away: it is listed, by number only.
    response = staff_client.get(f"/admin/couples/couple/{own.couple_id}/delete/")
    assert f"Prompt {own.pk}" in response.text
    assert "WRITTEN" not in response.text
    assert visited > 40


def test_staff_can_edit_the_shipped_library(staff_client):
    prompt = Prompt.objects.filter(couple__isnull=True).first()
    response = staff_client.post(
        f"/admin/practices/prompt/{prompt.pk}/change/",
        {"text": "A kinder wording?", "tip": prompt.tip, "depth": prompt.depth, "active": "on"},
    )
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.text == "A kinder wording?"


def test_non_staff_cannot_open_the_admin(alice_client):
    assert alice_client.get("/admin/").status_code in (302, 403)
    response = alice_client.get("/admin/login/")
    assert response.status_code == 403
