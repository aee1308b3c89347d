import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from practices import services, stats
from practices.models import Answer, DailyQuestion, DateIdea, Prompt
from tests.factories import UserFactory, date_night, link, note

pytestmark = pytest.mark.django_db


def fill(couple, alice, bob, count):
    """`count` notes, dates and answered questions spread over the past year."""
    now = timezone.now()
    prompts = list(Prompt.objects.all()[:count])
    for i in range(count):
        when = now - dt.timedelta(days=i % 365, hours=i)
        note(couple, (alice, bob)[i % 2], f"note {i}", deliver_at=when)
        date_night(couple, alice, title=f"date {i}", starts_at=when - dt.timedelta(hours=1))
        question = DailyQuestion.objects.create(
            couple=couple,
            day=timezone.localdate(when) - dt.timedelta(days=1000 + i),
            prompt=prompts[i % len(prompts)],
            discussed_at=when,
        )
        Answer.objects.create(question=question, user=alice, body="a", created_at=when)
        Answer.objects.create(question=question, user=bob, body="b", created_at=when)
    date_night(couple, bob, title="Next one", starts_at=now + dt.timedelta(days=3))


# A visit that misses the cache (the warm-up visit creates today's question, a write that
# moves the couple's version): the 9 of the page itself, and one for each hub card:
# practices' phones-away time and thank-yous, feelings and our week, and two for rituals
# (today's rituals, "thinking of you"). A cached visit costs 4
# (tests/couples/test_versions.py). Other tests of the home page share this number.
HOME_QUERIES = 15


@pytest.mark.parametrize("count", [1, 200])
def test_home_renders_in_a_constant_number_of_queries(
    couple, alice, bob, alice_client, django_assert_max_num_queries, count
):
    fill(couple, alice, bob, count)
    alice_client.get(reverse("practices:home"))  # today's question gets created once
    with django_assert_max_num_queries(HOME_QUERIES):
        page = alice_client.get(reverse("practices:home"))
    assert page.status_code == 200
    assert "Next one" in page.text


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("practices:notes", 6),
        ("practices:notes_sent", 6),
        ("practices:dates", 7),
        ("practices:history", 7),
        ("practices:question", 6),
        ("practices:prompts", 8),
        ("practices:ideas", 5),
    ],
)
def test_lists_do_not_grow_with_the_data(
    couple, alice, bob, alice_client, django_assert_max_num_queries, name, limit
):
    fill(couple, alice, bob, 60)
    services.todays_question(couple)  # created once a day, by whoever comes first
    with django_assert_max_num_queries(limit):
        assert alice_client.get(reverse(name)).status_code == 200


def test_home_shows_who_has_answered_without_revealing_the_answer(couple, alice, bob, bob_client):
    question = services.todays_question(couple)
    services.answer_question(question, alice, "hidden words")
    page = bob_client.get(reverse("practices:home")).text
    assert "Alice has answered. Answer to see what they wrote." in page
    assert "hidden words" not in page


def test_the_gratitude_jar_brings_back_an_old_note_received(
    couple, alice, bob, bob_client, alice_client
):
    note(couple, alice, "Fresh note", deliver_at=timezone.now() - dt.timedelta(days=3))
    assert "From the gratitude jar" not in bob_client.get(reverse("practices:home")).text
    note(couple, alice, "Old favourite", deliver_at=timezone.now() - dt.timedelta(days=45))
    page = bob_client.get(reverse("practices:home")).text
    assert "From the gratitude jar" in page and "Old favourite" in page
    # Only notes you received: Alice's jar is still empty.
    assert "From the gratitude jar" not in alice_client.get(reverse("practices:home")).text


def test_the_jar_rotates_day_by_day(couple, alice, bob, bob_client):
    for i in range(3):
        note(couple, alice, f"Memory {i}", deliver_at=timezone.now() - dt.timedelta(days=40 + i))
    shown = set()
    for day in range(3):
        with time_machine.travel(timezone.now() + dt.timedelta(days=day)):
            shown.add(bob_client.get(reverse("practices:home")).context["jar_note"].body)
    assert shown == {"Memory 0", "Memory 1", "Memory 2"}


def test_balance_counts_each_thing_for_one_tip(couple, alice, bob):
    now = timezone.now()
    note(couple, alice, deliver_at=now - dt.timedelta(days=1))
    note(couple, bob, deliver_at=now - dt.timedelta(days=40))  # outside the window
    feelings = Prompt.objects.filter(tip="feelings").first()
    question = DailyQuestion.objects.create(
        couple=couple, day=dt.date(2020, 1, 1), prompt=feelings, discussed_at=now
    )
    Answer.objects.create(question=question, user=alice, body="x")
    physical = DateIdea.objects.filter(tip="physical").first()
    date_night(couple, alice, starts_at=now - dt.timedelta(days=2), idea=physical)
    date_night(couple, alice, starts_at=now - dt.timedelta(days=2))
    date_night(couple, alice, starts_at=now - dt.timedelta(days=2), status="cancelled")
    result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert (result.notes, result.answers, result.talks, result.dates) == (1, 1, 1, 2)
    assert result.by_tip == {
        "gratitude": 1,
        "talk": 1,
        "quality_time": 1,
        "feelings": 1,
        "physical": 1,
    }


def test_balance_counts_the_start_of_the_window_but_not_its_end(couple, alice):
    start = timezone.now() - dt.timedelta(days=30)
    end = timezone.now()
    note(couple, alice, deliver_at=start)
    note(couple, alice, deliver_at=end)
    date_night(couple, alice, starts_at=start)
    date_night(couple, alice, starts_at=end)
    result = stats.balance(couple, start, end)
    assert (result.notes, result.dates) == (1, 1)


def test_balance_leaves_out_other_couples_in_one_query(
    couple, alice, charlie, django_assert_num_queries
):
    other = link(charlie, UserFactory())
    now = timezone.now()
    note(other, charlie, deliver_at=now - dt.timedelta(days=1))
    date_night(other, charlie, starts_at=now - dt.timedelta(days=1))
    question = DailyQuestion.objects.create(
        couple=other, day=dt.date(2020, 1, 1), prompt=Prompt.objects.first(), discussed_at=now
    )
    Answer.objects.create(question=question, user=charlie, body="x")
    with django_assert_num_queries(1):
        result = stats.balance(couple, now - dt.timedelta(days=30), now + dt.timedelta(minutes=1))
    assert (result.notes, result.answers, result.talks, result.dates, result.total) == (0,) * 5


def test_home_counts_days_together_in_the_couples_zone(couple, alice_client):
    couple.together_since = dt.date(2026, 1, 1)
    couple.timezone = "Pacific/Auckland"
    couple.save()
    # 11:00 UTC on 10 Jan is already 00:00 on 11 Jan in Auckland (NZDT, +13).
    with time_machine.travel(dt.datetime(2026, 1, 10, 11, 0, tzinfo=dt.UTC)):
        page = alice_client.get(reverse("practices:home"))
    assert page.context["days_together"] == 10


def test_the_days_jar_pick_is_remembered_and_survives_its_note_going(couple, alice, bob_client):
    first = note(couple, alice, "Memory A", deliver_at=timezone.now() - dt.timedelta(days=40))
    second = note(couple, alice, "Memory B", deliver_at=timezone.now() - dt.timedelta(days=41))
    shown = bob_client.get(reverse("practices:home")).context["jar_note"]
    assert bob_client.get(reverse("practices:home")).context["jar_note"] == shown
    shown.delete()
    fallback = bob_client.get(reverse("practices:home")).context["jar_note"]
    assert fallback in (first, second) and fallback.pk != shown.pk
