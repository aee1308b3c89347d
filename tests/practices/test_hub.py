"""The hub: practices built on this app add to the balance and the couple home without
practices importing them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from practices import hub, stats
from tests.factories import note

pytestmark = pytest.mark.django_db

# Counts the couple's notes a second time, for the physical tip, under a kind of its own.
ECHO = hub.Counted(
    kind="echoes",
    sql="""SELECT 'echoes', %(tip_physical)s, COUNT(*) FROM practices_gratitudenote
            WHERE couple_id = %(couple)s AND delivered_at >= %(start)s
              AND delivered_at < %(end)s AND body <> %(echo_skip)s""",
    label=lambda n: f"{n} echo{'' if n == 1 else 'es'}",
    line="Echoes heard",
    params={"echo_skip": "skip me"},
)


@pytest.fixture
def echo():
    hub.count_in_balance(ECHO)
    yield
    del hub.BALANCE["echoes"]


@pytest.fixture
def card(settings, tmp_path):
    (tmp_path / "echo_card.html").write_text('<p id="echo-card">Echo for {{ card.data }}</p>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    shown = {"on": True}
    hub.add_home_card(
        hub.HomeCard(
            name="echo",
            template="echo_card.html",
            data=lambda request, access, today, now: access.partner.name if shown["on"] else None,
        )
    )
    yield shown
    del hub.HOME_CARDS["echo"]


def test_a_registered_kind_joins_the_balance_in_the_same_single_query(
    couple, alice, echo, django_assert_num_queries
):
    now = timezone.now()
    note(couple, alice, deliver_at=now - dt.timedelta(days=1))
    note(couple, alice, deliver_at=now - dt.timedelta(days=1), body="skip me")
    with django_assert_num_queries(1):
        result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert (result.notes, result.echoes) == (2, 1)
    assert (result.by_tip["gratitude"], result.by_tip["physical"]) == (2, 1)
    assert result.sentence() == "2 notes, 0 answers, 0 talks, 0 dates and 1 echo"
    assert result.lines() == [("Notes shared", 2), ("Echoes heard", 1)]


def test_an_unregistered_kind_counts_nothing_and_stays_out_of_the_sentence(couple):
    result = stats.balance(couple, timezone.now() - dt.timedelta(days=30), timezone.now())
    assert result.echoes == 0
    assert result.sentence() == "0 notes, 0 answers, 0 talks and 0 dates"


def test_two_practices_cannot_share_a_parameter_name(echo):
    with pytest.raises(ValueError, match="echo_skip"):
        hub.count_in_balance(hub.Counted("other", "SELECT 1", str, "Other", {"echo_skip": 1}))


def test_a_home_card_shows_what_its_function_returns_and_hides_on_none(couple, alice_client, card):
    page = alice_client.get(reverse("practices:home")).content.decode()
    assert '<p id="echo-card">Echo for Bob</p>' in page
    card["on"] = False
    assert "echo-card" not in alice_client.get(reverse("practices:home")).content.decode()
