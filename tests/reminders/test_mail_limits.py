"""Emails one person's actions send to someone else come within limits: a burst of notes
or of planned dates all arrives in the app, with only a few emails about it. Emails a
stranger can ask for (verification, password reset) are limited per address."""

from __future__ import annotations

import datetime as dt

import pytest

from practices import services as practices
from reminders.dispatch import dispatch_due
from reminders.models import Nudge

from .conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 1, 10, 0)  # a Tuesday: nobody's nudge or digest is due


@pytest.fixture(autouse=True)
def _at_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_six_note_alerts_an_hour_and_every_note_arrives(
    prefs, couple, alice, bob, send_now, mailoutbox, time_machine
):
    with send_now():
        for number in range(8):
            practices.write_note(couple, alice, f"Thank you, number {number}")
    assert len(mailoutbox) == 6
    assert bob.notes_received.filter(delivered_at__isnull=False).count() == 8
    skipped = Nudge.objects.filter(user=bob, kind="note", status="skipped")
    assert skipped.count() == 2
    assert all("over the limit" in nudge.error for nudge in skipped)
    # Alice's own alerts are counted apart from bob's.
    with send_now():
        practices.write_note(couple, bob, "And thank you")
    assert mailoutbox[-1].to == [alice.email]

    time_machine.move_to(NOW + dt.timedelta(minutes=61), tick=False)
    with send_now():
        practices.write_note(couple, alice, "A new hour")
    assert len(mailoutbox) == 8


def test_four_date_reminders_a_day_and_no_second_try_for_the_rest(
    prefs, couple, alice, bob, send_now, mailoutbox, time_machine
):
    for number in range(6):
        practices.plan_date(
            couple,
            alice,
            title=f"Date {number}",
            starts_at=NOW + dt.timedelta(hours=2, minutes=number),
            timezone="UTC",
        )
    for minutes in range(3):
        when = NOW + dt.timedelta(minutes=minutes)
        time_machine.move_to(when, tick=False)
        with send_now():
            dispatch_due(when)
    assert sorted(m.to[0] for m in mailoutbox) == [alice.email] * 4 + [bob.email] * 4
    assert Nudge.objects.filter(kind="date", status="skipped").count() == 4
    assert Nudge.objects.filter(kind="date").count() == 12


PASSWORD_RESET = "/accounts/password/reset/"


def test_password_reset_emails_are_limited_per_address(alice, client, mailoutbox, time_machine):
    statuses = []
    for attempt in range(4):
        time_machine.move_to(NOW + dt.timedelta(minutes=2 * attempt), tick=False)
        statuses.append(client.post(PASSWORD_RESET, {"email": alice.email}).status_code)
    assert statuses == [302, 302, 302, 429]
    assert [m.to for m in mailoutbox] == [[alice.email]] * 3
    # Each hour brings three more, up to ten a day.
    for attempt in range(12):
        time_machine.move_to(NOW + dt.timedelta(hours=1 + attempt, minutes=1), tick=False)
        client.post(PASSWORD_RESET, {"email": alice.email})
    assert len(mailoutbox) == 10


def test_sign_ups_with_someone_elses_address_send_them_few_emails(
    alice, client, mailoutbox, time_machine
):
    for attempt in range(8):
        time_machine.move_to(NOW + dt.timedelta(minutes=4 * attempt), tick=False)
        client.post(
            "/accounts/signup/",
            {
                "email": alice.email,
                "password1": "a-long-enough-pw",
                "password2": "a-long-enough-pw",
                "display_name": "Not Alice",
                "timezone": "UTC",
            },
        )
    assert 0 < len(mailoutbox) <= 5
    assert all(m.to == [alice.email] for m in mailoutbox)
