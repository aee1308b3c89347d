"""Every way from an invitation link through sign-up, verification and login lands back on
the invitation: the header's buttons, the invitation's own, and a verification link opened
in another browser."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from couples import services
from couples.models import Membership, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PENDING = "/join/invitation/"
PASSWORD = "a-long-enough-pw"


def sign_up(client, url="/accounts/signup/", email="dana@example.com"):
    response = client.post(
        url,
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Dana",
            "timezone": "Europe/Paris",
        },
    )
    assert response.status_code == 302, response.text
    return response


def confirmation_path(mailoutbox):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mailoutbox[-1].body)[1]


def accept_and_check(client, user_email):
    response = client.post(PENDING, follow=True)
    assert "You and Alice are linked" in response.text
    assert Membership.objects.filter(user__email=user_email, active=True).count() == 1
    # Done with: nothing pending any more, here or on the person.
    assert client.get(PENDING).status_code == 404
    assert User.objects.get(email=user_email).pending_invitation_id is None


@pytest.fixture
def opened(alice, client):
    """A signed-out visitor who opened alice's invitation link."""
    _, token = services.invite_by_link(alice)
    page = client.get(reverse("couples:invitation", args=[token]))
    assert page.status_code == 200 and "Alice invited you" in page.text
    return token


def test_signing_up_from_the_header_comes_back_to_the_invitation(opened, client, mailoutbox):
    sign_up(client)
    response = client.post(confirmation_path(mailoutbox))
    assert response["Location"] == PENDING
    page = client.get(PENDING)
    assert "Alice invited you" in page.text
    accept_and_check(client, "dana@example.com")


def test_logging_in_from_the_header_comes_back_to_the_invitation(opened, client, bob):
    response = client.post("/accounts/login/", {"login": bob.email, "password": PASSWORD})
    assert response["Location"] == PENDING
    accept_and_check(client, bob.email)


@pytest.mark.parametrize("button", ["account_signup", "account_login"])
def test_the_invitations_own_buttons_come_back_to_it(opened, client, mailoutbox, button):
    page = client.get(reverse("couples:invitation", args=[opened])).text
    href = re.search(rf'href="({reverse(button)}\?next=[^"]+)"', page)[1]
    assert opened not in href, "the token stays out of sign-up and login addresses"
    if button == "account_signup":
        sign_up(client, href.replace("&amp;", "&"))
        response = client.post(confirmation_path(mailoutbox))
    else:
        UserFactory(email="dana@example.com")
        response = client.post(href, {"login": "dana@example.com", "password": PASSWORD})
    assert response["Location"] == PENDING
    accept_and_check(client, "dana@example.com")


def test_a_verification_link_opened_in_another_browser_still_leads_to_the_invitation(
    opened, client, mailoutbox
):
    sign_up(client)
    phone = Client()  # the email app's browser: it never saw the invitation
    response = phone.post(confirmation_path(mailoutbox))
    assert response["Location"] == reverse("account_login")
    response = phone.post("/accounts/login/", {"login": "dana@example.com", "password": PASSWORD})
    assert response["Location"] == PENDING
    accept_and_check(phone, "dana@example.com")


@pytest.mark.parametrize("elsewhere", [False, True], ids=["same browser", "another browser"])
def test_an_unverified_person_who_logs_in_then_verifies_gets_the_invitation(
    opened, client, mailoutbox, elsewhere
):
    UserFactory(email="dana@example.com", verified=False)
    response = client.post("/accounts/login/", {"login": "dana@example.com", "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    browser = Client() if elsewhere else client
    response = browser.post(confirmation_path(mailoutbox))
    if elsewhere:
        assert response["Location"] == reverse("account_login")
        response = browser.post(
            "/accounts/login/", {"login": "dana@example.com", "password": PASSWORD}
        )
    assert response["Location"] == PENDING
    accept_and_check(browser, "dana@example.com")


def test_only_the_invitation_id_is_remembered_never_its_token(opened, client, mailoutbox):
    sign_up(client)
    assert opened not in str(dict(client.session))
    dana = User.objects.get(email="dana@example.com")
    assert dana.pending_invitation.token_hash == services.hash_token(opened)


def test_the_home_page_offers_a_pending_invitation(opened, client, mailoutbox):
    sign_up(client)
    phone = Client()
    phone.post(confirmation_path(mailoutbox))
    # Logged in through a bookmarked login page that asks to go home.
    phone.post("/accounts/login/?next=/home/", {"login": "dana@example.com", "password": PASSWORD})
    page = phone.get(reverse("practices:home"))
    assert "Alice invited you to join them" in page.text
    assert f'href="{PENDING}"' in page.text


def test_a_pending_invitation_used_meanwhile_is_explained_once_then_forgotten(
    opened, client, bob, charlie
):
    client.post("/accounts/login/", {"login": bob.email, "password": PASSWORD})
    invitation = services.find_link_invitation(opened)
    services.accept_invitation(invitation.pk, charlie)
    page = client.get(PENDING)
    assert page.status_code == 410 and "already been used" in page.text
    assert client.get(PENDING).status_code == 404
    assert "invitation waiting" not in client.get(reverse("practices:home")).text
    assert not Membership.objects.filter(user=bob).exists()


def test_nobody_reaches_an_invitation_they_never_opened(alice, charlie_client):
    services.invite_by_link(alice)
    response = charlie_client.post(PENDING)
    assert response.status_code == 404
    assert not Membership.objects.filter(user__email="charlie@example.com").exists()
