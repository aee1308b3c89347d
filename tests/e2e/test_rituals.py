"""Rituals of connection, thinking of you and learning together, lived by Sam (London)
and River (Berlin) in two browsers."""

import re

import pytest
from playwright.sync_api import expect

from rituals.models import Choice, LearnItem, Moment
from tests.factories import UserFactory, link

from .browser import needs_chromium

pytestmark = needs_chromium


def for_ritual(tab, verb: str, title: str):
    """A button whose visible word is `verb`, named for screen readers by its ritual."""
    name = re.compile(rf"^{re.escape(verb)}\s*:\s*{re.escape(title)}$")
    return tab.page.get_by_role("button", name=name)


def shows(tab, text):
    expect(tab.page.get_by_text(text, exact=True).first).to_be_visible()


@pytest.fixture
def sam_and_river(person):
    sam = UserFactory(email="sam@example.com", display_name="Sam", timezone="Europe/London")
    river = UserFactory(email="river@example.com", display_name="River", timezone="Europe/Berlin")
    link(sam, river, name="", timezone="Europe/London")
    tabs = [person(u.display_name, u.email, u.timezone) for u in (sam, river)]
    for tab, user in zip(tabs, (sam, river), strict=True):
        tab.sign_in_with_cookie(user)
    return tabs


def test_two_rituals_proposed_one_accepted_done_together_and_a_warm_signal(sam_and_river):
    sam, river = sam_and_river
    hug = "A long hug before sleep"
    walk = "Hold hands on a walk"

    # Sam proposes two rituals from the list.
    sam.follow(sam.link("Our rituals"), "rituals")
    sam.follow(for_ritual(sam, "Propose", hug))
    shows(sam, "Proposed to River. It becomes yours once River says yes too.")
    sam.follow(for_ritual(sam, "Propose", walk), "two-proposed")
    shows(sam, "Waiting for River")

    # River sees a proposal waiting on the home page, accepts one and declines the other.
    river.reload()
    river.follow(river.link("Sam proposed 2 rituals"), "proposals")
    river.follow(for_ritual(river, "Yes, let's", hug))
    shows(river, "It is one of your rituals now.")
    river.follow(for_ritual(river, "Not for us", walk), "one-chosen")

    # Both tap "we did it" on the same day, from their home pages: one moment.
    sam.open("/home/", "home-with-ritual")
    river.open("/home/")
    sam.follow(for_ritual(sam, "We did it", hug))
    shows(sam, "A moment together, noted.")
    river.follow(for_ritual(river, "We did it", hug))
    shows(river, "Already noted for today.")
    assert Moment.objects.count() == 1
    assert Choice.objects.get(ritual__title=walk).status == "retired"
    river.follow(river.link("Our rituals"), "this-week")
    shows(river, "This week: 1 moment together.")

    # River sends "thinking of you"; Sam sees it on their home page.
    river.open("/home/")
    river.follow(river.button("Send “thinking of you”"))
    shows(river, "Sam will know you are thinking of them.")
    sam.reload("thinking-of-you")
    shows(sam, "River is thinking of you")


def test_a_learn_together_item_moves_to_done_and_becomes_a_memory(sam_and_river):
    sam, river = sam_and_river
    sam.follow(sam.link("Learn together"), "learn-empty")
    sam.field("Something to learn or try together").fill("Bake sourdough")
    sam.follow(sam.button("Add it"), "learn-one")
    shows(sam, "Added to your list.")

    river.open("/learn/")
    river.follow(river.link("Bake sourdough"), "item")
    river.page.get_by_label("Done").check()
    river.follow(river.button("Save"))
    shows(river, "Moved to done.")
    river.field("What you will remember").fill("Flour everywhere, and the best toast.")
    river.follow(river.button("Keep it as a memory"), "memory")
    shows(river, "Flour everywhere, and the best toast.")
    assert LearnItem.objects.get().status == "done"

    sam.open("/learn/", "learn-done")
    sam.follow(sam.link("Bake sourdough"))
    shows(sam, "Flour everywhere, and the best toast.")
