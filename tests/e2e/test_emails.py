"""Each email's HTML part in a narrow phone mail client: one of each kind, allauth's
account emails included, rendered by the real renderers (tests/emails.py), shown 390 px wide. Nothing may scroll sideways, and
axe-core finds nothing serious. Screenshots land in var/screenshots/emails/ for a person
to look at."""

from __future__ import annotations

import json

import pytest

from tests.emails import allauth_emails, one_of_each

from .browser import (
    AXE,
    AXE_OPTIONS,
    FAILING_IMPACTS,
    SCREENSHOTS,
    VIEWPORTS,
    axe_problems,
    needs_chromium,
)

pytestmark = needs_chromium

WIDTH = VIEWPORTS["phone"]["viewport"]["width"]


@pytest.fixture
def phone_mail_app(browser):
    context = browser.new_context(**VIEWPORTS["phone"])
    yield context.new_page()
    context.close()


def test_every_email_fits_a_phone_and_passes_axe(phone_mail_app, couple, alice, bob):
    shots = SCREENSHOTS / "emails"
    shots.mkdir(parents=True, exist_ok=True)
    problems = []
    samples = {**one_of_each(couple, alice, bob), **allauth_emails()}
    for name, sample in samples.items():
        page = phone_mail_app
        page.set_content(sample.html)
        page.screenshot(path=shots / f"{name}.png", full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > WIDTH:
            problems.append(f"{name}: {wide} px wide, scrolls sideways at {WIDTH} px")
        results = AXE.run(page, options=AXE_OPTIONS).response
        serious = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
        if serious:
            problems.append(f"{name}:\n{axe_problems(serious)}")
        lesser = [
            {"rule": v["id"], "impact": v["impact"], "nodes": [n["html"][:200] for n in v["nodes"]]}
            for v in results["violations"]
            if v not in serious
        ]
        (shots / f"axe-{name}.json").write_text(json.dumps(lesser, indent=2))
    assert not problems, "\n".join(problems)
