"""Rituals of connection: both say yes before a ritual is theirs, "we did it" counts
once per ritual and day for the couple, and the week is told without any tally of
days missed."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from practices import stats
from practices.library import load_added_content
from rituals import services
from rituals.library import CONTENT
from rituals.models import Choice, Moment, Ritual, WarmMoment
from tests.factories import UserFactory, link

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)  # a Wednesday


def test_the_shipped_rituals_are_loaded_with_a_tip_and_a_why():
    items = json.loads((CONTENT / "rituals.json").read_text())["items"]
    assert len(items) >= 30
    shipped = Ritual.objects.filter(couple=None)
    assert set(shipped.values_list("shipped_key", flat=True)) == {i["key"] for i in items}
    assert all(r.why and r.tip for r in shipped)
    assert shipped.filter(tip="physical").count() > len(items) // 2


def test_loading_the_rituals_again_changes_nothing():
    before = list(Ritual.objects.order_by("pk").values())
    assert [str(r) for r in load_added_content()] == ["rituals: version 1 already loaded"]
    assert list(Ritual.objects.order_by("pk").values()) == before


def test_a_ritual_is_ours_only_when_the_other_partner_accepts(couple, alice, bob, hug):
    choice = services.propose(couple, alice, hug)
    assert choice.status == Choice.Status.PROPOSED
    with pytest.raises(services.RitualError):
        services.accept(choice, alice)  # not her own proposal
    with pytest.raises(services.RitualError):
        services.mark_done(couple, alice, hug, couple.local_today())
    services.accept(choice, bob)
    choice.refresh_from_db()
    assert choice.status == Choice.Status.OURS and choice.accepted_at


def test_proposing_twice_is_refused_and_a_retired_ritual_can_come_back(couple, alice, bob, hug):
    choice = services.propose(couple, alice, hug)
    with pytest.raises(services.RitualError, match="already proposed"):
        services.propose(couple, bob, hug)
    services.retire(choice)
    again = services.propose(couple, bob, hug)
    assert again.pk == choice.pk and again.status == Choice.Status.PROPOSED
    assert again.proposed_by == bob


def test_a_couple_cannot_pick_another_couples_own_ritual(couple, alice):
    other = link(UserFactory(), UserFactory())
    theirs = Ritual.objects.create(couple=other, title="Theirs", tip="physical")
    with pytest.raises(services.RitualError):
        services.propose(couple, alice, theirs)
    assert not Choice.objects.filter(ritual=theirs).exists()


def test_we_did_it_counts_once_per_ritual_and_day_whoever_taps(couple, alice, bob, hug, ours):
    today = couple.local_today()
    _, first = services.mark_done(couple, alice, hug, today)
    _, again = services.mark_done(couple, alice, hug, today)
    _, partner = services.mark_done(couple, bob, hug, today)
    assert (first, again, partner) == (True, False, False)
    assert Moment.objects.filter(couple=couple).count() == 1
    services.mark_done(couple, bob, hug, today + dt.timedelta(days=1))
    assert Moment.objects.filter(couple=couple).count() == 2


def test_moments_count_for_their_ritual_tip_in_the_balance(couple, alice, bob, hug, ours):
    breakfast = Ritual.objects.get(shipped_key="phone-free-breakfast")
    services.accept(services.propose(couple, bob, breakfast), alice)
    services.mark_done(couple, alice, hug, couple.local_today())
    services.mark_done(couple, alice, breakfast, couple.local_today())
    now = timezone.now()
    result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert result.moments == 2
    assert (result.by_tip["physical"], result.by_tip["quality_time"]) == (1, 1)
    assert "2 ritual moments" in result.sentence()


def test_the_week_counts_what_happened_and_nothing_else(couple, alice, bob, hug, ours):
    with time_machine.travel(NOON, tick=False):
        today = couple.local_today()
        for days_ago in (0, 1, 2, 7):  # Wednesday, Tuesday, Monday, and last week
            services.mark_done(couple, alice, hug, today - dt.timedelta(days=days_ago))
        assert services.moments_this_week(couple, today) == 3
        page = bob_page(bob)
    assert "This week: 3 moments together." in page
    for word in ("streak", "missed", "in a row", "behind", "other couples"):
        assert word not in page.lower()


def bob_page(bob):
    from tests.conftest import client_for

    return client_for(bob).get(reverse("rituals:rituals")).text


def test_the_pages_walk_through_propose_accept_and_we_did_it(couple, alice_client, bob_client, hug):
    alice_client.post(reverse("rituals:propose", args=[hug.pk]))
    choice = Choice.objects.get(couple=couple, ritual=hug)
    page = bob_client.get(reverse("rituals:rituals")).text
    assert "Proposed by Alice" in page and hug.title in page
    bob_client.post(reverse("rituals:accept", args=[choice.pk]))
    home = alice_client.get(reverse("practices:home")).text
    assert "Today's rituals" in home and "We did it" in home
    response = alice_client.post(reverse("rituals:done", args=[hug.pk]), {"back": "home"})
    assert response["Location"] == reverse("practices:home")
    bob_client.post(reverse("rituals:done", args=[hug.pk]), {"back": "home"}, follow=True)
    assert Moment.objects.filter(couple=couple).count() == 1
    assert "Done today" in bob_client.get(reverse("practices:home")).text


def test_adding_our_own_ritual_proposes_it(couple, alice, alice_client, bob_client):
    alice_client.post(
        reverse("rituals:new"), {"title": "Tea on the step", "why": "", "tip": "quality_time"}
    )
    ritual = Ritual.objects.get(couple=couple)
    assert (ritual.author, ritual.tip) == (alice, "quality_time")
    assert Choice.objects.get(ritual=ritual).status == Choice.Status.PROPOSED
    assert "Tea on the step" in bob_client.get(reverse("rituals:rituals")).text


def test_another_couple_never_sees_our_own_ritual(couple, alice_client, charlie):
    alice_client.post(reverse("rituals:new"), {"title": "Our secret wave", "tip": "physical"})
    link(charlie, UserFactory())
    from tests.conftest import client_for

    assert "Our secret wave" not in client_for(charlie).get(reverse("rituals:rituals")).text


def test_retiring_takes_a_ritual_off_today(couple, alice_client, hug, ours):
    alice_client.post(reverse("rituals:retire", args=[ours.pk]))
    assert Choice.objects.get(pk=ours.pk).status == Choice.Status.RETIRED
    assert "We did it" not in alice_client.get(reverse("practices:home")).text


# --- The warm-touch plan ----------------------------------------------------------------


def test_the_warm_touch_plan_starts_only_when_both_agree(couple, alice, bob):
    plan = services.propose_plan(couple, alice)
    with pytest.raises(services.RitualError):
        services.propose_plan(couple, bob)  # one open plan at a time
    with pytest.raises(services.RitualError):
        services.accept_plan(plan, alice, couple.local_today())
    with pytest.raises(services.RitualError):
        services.warm_moment(plan, alice, couple.local_today())
    services.accept_plan(plan, bob, couple.local_today())
    assert plan.week(couple.local_today()) == 1


def test_the_plan_runs_four_weeks_with_a_suggestion_each_week(couple, alice, bob):
    with time_machine.travel(NOON, tick=False):
        today = couple.local_today()
        plan = services.propose_plan(couple, alice)
        services.accept_plan(plan, bob, today)
        suggestions = {
            services.plan_suggestion(plan, today + dt.timedelta(weeks=w)) for w in range(4)
        }
        assert suggestions == set(services.PLAN_SUGGESTIONS)
        assert plan.week(today + dt.timedelta(weeks=4)) is None
        assert services.warm_moment(plan, alice, today) is True
        assert services.warm_moment(plan, bob, today) is False  # one a day for the couple
        assert services.plan_week_moments(plan, today) == 1
    now = NOON + dt.timedelta(minutes=5)
    result = stats.balance(couple, now - dt.timedelta(days=30), now)
    assert result.warm_touch == 1 and result.by_tip["physical"] == 1


def test_either_can_stop_the_plan_and_the_partner_only_hears_it_ended(
    couple, alice, bob, alice_client, bob_client
):
    plan = services.propose_plan(couple, alice)
    services.accept_plan(plan, bob, couple.local_today())
    bob_client.post(reverse("rituals:plan_stop", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "stopped" and plan.ended_by == bob
    page = alice_client.get(reverse("rituals:rituals")).text
    assert "The plan has ended." in page
    assert "Bob stopped" not in page and "Bob ended" not in page
    assert not WarmMoment.objects.exists()
    # A new plan can be proposed after one ended.
    assert services.propose_plan(couple, alice).status == "proposed"


def test_the_plan_pages_propose_accept_and_note_a_moment(couple, alice_client, bob_client):
    alice_client.post(reverse("rituals:plan_propose"))
    page = bob_client.get(reverse("rituals:rituals")).text
    assert "Alice would like to try it" in page
    plan = services.open_plan(couple)
    bob_client.post(reverse("rituals:plan_accept", args=[plan.pk]))
    page = alice_client.get(reverse("rituals:rituals")).text
    assert "Week 1 of 4" in page and str(services.PLAN_SUGGESTIONS[0]) in page
    alice_client.post(reverse("rituals:plan_moment", args=[plan.pk]))
    assert WarmMoment.objects.filter(plan=plan).count() == 1


def test_after_four_weeks_the_plan_is_complete_and_a_new_one_can_begin(couple, alice, bob):
    with time_machine.travel(NOON, tick=False):
        plan = services.propose_plan(couple, alice)
        services.accept_plan(plan, bob, couple.local_today())
    with time_machine.travel(NOON + dt.timedelta(weeks=4), tick=False):
        with pytest.raises(services.RitualError, match="not running"):
            services.warm_moment(plan, alice, couple.local_today())
        assert "Your four weeks are complete." in bob_page(bob)
        again = services.propose_plan(couple, bob)
    assert again.status == "proposed"
    plan.refresh_from_db()
    assert plan.status == "stopped" and plan.ended_by is None
