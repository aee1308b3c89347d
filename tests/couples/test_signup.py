import re

import pytest

from couples.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "dana@example.com",
    "password1": "a-long-enough-pw",
    "password2": "a-long-enough-pw",
    "display_name": "Dana",
    "timezone": "America/New_York",
}


def test_signup_keeps_name_and_time_zone_and_asks_to_verify(client, mailoutbox):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="dana@example.com")
    assert (user.display_name, user.timezone) == ("Dana", "America/New_York")
    assert len(mailoutbox) == 1
    assert "/accounts/confirm-email/" in mailoutbox[0].body

    # Not verified yet: logging in leads to the verification notice, not the app.
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "dana@example.com", "password": "a-long-enough-pw"}
    )
    assert response["Location"] == "/accounts/confirm-email/"

    path = re.search(r"(/accounts/confirm-email/[^/\s]+/)", mailoutbox[-1].body).group(1)
    response = client.post(path)
    assert response["Location"] == "/home/"


def test_signup_rejects_an_unknown_time_zone(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "timezone": "Atlantis/Capital"})
    assert response.status_code == 200
    assert "is not a time zone we know" in response.text
    assert not User.objects.exists()


def test_signup_page_labels_every_field(client):
    page = client.get("/accounts/signup/").text
    for field in ("email", "password1", "password2", "display_name", "timezone"):
        assert f'for="id_{field}"' in page, field
    assert "data-guess-timezone" in page


def test_a_user_turns_on_two_factor_login_and_it_is_asked_at_login(alice):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from django.test import Client

    def current_code(secret):
        return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))

    client = Client()
    client.post("/accounts/login/", {"login": alice.email, "password": "a-long-enough-pw"})
    client.post("/accounts/reauthenticate/", {"password": "a-long-enough-pw"})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert 'for="id_code"' in page.text
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=alice, type="totp").exists()

    # Next time, the password alone is not enough.
    fresh = Client()
    response = fresh.post(
        "/accounts/login/", {"login": alice.email, "password": "a-long-enough-pw"}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in fresh.session
    response = fresh.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert fresh.session["_auth_user_id"] == str(alice.pk)
