"""The reminder settings page, the signed unsubscribe and pause links, and the admin."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from practices import services as practices
from reminders.models import ReminderPreference
from reminders.renderers import pause_url, unsubscribe_url
from reminders.tokens import make_token

from .conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 1, 10, 0)  # Tuesday
VALID = {
    "nudges_enabled": "on",
    "days": ["1", "3"],
    "send_time": "07:45",
    "timezone": "Europe/Berlin",
    "tips": ["talk", "feelings"],
    "note_alerts": "on",
    "date_reminders": "on",
    "date_lead_hours": "3",
}


@pytest.fixture(autouse=True)
def _at_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def stored(user) -> tuple:
    pref = ReminderPreference.objects.select_related("user").get(user=user)
    return (
        pref.nudges_enabled, pref.days, pref.send_time, pref.tips, pref.paused_until,
        pref.note_alerts, pref.note_text_in_email, pref.date_reminders, pref.date_lead_hours,
        pref.digest_enabled, pref.next_nudge_at, pref.user.timezone,
    )  # fmt: skip


# --- The settings page --------------------------------------------------------------


def test_the_settings_page_needs_login(client):
    response = client.get("/reminders/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/reminders/pause/", {"action": "week"}).status_code == 302


def test_the_settings_page_labels_every_field_and_needs_no_inline_code(
    prefs, alice_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = alice_client.get("/reminders/").text
    for field in (
        "nudges_enabled", "send_time", "timezone", "note_alerts", "note_text_in_email",
        "date_reminders", "date_lead_hours", "digest_enabled", "until",
    ):  # fmt: skip
        assert f'for="id_{field}"' in page, field
    for index in range(7):
        assert f'for="id_days_{index}"' in page
    for index in range(5):
        assert f'for="id_tips_{index}"' in page
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_the_settings_page_says_plainly_that_note_alerts_leave_the_words_out(prefs, alice_client):
    page = alice_client.get("/reminders/").text
    assert "an alert only says that a note (or a check-in asking for something) is waiting" in page
    assert "include the words of notes and check-ins in alerts" in page
    assert 'name="note_text_in_email"' in page
    assert not re.search(r'<input[^>]*name="note_text_in_email"[^>]*checked', page)


def test_saving_settings_changes_the_schedule(prefs, alice, alice_client):
    response = alice_client.post("/reminders/", VALID)
    assert response.status_code == 302
    pref = ReminderPreference.objects.select_related("user").get(user=alice)
    assert (pref.days, pref.send_time, pref.tips) == ([1, 3], dt.time(7, 45), ["talk", "feelings"])
    assert (pref.note_text_in_email, pref.digest_enabled, pref.date_lead_hours) == (False, False, 3)
    assert pref.user.timezone == "Europe/Berlin"
    # Thursday 07:45 in Berlin (UTC+1): Tuesday's slot has passed.
    assert pref.next_nudge_at == utc(2026, 12, 3, 6, 45)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"days": []}, "Pick at least one day"),
        ({"send_time": "25:61"}, "That is not a time of day"),
        ({"send_time": ""}, "Enter a time"),
        ({"timezone": "Mars/Olympus_Mons"}, "is not a time zone we know"),
        ({"tips": []}, "Pick at least one tip"),
        ({"date_lead_hours": "9999"}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    change, message, prefs, alice, alice_client
):
    before = stored(alice)
    response = alice_client.post("/reminders/", {**VALID, **change})
    assert response.status_code == 200
    assert message in response.text
    assert stored(alice) == before


def test_turning_nudges_off_needs_no_days(prefs, alice, alice_client):
    response = alice_client.post("/reminders/", {**VALID, "nudges_enabled": "", "days": []})
    assert response.status_code == 302
    assert not ReminderPreference.objects.get(user=alice).nudges_enabled


def test_pause_for_a_week_then_resume(prefs, alice, alice_client):
    alice_client.post("/reminders/pause/", {"action": "week"})
    assert ReminderPreference.objects.get(user=alice).paused_until == dt.date(2026, 12, 8)
    assert "Nudges are paused until Tuesday 8 December." in alice_client.get("/settings/").text
    alice_client.post("/reminders/pause/", {"action": "resume"})
    assert ReminderPreference.objects.get(user=alice).paused_until is None


def test_pause_until_a_date(prefs, alice, alice_client):
    alice_client.post("/reminders/pause/", {"action": "until", "until": "2026-12-24"})
    pref = ReminderPreference.objects.get(user=alice)
    assert pref.paused_until == dt.date(2026, 12, 24)
    assert pref.next_nudge_at == utc(2026, 12, 25, 19, 0)  # Friday after Christmas Eve


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("2026-11-20", "already come"),
        ("2026-12-01", "already come"),
        ("2028-01-01", "more than a year"),
        ("not a date", "Enter a date"),
        ("", "Pick the day"),
    ],
)
def test_a_bad_pause_date_gets_a_clear_message_and_changes_nothing(
    until, message, prefs, alice, alice_client
):
    before = stored(alice)
    response = alice_client.post("/reminders/pause/", {"action": "until", "until": until})
    assert response.status_code == 400
    assert message in response.text
    assert stored(alice) == before


def test_the_main_settings_page_links_to_reminders_with_a_summary(prefs, alice_client):
    page = alice_client.get("/settings/").text
    assert 'href="/reminders/"' in page
    assert "Nudges on Mondays, Wednesdays and Fridays at 19:00 (Europe/London)." in page


def test_a_stranger_sees_only_their_own_settings(prefs, alice, charlie, charlie_client):
    before = stored(alice)
    assert charlie_client.get("/reminders/").status_code == 200
    charlie_client.post("/reminders/", VALID)
    charlie_client.post("/reminders/pause/", {"action": "week"})
    assert stored(alice) == before
    assert ReminderPreference.objects.get(user=charlie).paused_until == dt.date(2026, 12, 8)


# --- Unsubscribe and pause links ----------------------------------------------------


def path_of(url: str) -> str:
    return url.split("localhost:8000", 1)[1]


def no_cookie_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_unsubscribe_get_only_asks_and_changes_nothing(prefs, alice):
    before = stored(alice)
    response = no_cookie_client().get(path_of(unsubscribe_url(alice.pk, "nudge")))
    assert response.status_code == 200
    assert "Unsubscribe from nudges" in response.text
    assert stored(alice) == before


def test_one_click_unsubscribe_works_without_login_cookies_or_csrf(prefs, alice):
    client = no_cookie_client()
    response = client.post(
        path_of(unsubscribe_url(alice.pk, "digest")),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    pref = ReminderPreference.objects.get(user=alice)
    assert (pref.digest_enabled, pref.nudges_enabled, pref.note_alerts) == (False, True, True)


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("nudge", "nudges_enabled"),
        ("note", "note_alerts"),
        ("date", "date_reminders"),
        ("digest", "digest_enabled"),
    ],
)
def test_each_kind_of_email_unsubscribes_from_that_kind(kind, field, prefs, alice):
    no_cookie_client().post(path_of(unsubscribe_url(alice.pk, kind)))
    pref = ReminderPreference.objects.get(user=alice)
    assert getattr(pref, field) is False
    others = {"nudges_enabled", "note_alerts", "date_reminders", "digest_enabled"} - {field}
    assert all(getattr(pref, other) for other in others)


def test_the_confirm_page_can_stop_every_reminder_email(prefs, alice):
    no_cookie_client().post(path_of(unsubscribe_url(alice.pk, "note")), {"scope": "all"})
    pref = ReminderPreference.objects.get(user=alice)
    assert not any(
        (pref.nudges_enabled, pref.note_alerts, pref.date_reminders, pref.digest_enabled)
    )


def test_a_token_is_the_proof_not_the_session(prefs, alice, charlie, charlie_client):
    ReminderPreference.objects.get_or_create(user=charlie)
    charlie_client.post(path_of(unsubscribe_url(alice.pk, "nudge")))
    assert not ReminderPreference.objects.get(user=alice).nudges_enabled
    assert ReminderPreference.objects.get(user=charlie).nudges_enabled


def tampered(url: str) -> str:
    token = url.rstrip("/").rsplit("/", 1)[1]
    payload, stamp, signature = token.split(":")
    return url.replace(token, f"{payload}:{stamp}:{signature[:-2]}xx")


@pytest.mark.parametrize(
    "bad_path",
    [
        pytest.param(lambda a: path_of(tampered(unsubscribe_url(a.pk, "nudge"))), id="tampered"),
        pytest.param(lambda a: "/reminders/unsubscribe/nonsense/", id="garbage"),
        pytest.param(lambda a: path_of(pause_url(a.pk)).replace("pause", "unsubscribe"), id="pause-token"),
        pytest.param(
            lambda a: "/reminders/unsubscribe/" + make_token("unsubscribe", a.pk, "notice") + "/",
            id="unknown-kind",
        ),
    ],
)  # fmt: skip
def test_a_bad_unsubscribe_link_says_so_and_changes_nothing(bad_path, prefs, alice):
    before = stored(alice)
    client = no_cookie_client()
    for method in (client.get, client.post):
        response = method(bad_path(alice))
        assert response.status_code == 404
        assert "nothing was changed" in response.text
    assert stored(alice) == before


def test_an_expired_unsubscribe_link_says_so_and_changes_nothing(prefs, alice, time_machine):
    url = unsubscribe_url(alice.pk, "nudge")
    time_machine.move_to(NOW + dt.timedelta(days=91), tick=False)
    before = stored(alice)
    response = no_cookie_client().post(path_of(url))
    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert stored(alice) == before


def test_the_pause_link_pauses_for_a_week_without_login(prefs, alice):
    client = no_cookie_client()
    url = path_of(pause_url(alice.pk))
    page = client.get(url)
    assert page.status_code == 200
    assert ReminderPreference.objects.get(user=alice).paused_until is None
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert ReminderPreference.objects.get(user=alice).paused_until == dt.date(2026, 12, 8)


def test_a_tampered_or_expired_pause_link_changes_nothing(prefs, alice, time_machine):
    before = stored(alice)
    client = Client()
    assert client.post(path_of(tampered(pause_url(alice.pk)))).status_code == 404
    url = pause_url(alice.pk)
    time_machine.move_to(NOW + dt.timedelta(days=31), tick=False)
    response = client.post(path_of(url))
    assert response.status_code == 410
    assert "expired" in response.text
    assert stored(alice) == before


# --- Admin --------------------------------------------------------------------------


def test_staff_see_the_nudge_log_but_never_a_notes_text(prefs, couple, alice, bob, send_now):
    from django.contrib.auth import get_user_model

    with send_now():
        practices.write_note(couple, alice, "Secret words for Bob")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    staff = get_user_model().objects.create_superuser("admin@example.com", "a-long-enough-pw")
    TOTP.activate(staff, generate_totp_secret())  # the admin needs two-factor sign-in
    client = Client()
    client.force_login(staff)
    listing = client.get("/admin/reminders/nudge/")
    assert listing.status_code == 200
    assert "Note alert" in listing.text and "sent" in listing.text.lower()
    from reminders.models import Nudge

    detail = client.get(f"/admin/reminders/nudge/{Nudge.objects.get().pk}/change/")
    assert detail.status_code == 200
    for page in (listing, detail):
        assert "Secret words" not in page.text
    assert client.get("/admin/reminders/reminderpreference/").status_code == 200
