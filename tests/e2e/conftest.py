"""Fixtures for the browser journeys: one Chromium for the session, and for each test two
partners, each in their own browser context (own cookies, own time zone), at a phone or a
desktop size."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, VIEWPORTS, Person

# Playwright's sync API runs an event loop in the test thread, and the tests also touch the
# database there (to set the scene, or to move a date into the past).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def site(live_server, settings) -> str:
    """Kindling's own emails link to SITE_URL; allauth's use the request's host."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def person(request, browser, viewport, site) -> Iterator[Callable[..., Person]]:
    """Open a browser context for someone: `person("Alice", "alice@example.com", zone)`,
    optionally with `color_scheme="dark"`."""
    journey = re.sub(r"^test_|\[.*$", "", request.node.name)
    people: list[Person] = []
    contexts = []

    def open_browser(name: str, email: str, zone: str, color_scheme: str = "light") -> Person:
        context = browser.new_context(
            **VIEWPORTS[viewport],
            timezone_id=zone,
            locale="en-GB",
            color_scheme=color_scheme,
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        shots = SCREENSHOTS / journey / viewport / name.lower()
        for old in shots.glob("*"):
            old.unlink()
        someone = Person(name, email, context.new_page(), site, shots)
        people.append(someone)
        return someone

    yield open_browser
    try:
        for someone in people:
            someone.finish()
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def linked(person, couple, alice, bob) -> tuple[Person, Person]:
    """alice (Europe/London) and bob (Pacific/Auckland), linked, each signed in in their
    own browser and looking at their home page. Signing up, linking and logging in
    through the pages are test_linking's job; here a session cookie saves the time."""
    tabs = [person(user.display_name, user.email, user.timezone) for user in (alice, bob)]
    for tab, user in zip(tabs, (alice, bob), strict=True):
        tab.sign_in_with_cookie(user)
    return tabs[0], tabs[1]
