"""A year of daily questions: no prompt comes back within 365 days while any other is still
unasked, whichever tips the couple keeps; the tips they keep come first, and the seasonal
prompts (the new year, their anniversary week) wait for their week."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from practices import services
from practices.models import DailyQuestion, Prompt
from reminders.models import ReminderPreference
from reminders.services import ensure_preference

pytestmark = pytest.mark.django_db

START = dt.date(2027, 2, 1)
DAYS = 400
TOGETHER_SINCE = dt.date(2019, 6, 15)
YEAR = dt.timedelta(days=365)


def keep_tips(user, tips: list[str]) -> None:
    ensure_preference(user)
    ReminderPreference.objects.filter(user=user).update(tips=tips)


def simulate(couple, days: int = DAYS, start: dt.date = START, swap_every: int = 9):
    """Open the question every day, as the partners would, and swap it now and then
    (a swap happens on the day itself, so the clock goes there). Returns [(day, prompt)]."""
    asked = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        question = services.todays_question(couple, day)
        if offset % swap_every == swap_every - 1:
            noon = dt.datetime.combine(day, dt.time(12), tzinfo=couple.tzinfo)
            with time_machine.travel(noon, tick=False):
                question = services.swap_question(question)
        asked.append((day, question.prompt))
    return asked


def assert_no_repeat_within_a_year_while_unused_remain(couple, asked) -> None:
    library = services.prompts_for(couple).count()
    last_seen: dict[int, dt.date] = {}
    for day, prompt in asked:
        if prompt.pk in last_seen and day - last_seen[prompt.pk] < YEAR:
            # Allowed only once every prompt had been asked.
            assert len(last_seen) >= library, (day, prompt.pk, last_seen[prompt.pk])
        last_seen[prompt.pk] = day


def seasonal_days(couple, asked, occasion: str) -> list[dt.date]:
    return [day for day, _ in asked if occasion in services.in_season(couple, day)]


def test_four_hundred_days_without_a_repeat_for_a_couple_keeping_every_tip(couple):
    couple.together_since = TOGETHER_SINCE
    couple.save()
    asked = simulate(couple)

    assert_no_repeat_within_a_year_while_unused_remain(couple, asked)
    # The library holds more than 400 prompts, so here nothing came back at all.
    assert len({prompt.pk for _, prompt in asked}) == DAYS
    assert DailyQuestion.objects.filter(couple=couple).count() == DAYS
    # Every tip had its turn.
    assert {prompt.tip for _, prompt in asked} == {
        "gratitude",
        "talk",
        "quality_time",
        "feelings",
        "physical",
    }
    # The seasonal prompts came in their week and at no other time.
    for occasion in Prompt.SEASONAL:
        window = seasonal_days(couple, asked, occasion)
        assert len(window) == 7, occasion  # one new year, one anniversary week
        for day, prompt in asked:
            if day in window:
                assert prompt.occasion == occasion, (day, occasion)
            else:
                assert prompt.occasion != occasion, (day, occasion)


def test_four_hundred_days_without_a_repeat_for_a_couple_keeping_two_tips(couple, alice, bob):
    # Each partner keeps one tip in their reminder settings; the couple's questions
    # come from both.
    keep_tips(alice, ["talk"])
    keep_tips(bob, ["physical"])
    kept = Prompt.objects.filter(couple__isnull=True, tip__in=["talk", "physical"])
    kept_any_day = kept.exclude(occasion__in=Prompt.SEASONAL).count()

    asked = simulate(couple)

    assert_no_repeat_within_a_year_while_unused_remain(couple, asked)
    assert len({prompt.pk for _, prompt in asked}) == DAYS
    # Their own tips first, for as long as any is left...
    first = [prompt.tip for _, prompt in asked[:kept_any_day]]
    assert set(first) == {"talk", "physical"}
    # ...then the other tips, rather than asking the same question again.
    later = {prompt.tip for _, prompt in asked[kept_any_day + 20 :]}
    assert {"gratitude", "quality_time", "feelings"} <= later


def test_changing_tips_halfway_still_repeats_nothing(couple, alice, bob):
    keep_tips(alice, ["gratitude"])
    keep_tips(bob, ["gratitude"])
    first_half = simulate(couple, days=60)
    assert {prompt.tip for _, prompt in first_half} == {"gratitude"}
    keep_tips(alice, ["feelings", "quality_time"])
    keep_tips(bob, [])
    second_half = simulate(couple, days=140, start=START + dt.timedelta(days=60))
    asked = first_half + second_half
    assert_no_repeat_within_a_year_while_unused_remain(couple, asked)
    assert len({prompt.pk for _, prompt in asked}) == 200
    assert {prompt.tip for _, prompt in second_half} == {"feelings", "quality_time"}


def test_with_a_small_library_the_oldest_comes_back_only_once_all_were_asked(couple):
    keep = list(Prompt.objects.filter(couple__isnull=True).order_by("pk")[:40])
    Prompt.objects.filter(couple__isnull=True).exclude(pk__in=[p.pk for p in keep]).update(
        active=False
    )
    asked = simulate(couple, days=80, swap_every=1000)
    assert_no_repeat_within_a_year_while_unused_remain(couple, asked)
    ids = [prompt.pk for _, prompt in asked]
    assert len(set(ids[:40])) == 40
    assert ids[40:80] == ids[:40]  # oldest first, in the same order again


def test_a_new_year_and_an_anniversary_week_bring_their_prompts_forward(couple, alice, bob):
    keep_tips(alice, ["feelings"])
    keep_tips(bob, [])
    couple.together_since = dt.date(2020, 3, 10)
    couple.save()
    new_years_day = services.todays_question(couple, dt.date(2028, 1, 1)).prompt
    assert (new_years_day.occasion, new_years_day.tip) == ("new_year", "feelings")
    week = services.todays_question(couple, dt.date(2028, 3, 5)).prompt
    assert (week.occasion, week.tip) == ("anniversary", "feelings")
    ordinary = services.todays_question(couple, dt.date(2028, 4, 20)).prompt
    assert ordinary.occasion not in Prompt.SEASONAL
    assert services.in_season(couple, dt.date(2028, 3, 3)) == set()  # a week too early
    assert services.in_season(couple, dt.date(2028, 3, 11)) == set()  # the day after


def test_a_couple_without_an_anniversary_date_gets_those_prompts_last(couple):
    asked = simulate(couple, days=60, start=dt.date(2027, 5, 1), swap_every=1000)
    assert all(prompt.occasion not in Prompt.SEASONAL for _, prompt in asked)


def test_choosing_a_question_does_not_grow_with_history(couple, django_assert_max_num_queries):
    prompts = list(Prompt.objects.filter(couple__isnull=True).order_by("pk")[:300])
    DailyQuestion.objects.bulk_create(
        DailyQuestion(couple=couple, day=START + dt.timedelta(days=n), prompt=prompt)
        for n, prompt in enumerate(prompts)
    )
    with django_assert_max_num_queries(8):
        question = services.todays_question(couple, START + dt.timedelta(days=300))
    assert question.prompt not in prompts
