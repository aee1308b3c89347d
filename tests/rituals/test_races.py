"""Both partners tapping at the same instant: one moment, never two; three "thinking of
you" a day, never four. Needs real concurrent connections, so it runs on PostgreSQL."""

import pytest

from rituals import services
from rituals.models import Moment, Ritual, ThinkingOfYou
from tests.conftest import postgres_only
from tests.couples.test_concurrency import race
from tests.factories import UserFactory, link

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


@pytest.fixture
def pair():
    alice, bob = UserFactory(), UserFactory()
    couple = link(alice, bob)
    ritual = Ritual.objects.create(couple=couple, title="A long hug", tip="physical")
    services.accept(services.propose(couple, alice, ritual), bob)
    return couple, alice, bob, ritual


def test_both_partners_tapping_we_did_it_at_once_make_one_moment(pair):
    couple, alice, bob, ritual = pair
    for _ in range(ROUNDS):
        Moment.objects.all().delete()
        day = couple.local_today()
        outcomes = race(
            lambda: services.mark_done(couple, alice, ritual, day),  # noqa: B023
            lambda: services.mark_done(couple, bob, ritual, day),  # noqa: B023
            lambda: services.mark_done(couple, bob, ritual, day),  # noqa: B023
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert sorted(created for _, created in outcomes) == [False, False, True]
        assert Moment.objects.filter(couple=couple).count() == 1


def test_four_thinking_of_you_at_once_send_only_what_the_day_has_left(pair):
    couple, alice, bob, _ = pair
    for _ in range(ROUNDS):
        ThinkingOfYou.objects.all().delete()
        services.send_thinking(couple, alice, bob)
        outcomes = race(*[lambda: services.send_thinking(couple, alice, bob)] * 4)
        refused = [o for o in outcomes if isinstance(o, services.RitualError)]
        assert len(refused) == 2, outcomes
        assert ThinkingOfYou.objects.filter(sender=alice).count() == 3
        assert sorted(ThinkingOfYou.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_two_proposals_of_one_ritual_at_once_make_one(pair):
    couple, alice, bob, _ = pair
    for _ in range(ROUNDS):
        ritual = Ritual.objects.create(couple=couple, title="Slow dance", tip="physical")
        outcomes = race(
            lambda: services.propose(couple, alice, ritual),  # noqa: B023
            lambda: services.propose(couple, bob, ritual),  # noqa: B023
        )
        refused = [o for o in outcomes if isinstance(o, services.RitualError)]
        assert len(refused) == 1, outcomes
        assert ritual.choices.count() == 1
