"""Note alerts, date reminders and the weekly digest: the same outbox, the same rules."""

from __future__ import annotations

import datetime as dt

import pytest

from practices import services as practices
from practices.models import Answer, DailyQuestion, DateNight, Prompt
from reminders.dispatch import dispatch_due
from reminders.models import Nudge, ReminderPreference

from .conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 1, 10, 0)  # a Tuesday: nobody's nudge or digest is due


@pytest.fixture(autouse=True)
def _at_now(time_machine):
    time_machine.move_to(NOW, tick=False)


# --- Note alerts -------------------------------------------------------------------


def test_a_note_arriving_now_alerts_its_recipient_with_the_text_if_they_chose_it(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    ReminderPreference.objects.filter(user=bob).update(note_text_in_email=True)
    with send_now():
        practices.write_note(couple, alice, "You made Sunday lovely.")
    assert [m.to for m in mailoutbox] == [[bob.email]]
    assert mailoutbox[0].subject == "A note from your partner has arrived"
    assert "You made Sunday lovely." in mailoutbox[0].body
    assert "You made Sunday lovely." in mailoutbox[0].alternatives[0].content
    assert "List-Unsubscribe" in mailoutbox[0].extra_headers


def test_by_default_the_alert_says_a_note_is_waiting_without_its_text(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    assert ReminderPreference.objects.get(user=bob).note_text_in_email is False
    with send_now():
        practices.write_note(couple, alice, "A private thought")
    assert len(mailoutbox) == 1
    assert "Alice wrote you a note on Kindling." in mailoutbox[0].body
    assert "Read it: http://localhost:8000/notes/" in mailoutbox[0].body
    assert "A private thought" not in mailoutbox[0].body
    assert "A private thought" not in mailoutbox[0].alternatives[0].content


def test_no_alert_for_someone_who_turned_note_alerts_off(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    ReminderPreference.objects.filter(user=bob).update(note_alerts=False)
    with send_now():
        practices.write_note(couple, alice, "Hello")
    assert mailoutbox == []
    assert not Nudge.objects.exists()


def test_a_scheduled_note_alerts_once_when_it_arrives(
    prefs, couple, alice, bob, send_now, mailoutbox, time_machine
):
    later = NOW + dt.timedelta(hours=5)
    with send_now():
        practices.write_note(couple, alice, "For this evening", deliver_at=later)
    assert mailoutbox == []
    time_machine.move_to(later, tick=False)
    with send_now():
        practices.deliver_due_notes(later)
        practices.deliver_due_notes(later)
    assert [m.to for m in mailoutbox] == [[bob.email]]
    assert Nudge.objects.get().slot == later


# --- Date reminders ----------------------------------------------------------------


@pytest.fixture
def date_night(prefs, couple, alice):
    return practices.plan_date(
        couple,
        alice,
        title="Pottery class",
        starts_at=NOW + dt.timedelta(hours=30),
        timezone="Europe/London",
        place="The studio on Elm Street",
    )


def dispatch_at(when, time_machine, send_now) -> None:
    time_machine.move_to(when, tick=False)
    with send_now():
        dispatch_due(when)


def test_both_partners_get_a_date_reminder_at_their_lead_time_with_the_calendar_file(
    date_night, alice, bob, mailoutbox, time_machine, send_now
):
    ReminderPreference.objects.filter(user=bob).update(date_lead_hours=3)
    dispatch_at(NOW, time_machine, send_now)
    assert mailoutbox == []
    dispatch_at(date_night.starts_at - dt.timedelta(hours=24), time_machine, send_now)
    assert [m.to for m in mailoutbox] == [[alice.email]]
    dispatch_at(date_night.starts_at - dt.timedelta(hours=23), time_machine, send_now)
    assert len(mailoutbox) == 1
    dispatch_at(date_night.starts_at - dt.timedelta(hours=3), time_machine, send_now)
    assert [m.to for m in mailoutbox] == [[alice.email], [bob.email]]

    message = mailoutbox[0]
    assert "Pottery class" in message.subject
    assert "The studio on Elm Street" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == "date-night.ics" and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content and "Pottery class" in content
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Bob's reminder shows the time in his own zone (Auckland).
    assert "(Pacific/Auckland)" in mailoutbox[1].body


def test_a_date_reminder_is_not_sent_twice_nor_for_a_cancelled_date(
    date_night, couple, alice, mailoutbox, time_machine, send_now
):
    cancelled = practices.plan_date(
        couple, alice, title="Cinema", starts_at=NOW + dt.timedelta(hours=29), timezone="UTC"
    )
    practices.set_date_status(cancelled, DateNight.Status.CANCELLED)
    for minutes in range(0, 10):
        dispatch_at(NOW + dt.timedelta(hours=6, minutes=minutes), time_machine, send_now)
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.com", "bob@example.com"]
    assert all("Pottery class" in m.subject for m in mailoutbox)


def test_a_date_cancelled_after_its_reminder_was_queued_is_skipped(
    date_night, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW + dt.timedelta(hours=7), tick=False)
    with django_capture_on_commit_callbacks() as callbacks:
        dispatch_due(NOW + dt.timedelta(hours=7))
    practices.set_date_status(date_night, DateNight.Status.CANCELLED)
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    assert set(Nudge.objects.values_list("status", flat=True)) == {"skipped"}


def test_no_date_reminder_for_someone_who_turned_them_off(
    date_night, alice, bob, mailoutbox, time_machine, send_now
):
    ReminderPreference.objects.filter(user=bob).update(date_reminders=False)
    dispatch_at(NOW + dt.timedelta(hours=7), time_machine, send_now)
    assert [m.to for m in mailoutbox] == [[alice.email]]


# --- The weekly digest --------------------------------------------------------------


def test_the_digest_counts_the_couples_week_with_a_bar_per_tip(
    prefs, couple, alice, bob, mailoutbox, time_machine, send_now
):
    sunday = utc(2026, 12, 6, 19, 0)
    with send_now():
        practices.write_note(couple, alice, "Thanks for the soup")
        practices.write_note(couple, bob, "And for the walk")
    prompt = Prompt.objects.filter(couple=None, tip="feelings").first()
    question = DailyQuestion.objects.create(couple=couple, prompt=prompt, day=NOW.date())
    Answer.objects.create(question=question, user=alice, body="Mine")
    mailoutbox.clear()
    ReminderPreference.objects.filter(user=bob).update(next_nudge_at=None)
    time_machine.move_to(sunday - dt.timedelta(hours=1), tick=False)
    alice_pref = ReminderPreference.objects.get(user=alice)
    alice_pref.reschedule()
    alice_pref.save()
    dispatch_at(sunday, time_machine, send_now)

    digest = [m for m in mailoutbox if m.subject == "Your week together on Kindling"]
    assert len(digest) == 1
    text, html = digest[0].body, digest[0].alternatives[0].content
    assert "Notes shared: 2" in text
    assert "Answers to the daily question: 1" in text
    assert "Express gratitude: 2" in text and "Share your feelings: 1" in text
    assert 'width="100%"' in html and 'width="50%"' in html  # gratitude, feelings bars
    assert "Thanks for the soup" not in text and "Thanks for the soup" not in html
