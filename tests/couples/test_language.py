"""Each person reads Kindling in their own language: guessed from the browser at sign-up,
chosen in Settings, kept on every page whatever the browser says; signed-out visitors
get their browser's language or the one picked in the footer."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from couples import privacy
from couples.models import User
from tests.conftest import client_for
from tests.factories import UserFactory, date_night, staff_member

pytestmark = pytest.mark.django_db

SETLANG = "/i18n/setlang/"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.text).group(1)


def test_people_from_before_the_setting_read_english():
    assert UserFactory().language == "en"


@pytest.mark.parametrize(
    ("accept", "expected"), [("de-DE,de;q=0.9", "de"), ("es", "es"), ("fr-FR,fr", "en")]
)
def test_signing_up_keeps_the_browsers_language(client, accept, expected):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-long-enough-pw",
            "password2": "a-long-enough-pw",
            "display_name": "Neu",
            "timezone": "Europe/Berlin",
        },
        headers={"accept-language": accept},
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").language == expected


def test_signing_up_after_picking_a_language_in_the_footer_keeps_that_one(client):
    client.post(SETLANG, {"language": "es"}, headers={"accept-language": "de"})
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-long-enough-pw",
            "password2": "a-long-enough-pw",
            "display_name": "Nueva",
            "timezone": "Europe/Madrid",
        },
        headers={"accept-language": "de"},
    )
    assert User.objects.get(email="new@example.com").language == "es"


def test_a_signed_in_person_reads_their_own_language_whatever_the_browser_says(alice):
    alice.language = "de"
    alice.save(update_fields=["language"])
    response = client_for(alice).get(reverse("couples:settings"), headers={"accept-language": "en"})
    assert html_lang(response) == "de"
    assert response["Content-Language"] == "de"


def test_signed_out_visitors_get_their_browsers_language(client):
    assert html_lang(client.get("/", headers={"accept-language": "es-ES,es"})) == "es"
    assert html_lang(client.get("/", headers={"accept-language": "en"})) == "en"


def test_settings_offer_a_labelled_language_choice(alice_client):
    page = alice_client.get(reverse("couples:settings")).text
    assert re.search(r'<label\s+for="id_language"[^>]*>\s*Language', page)
    select = re.search(r'<select name="language"[^>]*id="id_language".*?</select>', page, re.S)
    assert select is not None
    assert re.findall(r'<option value="(\w+)"', select.group(0)) == ["en", "de", "es"]


def test_saving_a_language_switches_the_page_at_once(alice, alice_client):
    response = alice_client.post(
        reverse("couples:settings"),
        {"display_name": "Alice", "timezone": "Europe/London", "language": "de"},
        follow=True,
        headers={"accept-language": "en"},
    )
    alice.refresh_from_db()
    assert alice.language == "de"
    assert html_lang(response) == "de"
    # Kept for after logging out, too.
    assert alice_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"


def test_a_profile_saved_without_a_language_keeps_the_saved_one(alice, alice_client):
    alice.language = "es"
    alice.save(update_fields=["language"])
    alice_client.post(reverse("couples:settings"), {"display_name": "Al", "timezone": "UTC"})
    alice.refresh_from_db()
    assert (alice.display_name, alice.language) == ("Al", "es")


def test_signed_out_visitors_find_a_language_form_in_the_footer(client):
    page = client.get("/").text
    form = re.search(r'<form class="language-form.*?</form>', page, re.S).group(0)
    assert f'action="{SETLANG}"' in form and 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<label class="form-label" for="footer-language">Language</label>' in form
    assert '<select class="form-select" id="footer-language" name="language">' in form
    assert re.search(r'<option value="en" lang="en" selected>\s*English', form)
    assert '<button class="btn btn-outline-primary" type="submit">' in form


def test_signed_in_people_choose_in_settings_not_in_the_footer(alice_client):
    assert "language-form" not in alice_client.get(reverse("couples:settings")).text


def test_the_footer_form_sets_the_language_for_the_next_pages(client):
    response = client.post(SETLANG, {"language": "de"}, headers={"referer": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert html_lang(client.get("/accounts/login/", headers={"accept-language": "en"})) == "de"


def test_the_footer_form_needs_its_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(SETLANG, {"language": "de"})
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_footer_form_refuses_a_language_we_do_not_offer_and_says_so(client):
    response = client.post(SETLANG, {"language": "xx"}, follow=True)
    assert "We do not offer that language" in response.text
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_a_signed_in_person_posting_the_footer_form_saves_the_choice(alice, alice_client):
    alice_client.post(SETLANG, {"language": "es"})
    alice.refresh_from_db()
    assert alice.language == "es"


def test_a_switched_language_shows_on_the_next_page_not_a_cached_one(couple, alice, bob):
    # The past dates list is cached as HTML under the couple's version, which a person's
    # language does not bump: the language is in the key.
    date_night(couple, alice, starts_at=dt.datetime(2025, 3, 14, 18, tzinfo=dt.UTC))
    client = client_for(bob)
    assert "15 March 2025" in client.get(reverse("practices:dates")).text  # Auckland
    bob.language = "de"
    bob.save(update_fields=["language"])
    page = client.get(reverse("practices:dates")).text
    assert "März 2025" in page and "March" not in page


def test_the_export_holds_the_language(alice):
    alice.language = "de"
    alice.save(update_fields=["language"])
    assert privacy.export_data(alice)["profile"]["language"] == "de"


def test_the_admin_shows_and_edits_the_language(alice):
    admin = client_for(staff_member())
    listing = admin.get(reverse("admin:couples_user_changelist")).text
    assert "column-language" in listing
    change = admin.get(reverse("admin:couples_user_change", args=[alice.pk])).text
    assert 'name="language"' in change


def test_the_demo_has_sam_in_english_and_river_in_german(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    languages = dict(User.objects.values_list("email", "language"))
    assert languages["sam@example.com"] == "en"
    assert languages["river@example.com"] == "de"


def test_dates_in_pages_follow_the_persons_language(couple, alice):
    alice.language = "es"
    alice.save(update_fields=["language"])
    when = timezone.now() + dt.timedelta(days=2)
    day = date_night(couple, alice, starts_at=when)
    page = client_for(alice).get(reverse("practices:date", args=[day.pk])).text
    with translation.override("es"):
        from django.utils.dates import MONTHS

        assert str(MONTHS[timezone.localtime(when, alice.tzinfo).month]) in page


def test_the_offline_copy_carries_no_language_form_and_no_token(client):
    page = client.get("/offline/").text
    assert "language-form" not in page and "csrfmiddlewaretoken" not in page
