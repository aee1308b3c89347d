"""Two journeys from issue 12 inside practices: a date with a phones-away time (one
timer for both, a calm screen, the minutes corrected by hand and shown on the home page),
and a note answered with a thank-you that its author finds on the note and at home."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from practices.models import DateNight
from tests.factories import date_night

from .browser import needs_chromium

pytestmark = needs_chromium

BACK = "We\u2019re back"  # the button's typographic apostrophe


def shows(tab, text):
    expect(tab.page.get_by_text(text, exact=True)).to_be_visible()


def test_a_date_with_a_phones_away_time(linked, couple, alice):
    alice_tab, bob_tab = linked
    tonight = date_night(
        couple,
        alice,
        title="Dinner by the river",
        starts_at=timezone.now() - dt.timedelta(minutes=5),
    )

    alice_tab.nav("Dates", "dates")
    alice_tab.follow(alice_tab.link("Dinner by the river", starting=True), "date")
    alice_tab.follow(alice_tab.button("Start phones-away time"), "phones-away")
    expect(alice_tab.page.get_by_role("timer")).to_have_text(re.compile(r"^0:0\d:\d\d$"))
    expect(alice_tab.page.get_by_role("link")).to_have_count(0)
    expect(alice_tab.page.get_by_role("button")).to_have_count(1)

    # Bob's home page leads to the same timer, not a second one.
    bob_tab.reload("home-phones-away")
    bob_tab.follow(bob_tab.link("Open the phones-away screen"), "phones-away")
    expect(bob_tab.button(BACK)).to_be_visible()
    since = DateNight.objects.get(pk=tonight.pk).phones_away_since
    DateNight.objects.filter(pk=tonight.pk).update(
        phones_away_since=since - dt.timedelta(minutes=80)  # an evening passes
    )

    alice_tab.follow(alice_tab.button(BACK), "date-back")
    shows(alice_tab, "Welcome back. 1 hour and 20 minutes with phones away, together.")
    bob_tab.follow(bob_tab.button(BACK), "date-already-back")
    shows(bob_tab, "You are already back: the time is on the date.")

    bob_tab.follow(bob_tab.link("Correct the time"), "phones-away-edit")
    bob_tab.field("Minutes with phones away").fill("3000")
    bob_tab.follow(bob_tab.button("Save"), "phones-away-edit-refused")
    shows(bob_tab, "Phones-away time is between 0 and 720 minutes (12 hours).")
    bob_tab.field("Minutes with phones away").fill("90")
    bob_tab.follow(bob_tab.button("Save"), "phones-away-corrected")
    shows(bob_tab, "The phones-away time is saved.")
    expect(bob_tab.page.get_by_text("Time with phones away:")).to_contain_text(
        "1 hour and 30 minutes"
    )

    alice_tab.nav("Home", "home-month")
    shows(alice_tab, "This month, 1 hour and 30 minutes with phones away, together.")
    assert DateNight.objects.get(pk=tonight.pk).phones_away_minutes == 90


def test_a_note_answered_with_a_thank_you(linked):
    alice_tab, bob_tab = linked
    body = "Thank you for fixing my bike before work. I felt so looked after."
    words = "It was a joy. Seeing you ride off smiling was the best part of my morning."

    alice_tab.nav("Notes", "notes")
    alice_tab.follow(alice_tab.link("Write a note"), "write-note")
    expect(
        alice_tab.page.get_by_text("what did they do, and how did it feel for you?", exact=False)
    ).to_be_visible()
    alice_tab.field("Your note").fill(body)
    alice_tab.follow(alice_tab.button("Send note"), "note-sent")

    bob_tab.nav("Notes", "inbox")
    bob_tab.follow(bob_tab.link("From Alice", starting=True), "note")
    bob_tab.follow(bob_tab.button("Send thank-you"), "thanks-empty")
    shows(bob_tab, "Please write your thank-you first; it cannot be empty.")
    bob_tab.field("A few words back").fill(words)
    bob_tab.follow(bob_tab.button("Send thank-you"), "thanked")
    shows(bob_tab, "Alice will see your thank-you.")
    expect(bob_tab.page.get_by_role("article")).to_contain_text(words)

    alice_tab.nav("Home", "home-thanked")
    shows(alice_tab, "Bob wrote back")
    shows(alice_tab, words)
    alice_tab.follow(alice_tab.link("Your note, thanked", starting=True), "note-thanked")
    shows(alice_tab, "Bob wrote back")
    shows(alice_tab, body)
