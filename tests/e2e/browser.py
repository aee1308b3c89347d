"""What the journeys need from a browser: Debian's Chromium, a person at a screen who
moves through pages by role and label, and an axe-core audit of every page they reach."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"browser journeys need Chromium at {CHROMIUM} (apt-get install chromium)",
)

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
FAILING_IMPACTS = {"serious", "critical"}
# axe-core's default rules, plus WCAG 2.2's target size (off by default in axe 4.12): the
# pages are used on phones, with thumbs.
AXE_OPTIONS = {
    "resultTypes": ["violations", "incomplete"],
    "rules": {"target-size": {"enabled": True}},
}
# DESIGN.md asks for tap targets of at least 44 px on phones (axe's target-size rule checks
# WCAG's 24). Links inside a sentence are exempt, as are radios and checkboxes, whose
# whole label is their target, and the skip link, a 1 px dot until it is focused.
SMALL_TAP_TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea")) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden") continue;
    if (el.tagName === "A" && style.display === "inline") continue;
    if (["hidden", "radio", "checkbox"].includes(el.type)) continue;
    if (box.width < 44 || box.height < 44) {
      const name = (el.innerText || el.getAttribute("aria-label") || el.name || "").trim();
      small.push(`${el.tagName.toLowerCase()} "${name.slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
PASSWORD = "a-long-enough-pw"

AXE = Axe()


def axe_problems(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines()[1:3])
    return "\n".join(lines)


@dataclass
class Person:
    """One partner's browser tab. Every page they land on is audited with axe-core; a
    navigation that reaches a page nobody audited fails the test at the next audit or at
    the end (see `arrived` and `finish`)."""

    name: str
    email: str
    page: Page
    base_url: str
    shots: Path
    phone: bool
    unaudited: list[str] = dataclass_field(default_factory=list)
    findings: dict[str, list[dict]] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        self.page.on("framenavigated", self._navigated)

    def _is_main_frame(self, frame) -> bool:
        return frame is self.page.main_frame

    def _navigated(self, frame) -> None:
        if self._is_main_frame(frame) and "#" not in frame.url:
            self.unaudited.append(frame.url)

    # --- moving around ------------------------------------------------------------
    def open(self, path_or_url: str, shot: str | None = None) -> None:
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        self.page.goto(url)
        self.arrived(shot)

    def follow(self, target: Locator, shot: str | None = None) -> None:
        """Click a link or a submit button and audit the page it leads to."""
        with self.page.expect_event("framenavigated", self._is_main_frame):
            target.click()
        self.arrived(shot)

    def nav(self, label: str, shot: str | None = None) -> None:
        """Use the main navigation: the top bar on a desktop, the bottom bar on a phone."""
        self.follow(self.nav_link(label), shot)

    def nav_link(self, label: str) -> Locator:
        # Only the visible navigation bar's links are in the accessibility tree.
        menus = self.page.get_by_role("navigation", name=re.compile(r"^Main"))
        return menus.get_by_role("link", name=re.compile(rf"^{re.escape(label)}\b"))

    def reload(self, shot: str | None = None) -> None:
        self.page.reload()
        self.arrived(shot)

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def link(self, name: str, *, starting: bool = False) -> Locator:
        """A link by its whole accessible name, or by how that name starts."""
        if starting:
            return self.page.get_by_role("link", name=re.compile(rf"^{re.escape(name)}"))
        return self.page.get_by_role("link", name=name, exact=True)

    def field(self, label: str) -> Locator:
        """A form field by its label (required fields' labels end with an asterisk)."""
        return self.page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))

    # --- checks -------------------------------------------------------------------
    def arrived(self, shot: str | None = None) -> None:
        self.page.wait_for_load_state("load")
        skipped = self.unaudited[:-1]
        assert not skipped, f"{self.name} passed pages that were not audited: {skipped}"
        self.unaudited.clear()
        self.audit()
        if shot:
            self.shots.mkdir(parents=True, exist_ok=True)
            number = len(list(self.shots.glob("*.png"))) + 1
            self.page.screenshot(path=self.shots / f"{number:02d}-{shot}.png", full_page=True)

    def audit(self) -> None:
        where = self.page.url.removeprefix(self.base_url)
        # A page title tells a screen reader (and a tab bar) where you are: plain words.
        title = self.page.title()
        assert re.fullmatch(r"[^<>\s][^<>]* · Kindling", title), f"page title on {where}: {title!r}"
        results = AXE.run(self.page, options=AXE_OPTIONS).response
        violations = results["violations"]
        # Below "serious", and what axe could not decide (text over a gradient), is kept
        # for a person to review, next to the screenshots.
        for kind in ("violations", "incomplete"):
            for item in results[kind]:
                self.findings.setdefault(where, []).append(
                    {
                        "rule": item["id"],
                        "impact": item["impact"],
                        "result": kind,
                        "nodes": [node["html"][:200] for node in item["nodes"]],
                    }
                )
        serious = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if serious:
            pytest.fail(
                f"axe-core found serious or critical problems for {self.name} on {where}:\n"
                + axe_problems(serious),
                pytrace=False,
            )
        if self.phone and (small := self.page.evaluate(SMALL_TAP_TARGETS)):
            pytest.fail(f"tap targets under 44 px on {where}: {small}", pytrace=False)

    def finish(self, *, check: bool) -> None:
        """Keep axe's lesser findings next to the screenshots; with `check` (the test
        passed), fail if the last page reached was never audited."""
        if self.findings:
            self.shots.mkdir(parents=True, exist_ok=True)
            report = self.shots / f"axe-{self.name.lower()}.json"
            report.write_text(json.dumps(self.findings, indent=2))
        if check:
            assert not self.unaudited, f"{self.name} reached pages never audited: {self.unaudited}"

    # --- the account pages --------------------------------------------------------
    def sign_up(self, display_name: str, zone: str) -> None:
        """Fill in the sign-up form, on the page that shows it."""
        self.field("Email").fill(self.email)
        self.field("Password").fill(PASSWORD)
        self.field("Password (again)").fill(PASSWORD)
        self.field("Your name").fill(display_name)
        # The browser's own zone is preselected by static/js/kindling.js.
        assert self.field("Your time zone").input_value() == zone
        self.follow(self.button("Sign up"), "check-your-email")

    def verify_email(self) -> None:
        """Open the newest verification link sent to this person and confirm it."""
        link = email_link(self.email, r"/accounts/confirm-email/\S+")
        self.open(link, "confirm-email")
        self.follow(self.button("Confirm"))

    def sign_in_with_cookie(self, user, shot: str | None = None) -> None:
        """Skip the login form (test_linking uses it): hand the browser a session cookie
        for `user` and open their home page."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.base_url, "httpOnly": True}]
        )
        self.open("/home/", shot)

    def log_in(self) -> None:
        """Fill in the login form, on the page that shows it."""
        self.field("Email").fill(self.email)
        self.field("Password").fill(PASSWORD)
        self.follow(self.button("Log in"))


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def email_link(address: str, path_pattern: str) -> str:
    """The newest absolute link matching `path_pattern` in an email to `address`."""
    for message in reversed(emails_to(address)):
        if found := re.search(rf"https?://[^\s/]+{path_pattern}", message.body):
            return found.group(0)
    raise AssertionError(f"no email to {address} with a link like {path_pattern}")
