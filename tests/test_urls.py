"""Walk every URL pattern: anonymous visitors are sent to log in (except an explicit
allowlist), strangers get 404 on every object URL and method, and nothing changes. A new
URL without a case here fails the first test."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from couples import services
from couples.models import Couple, Invitation, Membership, User
from feelings import services as feelings
from feelings.models import CheckIn, CheckInResponse, ClosenessAnswer, Hope, HopeResponse
from ourweek import services as ourweek
from ourweek.models import Line, Week, WeeklyTime, Wish
from practices import services as practices
from practices.models import (
    Answer,
    CalendarFeed,
    DailyQuestion,
    DateNight,
    DateReflection,
    FavoritePrompt,
    GratitudeNote,
    Prompt,
)
from reminders.models import Nudge, PushSubscription, ReminderPreference
from rituals import services as rituals
from rituals.models import (
    Choice,
    LearnItem,
    LearnReflection,
    Moment,
    Ritual,
    ThinkingOfYou,
    WarmMoment,
    WarmTouchPlan,
)
from tests.conftest import client_for
from tests.factories import UserFactory, date_night, link, note

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    kind: str  # public | token | private | object
    kwargs: object = None  # space -> URL kwargs, for object and token URLs
    methods: tuple = ("get", "post")
    data: dict = field(default_factory=dict)


PUBLIC = Case("public", methods=("get",))
PRIVATE = Case("private")


def obj(kwargs, methods=("get", "post"), **data):
    return Case("object", kwargs, methods, data)


def pk(name):
    return lambda s: {"pk": s[name].pk}


def archive(name=None):
    if name is None:
        return lambda s: {"couple_id": s["couple"].pk}
    return lambda s: {"couple_id": s["couple"].pk, "pk": s[name].pk}


CASES = {
    "": PUBLIC,
    "healthz": PUBLIC,
    "i18n/setlang/": Case("public", methods=("post",)),
    "invite/<str:token>/": Case("token", lambda s: {"token": "not-a-real-token"}),
    "calendar/<str:token>.ics": Case("token", lambda s: {"token": "not-a-real-token"}, ("get",)),
    "join/invitation/": Case("token", lambda s: {}),  # none pending in a stranger's session
    "reminders/unsubscribe/<str:token>/": Case("token", lambda s: {"token": "not-a-real-token"}),
    "reminders/pause/<str:token>/": Case("token", lambda s: {"token": "not-a-real-token"}),
    "settings/": PRIVATE,
    "settings/export/": PRIVATE,
    "settings/delete/": PRIVATE,
    "invite/": PRIVATE,
    "join/": PRIVATE,
    "couple/": PRIVATE,
    "couple/end/": PRIVATE,
    "home/": PRIVATE,
    "notes/": PRIVATE,
    "notes/sent/": PRIVATE,
    "notes/new/": PRIVATE,
    "question/": PRIVATE,
    "question/history/": PRIVATE,
    "prompts/": PRIVATE,
    "prompts/new/": PRIVATE,
    "dates/": PRIVATE,
    "dates/new/": PRIVATE,
    "ideas/": PRIVATE,
    "dates/calendar/": PRIVATE,
    "reminders/": PRIVATE,
    "reminders/pause/": PRIVATE,
    "invite/<int:pk>/withdraw/": obj(pk("invitation"), ("post",)),
    "archive/<uuid:couple_id>/": obj(archive(), ("get",)),
    "notes/<int:pk>/": obj(pk("note"), ("get",)),
    "notes/<int:pk>/edit/": obj(pk("scheduled"), body="x", when="now"),
    "notes/<int:pk>/cancel/": obj(pk("scheduled"), ("post",)),
    "notes/<int:pk>/react/": obj(pk("note"), ("post",), reaction="hug"),
    "question/<int:pk>/": obj(pk("question"), ("get",)),
    "question/<int:pk>/answer/": obj(pk("question"), ("post",), body="intruder"),
    "question/<int:pk>/swap/": obj(pk("question"), ("post",)),
    "question/<int:pk>/talked/": obj(pk("question"), ("post",)),
    "prompts/<int:pk>/favorite/": obj(pk("prompt"), ("post",)),
    "prompts/<int:pk>/ask/": obj(pk("prompt"), ("post",)),
    "dates/<int:pk>/": obj(pk("date"), ("get",)),
    "dates/<int:pk>/date.ics": obj(pk("date"), ("get",)),
    "dates/<int:pk>/edit/": obj(
        pk("date"), title="x", day="2027-06-01", time="10:00", timezone="UTC"
    ),
    "dates/<int:pk>/status/": obj(pk("date"), ("post",), status="cancelled"),
    "dates/<int:pk>/reflect/": obj(pk("past_date"), ("post",), rating="1"),
    "archive/<uuid:couple_id>/notes/": obj(archive(), ("get",)),
    "archive/<uuid:couple_id>/notes/sent/": obj(archive(), ("get",)),
    "archive/<uuid:couple_id>/notes/<int:pk>/": obj(archive("note"), ("get",)),
    "archive/<uuid:couple_id>/question/history/": obj(archive(), ("get",)),
    "archive/<uuid:couple_id>/question/<int:pk>/": obj(archive("question"), ("get",)),
    "archive/<uuid:couple_id>/dates/": obj(archive(), ("get",)),
    "archive/<uuid:couple_id>/dates/<int:pk>/": obj(archive("date"), ("get",)),
    "archive/<uuid:couple_id>/dates/<int:pk>/date.ics": obj(archive("date"), ("get",)),
    "feelings/": PRIVATE,
    "feelings/new/<str:core>/": Case("private", lambda s: {"core": "calm"}),
    "feelings/history/": PRIVATE,
    "feelings/<int:pk>/": obj(pk("checkin"), ("get",)),
    "feelings/<int:pk>/respond/": obj(pk("checkin"), ("post",), reply="hug"),
    "feelings/hopes/": PRIVATE,
    "feelings/hopes/<int:pk>/share/": obj(pk("draft"), ("post",)),
    "feelings/hopes/<int:pk>/respond/": obj(pk("hope"), ("post",), reply="more"),
    "feelings/hopes/<int:pk>/settle/": obj(pk("hope"), ("post",)),
    "feelings/closeness/": PRIVATE,
    "notes/<int:pk>/thank/": obj(pk("note"), ("post",), thanks="Thank you back"),
    "dates/<int:pk>/phones-away/": obj(pk("past_date"), ("get",)),
    "dates/<int:pk>/phones-away/start/": obj(pk("past_date"), ("post",)),
    "dates/<int:pk>/phones-away/stop/": obj(pk("past_date"), ("post",)),
    "dates/<int:pk>/phones-away/minutes/": obj(pk("past_date"), minutes="30"),
    "ourweek/": PRIVATE,
    "ourweek/time/": PRIVATE,
    "ourweek/start/": PRIVATE,
    "ourweek/history/": PRIVATE,
    "ourweek/<int:pk>/": obj(pk("week"), ("get",)),
    "ourweek/<int:pk>/state/": obj(pk("week"), ("get",)),
    "ourweek/<int:pk>/step/<int:step>/": obj(
        lambda s: {"pk": s["week"].pk, "step": 1}, ("post",), action="next", mine="intruder"
    ),
    "ourweek/<int:pk>/finish/": obj(pk("week"), ("post",)),
    "ourweek/<int:pk>/note/": obj(pk("week"), ("post",)),
    "ourweek/wishes/<int:pk>/done/": obj(pk("wish"), ("post",)),
    "manifest.webmanifest": PUBLIC,
    "sw.js": PUBLIC,
    "offline/": PUBLIC,
    "reminders/push/subscribe/": PRIVATE,
    "reminders/push/unsubscribe/": PRIVATE,
    "reminders/channels/": PRIVATE,
    "reminders/devices/<int:pk>/remove/": obj(pk("device"), ("post",)),
    # staff or a bearer token (tests/reminders/test_metrics.py); everyone else gets 404
    "metrics": Case("token", lambda s: {}, ("get",)),
    "rituals/": PRIVATE,
    "rituals/new/": PRIVATE,
    "rituals/warm-touch/": PRIVATE,
    "thinking-of-you/": PRIVATE,
    "learn/": PRIVATE,
    "rituals/<int:pk>/propose/": obj(pk("own_ritual"), ("post",)),
    "rituals/<int:pk>/done/": obj(pk("own_ritual"), ("post",)),
    "rituals/chosen/<int:pk>/accept/": obj(pk("ritual_choice"), ("post",)),
    "rituals/chosen/<int:pk>/retire/": obj(pk("ritual_choice"), ("post",)),
    "rituals/warm-touch/<int:pk>/accept/": obj(pk("plan"), ("post",)),
    "rituals/warm-touch/<int:pk>/stop/": obj(pk("plan"), ("post",)),
    "rituals/warm-touch/<int:pk>/moment/": obj(pk("plan"), ("post",)),
    "learn/<int:pk>/": obj(pk("learn_item"), ("get",)),
    "learn/<int:pk>/status/": obj(pk("learn_item"), ("post",), status="done"),
    "learn/<int:pk>/reflect/": obj(pk("learn_item"), ("post",), body="intruder"),
}
# allauth's own pages (sign-up, login, password reset, email confirmation, 2FA) decide
# for themselves; the admin sends everyone through allauth's login.
ALLOWED_PREFIXES = {"accounts/": "allauth", "admin/": "admin"}


def all_routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


def url_for(route, kwargs):
    path = route
    for key, value in (kwargs or {}).items():
        for converter in ("int", "str", "uuid"):
            path = path.replace(f"<{converter}:{key}>", str(value))
    assert "<" not in path, path
    return "/" + path


def test_every_url_has_a_case():
    missing = [
        route
        for route in all_routes()
        if route not in CASES and not route.startswith(tuple(ALLOWED_PREFIXES))
    ]
    assert not missing, f"add an access case to tests/test_urls.py for: {missing}"


@pytest.fixture
def space(couple, alice, bob):
    question = practices.todays_question(couple)
    practices.answer_question(question, alice, "answer")
    invitation, _ = services.invite_by_link(UserFactory())
    week = ourweek.start_week(couple)
    ourweek.write_lines(week, 1, alice, {alice: "Thank you"})
    own_ritual = Ritual.objects.create(couple=couple, author=alice, title="Ours", tip="physical")
    ritual_choice = rituals.propose(couple, bob, own_ritual)
    rituals.accept(ritual_choice, alice)
    plan = rituals.propose_plan(couple, alice)
    rituals.accept_plan(plan, bob, couple.local_today())
    return {
        "week": week,
        "wish": Wish.objects.create(week=week, couple=couple, author=alice, body="Tea", tip="talk"),
        "couple": couple,
        "note": note(couple, alice, "Private"),
        "scheduled": note(couple, alice, "Later", deliver_at=timezone.now() + dt.timedelta(1)),
        "question": question,
        "prompt": Prompt.objects.create(text="Ours?", tip="talk", couple=couple, author=alice),
        "date": date_night(couple, bob),
        "past_date": date_night(
            couple,
            bob,
            starts_at=timezone.now() - dt.timedelta(hours=3),
            phones_away_since=timezone.now() - dt.timedelta(hours=2),  # a timer running
        ),
        "invitation": invitation,
        "checkin": feelings.check_in(couple, bob, feeling="hopeful", intensity=3),
        "hope": feelings.add_hope(couple, bob, kind="worry", body="Work", share=True),
        "draft": feelings.add_hope(couple, alice, kind="hope", body="Later", share=False),
        "device": PushSubscription.objects.create(
            user=alice, endpoint="https://push.example.org/alice", p256dh="k", auth="a"
        ),
        "own_ritual": own_ritual,
        "ritual_choice": ritual_choice,
        "plan": plan,
        "learn_item": rituals.add_item(couple, bob, "Tango", None),
    }


def snapshot():
    state = []
    for model in (
        User,
        Couple,
        Membership,
        Invitation,
        GratitudeNote,
        DailyQuestion,
        Answer,
        Prompt,
        FavoritePrompt,
        DateNight,
        DateReflection,
        CalendarFeed,
        Nudge,
        ReminderPreference,
        CheckIn,
        CheckInResponse,
        Hope,
        HopeResponse,
        ClosenessAnswer,
        WeeklyTime,
        Week,
        Line,
        Wish,
        PushSubscription,
        Ritual,
        Choice,
        Moment,
        WarmTouchPlan,
        WarmMoment,
        ThinkingOfYou,
        LearnItem,
        LearnReflection,
    ):
        # .values(), not model_to_dict: every column, the non-editable ones included.
        state += [(model.__name__, row) for row in model.objects.order_by("pk").values()]
    return state


def request(client, method, url, data):
    return getattr(client, method)(url, data)


def test_anonymous_visitors_are_sent_to_login_except_the_allowlist(space, client):
    before = snapshot()
    for route, case in CASES.items():
        url = url_for(route, case.kwargs(space) if case.kwargs else None)
        for method in case.methods:
            response = request(client, method, url, case.data)
            sent_to_login = response.status_code == 302 and response["Location"].startswith(
                "/accounts/login/"
            )
            if case.kind in ("public", "token"):
                assert not sent_to_login, (method, url)
            else:
                assert sent_to_login, (method, url, response.status_code)
    assert snapshot() == before


def test_admin_sends_anonymous_visitors_through_allauth_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


@pytest.mark.parametrize("stranger", ["partnered", "single"])
def test_strangers_get_404_on_every_object_url_and_method(space, stranger):
    charlie = UserFactory()
    if stranger == "partnered":
        link(charlie, UserFactory())
    client = client_for(charlie)
    before = snapshot()
    for route, case in CASES.items():
        if case.kind not in ("object", "token"):
            continue
        url = url_for(route, case.kwargs(space))
        for method in case.methods:
            response = request(client, method, url, case.data)
            assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before


# Object URLs that rightly send a member elsewhere: a couple still together has no archive.
MEMBER_REDIRECTS = {"archive/<uuid:couple_id>/": "/home/"}


def test_partners_reach_every_object_url(space, alice):
    """The other side of the coin: the same URLs work for a member (so the 404s above
    are about strangers, not broken URLs)."""
    client = client_for(alice)
    for route, case in CASES.items():
        if case.kind != "object" or "get" not in case.methods:
            continue
        url = url_for(route, case.kwargs(space))
        response = client.get(url)
        if route in MEMBER_REDIRECTS:
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"] == MEMBER_REDIRECTS[route], url
        else:
            assert response.status_code == 200, (url, response.status_code)


def test_a_member_of_no_couple_is_sent_home_from_couple_pages(client):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get("/notes/")["Location"] == "/home/"
