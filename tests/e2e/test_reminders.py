"""Journey 6: reminder settings changed in the browser, and a reminder email's one-click
unsubscribe (RFC 8058) posted by a mail client, with no session and no cookies."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from reminders.models import ReminderPreference

from .browser import emails_to, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def mail_client(playwright):
    """What a mail client's unsubscribe button is: an HTTP client with no cookies."""
    client = playwright.request.new_context(storage_state={"cookies": [], "origins": []})
    yield client
    client.dispose()


def write_note(tab, body):
    tab.nav("Notes")
    tab.follow(tab.link("Write a note"))
    tab.field("Your note").fill(body)
    tab.follow(tab.button("Send note"))


def test_reminder_settings_and_one_click_unsubscribe(
    linked, person, alice, mail_client, mailoutbox
):
    alice_tab, bob_tab = linked

    alice_tab.nav("Settings", "settings")
    alice_tab.follow(alice_tab.link("Change reminders"), "reminders")
    alice_tab.page.get_by_label("Friday", exact=True).uncheck()
    alice_tab.page.get_by_label("Stay physically close", exact=True).uncheck()
    alice_tab.field("At this time").fill("07:30")
    alice_tab.follow(alice_tab.button("Save reminder settings"), "reminders-saved")
    expect(alice_tab.page.get_by_text("Your reminder settings are saved.")).to_be_visible()
    pref = ReminderPreference.objects.get(user=alice)
    assert (pref.days, pref.send_time) == ([0, 2], dt.time(7, 30))
    assert "physical" not in pref.tips
    assert pref.note_alerts
    alice_tab.nav("Settings")
    expect(alice_tab.page.get_by_text("Nudges on Mondays and Wednesdays at 07:30")).to_be_visible()

    # Bob's note reaches Alice's inbox with an alert that carries the one-click link.
    write_note(bob_tab, "Thank you for fixing my bike.")
    (alert,) = emails_to(alice.email)
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(\S+)>", alert.extra_headers["List-Unsubscribe"]).group(1)
    assert unsubscribe.startswith(alice_tab.base_url)

    # Opening the link (as a mail scanner would) only asks; it changes nothing.
    reader = person("Reader", alice.email, alice.timezone)
    reader.open(unsubscribe, "unsubscribe-confirm")
    expect(reader.button("Unsubscribe from note alerts")).to_be_visible()
    pref.refresh_from_db()
    assert pref.note_alerts

    assert mail_client.storage_state()["cookies"] == []
    response = mail_client.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200, response.text()
    assert "no more note alerts" in response.text()
    pref.refresh_from_db()
    assert not pref.note_alerts
    assert (pref.nudges_enabled, pref.days) == (True, [0, 2]), "only note alerts stop"

    alice_tab.nav("Settings")
    alice_tab.follow(alice_tab.link("Change reminders"), "reminders-after-unsubscribe")
    expect(alice_tab.page.get_by_label("Tell me when a note arrives")).not_to_be_checked()
    write_note(bob_tab, "And for the coffee.")
    assert len(emails_to(alice.email)) == 1, "no alert after unsubscribing"
