"""`make demo`'s part of our week: three past check-ins and an open wish."""

import random

import pytest

from ourweek import demo
from ourweek.models import Week, Wish

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_past_weeks_and_an_open_wish_for_sam(couple, alice, bob, alice_client):
    demo.seed(couple, alice, bob, random.Random(7))
    assert Week.objects.filter(couple=couple, finished_at__isnull=False).count() == 3
    (open_wish,) = Wish.objects.filter(done_at__isnull=True)
    assert open_wish.author == bob
    assert open_wish.body in alice_client.get("/home/").text
