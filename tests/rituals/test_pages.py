"""The rituals pages and the home card cost the same number of queries however much a
couple has chosen, done and written."""

import datetime as dt

import pytest
from django.urls import reverse

from rituals import services
from rituals.models import Moment, Ritual
from tests.practices.test_home import HOME_QUERIES

pytestmark = pytest.mark.django_db


def fill(couple, alice, bob, count):
    """`count` rituals chosen (and proposals), days of moments, signals and list items."""
    rituals = list(Ritual.objects.filter(couple=None)[:count])
    today = couple.local_today()
    for i, ritual in enumerate(rituals):
        choice = services.propose(couple, (alice, bob)[i % 2], ritual)
        if i % 3:
            services.accept(choice, (bob, alice)[i % 2])
            Moment.objects.bulk_create(
                Moment(
                    couple=couple, ritual=ritual, day=today - dt.timedelta(days=d), tip=ritual.tip
                )
                for d in range(count)
            )
    for _ in range(min(count, 3)):
        services.send_thinking(couple, bob, alice)
    for i in range(count):
        item = services.add_item(couple, (alice, bob)[i % 2], f"Item {i}", None)
        services.set_status(item, ("someday", "started", "done")[i % 3])
    plan = services.propose_plan(couple, alice)
    services.accept_plan(plan, bob, today)
    return item


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize(
    ("name", "limit"),
    [("practices:home", HOME_QUERIES), ("rituals:rituals", 10), ("rituals:learn", 5)],
)
def test_pages_do_not_grow_with_the_data(
    couple, alice, bob, alice_client, django_assert_max_num_queries, count, name, limit
):
    fill(couple, alice, bob, count)
    alice_client.get(reverse("practices:home"))  # today's question gets created once
    with django_assert_max_num_queries(limit):
        assert alice_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_a_learn_item_page_does_not_grow_with_the_data(
    couple, alice, bob, alice_client, django_assert_max_num_queries, count
):
    item = fill(couple, alice, bob, count)
    with django_assert_max_num_queries(6):
        assert alice_client.get(reverse("rituals:learn_item", args=[item.pk])).status_code == 200
