"""Feelings in the export and on deletion: mine (private ones too) and my partner's
shared ones; never my partner's private check-ins, drafts or unrevealed answers."""

import datetime as dt
import json

import pytest

from couples import privacy
from feelings import closeness, services
from feelings.models import CheckIn, CheckInResponse, ClosenessAnswer, Hope, HopeResponse

pytestmark = pytest.mark.django_db

MARCH, APRIL = dt.date(2027, 3, 1), dt.date(2027, 4, 1)


def ratings(value):
    return dict.fromkeys(closeness.KEYS, value)


@pytest.fixture
def feelings_life(couple, alice, bob):
    mine_shared = services.check_in(
        couple, alice, feeling="hopeful", intensity=3, line="A shared line"
    )
    services.check_in(
        couple, alice, feeling="sad", intensity=2, line="Alice's diary", visibility="private"
    )
    services.check_in(couple, bob, feeling="proud", intensity=4, line="Bob shares this")
    services.check_in(
        couple, bob, feeling="lonely", intensity=4, line="Bob's diary", visibility="private"
    )
    services.respond_to_checkin(mine_shared, bob, reply="hear", body="Bob listens")
    services.add_hope(couple, alice, kind="dream", body="Alice's draft dream", share=False)
    worry = services.add_hope(couple, alice, kind="worry", body="Alice's worry", share=True)
    services.respond_to_hope(worry, bob, reply="with_you", body="Bob is with her")
    services.add_hope(couple, bob, kind="hope", body="Bob's shared hope", share=True)
    services.add_hope(couple, bob, kind="hope", body="Bob's draft hope", share=False)
    services.answer_closeness(couple, alice, MARCH, ratings(4))
    services.answer_closeness(couple, bob, MARCH, ratings(2))
    services.answer_closeness(couple, bob, APRIL, ratings(1))  # Alice has not answered April
    services.answer_closeness(couple, alice, dt.date(2027, 5, 1), ratings(5))


def test_export_holds_mine_and_the_partners_shared_never_their_private(feelings_life, alice):
    data = privacy.export_data(alice)
    text = json.dumps(data, default=str)
    for shown in ("A shared line", "Alice's diary", "Bob shares this", "Bob listens"):
        assert shown in text
    assert "Bob's diary" not in text
    for shown in ("Alice's draft dream", "Alice's worry", "Bob is with her", "Bob's shared hope"):
        assert shown in text
    assert "Bob's draft hope" not in text
    months = {row["month"]: row for row in data["closeness_checkins"]}
    assert months[MARCH]["partner_ratings"] == ratings(2)
    assert APRIL not in months  # only Bob answered: nothing of it is Alice's
    assert months[dt.date(2027, 5, 1)]["partner_ratings"] is None


def test_deleting_an_account_erases_what_they_wrote_and_keeps_the_partners(
    feelings_life, alice, bob
):
    privacy.delete_account(alice)
    assert not CheckIn.objects.filter(author__email="alice@example.com").exists()
    assert set(CheckIn.objects.values_list("line", flat=True)) == {"Bob shares this", "Bob's diary"}
    assert set(Hope.objects.values_list("body", flat=True)) == {
        "Bob's shared hope",
        "Bob's draft hope",
    }
    # Bob's responses were to Alice's words, and went with them.
    assert not CheckInResponse.objects.exists() and not HopeResponse.objects.exists()
    assert list(ClosenessAnswer.objects.values_list("user_id", flat=True).order_by("month")) == [
        bob.pk,
        bob.pk,
    ]
