"""The monthly closeness check-in: private until both answered, then side by side with
one question for the widest difference; never a score."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from feelings import closeness, services
from feelings.models import ClosenessAnswer

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


def ratings(value=3, **overrides):
    return {key: overrides.get(key, value) for key in closeness.KEYS}


def test_there_are_about_ten_statements_each_with_a_question():
    assert 8 <= len(closeness.STATEMENTS) <= 12
    assert all(s.text and s.question.endswith("?") for s in closeness.STATEMENTS)


def test_answers_stay_private_until_both_answered_then_show_side_by_side(
    couple, alice, bob, alice_client, bob_client
):
    alice_client.post(reverse("feelings:closeness"), {k: str(v) for k, v in ratings(4).items()})
    page = bob_client.get(reverse("feelings:closeness"))
    assert not page.context["revealed"] and page.context["partner_answered"]
    assert "<td>4</td>" not in page.text
    bob_client.post(
        reverse("feelings:closeness"),
        {k: str(v) for k, v in ratings(4, comfort=1, present=3).items()},
    )
    page = alice_client.get(reverse("feelings:closeness"))
    assert page.context["revealed"]
    assert page.context["suggestion"].key == "comfort"  # 4 vs 1: the widest gap
    assert "what kind of comfort helps most" in page.text
    assert "score" not in page.text.lower() and "average" not in page.text.lower()


def test_answers_are_given_once_a_month(couple, alice):
    month = dt.date(2027, 3, 1)
    assert services.answer_closeness(couple, alice, month, ratings(2))
    assert not services.answer_closeness(couple, alice, month, ratings(5))
    assert ClosenessAnswer.objects.get().ratings == ratings(2)
    assert services.answer_closeness(couple, alice, dt.date(2027, 4, 1), ratings(5))


@pytest.mark.parametrize("bad", [0, 6, "x"])
def test_a_rating_outside_1_to_5_saves_nothing(couple, alice, alice_client, bad):
    data = {k: str(v) for k, v in ratings(3).items()} | {"comfort": str(bad)}
    page = alice_client.post(reverse("feelings:closeness"), data)
    assert "Rate this statement from 1 to 5." in page.text
    assert not ClosenessAnswer.objects.exists()
    with pytest.raises(services.FeelingsError):
        services.answer_closeness(couple, alice, dt.date(2027, 3, 1), ratings(3, comfort=bad))
    assert not ClosenessAnswer.objects.exists()
