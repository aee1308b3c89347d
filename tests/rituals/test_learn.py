"""Learn together: a shared list, someday / started / done, and a done item kept as a
memory with each partner's reflection. A finished item counts for quality time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from practices import stats
from rituals import services
from rituals.models import LearnItem, LearnReflection

pytestmark = pytest.mark.django_db


def test_an_item_added_by_one_is_on_the_list_of_both(couple, alice_client, bob_client):
    response = alice_client.post(
        reverse("rituals:learn"), {"title": "Tango, the basics", "target_month": "2027-05"}
    )
    assert response.status_code == 302
    item = LearnItem.objects.get(couple=couple)
    assert (item.status, item.target_month) == ("someday", dt.date(2027, 5, 1))
    page = bob_client.get(reverse("rituals:learn")).text
    assert "Tango, the basics" in page and "May 2027" in page


def test_moving_to_done_counts_for_quality_time_and_back_uncounts(couple, alice, alice_client):
    item = services.add_item(couple, alice, "Make dumplings", None)
    alice_client.post(reverse("rituals:learn_status", args=[item.pk]), {"status": "started"})
    alice_client.post(reverse("rituals:learn_status", args=[item.pk]), {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done" and item.done_at
    now = timezone.now()
    result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert result.learned == 1 and result.by_tip["quality_time"] == 1
    services.set_status(item, "started")
    result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert result.learned == 0


def test_a_done_item_becomes_a_memory_with_both_reflections(
    couple, alice, bob, alice_client, bob_client
):
    item = services.add_item(couple, alice, "Walk the ridge trail", None)
    response = alice_client.post(
        reverse("rituals:learn_reflect", args=[item.pk]), {"body": "Too soon"}, follow=True
    )
    assert "Mark it as done first" in response.text
    assert not LearnReflection.objects.exists()
    services.set_status(item, "done")
    alice_client.post(
        reverse("rituals:learn_reflect", args=[item.pk]), {"body": "Windy, wonderful."}
    )
    bob_client.post(
        reverse("rituals:learn_reflect", args=[item.pk]), {"body": "Best sandwich ever."}
    )
    page = alice_client.get(reverse("rituals:learn_item", args=[item.pk])).text
    assert "Windy, wonderful." in page and "Best sandwich ever." in page
    assert LearnReflection.objects.get(user=bob).couple == couple
