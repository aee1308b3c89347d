"""Export and deletion for our week: everything written together is in both exports;
a deleted account takes its own lines and wishes and leaves the partner's."""

import json

import pytest

from couples import privacy
from ourweek import services
from ourweek.models import Line, Week, Wish

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_week(week, couple, alice, bob):
    services.weekly_time(couple)
    services.write_lines(week, 1, alice, {alice: "Alice thanks Bob", bob: "Bob thanks Alice"})
    Week.objects.filter(pk=week.pk).update(step=4)
    services.write_wishes(
        week, bob, {bob: ("Bob wishes", "talk"), alice: ("Alice wishes", "feelings")}
    )
    Week.objects.filter(pk=week.pk).update(step=5)
    services.finish_week(week, alice)
    return week


def test_both_exports_hold_the_whole_week(shared_week, alice, bob):
    for person in (alice, bob):
        data = json.loads(privacy.export_json(person))
        (row,) = data["weekly_check_ins"]
        assert sorted(row["took_part"]) == ["Alice", "Bob"]
        assert {(line["by"], line["body"]) for line in row["lines"]} == {
            ("Alice", "Alice thanks Bob"),
            ("Bob", "Bob thanks Alice"),
        }
        assert {wish["body"] for wish in row["wishes"]} == {"Bob wishes", "Alice wishes"}
        assert data["weekly_times"] == [{"weekday": "Sunday", "at": "19:00:00"}]


def test_a_stranger_exports_nothing_of_it(shared_week, charlie):
    data = json.loads(privacy.export_json(charlie))
    assert data["weekly_check_ins"] == [] and data["weekly_times"] == []


def test_deleting_an_account_keeps_what_the_partner_wrote(shared_week, alice, bob):
    privacy.delete_account(alice)
    assert list(Line.objects.values_list("body", flat=True)) == ["Bob thanks Alice"]
    assert list(Wish.objects.values_list("body", flat=True)) == ["Bob wishes"]
    week = Week.objects.get()
    assert week.took_part == [bob.pk] and week.finished_by is None
