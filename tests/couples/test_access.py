import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
PRIVATE = [
    reverse("practices:home"),
    reverse("couples:settings"),
    reverse("couples:invite"),
    reverse("couples:join"),
    reverse("couples:couple"),
    reverse("couples:end"),
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_open_without_login(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PRIVATE)
def test_private_pages_send_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_healthz_answers_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_broker_is_down(client, monkeypatch):
    from config.celery import app

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr(app, "connection_for_write", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "ConnectionRefusedError"


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text
    assert "<script>" not in response.text


def test_pages_load_only_our_own_scripts(client):
    """The theme switch, the small enhancements (time zone guess, character counts,
    copy buttons) and the installable app's (service worker, install hint, push). No
    library runs on the pages: every form works as a plain form."""
    import re

    from django.conf import settings

    scripts = re.findall(r'<script[^>]*src="([^"]+)"', client.get("/accounts/login/").text)
    assert scripts == ["/static/js/theme.js", "/static/js/kindling.js", "/static/js/pwa.js"]
    vendored = {p.name for p in (settings.BASE_DIR / "static" / "vendor").iterdir() if p.is_dir()}
    assert vendored == {"bootstrap"}
