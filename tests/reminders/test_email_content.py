"""Every email's main link leads to the exact thing it is about, and its plain-text part
reads well on its own (allauth's account emails included). (tests/e2e/test_emails.py looks at the HTML parts on a phone.)"""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from tests.emails import BUTTON, allauth_emails, one_of_each

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://\S+")


@pytest.fixture
def samples(couple, alice, bob, mailoutbox):
    return {**one_of_each(couple, alice, bob), **allauth_emails()}


def test_each_emails_main_link_leads_to_what_it_is_about(samples):
    assert len(samples) == 12
    for name, sample in samples.items():
        buttons = BUTTON.findall(sample.html)
        assert buttons == [settings.SITE_URL + sample.main_path], (name, buttons)
        first_link = URL.search(sample.message.body)[0]
        assert first_link == settings.SITE_URL + sample.main_path, (name, first_link)


def test_each_plain_text_part_reads_well_on_its_own(samples):
    for name, sample in samples.items():
        text = sample.message.body
        assert not re.search(r"<[a-z/][^>]*>|&[a-z]+;|&#\d+;", text), (name, text)
        assert not re.search(r"\{[{%#]|[}%#]\}|\bNone\b", text), (name, text)
        assert "\n\n\n" not in text.strip(), (name, text)
        assert text.startswith("Hello") or name == "nudge", (name, text)
        for line in text.splitlines():
            assert line == line.rstrip(), (name, repr(line))
            # A link alone on its line: a phone mail app makes it one clean tap target.
            if URL.search(line):
                assert URL.fullmatch(line), (name, line)


def test_the_note_alert_offers_a_reaction_on_the_note_itself(samples, bob_client):
    sample = samples["note-alert"]
    assert "Send a reaction" in sample.html and "Send a reaction:" in sample.message.body
    page = bob_client.get(sample.main_path)
    assert page.status_code == 200
    assert "You made Sunday lovely." in page.text
