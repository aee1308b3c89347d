"""Export and deletion for rituals: what both shared leaves with each of them, what one
wrote goes with that one's account, and the partner keeps theirs."""

import json

import pytest
from django.urls import reverse

from couples import privacy
from rituals import services
from rituals.models import Choice, LearnItem, LearnReflection, Moment, Ritual, ThinkingOfYou
from tests.test_privacy import reauthenticated

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_life(couple, alice, bob, hug):
    alices = services.add_own(couple, alice, "Alice's wave at the window", "", "physical")
    services.accept(alices, bob)
    services.accept(services.propose(couple, bob, hug), alice)
    today = couple.local_today()
    services.mark_done(couple, bob, alices.ritual, today)
    services.mark_done(couple, alice, hug, today)
    services.send_thinking(couple, alice, bob)
    services.send_thinking(couple, bob, alice)
    item = services.add_item(couple, alice, "Alice's pottery class", None)
    services.set_status(item, "done")
    services.reflect(item, alice, "Alice: clay everywhere")
    services.reflect(item, bob, "Bob: my bowl leaned")
    bobs = services.add_item(couple, bob, "Bob's salsa steps", None)
    plan = services.propose_plan(couple, alice)
    services.accept_plan(plan, bob, today)
    services.warm_moment(plan, bob, today)
    return {"alices": alices.ritual, "item": item, "bobs": bobs}


def test_export_holds_the_couples_rituals_moments_signals_and_both_reflections(shared_life, alice):
    data = json.loads(reauthenticated(alice).get(reverse("couples:export")).content)
    assert [r["title"] for r in data["rituals_written"]] == ["Alice's wave at the window"]
    assert {r["ritual"] for r in data["rituals"]} == {
        "Alice's wave at the window",
        "A long hug before sleep",
    }
    assert len(data["ritual_moments"]) == 2
    assert len(data["thinking_of_you_sent"]) == 1 and len(data["thinking_of_you_received"]) == 1
    pottery = next(i for i in data["learn_together"] if i["title"] == "Alice's pottery class")
    assert {r["body"] for r in pottery["reflections"]} == {
        "Alice: clay everywhere",
        "Bob: my bowl leaned",
    }
    assert len(data["warm_touch_plans"][0]["moments"]) == 1


def test_deleting_erases_what_she_wrote_and_keeps_what_bob_did_and_wrote(shared_life, alice, bob):
    privacy.delete_account(alice)
    assert not Ritual.objects.filter(title="Alice's wave at the window").exists()
    assert not LearnReflection.objects.filter(body="Alice: clay everywhere").exists()
    assert not ThinkingOfYou.objects.filter(sender_id=alice.pk).exists()
    # Bob keeps his reflection, his item, his signal and the moments they shared.
    assert LearnReflection.objects.filter(body="Bob: my bowl leaned").exists()
    assert LearnItem.objects.get(pk=shared_life["item"].pk).added_by is None
    assert LearnItem.objects.filter(pk=shared_life["bobs"].pk).exists()
    assert ThinkingOfYou.objects.get(sender=bob).recipient is None
    assert Moment.objects.count() == 2
    assert Moment.objects.filter(ritual=None, tip="physical").count() == 1
    assert Choice.objects.filter(ritual__shipped_key="hug-before-sleep").exists()
