import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from couples.models import Membership
from tests.factories import CoupleFactory, UserFactory, end, link

pytestmark = pytest.mark.django_db


def test_database_refuses_a_third_partner(couple, charlie):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=couple, user=charlie, seat=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=couple, user=charlie, seat=3)
    assert couple.memberships.count() == 2


def test_database_refuses_a_second_active_couple(couple, alice):
    other = CoupleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=other, user=alice, seat=1)


def test_an_ended_couple_frees_both_partners(couple, alice, bob):
    end(couple)
    fresh = link(alice, UserFactory())
    assert fresh.partner_of(alice) != bob


def test_days_together_and_next_anniversary(couple):
    couple.together_since = dt.date(2020, 6, 15)
    assert couple.days_together(dt.date(2020, 6, 25)) == 10
    assert couple.next_anniversary(dt.date(2026, 3, 1)) == (dt.date(2026, 6, 15), 6)
    assert couple.next_anniversary(dt.date(2026, 6, 15)) == (dt.date(2026, 6, 15), 6)
    assert couple.next_anniversary(dt.date(2026, 6, 16)) == (dt.date(2027, 6, 15), 7)


def test_a_leap_day_anniversary_falls_on_28_february_in_common_years(couple):
    couple.together_since = dt.date(2024, 2, 29)
    assert couple.next_anniversary(dt.date(2025, 1, 10)) == (dt.date(2025, 2, 28), 1)
    assert couple.next_anniversary(dt.date(2028, 1, 10)) == (dt.date(2028, 2, 29), 4)


def test_display_name_falls_back_to_both_names(couple):
    assert couple.display_name == "Alice & Bob"
    couple.name = "The Lighthouse"
    assert couple.display_name == "The Lighthouse"
