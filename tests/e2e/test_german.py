"""Kindling in German, as a browser that asks for it (Accept-Language de-DE) shows it: two
people sign up, link by an emailed invitation, write a note, answer the daily question and
open their reminder settings. No page may show an English word left over.

The journey finds its way by URL and form field names, not by English labels, and reads
every page it reaches: the visible text, the title, and the aria-labels, placeholders and
titles a screen reader or a pointer shows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import pytest

from couples.models import Couple
from practices.models import Answer, GratitudeNote

from .browser import SCREENSHOTS, VIEWPORTS, Person, email_link, needs_chromium

pytestmark = needs_chromium

# Words of the interface that are English and neither German nor Spanish ("Partner",
# "Date", "Check-in", "Push" and "Kindling" are all three). Matched as whole words, in any case.
ENGLISH = [
    "the",
    "your",
    "you",
    "with",
    "and",
    "what",
    "today",
    "write",
    "save",
    "send",
    "settings",
    "question",
    "questions",
    "answer",
    "reminders",
    "reminder",
    "notes",
    "invite",
    "invitation",
    "sign up",
    "log in",
    "log out",
    "welcome",
    "password",
    "email address",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "June",
    "July",
    "October",
    "December",
]
ENGLISH_WORD = re.compile(r"\b(" + "|".join(map(re.escape, ENGLISH)) + r")\b", re.IGNORECASE)
# What a page shows besides its text: its title, and labels that are read out or hovered.
PAGE_WORDS = """() => [
  document.title,
  document.body.innerText,
  ...[...document.querySelectorAll("[aria-label], [placeholder], [title], [alt]")]
    .filter((el) => el.getClientRects().length || el.tagName === "IMG")
    .flatMap((el) => ["aria-label", "placeholder", "title", "alt"].map((a) => el.getAttribute(a)))
    .filter(Boolean),
].join("\\n")"""

# What the two type is German too, so any English on a page came from Kindling.
NOTE = "Danke, dass du heute früh mit dem Hund rausgegangen bist."
ANSWER = "Unser erster Urlaub, als das Zelt nass wurde und wir trotzdem gelacht haben."


@dataclass
class GermanReader(Person):
    """A Person whose every page is also read for English words."""

    # Per page, each English word found and the first line it was found in.
    english: dict[str, dict[str, str]] = dataclass_field(default_factory=dict)

    def audit(self) -> None:
        super().audit()
        where = self.page.url.removeprefix(self.base_url)
        # Screen readers pick their voice by the page's language.
        if (lang := self.page.locator("html").get_attribute("lang")) != "de":
            self.english.setdefault(where, {})["<html lang>"] = repr(lang)
        text = self.page.evaluate(PAGE_WORDS)
        for line in text.splitlines():
            for word in ENGLISH_WORD.findall(line):
                self.english.setdefault(where, {}).setdefault(word.lower(), line.strip()[:100])


@pytest.fixture
def german(request, browser, site) -> Iterator[Callable[[str, str, str], GermanReader]]:
    """A phone browser set to German, for a name, an email and a time zone."""
    people: list[GermanReader] = []
    contexts = []

    def open_browser(name: str, email: str, zone: str) -> GermanReader:
        context = browser.new_context(**VIEWPORTS["phone"], timezone_id=zone, locale="de-DE")
        context.set_default_timeout(10_000)
        contexts.append(context)
        shots = SCREENSHOTS / "german" / name.lower()
        for old in shots.glob("*"):
            old.unlink()
        someone = GermanReader(name, email, context.new_page(), site, shots, phone=True)
        people.append(someone)
        return someone

    yield open_browser
    try:
        for someone in people:
            someone.finish(check=getattr(request.node, "e2e_call_passed", False))
    finally:
        for context in contexts:
            context.close()


def submit(tab: Person, form: str, shot: str | None = None) -> None:
    """Press the submit button of the form matched by the CSS selector `form`."""
    tab.follow(tab.page.locator(f"{form} [type=submit]").first, shot)


def sign_up_and_verify(tab: Person, name: str) -> None:
    """On the sign-up page: fill it in (the time zone is preselected), then confirm the
    emailed address."""
    page = tab.page
    page.locator("input[name=email]").fill(tab.email)
    page.locator("input[name=password1]").fill("ein-langes-passwort")
    page.locator("input[name=password2]").fill("ein-langes-passwort")
    page.locator("input[name=display_name]").fill(name)
    submit(tab, "form:has(input[name=password1])", "check-your-email")
    tab.open(email_link(tab.email, r"/accounts/confirm-email/\S+"), "confirm-email")
    submit(tab, "main form[method=post]")


def test_a_german_couple_sees_kindling_in_german(german, mailoutbox):
    alice = german("Alice", "alice@example.com", "Europe/Berlin")
    bob = german("Bob", "bob@example.com", "Europe/Vienna")

    alice.open("/", "landing")
    alice.follow(alice.page.locator("main a[href$='/accounts/signup/']").first, "sign-up")
    sign_up_and_verify(alice, "Alice")
    alice.open("/invite/", "invite")
    alice.page.locator("input[name=email]").fill(bob.email)
    alice.follow(alice.page.locator("button[name=action][value=email]"), "invitation-sent")

    bob.open(email_link(bob.email, r"/invite/[\w-]+/"), "invitation")
    bob.follow(bob.page.locator("main a[href*='/accounts/signup/']").first, "sign-up")
    sign_up_and_verify(bob, "Bob")
    submit(bob, "main form[method=post]", "home")
    couple = Couple.objects.get(memberships__user__email=bob.email)
    assert sorted(m.user.email for m in couple.memberships.all()) == [alice.email, bob.email]

    alice.open("/notes/new/", "write-note")
    alice.page.locator("textarea[name=body]").fill(NOTE)
    submit(alice, "main form[method=post]:has(textarea[name=body])", "note-sent")
    assert GratitudeNote.objects.get(couple=couple).body == NOTE
    alice.open("/question/", "question")
    alice.page.locator("textarea[name=body]").fill(ANSWER)
    submit(alice, "form[action*='/answer/']", "question-answered")
    assert Answer.objects.get(user__email=alice.email).body == ANSWER
    alice.open("/settings/", "settings")
    alice.open("/reminders/", "reminders")

    bob.open("/home/", "home-with-note")
    bob.open("/notes/", "inbox")
    bob.open("/question/", "question-partner-answered")

    english = {
        f"{tab.name} on {where}": found
        for tab in (alice, bob)
        for where, found in tab.english.items()
    }
    assert not english, "English on German pages:\n" + "\n".join(
        f"{where}:\n" + "\n".join(f"    {word}: {line!r}" for word, line in found.items())
        for where, found in english.items()
    )
