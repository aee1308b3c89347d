"""Journeys 3 to 5: a gratitude note, today's question and a date night, lived by two
partners in two browsers: Alice in London, Bob in Auckland."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone
from playwright.sync_api import expect

from practices.models import DateIdea, DateNight

from .browser import needs_chromium

pytestmark = needs_chromium

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def shows(tab, text):
    expect(tab.page.get_by_text(text, exact=True)).to_be_visible()


def long_date(moment: dt.datetime) -> str:
    """Django's "l j F Y, H:i", as the date pages print a date night."""
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M}"


def test_a_note_arrives_is_opened_and_gets_a_reaction(linked):
    alice, bob = linked
    body = "Thank you for walking the dog in the rain this morning, so I could sleep in."

    alice.nav("Notes", "notes-empty")
    alice.follow(alice.link("Write a note"), "write-note")
    alice.follow(alice.button("Send note"), "write-note-empty")
    shows(alice, "Please write your note first; it cannot be empty.")
    alice.field("Your note").fill(body)
    shows(alice, f"{len(body)} / 2000")
    expect(alice.page.get_by_label("Now")).to_be_checked()
    alice.follow(alice.button("Send note"), "notes-sent")
    shows(alice, "Your note is with Bob.")

    # Bob was on his home page; the next page he opens shows the unread badge.
    expect(bob.nav_link("Notes")).to_have_accessible_name("Notes")
    bob.reload()
    expect(bob.nav_link("Notes")).to_have_accessible_name("Notes 1 unread")
    bob.nav("Notes", "inbox")
    bob.follow(bob.link("From Alice", starting=True), "note")
    shows(bob, body)
    expect(bob.nav_link("Notes")).to_have_accessible_name("Notes")
    bob.page.get_by_label("Made my day").check()
    bob.follow(bob.button("Send reaction"), "note-reacted")
    shows(bob, "Alice will see your reaction.")

    alice.reload()
    expect(alice.link("To Bob", starting=True)).to_contain_text("Made my day")
    alice.follow(alice.link("To Bob", starting=True), "note-with-reaction")
    expect(alice.page.get_by_text("Bob reacted:")).to_be_visible()
    shows(alice, body)


def test_each_sees_the_others_answer_only_after_answering(linked):
    alice, bob = linked
    alices = "Our first holiday, when the tent flooded and we laughed all night."
    bobs = "Cooking together on Sunday evenings, with the radio on."

    alice.nav("Question", "question")
    question = alice.page.get_by_role("heading", level=1).inner_text()
    alice.field("Your answer").fill(alices)
    alice.follow(alice.button("Save my answer"), "question-answered")
    shows(alice, "Your answer is saved.")
    expect(alice.page.get_by_text("Bob has not answered yet", exact=False)).to_be_visible()

    bob.reload()
    shows(bob, "Alice has answered. Answer to see what they wrote.")
    bob.nav("Question", "question-partner-answered")
    expect(bob.page.get_by_role("heading", level=1)).to_have_text(question)
    shows(bob, "Alice has answered. Their answer opens here once you have written yours.")
    assert alices not in bob.page.content(), "Alice's answer reached Bob's browser too early"
    bob.field("Your answer").fill(bobs)
    bob.follow(bob.button("Save my answer"), "question-both-answered")
    shows(bob, alices)
    shows(bob, bobs)

    alice.reload()
    shows(alice, bobs)
    alice.follow(alice.button("We talked about it"), "question-talked")
    expect(alice.page.get_by_text("You talked about this on", exact=False)).to_be_visible()

    bob.reload()
    expect(bob.page.get_by_text("You talked about this on", exact=False)).to_be_visible()
    expect(bob.button("We talked about it")).to_have_count(0)
    bob.nav("Home")
    shows(bob, "You have both answered. You talked about it.")


def test_a_date_night_from_an_idea_seen_in_two_time_zones(linked):
    alice, bob = linked
    idea = DateIdea.objects.filter(outdoors=True).order_by("pk").first()
    day = timezone.localdate(timezone=LONDON) + dt.timedelta(days=10)
    starts = dt.datetime.combine(day, dt.time(19, 30), tzinfo=LONDON)

    alice.nav("Dates", "dates-empty")
    alice.follow(alice.link("Browse date ideas"), "ideas")
    alice.follow(alice.link("Plan this", starting=True).filter(has_text=idea.title), "plan-date")
    expect(alice.field("What are you doing?")).to_have_value(idea.title)
    expect(alice.field("Time zone")).to_have_value("Europe/London")
    alice.field("Date").fill(day.isoformat())
    alice.field("Start time").fill("19:30")
    alice.field("Where").fill("The boathouse")
    alice.follow(alice.button("Plan it"), "date-planned")
    shows(alice, "Your date night is planned.")
    shows(alice, long_date(starts))

    bob.nav("Dates", "dates")
    bob.follow(bob.link(idea.title, starting=True), "date")
    shows(bob, long_date(starts.astimezone(AUCKLAND)))
    expect(bob.page.get_by_text("your time (Pacific/Auckland)")).to_be_visible()
    expect(bob.page.get_by_text("in Europe/London", exact=False)).to_be_visible()

    with bob.page.expect_download() as download:
        bob.link("Add to calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == idea.title
    assert str(event["LOCATION"]) == "The boathouse"
    assert event.decoded("DTSTART") == starts
    assert event.decoded("DTSTART").tzinfo.key == "Europe/London"

    # The evening has happened.
    date_night = DateNight.objects.get()
    DateNight.objects.filter(pk=date_night.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    for tab, rating, words in (
        (alice, "Wonderful", "The swans followed us the whole way."),
        (bob, "Lovely", "Next time we bring a thermos."),
    ):
        tab.reload("date-afterwards")
        tab.page.get_by_label(rating, exact=True).check()
        tab.field("A few words for later (optional)").fill(words)
        tab.follow(tab.button("Save my reflection"), "date-reflected")
        shows(tab, "Your reflection is saved.")
    shows(bob, "The swans followed us the whole way.")
    shows(bob, "Alice: 5 / 5")
    alice.follow(alice.button("Mark as done"), "date-done")
    shows(alice, "Next time we bring a thermos.")
    shows(alice, "Bob: 4 / 5")
    assert DateNight.objects.get().status == DateNight.Status.DONE
