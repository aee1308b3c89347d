"""Thinking of you: one tap, shown on the partner's home, three a day, never a score."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from practices import stats
from rituals import services
from rituals.models import ThinkingOfYou

pytestmark = pytest.mark.django_db

# Tomorrow at 08:00 UTC: near enough that the test clients' sessions are still valid.
MORNING = (timezone.now() + dt.timedelta(days=1)).replace(hour=8, minute=0, second=0)


def test_the_partner_sees_it_on_their_home_and_the_sender_does_not(
    couple, alice_client, bob_client
):
    response = alice_client.post(reverse("rituals:thinking"), {"back": "home"}, follow=True)
    assert "Bob will know you are thinking of them." in response.text
    assert "Alice is thinking of you" in bob_client.get(reverse("practices:home")).text
    assert "is thinking of you" not in alice_client.get(reverse("practices:home")).text


def test_a_fourth_in_a_day_is_refused_with_a_clear_message_and_nothing_saved(
    couple, alice, bob, alice_client
):
    with time_machine.travel(MORNING, tick=False):
        for _ in range(3):
            services.send_thinking(couple, alice, bob)
        response = alice_client.post(reverse("rituals:thinking"), follow=True)
        assert "You have sent three today" in response.text
        assert ThinkingOfYou.objects.filter(sender=alice).count() == 3
    # Bob's own three are his, and tomorrow Alice may send again.
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        services.send_thinking(couple, alice, bob)
    services.send_thinking(couple, bob, alice)
    assert ThinkingOfYou.objects.filter(sender=alice).count() == 4


def test_the_day_is_the_senders_own(couple, alice, bob):
    # 23:30 in London and 00:30 the next day in London are two days for Alice.
    with time_machine.travel(dt.datetime(2027, 3, 10, 23, 30, tzinfo=dt.UTC), tick=False):
        for _ in range(3):
            services.send_thinking(couple, alice, bob)
    with time_machine.travel(dt.datetime(2027, 3, 11, 0, 30, tzinfo=dt.UTC), tick=False):
        services.send_thinking(couple, alice, bob)
    assert sorted(set(ThinkingOfYou.objects.values_list("day", flat=True))) == [
        dt.date(2027, 3, 10),
        dt.date(2027, 3, 11),
    ]


def test_thinking_of_you_is_never_counted(couple, alice, bob):
    services.send_thinking(couple, alice, bob)
    now = timezone.now()
    result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert result.total == 0
    assert "thinking" not in result.sentence().lower()


def test_signals_older_than_a_day_leave_the_home(couple, alice, bob, bob_client):
    with time_machine.travel(MORNING, tick=False):
        services.send_thinking(couple, alice, bob)
    with time_machine.travel(MORNING + dt.timedelta(hours=25), tick=False):
        assert "Alice is thinking of you" not in bob_client.get(reverse("practices:home")).text
