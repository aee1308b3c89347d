"""Security settings asserted on real responses, sign-in rate limits, and sessions."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from practices.models import Prompt
from practices.services import answer_question, todays_question
from tests.conftest import client_for
from tests.factories import date_night, link, note

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "kindling.example.org",
    "SITE_URL": "https://kindling.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
    "DEFAULT_FROM_EMAIL": "Kindling <kindling@kindling.example.org>",
}

# Runs in a fresh interpreter, so settings are read from the production environment
# exactly as a deployed server reads them.
PROBE = """
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
settings.ALLOWED_HOSTS = ["kindling.example.org"]
# Static files are collected at image build time; here they come straight from source.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(HTTP_HOST="kindling.example.org")
plain = client.get("/")
secure = client.get("/accounts/login/", secure=True)
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location")],
    "headers": dict(secure.headers),
    "cookies": {k: dict(v) for k, v in secure.cookies.items()},
    "body": secure.content.decode(),
}))
"""


@pytest.fixture(scope="module")
def production_response(tmp_path_factory):
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["KINDLING_VAR_DIR"] = str(tmp_path_factory.mktemp("probe"))
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_redirects_http_to_https(production_response):
    status, location = production_response["redirect"]
    assert status == 301 and location == "https://kindling.example.org/"


def test_production_sends_the_security_headers(production_response):
    headers = production_response["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = directives["script-src"].split("'nonce-")[1].rstrip("'")
    body = production_response["body"]
    assert body.count("<script") == body.count(f'nonce="{nonce}"') + body.count(
        'type="application/json"'
    )


def test_production_cookies_are_secure(production_response):
    cookie = production_response["cookies"]["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


class Markup(HTMLParser):
    """What a browser builds from a page: its elements with their attributes, and the
    text and attribute values people read (entities decoded)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.strings: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self.strings.extend(value for _, value in attrs if value)

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.strings.append(data)

    def shows(self, text: str) -> bool:
        return any(text in string for string in self.strings)

    def scripting(self) -> list[str]:
        """Everything that would run script or styles inline: event handler attributes,
        style attributes and elements, javascript: URLs, scripts without a src."""
        found = []
        for tag, attrs in self.elements:
            found += [f"<{tag} {name}>" for name in attrs if name.startswith("on")]
            if "style" in attrs or tag == "style":
                found.append(f"<{tag} style>")
            for name in ("href", "src", "action", "formaction"):
                if attrs.get(name, "").strip().lower().startswith("javascript:"):
                    found.append(f"<{tag} {name}=javascript:>")
            if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
                found.append("<script> without src")
        return found


def test_no_page_has_inline_scripts_or_styles(client, alice_client):
    for page_client, path in [
        (client, "/"),
        (client, "/accounts/signup/"),
        (alice_client, "/home/"),
        (alice_client, "/settings/"),
    ]:
        markup = Markup(page_client.get(path).text)
        assert markup.elements, path
        assert markup.scripting() == [], path


# Each would become markup somewhere if it were not escaped: in text, in a quoted or
# unquoted attribute, inside a textarea. Each carries data-xss to be recognised, and fits
# the shortest field it goes into (a display name, 40 characters).
PAYLOADS = [
    "<script data-xss>alert(1)</script>",
    "<img src=x data-xss onerror=alert(1)>",
    '"><svg data-xss onload=alert(1)>',
    "' data-xss onfocus='alert(1)",
    '<a href="javascript:f()" data-xss>a</a>',
    "</textarea><b data-xss>b</b>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_what_people_write_is_shown_as_text_never_as_markup(payload, alice, bob):
    alice.display_name = payload
    alice.save()
    couple = link(alice, bob, name=payload)
    sent = note(couple, alice, payload)
    question = todays_question(couple)
    answer_question(question, alice, payload)
    answer_question(question, bob, payload)
    planned = date_night(couple, alice, title=payload, place=payload, notes=payload)
    Prompt.objects.create(text=payload, tip="talk", couple=couple, author=alice)
    pages = [
        (bob, reverse("practices:home")),
        (bob, reverse("practices:notes")),
        (bob, reverse("practices:note", args=[sent.pk])),
        (alice, reverse("practices:notes_sent")),
        (bob, reverse("practices:question")),
        (alice, reverse("practices:prompts")),
        (bob, reverse("practices:dates")),
        (bob, reverse("practices:date", args=[planned.pk])),
        (alice, reverse("practices:date_edit", args=[planned.pk])),
        (alice, reverse("couples:settings")),
        (alice, reverse("couples:couple")),
    ]
    for user, path in pages:
        response = client_for(user).get(path)
        assert response.status_code == 200, path
        markup = Markup(response.text)
        # The payload is on the page (so the check below is not vacuous), as text...
        assert markup.shows(payload), path
        # ...and none of its tags or attributes became part of the page.
        assert not [tag for tag, attrs in markup.elements if "data-xss" in attrs], path
        assert markup.scripting() == [], path


def test_csrf_is_enforced_on_every_form():
    from tests.factories import UserFactory

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    assert strict.post(reverse("couples:settings"), {"display_name": "x"}).status_code == 403
    assert strict.post(reverse("couples:join"), {"code": "ABCD-EFGH"}).status_code == 403


def test_the_session_key_changes_at_login_and_dies_at_logout(alice, client):
    client.get(reverse("account_login"))
    client.cookies["sessionid"] = "anonymous-fixation-attempt"
    before = client.cookies["sessionid"].value
    client.post(reverse("account_login"), {"login": alice.email, "password": "a-long-enough-pw"})
    during = client.cookies["sessionid"].value
    assert during != before
    assert Session.objects.filter(session_key=during).exists()
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=during).exists()
    assert client.get(reverse("practices:home")).status_code == 302


def test_repeated_wrong_passwords_are_rate_limited(alice, client):
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": alice.email, "password": "wrong password"}
        )
        assert "Too many failed login attempts" not in response.text
    response = client.post(
        reverse("account_login"), {"login": alice.email, "password": "a-long-enough-pw"}
    )
    assert "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session
