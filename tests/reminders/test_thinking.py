"""The "thinking of you" email: sent through the outbox exactly once, to a partner who
allows it, with one-click unsubscribe that turns off only this kind."""

from __future__ import annotations

import re

import pytest

from reminders.models import Nudge, ReminderPreference
from reminders.tasks import send_nudges
from rituals import services

from .conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 1, 10, 0)


@pytest.fixture(autouse=True)
def _at_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_thinking_of_you_emails_the_partner_once_with_unsubscribe_headers(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    with send_now():
        signal = services.send_thinking(couple, alice, bob)
    assert [m.to for m in mailoutbox] == [[bob.email]]
    message = mailoutbox[0]
    assert message.subject == "Alice is thinking of you"
    assert "Alice is thinking of you." in message.body
    assert "Alice is thinking of you." in message.alternatives[0].content
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    nudge = Nudge.objects.get()
    assert (nudge.kind, nudge.object_id, nudge.status) == ("thinking", signal.pk, "sent")
    # Sending the queue again sends nothing more.
    with send_now():
        send_nudges.delay([nudge.pk])
    assert len(mailoutbox) == 1


def test_no_email_for_a_partner_who_turned_thinking_alerts_off(
    prefs, couple, alice, bob, send_now, mailoutbox
):
    ReminderPreference.objects.filter(user=bob).update(thinking_alerts=False)
    with send_now():
        services.send_thinking(couple, alice, bob)
    assert mailoutbox == [] and not Nudge.objects.exists()


def test_the_unsubscribe_link_turns_off_thinking_alerts_only(
    prefs, couple, alice, bob, send_now, mailoutbox, client
):
    with send_now():
        services.send_thinking(couple, alice, bob)
    link = re.search(r"<(http[^>]+)>", mailoutbox[0].extra_headers["List-Unsubscribe"])[1]
    response = client.post(link.removeprefix("http://localhost:8000"))
    assert response.status_code in (200, 302)
    pref = ReminderPreference.objects.get(user=bob)
    assert pref.thinking_alerts is False and pref.note_alerts is True
