"""The question library, grown to a year of prompts: filter for love maps or an occasion,
turn the page, pick one for today. At phone and desktop size, every page axe-audited."""

import re

from playwright.sync_api import expect

from practices import services
from practices.models import Prompt

from .browser import needs_chromium

pytestmark = needs_chromium


def test_find_a_love_map_for_today_and_browse_by_occasion(person, couple, alice):
    tab = person("Alice", alice.email, alice.timezone)
    tab.sign_in_with_cookie(alice, "home")
    tab.open("/prompts/", "library")
    expect(tab.page.get_by_role("navigation", name="Pages")).to_be_visible()
    tab.follow(tab.link("Next"), "library-page-2")
    assert "page=2" in tab.page.url

    tab.field("Kind").select_option("love_map")
    tab.field("Habit").select_option("talk")
    tab.follow(tab.button("Show"), "love-maps")
    cards = tab.page.locator("li.k-card")
    expect(cards.first).to_contain_text("Guess, then tell:")
    expect(cards.first).to_contain_text("Love maps")

    chosen = Prompt.objects.filter(kind="love_map", tip="talk").order_by("depth", "pk").first()
    card = tab.page.locator("li.k-card", has_text=chosen.text)
    tab.follow(card.get_by_role("button", name=re.compile(r"^Ask this today")), "picked")
    assert services.todays_question(couple).prompt == chosen

    tab.open("/prompts/", "library-again")
    tab.field("Occasion").select_option("long_distance")
    tab.follow(tab.button("Show"), "time-apart")
    expect(tab.page.locator("li.k-card").first).to_contain_text("Time apart")
