"""The dark theme follows the system's preference; its colours get the same axe audit.
One walk over the main pages with something on each of them, at phone size, where dark
mode is most used."""

import datetime as dt

import pytest
from django.utils import timezone

from practices import services

from ..factories import date_night, note
from .browser import needs_chromium

pytestmark = needs_chromium


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_main_pages_pass_axe_in_dark_mode(person, couple, alice, bob):
    past = date_night(
        couple, bob, title="Night walk", starts_at=timezone.now() - dt.timedelta(days=2)
    )
    services.set_date_status(past, "done")
    services.reflect_on_date(past, bob, 5, "The stars were out.")
    date_night(couple, alice, title="Pottery class", place="Studio 4")
    question = services.todays_question(couple)
    services.answer_question(question, bob, "Our first dance in the kitchen.")
    services.answer_question(question, alice, "The long drive to the sea.")
    received = note(couple, bob, "Thank you for the flowers.")
    note(couple, alice, "Thank you for listening last night.", reaction="hug")

    visitor = person("Visitor", "visitor@example.com", "Europe/London", color_scheme="dark")
    for path, shot in (("/", "landing"), ("/accounts/signup/", "sign-up")):
        visitor.open(path, shot)
    visitor.open("/accounts/login/", "log-in")
    visitor.follow(visitor.button("Log in"), "log-in-errors")

    tab = person("Alice", alice.email, alice.timezone, color_scheme="dark")
    tab.sign_in_with_cookie(alice, "home")
    for path, shot in (
        ("/notes/", "notes"),
        (f"/notes/{received.pk}/", "note"),
        ("/notes/sent/", "notes-sent"),
        ("/question/", "question"),
        ("/question/history/", "history"),
        ("/prompts/", "question-library"),
        ("/dates/", "dates"),
        (f"/dates/{past.pk}/", "date-past"),
        ("/dates/new/", "plan-date"),
        ("/ideas/", "ideas"),
        ("/settings/", "settings"),
        ("/couple/", "couple-profile"),
        ("/couple/end/", "end-couple"),
    ):
        tab.open(path, shot)
    tab.open("/notes/new/", "write-note")
    tab.follow(tab.button("Send note"), "write-note-errors")
