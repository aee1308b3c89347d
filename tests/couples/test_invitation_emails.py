"""Invitation emails go through the outbox, within limits, and a display name cannot turn
them into something else. alice invites; the addresses she invites have no account."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from celery import Task
from django.urls import reverse

from couples import services
from couples.models import Couple, Invitation, User
from reminders.models import Nudge
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

INVITE = reverse("couples:invite")
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _at_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def link_in(message) -> str:
    return re.search(r"http://localhost:8000(/invite/[\w-]+/)", message.body).group(1)


def invite(who, address: str) -> Invitation:
    """Invite by email and withdraw it at once, so the cap on open invitations stays
    out of the way of the rate limits."""
    invitation = services.invite_by_email(who, address)
    services.revoke_invitation(invitation)
    return invitation


def test_the_request_only_queues_the_email_and_the_worker_sends_it(
    alice_client, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = alice_client.post(
            INVITE, {"action": "email", "email": "bob@example.com"}, follow=True
        )
    # Nothing went out in the request: a slow mail server cannot hold up the page.
    assert mailoutbox == []
    assert "Your invitation to bob@example.com is on its way" in response.text
    invitation = Invitation.objects.get()
    nudge = Nudge.objects.get(kind="invite")
    assert (nudge.user, nudge.object_id, nudge.status) == (alice, invitation.pk, "pending")

    published = []

    def record(task, args=None, kwargs=None, **options):
        published.append(args)

    with mock.patch.object(Task, "apply_async", record):
        for callback in callbacks:
            callback()
    # The broker carries the row's id and nothing else.
    assert published == [([nudge.pk],)]

    from reminders.tasks import send_nudges

    send_nudges.delay([nudge.pk])
    assert [m.to for m in mailoutbox] == [["bob@example.com"]]
    message = mailoutbox[0]
    assert message.subject == "You have an invitation to Kindling"
    assert "Alice would like to share Kindling with you" in message.body
    path = link_in(message)
    assert path in message.alternatives[0].content
    token = path.split("/")[2]
    # Only the token's hash is stored; the row in the outbox holds no trace of it.
    invitation.refresh_from_db()
    assert invitation.token_hash == services.hash_token(token)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert token not in str(Nudge.objects.filter(pk=nudge.pk).values().get())
    assert Nudge.objects.get(pk=nudge.pk).status == "sent"

    bob_client = client_for(bob)
    page = bob_client.get(path)
    assert page.status_code == 200 and "Alice invited you" in page.text
    response = bob_client.post(path, follow=True)
    assert "You and Alice are linked" in response.text
    assert Couple.objects.get(memberships__user=bob).memberships.count() == 2


def test_no_link_works_before_the_email_goes_out(alice, bob, mailoutbox, send_now):
    with send_now():
        services.invite_by_email(alice, "bob@example.com")
    first = link_in(mailoutbox[0])
    # Sending again (a retry) mints a new link; the one before stops working.
    nudge = Nudge.objects.get(kind="invite")
    Nudge.objects.filter(pk=nudge.pk).update(status="pending")
    from reminders.tasks import send_nudges

    send_nudges.delay([nudge.pk])
    second = link_in(mailoutbox[1])
    assert first != second
    assert client_for(bob).post(first).status_code == 404
    assert "You and Alice are linked" in client_for(bob).post(second, follow=True).text


def test_an_invitation_withdrawn_before_sending_is_not_sent(alice, mailoutbox, send_now):
    with send_now():
        invitation = services.invite_by_email(alice, "bob@example.com")
        services.revoke_invitation(invitation)
    assert mailoutbox == []
    assert Nudge.objects.get(kind="invite").status == "skipped"


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- Limits --------------------------------------------------------------------------


def test_five_invitation_emails_an_hour(alice, alice_client, mailoutbox, send_now, time_machine):
    with send_now():
        for number in range(5):
            invite(alice, f"partner{number}@example.com")
        response = alice_client.post(
            INVITE, {"action": "email", "email": "partner5@example.com"}, follow=True
        )
    assert "You have sent five invitations in the past hour" in response.text
    assert not Invitation.objects.filter(email="partner5@example.com").exists()
    assert Nudge.objects.filter(kind="invite").count() == 5

    time_machine.move_to(NOW + dt.timedelta(minutes=61), tick=False)
    with send_now():
        services.invite_by_email(alice, "partner5@example.com")
    assert mailoutbox[-1].to == ["partner5@example.com"]


def test_twenty_invitation_emails_a_day(alice, time_machine):
    for hour in range(4):
        time_machine.move_to(NOW + dt.timedelta(hours=hour), tick=False)
        for number in range(5):
            invite(alice, f"partner{hour}-{number}@example.com")
    time_machine.move_to(NOW + dt.timedelta(hours=5), tick=False)
    with pytest.raises(services.InvitationError, match="twenty invitations today"):
        invite(alice, "one-more@example.com")
    time_machine.move_to(NOW + dt.timedelta(hours=24, minutes=1), tick=False)
    invite(alice, "one-more@example.com")
    assert Invitation.objects.filter(inviter=alice).count() == 21


def test_one_address_gets_three_invitations_a_day_whoever_sends_them(alice, charlie):
    for who in (alice, charlie, alice):
        invite(who, "bob@example.com")
    with pytest.raises(services.InvitationError, match="That address has had three"):
        invite(charlie, "BOB@example.com")
    invite(charlie, "someone-else@example.com")


def test_open_invitations_are_capped(alice, alice_client, charlie):
    for _ in range(4):
        services.invite_by_link(alice)
    services.invite_by_email(alice, "bob@example.com")
    for action in ({"action": "link"}, {"action": "email", "email": "carol@example.com"}):
        response = alice_client.post(INVITE, action, follow=True)
        assert "You have 5 open invitations" in response.text
    assert Invitation.objects.filter(inviter=alice).count() == 5
    # Withdrawing one makes room; someone else's invitations never counted.
    services.revoke_invitation(Invitation.objects.filter(inviter=alice).first())
    services.invite_by_link(alice)
    services.invite_by_link(charlie)


# --- Names -----------------------------------------------------------------------------

PHISHING = "Your bank: verify at evil.example"


def test_no_name_reaches_a_subject_line(alice, bob, couple, mailoutbox, send_now):
    """Names written before names were checked, too: subjects carry none."""
    from practices import services as practices
    from reminders import services as reminders

    User.objects.filter(pk=alice.pk).update(display_name=PHISHING)
    alice.refresh_from_db()
    reminders.ensure_preference(bob)
    dave = User.objects.create_user("dave@example.com", display_name=PHISHING)
    with send_now():
        services.invite_by_email(dave, "erin@example.com")
        practices.write_note(couple, alice, "Thank you for the tea")
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert "evil" not in message.subject, message.subject


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (PHISHING, "leave web and email addresses out of your name"),
        ("www.example.com", "leave web and email addresses out of your name"),
        ("me@example.com", "leave web and email addresses out of your name"),
        ("https://x", "leave web and email addresses out of your name"),
        ("<b>Alice</b>", "letters, spaces and simple punctuation"),
        ("Alice\u202eecila", "characters we cannot show"),
    ],
)
def test_a_display_name_must_be_plain_text(name, message, alice, alice_client, client):
    response = alice_client.post("/settings/", {"display_name": name, "timezone": "UTC"})
    assert response.status_code == 200
    assert message in response.text
    alice.refresh_from_db()
    assert alice.display_name == "Alice"

    response = client.post(
        "/accounts/signup/",
        {
            "email": "dana@example.com",
            "password1": "a-long-enough-pw",
            "password2": "a-long-enough-pw",
            "display_name": name,
            "timezone": "UTC",
        },
    )
    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.filter(email="dana@example.com").exists()


@pytest.mark.parametrize("name", ["Alice", "J.R. Okafor", "Zoë O'Brien-Nakamura", "Ana M."])
def test_ordinary_names_are_welcome(name, alice, alice_client):
    response = alice_client.post("/settings/", {"display_name": name, "timezone": "UTC"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == name


def test_a_refused_invitation_keeps_the_address_typed_in(alice, alice_client):
    for number in range(5):
        invite(alice, f"partner{number}@example.com")
    response = alice_client.post(INVITE, {"action": "email", "email": "bob@example.com"})
    assert response.status_code == 200
    assert "five invitations in the past hour" in response.text
    assert 'value="bob@example.com"' in response.text
    assert not Invitation.objects.filter(email="bob@example.com").exists()
    assert Nudge.objects.filter(kind="invite").count() == 5  # only the earlier five
