"""One voice and one vocabulary everywhere: "Log in", "Log out", "Sign up"; sentence-case
headings; no allauth defaults ("Hello from 127.0.0.1:8101!", "check your spam folder,
contact us") on any page or in any email. allauth's pages are reworded by
locale/en/LC_MESSAGES/django.po and its emails by templates/account/email/."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.template import engines
from django.template.loader import get_template
from django.test import Client
from django.utils.translation import gettext

from tests.emails import allauth_emails

pytestmark = pytest.mark.django_db

SITE = "https://kindling.example"
PASSWORD = "a-long-enough-pw"
ALLAUTH = Path(__import__("allauth").__file__).parent / "templates"

# The other vocabulary, allauth's greetings and sign-offs, and help we cannot give.
WORDS_WE_DO_NOT_USE = re.compile(
    r"(?i:\bsign[ -]?(in|out)\b|\bsigned (in|out)\b|Hello from|Thank you for using|spam"
    r"|contact us)|\bSignup\b"
)
# Capitalised words that are not Title Case: names, acronyms, "I".
PROPER = {"Kindling", "Alice", "Bob", "Dana", "I", "TOTP"}


def title_cased(heading: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'\u2019]*", heading)
    return any(word[0].isupper() and word not in PROPER for word in words[1:])


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def headings(page: str) -> list[str]:
    """The page title and every heading, button and label: where Title Case shows."""
    page = re.sub(r'(?s)<span class="badge[^>]*>.*?</span>', " ", page)  # "Verified", "Primary"
    found = re.findall(r"(?s)<(title|h[1-6]|button|label|legend)\b[^>]*>(.*?)</\1>", page)
    return [visible_text(text).replace(" · Kindling", "").strip() for _, text in found]


def problems_in_page(url: str, page: str) -> list[str]:
    found = [f"{url}: {m[0]!r}" for m in WORDS_WE_DO_NOT_USE.finditer(visible_text(page))]
    found += [f"{url}: Title Case {h!r}" for h in headings(page) if title_cased(h)]
    return found


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def confirmation_path(mailoutbox) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mailoutbox[-1].body)[1]


def reset_path(mailoutbox) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mailoutbox[-1].body)[1]


def test_project_templates_use_one_vocabulary_and_sentence_case():
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.*")):
        source = path.read_text()
        # Only what a reader sees: no template logic, tag attributes or comments.
        text = re.sub(r"(?s)\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<[^>]+>", " ", source)
        found += [f"{path.name}: {m[0]!r}" for m in WORDS_WE_DO_NOT_USE.finditer(text)]
        titles = re.findall(r"(?s)\{% block title %\}(.*?)\{% endblock", source)
        titles += [
            t for _, t in re.findall(r"(?s)<(h[1-6]|button|label)\b[^>]*>(.*?)</\1>", source)
        ]
        for title in titles:
            # Each run of static text on its own: "{% if %}Edit note{% else %}Write a note".
            for words in re.split(r"(?s)\{%.*?%\}|\{\{.*?\}\}|<[^>]+>", title):
                if title_cased(words.strip()):
                    found.append(f"{path.name}: Title Case {words.strip()!r}")
    assert not found, "\n".join(found)


def test_every_allauth_page_speaks_kindlings_voice(client, mailoutbox):
    """Each page a person can reach, signed out and in, with two-factor on."""
    pages = {}

    def visit(who: Client, url: str, **kwargs):
        response = who.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)
        pages[url] = response.text
        return response

    for url in (
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/1-wrong/",
        "/accounts/password/reset/key/done/",
        "/accounts/confirm-email/not-a-key/",
        "/accounts/inactive/",
    ):
        visit(client, url)

    # Signing up: the "check your email" page, then the confirmation page.
    client.post(
        "/accounts/signup/",
        {
            "email": "dana@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Dana",
            "timezone": "Europe/Paris",
        },
    )
    visit(client, "/accounts/confirm-email/")
    confirm = confirmation_path(mailoutbox)
    visit(client, confirm)
    response = client.post(confirm, follow=True)
    pages["after confirming"] = response.text

    # Resetting a password: the page behind the emailed link.
    client.post("/accounts/password/reset/", {"email": "dana@example.com"})
    response = client.get(reset_path(mailoutbox), follow=True)
    pages["reset from key"] = response.text

    for url in (
        "/accounts/logout/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/reauthenticate/",
    ):
        visit(client, url)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    visit(client, "/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    for url in (
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/reauthenticate/",
    ):
        visit(client, url)
    response = client.post("/accounts/logout/", follow=True)
    pages["after logging out"] = response.text

    # Logging in again asks for the second factor.
    client.post("/accounts/login/", {"login": "dana@example.com", "password": PASSWORD})
    visit(client, "/accounts/2fa/authenticate/")
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_code(secret)}, follow=True
    )
    pages["after logging in"] = response.text
    assert "You are logged in as Dana" in response.text

    found = [problem for url, page in pages.items() for problem in problems_in_page(url, page)]
    assert not found, "\n".join(found)
    assert "Log in" in pages["/accounts/login/"]
    assert re.search(r"<title>\s*Sign up\s*· Kindling</title>", pages["/accounts/signup/"])


def test_allauth_emails_link_to_site_url_not_the_requests_host(client, mailoutbox, settings):
    settings.SITE_URL = SITE
    sent = allauth_emails(HTTP_HOST="127.0.0.1:8101")
    expected = {
        "verification": f"{SITE}/accounts/confirm-email/",
        "already-exists": f"{SITE}/accounts/password/reset/",
        "password-reset": f"{SITE}/accounts/password/reset/key/",
        "unknown-account": f"{SITE}/accounts/signup/",
    }
    for kind, sample in sent.items():
        for part in (sample.message.body, sample.html):
            assert "127.0.0.1" not in part, kind
            links = re.findall(r"https?://[^\s\"<]+", part)
            assert links and all(link.startswith(SITE) for link in links), (kind, links)
            assert any(link.startswith(expected[kind]) for link in links), (kind, links)

    # The verification link works: it confirms the address.
    client.post(sent["verification"].main_path)
    assert EmailAddress.objects.get(email="dana@example.com").verified


def test_allauth_emails_speak_kindlings_voice(mailoutbox):
    for kind, sample in allauth_emails().items():
        subject = sample.message.subject
        assert subject.startswith("Kindling: "), kind
        assert not title_cased(subject.removeprefix("Kindling: ")), subject
        for part in (sample.message.body, visible_text(sample.html)):
            words = re.sub(r"https?://\S+", " ", part)
            assert not WORDS_WE_DO_NOT_USE.search(words), (kind, part)
            assert "Hello," in part, (kind, part)


@pytest.mark.parametrize(
    "name",
    sorted(
        str(path.relative_to(ALLAUTH))
        for folder in ("account/email", "mfa/email")
        for path in (ALLAUTH / folder).glob("*.txt")
    ),
)
def test_every_allauth_email_template_is_reworded(name):
    """Including the emails Kindling's settings do not send today (login codes, change
    notifications), so turning one on does not bring allauth's wording back."""
    context = {
        "email": "dana@example.com",
        "activate_url": f"{SITE}/x/",
        "password_reset_url": f"{SITE}/y/",
        "signup_url": f"{SITE}/z/",
        "code": "ABC123",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": "now",
        "from_email": "a@example.com",
        "to_email": "b@example.com",
        "deleted_email": "c@example.com",
        "current_site": {"name": "127.0.0.1:8101", "domain": "127.0.0.1:8101"},
    }
    text = get_template(name).render(context)
    assert not WORDS_WE_DO_NOT_USE.search(re.sub(r"https?://\S+", " ", text)), text
    assert "127.0.0.1" not in text
    if name.endswith("_subject.txt"):
        assert not title_cased(" ".join(text.split())), text


def test_the_compiled_wording_matches_its_source():
    """locale/en/LC_MESSAGES/django.mo is compiled from the .po next to it: a stale .mo
    would quietly bring allauth's words back."""
    source = (Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, re.MULTILINE)
    assert len(pairs) > 50
    django_engine = engines["django"]
    for msgid, msgstr in pairs:
        unescaped = msgid.encode().decode("unicode_escape")
        assert gettext(unescaped) == msgstr.encode().decode("unicode_escape"), msgid
    assert django_engine.from_string('{% load i18n %}{% trans "Sign In" %}').render() == "Log in"
