"""One response per check-in and per hope, however it is sent: two tabs at once, a double
submit, the same partner twice in parallel. Needs real concurrent connections, so it runs
on PostgreSQL (CI sets DATABASE_URL) and is skipped on SQLite."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from feelings import closeness, services
from feelings.models import CheckIn, CheckInResponse, ClosenessAnswer, Hope, HopeResponse
from tests.conftest import client_for, postgres_only
from tests.couples.test_concurrency import race
from tests.factories import UserFactory, link

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


@pytest.fixture(autouse=True)
def _midday():
    with time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def pair(shipped_library):
    alice, bob = UserFactory(), UserFactory()
    return link(alice, bob), alice, bob


def test_two_responses_to_one_check_in_at_once_make_one(pair):
    couple, alice, bob = pair
    for _ in range(ROUNDS):
        checkin = services.check_in(couple, alice, feeling="anxious", intensity=4)
        outcomes = race(
            lambda pk=checkin.pk: services.respond_to_checkin(
                CheckIn.objects.get(pk=pk), bob, reply="hear"
            ),
            lambda pk=checkin.pk: services.respond_to_checkin(
                CheckIn.objects.get(pk=pk), bob, body="Here"
            ),
        )
        assert sorted(outcomes) == [False, True], outcomes
        assert CheckInResponse.objects.filter(checkin=checkin).count() == 1


def test_a_double_submitted_response_form_saves_one(pair):
    couple, alice, bob = pair
    for _ in range(ROUNDS):
        checkin = services.check_in(couple, alice, feeling="sad", intensity=2)
        url = reverse("feelings:respond", args=[checkin.pk])
        outcomes = race(
            lambda: client_for(bob).post(url, {"reply": "hug"}).status_code,  # noqa: B023
            lambda: client_for(bob).post(url, {"reply": "hug"}).status_code,  # noqa: B023
        )
        assert outcomes == [302, 302]
        assert CheckInResponse.objects.filter(checkin=checkin).count() == 1


def test_two_tell_me_mores_at_once_make_one_response_and_one_question(pair):
    couple, alice, bob = pair
    for _ in range(ROUNDS):
        hope = services.add_hope(couple, alice, kind="worry", body="w", share=True)
        outcomes = race(
            lambda: services.respond_to_hope(Hope.objects.get(pk=hope.pk), bob, reply="more"),  # noqa: B023
            lambda: services.respond_to_hope(Hope.objects.get(pk=hope.pk), bob, reply="more"),  # noqa: B023
        )
        assert sum(1 for response, _ in outcomes if response is not None) == 1, outcomes
        assert HopeResponse.objects.filter(hope=hope).count() == 1


def test_a_double_submitted_closeness_check_in_saves_once(pair):
    _, alice, _ = pair
    data = dict.fromkeys(closeness.KEYS, "3")
    outcomes = race(
        lambda: client_for(alice).post(reverse("feelings:closeness"), data).status_code,
        lambda: client_for(alice).post(reverse("feelings:closeness"), data).status_code,
    )
    assert outcomes == [302, 302]
    assert ClosenessAnswer.objects.count() == 1


def test_a_stranger_trying_every_feelings_form_changes_nothing(pair):
    couple, _, bob = pair
    checkin = services.check_in(couple, bob, feeling="tired", intensity=2)
    hope = services.add_hope(couple, bob, kind="dream", body="d", share=True)
    charlie = UserFactory()
    link(charlie, UserFactory())
    client = client_for(charlie)
    for name, pk, data in [
        ("feelings:detail", checkin.pk, None),
        ("feelings:respond", checkin.pk, {"reply": "hug"}),
        ("feelings:hope_share", hope.pk, {}),
        ("feelings:hope_respond", hope.pk, {"reply": "more"}),
        ("feelings:hope_settle", hope.pk, {}),
    ]:
        url = reverse(name, args=[pk])
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 404, url
    assert not CheckInResponse.objects.exists() and not HopeResponse.objects.exists()
    hope.refresh_from_db()
    assert hope.settled_at is None
