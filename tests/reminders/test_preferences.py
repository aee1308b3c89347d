"""Preferences are created with the defaults once an email address is verified, and
follow the person's time zone."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from couples.models import User
from reminders.models import ReminderPreference

from .conftest import utc

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "dana@example.com",
    "password1": "a-long-enough-pw",
    "password2": "a-long-enough-pw",
    "display_name": "Dana",
    "timezone": "America/New_York",
}


def test_verifying_the_email_creates_the_default_reminders(client, mailoutbox, time_machine):
    time_machine.move_to(utc(2026, 12, 1, 12, 0), tick=False)  # Tuesday, 07:00 in New York
    client.post("/accounts/signup/", SIGNUP)
    dana = User.objects.get(email="dana@example.com")
    assert not ReminderPreference.objects.filter(user=dana).exists()

    path = re.search(r"(/accounts/confirm-email/[^/\s]+/)", mailoutbox[-1].body).group(1)
    client.post(path)
    pref = ReminderPreference.objects.get(user=dana)
    assert pref.nudges_enabled and pref.digest_enabled
    assert (pref.days, pref.send_time) == ([0, 2, 4], dt.time(19, 0))
    assert pref.tips == ["gratitude", "talk", "quality_time", "feelings", "physical"]
    assert (pref.note_alerts, pref.note_text_in_email) == (True, False)
    assert (pref.date_reminders, pref.date_lead_hours) == (True, 24)
    assert pref.paused_until is None
    # Wednesday 19:00 in New York (UTC-5).
    assert pref.next_nudge_at == utc(2026, 12, 3, 0, 0)


def test_changing_time_zone_in_the_profile_moves_the_next_nudge(
    prefs, alice, alice_client, time_machine
):
    time_machine.move_to(utc(2026, 12, 1, 12, 0), tick=False)
    alice_pref = ReminderPreference.objects.get(user=alice)
    alice_pref.reschedule()
    alice_pref.save()
    response = alice_client.post("/settings/", {"display_name": "Alice", "timezone": "Asia/Tokyo"})
    assert response.status_code == 302
    # Wednesday 19:00 in Tokyo (UTC+9).
    assert ReminderPreference.objects.get(user=alice).next_nudge_at == utc(2026, 12, 2, 10, 0)


def test_logging_in_does_not_touch_the_schedule(prefs, alice, client, time_machine):
    before = ReminderPreference.objects.get(user=alice).next_nudge_at
    time_machine.move_to(before - dt.timedelta(hours=2), tick=False)
    ReminderPreference.objects.filter(user=alice).update(next_nudge_at=before)
    client.post("/accounts/login/", {"login": alice.email, "password": "a-long-enough-pw"})
    assert ReminderPreference.objects.get(user=alice).next_nudge_at == before


def test_people_verified_before_reminders_existed_get_the_defaults(charlie, time_machine):
    import importlib

    from django.apps import apps

    from tests.factories import UserFactory

    migration = importlib.import_module("reminders.migrations.0003_preferences_for_verified_users")
    unverified = UserFactory(verified=False)
    time_machine.move_to(utc(2026, 12, 1, 12, 0), tick=False)  # Tuesday
    migration.create_preferences(apps, None)
    pref = ReminderPreference.objects.get(user=charlie)
    assert pref.next_nudge_at == utc(2026, 12, 2, 19, 0)  # Wednesday 19:00 in London
    assert not ReminderPreference.objects.filter(user=unverified).exists()


SETTINGS = {
    "nudges_enabled": "on",
    "days": ["1", "3"],
    "send_time": "07:45",
    "timezone": "Asia/Tokyo",
    "tips": ["talk"],
    "date_lead_hours": "24",
}


def test_saving_a_preference_leaves_its_schedule_to_the_caller(prefs, alice, time_machine):
    time_machine.move_to(utc(2026, 12, 1, 12, 0), tick=False)  # Tuesday
    pref = ReminderPreference.objects.get(user=alice)
    pinned = utc(2026, 12, 20, 9, 0)
    ReminderPreference.objects.filter(pk=pref.pk).update(next_nudge_at=pinned)
    pref.refresh_from_db()
    pref.days = [1]
    pref.save()
    assert ReminderPreference.objects.get(pk=pref.pk).next_nudge_at == pinned

    assert pref.reschedule() == utc(2026, 12, 1, 19, 0)  # today, 19:00 in London
    assert ReminderPreference.objects.get(pk=pref.pk).next_nudge_at == pinned
    pref.save()
    assert ReminderPreference.objects.get(pk=pref.pk).next_nudge_at == utc(2026, 12, 1, 19, 0)


def test_the_settings_form_saves_nothing_without_commit(prefs, alice, time_machine):
    from reminders.forms import ReminderPreferenceForm

    time_machine.move_to(utc(2026, 12, 1, 12, 0), tick=False)
    pref = ReminderPreference.objects.get(user=alice)
    before = ReminderPreference.objects.filter(pk=pref.pk).values().get()
    form = ReminderPreferenceForm(SETTINGS, instance=pref, user=alice)
    assert form.is_valid(), form.errors
    unsaved = form.save(commit=False)

    assert User.objects.get(pk=alice.pk).timezone == "Europe/London"
    assert ReminderPreference.objects.filter(pk=pref.pk).values().get() == before
    # What the caller gets carries the new zone and the schedule that goes with it.
    assert unsaved.user.timezone == "Asia/Tokyo"
    assert unsaved.next_nudge_at == utc(2026, 12, 2, 22, 45)  # Thursday 07:45 in Tokyo


def test_the_settings_form_saves_the_zone_and_the_schedule_together(prefs, alice, time_machine):
    from reminders.forms import ReminderPreferenceForm

    time_machine.move_to(utc(2026, 12, 1, 12, 0), tick=False)
    form = ReminderPreferenceForm(
        SETTINGS, instance=ReminderPreference.objects.get(user=alice), user=alice
    )
    assert form.is_valid(), form.errors
    form.save()
    assert User.objects.get(pk=alice.pk).timezone == "Asia/Tokyo"
    stored = ReminderPreference.objects.get(user=alice)
    assert (stored.days, stored.next_nudge_at) == ([1, 3], utc(2026, 12, 2, 22, 45))


def test_unsubscribing_from_everything_clears_the_schedule(prefs, alice):
    from reminders import services
    from reminders.tokens import LinkClaim

    assert ReminderPreference.objects.get(user=alice).next_nudge_at is not None
    services.unsubscribe(LinkClaim(user_id=alice.pk, kind="nudge"), everything=True)
    assert ReminderPreference.objects.get(user=alice).next_nudge_at is None


def test_staff_changing_preferences_in_the_admin_reschedules(prefs, alice, time_machine):
    from django.test import Client

    from tests.factories import staff_member

    time_machine.move_to(utc(2026, 12, 1, 12, 0), tick=False)  # Tuesday
    staff = Client()
    staff.force_login(staff_member())
    pref = ReminderPreference.objects.get(user=alice)
    response = staff.post(
        f"/admin/reminders/reminderpreference/{pref.pk}/change/",
        {
            "user": alice.pk,
            "nudges_enabled": "on",
            "days": "[3]",
            "send_time": "08:00",
            "tips": '["talk"]',
            "note_alerts": "on",
            "date_reminders": "on",
            "date_lead_hours": "24",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/reminders/reminderpreference/"
    # Thursday 08:00 in London; the digest is off.
    assert ReminderPreference.objects.get(pk=pref.pk).next_nudge_at == utc(2026, 12, 3, 8, 0)


def test_upgrading_leaves_the_note_text_out_of_everyones_alerts(prefs, alice):
    import importlib

    from django.apps import apps

    ReminderPreference.objects.filter(user=alice).update(note_text_in_email=True)
    migration = importlib.import_module("reminders.migrations.0004_note_text_off_by_default")
    migration.leave_the_text_out(apps, None)
    assert not ReminderPreference.objects.get(user=alice).note_text_in_email
