import pytest

from couples.access import current_access
from tests.factories import UserFactory, end, link

pytestmark = pytest.mark.django_db


def test_it_finds_the_couple_and_both_partners_in_one_query(
    couple, alice, bob, django_assert_num_queries
):
    with django_assert_num_queries(1):
        access = current_access(alice)
        assert access.couple == couple
        assert access.me == alice
        assert access.partner == bob
        assert access.couple.display_name == "Alice & Bob"


def test_it_sees_a_partner_still_waiting_alone(alice):
    waiting = link(alice, UserFactory())
    seat_two = waiting.memberships.get(seat=2)
    seat_two.delete()
    access = current_access(alice)
    assert access.couple == waiting
    assert access.partner is None


def test_it_ignores_ended_couples(couple, alice, bob):
    end(couple)
    assert current_access(alice) is None


def test_it_picks_the_active_couple_after_an_ended_one(couple, alice, bob, charlie):
    end(couple)
    new_couple = link(charlie, alice)
    access = current_access(alice)
    assert access.couple == new_couple
    assert access.partner == charlie
    assert [member.pk for member in access.couple.members] == [charlie.pk, alice.pk]
