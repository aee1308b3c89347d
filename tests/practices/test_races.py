"""Two partners acting on the same thing at the same moment: one wins, the other is told,
and nothing is lost or done twice. Needs real row locks and two connections, so it runs
on PostgreSQL (CI sets DATABASE_URL) and is skipped on SQLite."""

import datetime as dt
import json

import pytest
import time_machine

from practices import services
from practices.library import CONTENT, load_content
from practices.models import Answer, DailyQuestion, DateIdea, DateNight, Prompt, ShippedRelease
from tests.conftest import postgres_only
from tests.couples.test_concurrency import race
from tests.factories import UserFactory, date_night, link

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


@pytest.fixture(autouse=True)
def _midday():
    # Swapping and picking only work on today's question: keep "today" still.
    with time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def pair():
    Prompt.objects.bulk_create(Prompt(text=f"Prompt {i}?", tip="talk") for i in range(10))
    alice, bob = UserFactory(), UserFactory()
    return link(alice, bob), alice, bob


def fresh_question(couple) -> DailyQuestion:
    DailyQuestion.objects.filter(couple=couple).delete()
    return services.todays_question(couple)


def failures(outcomes) -> int:
    unexpected = [o for o in outcomes if isinstance(o, Exception)]
    assert all(isinstance(o, services.PracticeError) for o in unexpected), outcomes
    return len(unexpected)


def test_two_swaps_at_once_swap_once(pair):
    couple, _, _ = pair
    for _ in range(ROUNDS):
        question = fresh_question(couple)
        first = question.prompt_id
        outcomes = race(
            lambda: services.swap_question(DailyQuestion.objects.get(pk=question.pk)),  # noqa: B023
            lambda: services.swap_question(DailyQuestion.objects.get(pk=question.pk)),  # noqa: B023
        )
        assert failures(outcomes) == 1
        question.refresh_from_db()
        assert question.swapped and question.prompt_id != first


@pytest.mark.parametrize("change", ["swap", "pick"])
def test_an_answer_and_a_change_at_once_never_both_happen(pair, change):
    """Either the answer lands on the prompt its writer saw and the question stays, or
    the question changes and the answer is refused (and kept in the writer's form)."""
    couple, alice, _ = pair
    for _ in range(ROUNDS):
        question = fresh_question(couple)
        seen = question.prompt_id
        other = Prompt.objects.exclude(pk=seen).first()

        def change_it(pk=question.pk, other=other):
            question = DailyQuestion.objects.get(pk=pk)
            if change == "swap":
                return services.swap_question(question)
            return services.pick_question(question, other)

        outcomes = race(
            change_it,
            lambda: services.answer_question(
                DailyQuestion.objects.get(pk=question.pk),  # noqa: B023
                alice,
                "Our walk by the river.",
                seen,  # noqa: B023
            ),
        )
        assert failures(outcomes) == 1
        question.refresh_from_db()
        answered = Answer.objects.filter(question=question).exists()
        assert answered == (question.prompt_id == seen), outcomes


def test_two_edits_of_one_date_at_once_save_one(pair):
    couple, alice, _ = pair
    planned = date_night(couple, alice)
    for round_ in range(ROUNDS):
        seen = DateNight.objects.get(pk=planned.pk).updated_at
        outcomes = race(
            *(
                lambda who=who: services.edit_date(
                    planned,
                    seen,  # noqa: B023
                    title=f"{who}'s plan, round {round_}",  # noqa: B023
                    starts_at=planned.starts_at,
                )
                for who in ("Alice", "Bob")
            )
        )
        assert failures(outcomes) == 1
        winner = "Alice" if outcomes[0] is None else "Bob"
        assert DateNight.objects.get(pk=planned.pk).title == f"{winner}'s plan, round {round_}"


def test_two_content_loads_at_once_load_once():
    """Two deploys starting together: one loads, the other finds it done."""
    shipped = json.loads((CONTENT / "prompts.json").read_text())["items"]
    for _ in range(3):
        DailyQuestion.objects.all().delete()
        for model in (Prompt, DateIdea, ShippedRelease):
            model.objects.all().delete()
        outcomes = race(load_content, load_content)
        assert failures(outcomes) == 0
        loaded = [str(reports[0]) for reports in outcomes]
        assert sorted(loaded) == [
            "prompts: version 1 already loaded",
            f"prompts: version 1 loaded ({len(shipped)} added, 0 corrected, "
            "0 recognised from before keys)",
        ]
        assert Prompt.objects.count() == len(shipped)


def test_both_partners_starting_and_stopping_phones_away_at_once_make_one_time(pair):
    couple, alice, _ = pair
    noon = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)
    for _ in range(ROUNDS):
        date = date_night(couple, alice, starts_at=noon - dt.timedelta(hours=1))
        # The clock ticks here: two timers would start microseconds apart.
        outcomes = race(
            lambda: services.start_phones_away(DateNight.objects.get(pk=date.pk)),  # noqa: B023
            lambda: services.start_phones_away(DateNight.objects.get(pk=date.pk)),  # noqa: B023
        )
        assert failures(outcomes) == 0 and outcomes[0] == outcomes[1]
        with time_machine.travel(outcomes[0] + dt.timedelta(minutes=40, seconds=30), tick=False):
            outcomes = race(
                lambda: services.stop_phones_away(DateNight.objects.get(pk=date.pk)),  # noqa: B023
                lambda: services.stop_phones_away(DateNight.objects.get(pk=date.pk)),  # noqa: B023
            )
        # Whichever tap came first records the time; the other finds them already back.
        assert sorted(outcomes, key=lambda minutes: minutes is None) == [40, None]
        date.refresh_from_db()
        assert (date.phones_away_minutes, date.phones_away_since) == (40, None)
