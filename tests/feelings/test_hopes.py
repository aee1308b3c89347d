"""Hopes, dreams and worries: private drafts until shared, one response from the partner,
"Tell me more" puts it on today's conversation, and lived-through items stay as history."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from feelings import services
from feelings.models import Hope, HopeResponse
from practices import services as practices
from practices import stats
from practices.models import DailyQuestion, Prompt

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


def add(client, **data):
    return client.post(
        reverse("feelings:hopes"), {"kind": "worry", "body": "Money", "share": "now"} | data
    )


def test_a_draft_stays_private_until_its_author_shares_it(couple, alice, alice_client, bob_client):
    add(alice_client, body="A quiet draft", share="draft")
    hope = Hope.objects.get()
    assert hope.shared_at is None
    assert "A quiet draft" in alice_client.get(reverse("feelings:hopes")).text
    assert "A quiet draft" not in bob_client.get(reverse("feelings:hopes")).text
    # Bob can neither share it nor answer it nor mark it.
    for name in ("feelings:hope_share", "feelings:hope_respond", "feelings:hope_settle"):
        assert bob_client.post(reverse(name, args=[hope.pk]), {"reply": "more"}).status_code == 404
    alice_client.post(reverse("feelings:hope_share", args=[hope.pk]))
    assert "A quiet draft" in bob_client.get(reverse("feelings:hopes")).text


def test_tell_me_more_makes_it_today_s_question(couple, alice, bob, alice_client, bob_client):
    add(alice_client, body="I worry about my dad's health")
    hope = Hope.objects.get()
    response = bob_client.post(reverse("feelings:hope_respond", args=[hope.pk]), {"reply": "more"})
    assert response["Location"] == reverse("practices:question")
    question = practices.todays_question(couple)
    assert question.prompt.couple == couple and question.prompt.tip == "feelings"
    assert "I worry about my dad's health" in question.prompt.text
    assert "Tell me more" in alice_client.get(reverse("practices:question")).text
    assert HopeResponse.objects.get().prompt == question.prompt


def test_tell_me_more_waits_in_the_library_when_today_s_question_is_answered(
    couple, alice, bob, bob_client
):
    question = practices.todays_question(couple)
    practices.answer_question(question, alice, "Already answered")
    hope = services.add_hope(couple, alice, kind="hope", body="A garden", share=True)
    bob_client.post(reverse("feelings:hope_respond", args=[hope.pk]), {"reply": "more"})
    question.refresh_from_db()
    assert "A garden" not in question.prompt.text
    assert Prompt.objects.filter(couple=couple, text__contains="A garden").exists()


def test_let_s_make_it_happen_keeps_a_target_month_and_offers_a_date_plan(
    couple, alice, bob, alice_client, bob_client
):
    hope = services.add_hope(
        couple, alice, kind="dream", body="See the northern lights", share=True
    )
    bob_client.post(
        reverse("feelings:hope_respond", args=[hope.pk]),
        {"reply": "make", "target_month": "2027-11"},
    )
    response = HopeResponse.objects.get()
    assert response.target_month == dt.date(2027, 11, 1)
    page = alice_client.get(reverse("feelings:hopes")).text
    assert "aiming for November 2027" in page
    assert "/dates/new/?title=See+the+northern+lights" in page
    form = alice_client.get("/dates/new/?title=See+the+northern+lights").context["form"]
    assert form.initial["title"] == "See the northern lights"


def test_the_responses_fit_the_kind(couple, alice, bob):
    worry = services.add_hope(couple, alice, kind="worry", body="w", share=True)
    dream = services.add_hope(couple, alice, kind="dream", body="d", share=True)
    with pytest.raises(services.FeelingsError):
        services.respond_to_hope(worry, bob, reply="make")
    with pytest.raises(services.FeelingsError):
        services.respond_to_hope(dream, bob, reply="with_you")
    assert services.respond_to_hope(worry, bob, reply="with_you")[0] is not None
    assert services.respond_to_hope(worry, bob, reply="with_you") == (None, False)
    assert HopeResponse.objects.count() == 1


def test_marked_lived_through_it_stays_as_history_and_counts_once(
    couple, alice, bob, alice_client, bob_client
):
    worry = services.add_hope(couple, alice, kind="worry", body="The move", share=True)
    services.add_hope(couple, alice, kind="hope", body="Draft only", share=False)
    bob_client.post(reverse("feelings:hope_settle", args=[worry.pk]))
    worry.refresh_from_db()
    assert worry.settled_at is not None
    page = alice_client.get(reverse("feelings:hopes"))
    assert [r["hope"].body for r in page.context["lived_rows"]] == ["The move"]
    assert "feels lighter now" in page.text
    week = stats.balance(couple, NOON - dt.timedelta(days=1), NOON + dt.timedelta(minutes=1))
    assert week.hopes == 1 and week.by_tip["feelings"] == 1


def test_the_hopes_page_does_not_grow_with_the_data(
    couple, alice, bob, alice_client, django_assert_max_num_queries
):
    for i in range(40):
        hope = services.add_hope(couple, (alice, bob)[i % 2], kind="hope", body=f"h{i}", share=True)
        services.respond_to_hope(hope, (bob, alice)[i % 2], reply="make")
    with django_assert_max_num_queries(5):
        assert alice_client.get(reverse("feelings:hopes")).status_code == 200


def test_erasing_the_author_takes_the_question_that_quoted_them(couple, alice, bob):
    from couples import privacy

    hope = services.add_hope(couple, alice, kind="worry", body="Quoted words", share=True)
    services.respond_to_hope(hope, bob, reply="more")
    question = DailyQuestion.objects.get(couple=couple)
    privacy.delete_account(alice)
    assert not Prompt.objects.filter(text__contains="Quoted words").exists()
    question.refresh_from_db()
    assert question.prompt is None
