"""Every form, fed bad input: a clear message on the page, nothing saved, and nothing the
person typed lost (the form comes back filled in, with any HTML shown escaped)."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from feelings.closeness import KEYS as CLOSENESS_KEYS
from tests.factories import date_night, note
from tests.test_urls import snapshot

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
FUTURE_DAY = (timezone.now() + dt.timedelta(days=40)).date().isoformat()


def over(n):
    return "x" * (n + 1)


# (form, URL name, url args from space, valid data, [(changes, expected message, kept text)])
FORMS = [
    (
        "profile",
        "couples:settings",
        None,
        {"display_name": "Alice B", "timezone": "Europe/Paris"},
        [
            ({"display_name": ""}, "Please enter a name", None),
            ({"display_name": over(40)}, "at most 40 characters", None),
            ({"timezone": "Europe/Atlantis"}, "is not a time zone we know", "Alice B"),
            ({"display_name": SCRIPT, "timezone": "Nowhere"}, "not a time zone", ESCAPED),
            ({"language": "xx"}, "We do not offer that language", "Alice B"),
        ],
    ),
    (
        "couple profile",
        "couples:couple",
        None,
        {"name": "Us two", "together_since": "2019-01-01", "timezone": "Europe/London"},
        [
            ({"name": over(60)}, "at most 60 characters", None),
            ({"together_since": "2999-01-01"}, "in the future", "Us two"),
            ({"together_since": "yesterday"}, "Enter a valid date", "Us two"),
            ({"timezone": "Mars/Base"}, "is not a time zone we know", "Us two"),
            ({"name": SCRIPT, "timezone": "Mars/Base"}, "not a time zone", ESCAPED),
        ],
    ),
    (
        "note",
        "practices:note_new",
        None,
        {"body": "Thank you", "when": "now"},
        [
            ({"body": ""}, "cannot be empty", None),
            ({"body": over(2000)}, "at most 2000 characters", None),
            (
                {"when": "later", "deliver_on": "2020-01-01", "deliver_time": "09:00"},
                "already passed",
                "Thank you",
            ),
            ({"when": "later", "deliver_time": "09:00"}, "Choose the day", "Thank you"),
            ({"body": SCRIPT, "when": "later"}, "Choose the day", ESCAPED),
        ],
    ),
    (
        "scheduled note edit",
        "practices:note_edit",
        lambda s: [s["scheduled"].pk],
        {"body": "Rewritten", "when": "later", "deliver_on": FUTURE_DAY, "deliver_time": "10:00"},
        [
            ({"body": "   "}, "cannot be empty", None),
            ({"deliver_on": "2021-02-02"}, "already passed", "Rewritten"),
        ],
    ),
    (
        "answer",
        "practices:answer",
        lambda s: [s["question"].pk],
        {"body": "My answer"},
        [
            ({"body": ""}, "cannot be empty", None),
            ({"body": over(2000)}, "at most 2000 characters", None),
        ],
    ),
    (
        "own prompt",
        "practices:prompt_new",
        None,
        {"text": "What made you laugh today?", "tip": "talk", "depth": "light"},
        [
            ({"text": ""}, "cannot be empty", None),
            ({"text": over(300)}, "at most 300 characters", None),
            ({"tip": "romance"}, "Select a valid choice", "What made you laugh today?"),
            ({"text": SCRIPT, "depth": "bottomless"}, "Select a valid choice", ESCAPED),
        ],
    ),
    (
        "date night",
        "practices:date_new",
        None,
        {
            "title": "Stargazing",
            "day": FUTURE_DAY,
            "time": "21:00",
            "timezone": "Europe/London",
            "place": "The hill",
            "notes": "",
            "idea": "",
        },
        [
            ({"title": ""}, "Give your plan a title", "The hill"),
            ({"title": over(120)}, "at most 120 characters", None),
            ({"place": over(200)}, "at most 200 characters", "Stargazing"),
            ({"day": "2020-05-05"}, "already passed", "Stargazing"),
            ({"timezone": "Narnia/Cair_Paravel"}, "is not a time zone we know", "Stargazing"),
            ({"idea": "987654"}, "That date idea does not exist", "Stargazing"),
            ({"title": SCRIPT, "day": "2020-05-05"}, "already passed", ESCAPED),
        ],
    ),
    (
        "date night edit",
        "practices:date_edit",
        lambda s: [s["date"].pk],
        {"title": "Moved picnic", "day": FUTURE_DAY, "time": "12:00", "timezone": "UTC"},
        [
            ({"day": "2020-05-05"}, "already passed", "Moved picnic"),
            ({"timezone": "Atlantis"}, "is not a time zone we know", "Moved picnic"),
        ],
    ),
    (
        "reminder settings",
        "reminders:settings",
        None,
        {
            "nudges_enabled": "on",
            "days": ["0", "2"],
            "send_time": "19:00",
            "timezone": "Europe/London",
            "tips": ["talk", "gratitude"],
            "note_alerts": "on",
            "date_reminders": "on",
            "date_lead_hours": "24",
            "digest_enabled": "on",
        },
        [
            ({"days": []}, "Pick at least one day", None),
            ({"tips": []}, "Pick at least one tip", None),
            ({"send_time": "25:99"}, "That is not a time of day", None),
            ({"send_time": ""}, "Enter a time", None),
            ({"timezone": "Europe/Nowhere"}, "is not a time zone we know", None),
            ({"days": ["9"]}, "Select a valid choice", None),
            ({"date_lead_hours": "-3"}, "Select a valid choice", None),
        ],
    ),
    (
        "pause until",
        "reminders:pause_mine",
        None,
        {"until": FUTURE_DAY},
        [
            ({"until": "2020-01-01"}, "already come", None),
            ({"until": "3030-01-01"}, "more than a year away", None),
            ({"until": "soon"}, "Enter a date", None),
        ],
    ),
    (
        "thank-you for a note",
        "practices:note_thank",
        lambda s: [s["received"].pk],
        {"thanks": "You made my morning."},
        [
            ({"thanks": ""}, "Please write your thank-you first", None),
            ({"thanks": "   "}, "cannot be empty", None),
            ({"thanks": over(500)}, "at most 500 characters", None),
            ({"thanks": SCRIPT + over(500)}, "at most 500 characters", ESCAPED),
        ],
    ),
    (
        "phones-away minutes",
        "practices:phones_away_edit",
        lambda s: [s["past_date"].pk],
        {"minutes": "90"},
        [
            ({"minutes": "-5"}, "between 0 and 720 minutes", "-5"),
            ({"minutes": "3000"}, "between 0 and 720 minutes", "3000"),
            ({"minutes": "lots"}, "Write a whole number of minutes", None),
            ({"minutes": ""}, "Write how many minutes", None),
        ],
    ),
    (
        "email or push",
        "reminders:channels",
        None,
        {
            "nudge": "both",
            "note": "both",
            "date": "both",
            "digest": "email",
            "checkin": "both",
            "thinking": "both",
            "weekly": "both",
            "monthly": "both",
        },
        [
            ({"note": "pigeon"}, "Pick email, push, or both.", None),
            ({"digest": ""}, "This field is required", None),
            ({"nudge": SCRIPT}, "Pick email, push, or both.", None),
        ],
    ),
    (
        "end couple",
        "couples:end",
        None,
        {"confirm": "end"},
        [({"confirm": "nope"}, "Type the word “end”", None)],
    ),
    (
        "feelings check-in",
        "feelings:new",
        lambda s: ["uneasy"],
        {"feeling": "anxious", "intensity": "4", "line": "Long day", "visibility": "shared"},
        [
            ({"line": over(500)}, "at most 500 characters", None),
            ({"feeling": "euphoric"}, "Pick a feeling from the wheel", "Long day"),
            ({"feeling": "delighted"}, "Pick a feeling from the wheel", "Long day"),
            ({"feeling": ""}, "Pick the word that fits best", "Long day"),
            ({"intensity": "0"}, "Pick an intensity from 1 to 5", "Long day"),
            ({"intensity": "6"}, "Pick an intensity from 1 to 5", "Long day"),
            ({"would_like": "money"}, "Pick one of the listed ways to help", "Long day"),
            ({"visibility": "everyone"}, "Choose to share it or keep it", "Long day"),
            ({"line": SCRIPT, "intensity": "9"}, "Pick an intensity from 1 to 5", ESCAPED),
        ],
    ),
    (
        "check-in response",
        "feelings:respond",
        lambda s: [s["checkin"].pk],
        {"reply": "hear", "body": ""},
        [
            ({"reply": "", "body": "  "}, "Pick a response or write a few words", None),
            ({"reply": "", "body": over(500)}, "at most 500 characters", None),
            ({"reply": "shrug"}, "Pick one of the listed responses", None),
            ({"reply": "shrug", "body": SCRIPT}, "Pick one of the listed responses", ESCAPED),
        ],
    ),
    (
        "hope, dream or worry",
        "feelings:hopes",
        None,
        {"kind": "dream", "body": "A cabin by a lake", "share": "now"},
        [
            ({"body": "   "}, "cannot be empty", None),
            ({"body": over(1000)}, "at most 1000 characters", None),
            ({"kind": "fear"}, "Choose a hope, a dream or a worry", "A cabin by a lake"),
            ({"share": "maybe"}, "Choose to share it now or keep it", "A cabin by a lake"),
            ({"body": SCRIPT, "kind": "fear"}, "Choose a hope, a dream or a worry", ESCAPED),
        ],
    ),
    (
        "hope response",
        "feelings:hope_respond",
        lambda s: [s["hope"].pk],
        {"reply": "make", "body": "", "target_month": ""},
        [
            ({"reply": ""}, "Pick a response or write a few words", None),
            ({"reply": "", "body": over(500)}, "at most 500 characters", None),
            ({"reply": "shrug"}, "Pick one of the listed responses", None),
            ({"reply": "with_you"}, "That response is for a worry", None),
            ({"target_month": "someday"}, "Enter a month like 2027-06", None),
            ({"reply": "", "body": SCRIPT, "target_month": "x"}, "Enter a month", ESCAPED),
        ],
    ),
    (
        "closeness check-in",
        "feelings:closeness",
        None,
        {key: "3" for key in CLOSENESS_KEYS},
        [
            ({CLOSENESS_KEYS[0]: "0"}, "Rate this statement from 1 to 5", None),
            ({CLOSENESS_KEYS[1]: "6"}, "Rate this statement from 1 to 5", None),
            ({CLOSENESS_KEYS[2]: ""}, "Rate this statement from 1 to 5", None),
        ],
    ),
    (
        "own ritual",
        "rituals:new",
        None,
        {"title": "Tea on the step", "why": "Calm", "tip": "physical"},
        [
            ({"title": "  "}, "cannot be empty", None),
            ({"title": over(120)}, "at most 120 characters", None),
            ({"why": over(200)}, "at most 200 characters", "Tea on the step"),
            ({"tip": "cuddles"}, "Pick one of the five tips", "Tea on the step"),
            ({"title": SCRIPT, "tip": "cuddles"}, "Pick one of the five tips", ESCAPED),
        ],
    ),
    (
        "learn-together item",
        "rituals:learn",
        None,
        {"title": "Tango", "target_month": "2027-05"},
        [
            ({"title": ""}, "cannot be empty", None),
            ({"title": over(120)}, "at most 120 characters", None),
            ({"target_month": "2027-13"}, "Enter a month like 2027-03", "Tango"),
            ({"target_month": "1999-01"}, "within the next ten years", "Tango"),
            ({"title": SCRIPT, "target_month": "soon"}, "Enter a month like", ESCAPED),
        ],
    ),
    (
        "learn-together reflection",
        "rituals:learn_reflect",
        lambda s: [s["learn_done"].pk],
        {"body": "We laughed a lot"},
        [
            ({"body": " "}, "cannot be empty", None),
            ({"body": over(1000)}, "at most 1000 characters", None),
        ],
    ),
]


FORMS += [
    (
        "weekly time",
        "ourweek:time",
        None,
        {"weekday": "5", "at": "10:00"},
        [
            ({"weekday": "7"}, "Select a valid choice", None),
            ({"weekday": SCRIPT}, "Select a valid choice", None),
            ({"at": "25:00"}, "Enter a valid time", None),
        ],
    ),
    (
        "weekly appreciation",
        "ourweek:step",
        lambda s: [s["week"].pk, 1],
        {"action": "save", "mine": "Thank you"},
        [
            ({"mine": over(300)}, "up to 300 characters", None),
            ({"mine": SCRIPT, "theirs": over(300)}, "up to 300 characters", ESCAPED),
        ],
    ),
    (
        "weekly timer",
        "ourweek:step",
        lambda s: [s["week"].pk, 3],
        {"action": "minutes", "minutes": "5"},
        [
            ({"minutes": "0"}, "Pick between 1 and 60 minutes", None),
            ({"minutes": "600"}, "Pick between 1 and 60 minutes", None),
            ({"minutes": SCRIPT}, "Minutes are a whole number", None),
        ],
    ),
]

# Forms for someone still waiting for a partner.
SINGLE_FORMS = [
    (
        "pairing code",
        "couples:join",
        None,
        {"code": "ABCD-EFGH"},
        [
            ({"code": ""}, "This field is required", None),
            ({"code": SCRIPT[:20]}, "does not match", None),
        ],
    ),
    (
        "invite by email",
        "couples:invite",
        None,
        {"action": "email", "email": "partner@example.com"},
        [
            ({"email": ""}, "This field is required", None),
            ({"email": "partner@"}, "Enter a valid email address", "partner@"),
            ({"email": over(254) + "@example.com"}, "at most 254 characters", None),
        ],
    ),
]


@pytest.fixture
def space(couple, alice, bob):
    from feelings import services as feelings
    from practices import services
    from reminders.services import ensure_preference

    ensure_preference(alice)
    return {
        "scheduled": note(couple, alice, "Draft", deliver_at=timezone.now() + dt.timedelta(days=3)),
        "question": services.todays_question(couple),
        "date": date_night(couple, alice),
        "checkin": feelings.check_in(couple, bob, feeling="tired", intensity=2),
        "hope": feelings.add_hope(couple, bob, kind="dream", body="Sailing", share=True),
        "received": note(couple, couple.partner_of(alice), "For you"),
        "past_date": date_night(couple, alice, starts_at=timezone.now() - dt.timedelta(hours=2)),
        "week": _week_on_step_3(couple),
        "learn_done": _done_item(couple, alice),
    }


def _week_on_step_3(couple):
    from ourweek import services
    from ourweek.models import Week

    week = services.start_week(couple)
    Week.objects.filter(pk=week.pk).update(step=3)
    return week


def _done_item(couple, alice):
    from rituals import services

    item = services.add_item(couple, alice, "Dumplings", None)
    services.set_status(item, "done")
    return item


CASES = [
    pytest.param(who, url, args, valid, changes, message, kept, id=f"{form}: {message}")
    for who, forms in (("alice", FORMS), ("charlie", SINGLE_FORMS))
    for form, url, args, valid, mutations in forms
    for changes, message, kept in mutations
]


@pytest.mark.parametrize(("who", "url", "args", "valid", "changes", "message", "kept"), CASES)
def test_bad_input_gets_a_clear_message_saves_nothing_and_loses_nothing(
    space, alice_client, charlie_client, who, url, args, valid, changes, message, kept
):
    client = {"alice": alice_client, "charlie": charlie_client}[who]
    before = snapshot()
    response = client.post(reverse(url, args=args(space) if args else None), {**valid, **changes})
    assert response.status_code in (200, 400), response.get("Location")
    assert message in response.text
    assert SCRIPT not in response.text
    if kept:
        assert kept in response.text
    assert snapshot() == before


def test_signup_bad_input_gets_messages_and_creates_no_account(client):
    from couples.models import User

    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-long-enough-pw",
            "password2": "a-long-enough-pw",
            "display_name": SCRIPT,
            "timezone": "Nowhere/Land",
        },
    )
    assert "is not a time zone we know" in response.text
    assert SCRIPT not in response.text and ESCAPED in response.text
    assert "new@example.com" in response.text
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a",
            "password2": "b",
            "display_name": over(40),
            "timezone": "UTC",
        },
    )
    assert "at most 40 characters" in response.text
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize("who", ["visitor", "alice"])
def test_an_unknown_language_in_the_footer_form_is_refused_and_saves_nothing(
    client, alice_client, who
):
    from django.conf import settings

    client = {"visitor": client, "alice": alice_client}[who]
    before = snapshot()
    response = client.post(reverse("set_language"), {"language": "xx"}, follow=True)
    assert "We do not offer that language" in response.text
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert snapshot() == before


def test_a_bad_reaction_or_rating_changes_nothing(space, couple, alice, bob_client):
    received = note(couple, alice)
    before = snapshot()
    bob_client.post(reverse("practices:note_react", args=[received.pk]), {"reaction": SCRIPT})
    past = space["date"]
    past.starts_at = timezone.now() - dt.timedelta(hours=2)
    past.save()
    before = snapshot()
    response = bob_client.post(
        reverse("practices:date_reflect", args=[past.pk]),
        {"rating": "11", "body": "ok"},
        follow=True,
    )
    assert "Choose how it was" in response.text
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        json.dumps({"endpoint": "http://push.example.org/x", "keys": {"p256dh": "a", "auth": "b"}}),
        json.dumps({"endpoint": "https://127.0.0.1/x", "keys": {"p256dh": "a", "auth": "b"}}),
        json.dumps({"endpoint": "https://push.example.org/" + over(1000), "keys": {}}),
        json.dumps({"endpoint": SCRIPT, "keys": {"p256dh": SCRIPT, "auth": SCRIPT}}),
    ],
)
def test_a_bad_push_subscription_is_refused_and_saves_nothing(space, alice_client, body):
    before = snapshot()
    response = alice_client.post(
        reverse("reminders:push_subscribe"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert SCRIPT not in response.text
    assert snapshot() == before


def test_rituals_refuse_unknown_and_other_couples_ids_and_a_fourth_thinking_of_you(
    couple, alice, bob, alice_client, charlie
):
    from rituals import services
    from rituals.models import Ritual
    from tests.factories import UserFactory, link

    other = link(charlie, UserFactory())
    theirs = Ritual.objects.create(couple=other, author=charlie, title="Theirs")
    choice = services.propose(other, charlie, theirs)
    before = snapshot()
    for name, pk in (
        ("rituals:propose", 999999),
        ("rituals:done", 999999),
        ("rituals:propose", theirs.pk),
        ("rituals:done", theirs.pk),
        ("rituals:accept", choice.pk),
        ("rituals:retire", choice.pk),
    ):
        assert alice_client.post(reverse(name, args=[pk])).status_code == 404, name
    assert snapshot() == before

    for _ in range(3):
        services.send_thinking(couple, alice, bob)
    before = snapshot()
    response = alice_client.post(reverse("rituals:thinking"), follow=True)
    assert "You have sent three today" in response.text
    assert snapshot() == before


def test_a_bad_learn_status_changes_nothing(couple, alice, alice_client):
    from rituals import services

    item = services.add_item(couple, alice, "Tango", None)
    before = snapshot()
    response = alice_client.post(
        reverse("rituals:learn_status", args=[item.pk]), {"status": SCRIPT}, follow=True
    )
    assert "Pick someday, started or done." in response.text
    assert SCRIPT not in response.text
    assert snapshot() == before
