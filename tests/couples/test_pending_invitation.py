"""An invitation opened before signing up or in is found again afterwards by its id in
the session: the link's secret is never stored, nor carried in a `next` address."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from couples import services
from couples.models import Membership
from couples.pending import SESSION_KEY as PENDING_INVITATION
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def stored_sessions() -> str:
    return " ".join(str(s.get_decoded()) + s.session_data for s in Session.objects.all())


def test_an_opened_invitation_waits_in_the_session_by_id_not_by_secret(alice):
    invitation, token = services.invite_by_link(alice)
    visitor = Client()
    page = visitor.get(reverse("couples:invitation", args=[token]))
    assert page.status_code == 200
    assert visitor.session[PENDING_INVITATION] == invitation.pk
    assert token not in stored_sessions()
    # Sign-up and login bring the visitor back to the invitation without the secret.
    back = reverse("couples:pending_invitation")
    assert f"/accounts/signup/?next={back}" in page.text
    assert f"/accounts/login/?next={back}" in page.text
    assert page.text.count(token) == 0

    bob = UserFactory(email="bob@example.com", display_name="Bob")
    response = visitor.post(
        reverse("account_login"), {"login": bob.email, "password": "a-long-enough-pw"}
    )
    assert response["Location"] == reverse("couples:pending_invitation")
    assert "Alice invited you" in visitor.get(response["Location"]).text
    assert token not in stored_sessions()

    response = visitor.post(reverse("couples:pending_invitation"), follow=True)
    assert "You and Alice are linked" in response.text
    assert Membership.objects.filter(user=bob, couple=invitation.couple).exists()
    assert PENDING_INVITATION not in visitor.session


def test_without_an_opened_invitation_there_is_nothing_to_accept(alice, bob):
    services.invite_by_link(alice)
    response = client_for(bob).post(reverse("couples:pending_invitation"))
    assert response.status_code == 404
    assert "Open the link you were sent again" in response.text
    assert not Membership.objects.filter(user=bob).exists()


def test_a_withdrawn_invitation_is_not_accepted_from_the_session(alice, bob):
    invitation, token = services.invite_by_link(alice)
    client = client_for(bob)
    client.get(reverse("couples:invitation", args=[token]))
    services.revoke_invitation(invitation)
    response = client.post(reverse("couples:pending_invitation"))
    assert response.status_code == 410
    assert not Membership.objects.filter(user=bob).exists()
    assert PENDING_INVITATION not in client.session


def test_a_session_from_before_holding_a_raw_token_is_ignored(alice, alice_client):
    # Earlier versions kept the invitation's raw token in the session under this key.
    session = alice_client.session
    session["pending_invitation"] = "a-raw-token-from-before"
    session.save()
    assert alice_client.get("/home/").status_code == 200
