"""Fixtures for the browser journeys: one Chromium for the package, and for each test two
partners, each in their own browser context (own cookies, own time zone), at a phone or a
desktop size."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, VIEWPORTS, Person

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in this package drives a browser: `-m "not browser"` leaves them out."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember whether a test's body passed, for the `person` fixture's last check."""
    report = yield
    if report.when == "call":
        item.e2e_call_passed = report.passed
    return report


@pytest.fixture(scope="package")
def playwright():
    """Playwright, for the tests in this package only: while its sync API runs, the test
    thread counts as having a running event loop, so Django needs
    DJANGO_ALLOW_ASYNC_UNSAFE for the database work the tests do there (setting the scene,
    moving a date into the past), and tests after this package should not inherit either."""
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as running:
            yield running
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="package")
def browser(playwright):
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(autouse=True)
def _shipped_library(transactional_db) -> None:
    """The live server needs committed data, so these tests are transactional, and each
    ends by emptying every table, the shipped prompts and date ideas included. Put them
    back, as `manage.py load_content` does on an install.

    Not serialized_rollback: Django restores from the connection that set the database up,
    and under Playwright the test thread gets a different connection object."""
    from practices.library import load_added_content, load_content

    load_content()
    load_added_content()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def site(live_server, settings) -> str:
    """Every email links to SITE_URL: here, the live server."""
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
        someone = Person(name, email, context.new_page(), site, shots, phone=viewport == "phone")
        people.append(someone)
        return someone

    yield open_browser
    try:
        passed = getattr(request.node, "e2e_call_passed", False)
        for someone in people:
            someone.finish(check=passed)
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
