"""Our week on the couple home (next time, the partner's wish) and in the balance."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ourweek import services
from ourweek.models import Week, Wish
from practices import stats
from tests.test_urls import snapshot

pytestmark = pytest.mark.django_db


def finished_week(week, alice, bob):
    Week.objects.filter(pk=week.pk).update(step=4)
    services.write_wishes(week, alice, {alice: ("Breakfast in bed", "quality_time")})
    Week.objects.filter(pk=week.pk).update(step=5)
    services.finish_week(week, bob)
    return Wish.objects.get(week=week)


def test_the_partners_wish_shows_on_home_all_week_and_they_tick_it_done(
    week, alice, bob, alice_client, bob_client, time_machine
):
    wish = finished_week(week, alice, bob)
    home = bob_client.get(reverse("practices:home")).text
    assert "Alice's wish this week:" in home and "Breakfast in bed" in home
    assert "Next check-in: Sunday 14 March, 19:00" in home
    assert "Breakfast in bed" not in alice_client.get(reverse("practices:home")).text
    response = bob_client.post(reverse("ourweek:wish_done", args=[wish.pk]), follow=True)
    assert "Done. Alice will see it ticked." in response.text
    wish.refresh_from_db()
    assert wish.done_at is not None
    time_machine.move_to(timezone.now() + dt.timedelta(days=8), tick=False)
    assert "Breakfast in bed" not in bob_client.get(reverse("practices:home")).text


def test_nobody_ticks_their_own_wish(week, alice, bob, alice_client):
    wish = finished_week(week, alice, bob)
    alice_client.get(reverse("practices:home"))  # today's question, made on first sight
    before = snapshot()
    response = alice_client.post(reverse("ourweek:wish_done", args=[wish.pk]), follow=True)
    assert "ticked by your partner" in response.text
    assert snapshot() == before


def test_a_finished_week_counts_for_talk_and_feelings_and_a_wish_for_its_tip(
    week, couple, alice, bob, django_assert_num_queries
):
    wish = finished_week(week, alice, bob)
    services.tick_wish(wish, bob)
    now = timezone.now()
    with django_assert_num_queries(1):
        result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert (result.weeks, result.wishes) == (1, 1)
    assert (result.by_tip["talk"], result.by_tip["feelings"], result.by_tip["quality_time"]) == (
        1,
        1,
        1,
    )
    assert "1 weekly check-in" in result.sentence()
    assert "weeks_feelings" not in result.sentence()
    assert ("Weekly check-ins", 1) in result.lines()


def test_an_unfinished_week_counts_for_nothing(week, couple):
    now = timezone.now()
    result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert result.total == 0


@pytest.mark.parametrize("weeks", [1, 10])
def test_the_home_card_costs_the_same_whatever_the_history(
    couple, alice, bob, bob_client, weeks, django_assert_max_num_queries
):
    from tests.ourweek.conftest import MONDAY

    for n in range(weeks):
        past = Week.objects.create(couple=couple, starts_on=MONDAY - dt.timedelta(weeks=n), step=4)
        services.write_wishes(past, alice, {alice: (f"wish {n}", "talk")})
    from tests.practices.test_home import HOME_QUERIES

    bob_client.get(reverse("practices:home"))
    with django_assert_max_num_queries(HOME_QUERIES):
        assert bob_client.get(reverse("practices:home")).status_code == 200
