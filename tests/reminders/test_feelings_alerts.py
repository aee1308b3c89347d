"""The check-in alert: a shared check-in that asks for something tells the partner once,
through the outbox, with the day's text only if they allow text in alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from feelings import services as feelings
from reminders.models import Nudge, ReminderPreference
from reminders.renderers import unsubscribe_url

from .conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 1, 10, 0)


@pytest.fixture(autouse=True)
def _at_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_a_shared_check_in_asking_for_something_alerts_the_partner_once(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    with send_now():
        checkin = feelings.check_in(
            couple, alice, feeling="anxious", intensity=4, line="Big day", would_like="listened"
        )
    assert [m.to for m in mailoutbox] == [[bob.email]]
    message = mailoutbox[0]
    assert message.subject == "Alice would like to be listened to"
    assert "Alice checked in on Kindling and would like to be listened to." in message.body
    assert f"http://localhost:8000/feelings/{checkin.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://localhost:8000/reminders/unsubscribe/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # By default, neither the feeling nor the line leaves the app.
    for part in (message.body, message.alternatives[0].content):
        assert "Big day" not in part and "anxious" not in part
    row = Nudge.objects.get()
    assert (row.kind, row.user_id, row.object_id, row.status) == (
        "checkin",
        bob.pk,
        checkin.pk,
        "sent",
    )
    # Queued again (a retry, a second signal): still one row, one email.
    with send_now():
        from reminders.dispatch import queue_checkin_alert

        queue_checkin_alert(checkin)
    assert Nudge.objects.count() == 1 and len(mailoutbox) == 1


def test_the_day_s_text_goes_only_to_those_who_allow_text_in_alerts(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    ReminderPreference.objects.filter(user=bob).update(note_text_in_email=True)
    with send_now():
        feelings.check_in(
            couple, alice, feeling="proud", intensity=5, line="Got the job", would_like="celebrate"
        )
    assert "Alice feels proud, 5 of 5: Got the job" in mailoutbox[0].body
    assert "Got the job" in mailoutbox[0].alternatives[0].content


@pytest.mark.parametrize(
    "fields",
    [
        {"would_like": ""},  # asks for nothing
        {"would_like": "hug", "visibility": "private"},  # just for her
    ],
)
def test_no_alert_for_a_check_in_that_asks_nothing_or_is_private(
    prefs, couple, alice, send_now, mailoutbox, fields
):
    with send_now():
        feelings.check_in(couple, alice, feeling="tired", intensity=2, **fields)
    assert mailoutbox == [] and not Nudge.objects.exists()


def test_the_switch_turns_the_alert_off_and_its_unsubscribe_link_flips_only_it(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    Client().post(unsubscribe_url(bob.pk, "checkin").split("localhost:8000", 1)[1])
    pref = ReminderPreference.objects.get(user=bob)
    assert pref.checkin_alerts is False
    assert pref.note_alerts and pref.nudges_enabled and pref.monthly_checkin
    with send_now():
        feelings.check_in(couple, alice, feeling="sad", intensity=3, would_like="hug")
    assert mailoutbox == []


def test_switched_off_after_queuing_the_alert_is_skipped(
    prefs, couple, alice, bob, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        feelings.check_in(couple, alice, feeling="sad", intensity=3, would_like="hug")
    ReminderPreference.objects.filter(user=bob).update(checkin_alerts=False)
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    assert Nudge.objects.get().status == "skipped"


# --- The monthly closeness check-in -----------------------------------------------


def test_the_monthly_reminder_goes_once_per_person_when_the_month_opens(
    prefs, couple, alice, bob, send_now, mailoutbox, time_machine
):
    from reminders.dispatch import queue_monthly_checkins

    # Alice (London) gets hers at 19:00 on the 1st; Bob (Auckland) is already past his.
    opening = utc(2027, 2, 1, 19, 0)
    time_machine.move_to(opening, tick=False)
    with send_now():
        queue_monthly_checkins(opening - dt.timedelta(minutes=1))
        queue_monthly_checkins(opening)
        queue_monthly_checkins(opening + dt.timedelta(minutes=15))
    rows = Nudge.objects.filter(kind="monthly").order_by("user_id")
    assert [(r.user_id, r.status) for r in rows] == [(alice.pk, "sent"), (bob.pk, "sent")]
    assert sorted(m.to[0] for m in mailoutbox) == [alice.email, bob.email]
    message = next(m for m in mailoutbox if m.to == [alice.email])
    assert message.subject == "This month's closeness check-in is open"
    assert "http://localhost:8000/feelings/closeness/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Nothing about what Bob did or did not do.
    assert "answered" not in message.body.replace("both answered", "")


def test_moving_the_nudge_time_after_the_monthly_reminder_sends_no_second_one(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    from reminders.dispatch import queue_monthly_checkins

    ReminderPreference.objects.exclude(user=alice).update(monthly_checkin=False)
    with send_now():
        queue_monthly_checkins(utc(2027, 2, 1, 19, 5))  # 19:00 London: sent
        ReminderPreference.objects.filter(user=alice).update(send_time=dt.time(8, 0))
        # The next day, 08:00 on the 1st is a new slot still inside the three days.
        assert queue_monthly_checkins(utc(2027, 2, 2, 9, 0)) == []
    assert [m.to for m in mailoutbox] == [[alice.email]]


def test_no_monthly_reminder_when_switched_off_or_found_days_late(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    from reminders.dispatch import queue_monthly_checkins

    ReminderPreference.objects.filter(user=bob).update(monthly_checkin=False)
    with send_now():
        assert queue_monthly_checkins(utc(2027, 2, 5, 12, 0)) == []  # 4 days late
        queue_monthly_checkins(utc(2027, 2, 1, 20, 0))
    assert [m.to for m in mailoutbox] == [[alice.email]]


def test_a_person_who_answered_already_is_not_reminded(prefs, couple, alice, send_now, mailoutbox):
    from feelings import closeness
    from reminders.dispatch import queue_monthly_checkins

    ReminderPreference.objects.exclude(user=alice).update(monthly_checkin=False)
    feelings.answer_closeness(couple, alice, dt.date(2027, 2, 1), dict.fromkeys(closeness.KEYS, 3))
    with send_now():
        queue_monthly_checkins(utc(2027, 2, 1, 20, 0))
    assert mailoutbox == [] and Nudge.objects.get().status == "skipped"


def test_feelings_nudges_can_point_at_the_check_in_and_the_hopes_page():
    from reminders import catalog

    actions = {t.action for t in catalog.templates_by_tip()["feelings"]}
    assert {"feelings_checkin", "share_hope"} <= actions
    assert catalog.action_path("feelings_checkin") == "/feelings/"
