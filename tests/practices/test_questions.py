import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from practices import services
from practices.models import Answer, DailyQuestion, FavoritePrompt, Prompt
from tests.conftest import client_for
from tests.factories import CoupleFactory, UserFactory, link

pytestmark = pytest.mark.django_db


def test_the_library_ships_at_least_150_prompts_25_per_tip():
    library = Prompt.objects.filter(couple__isnull=True)
    assert library.count() >= 150
    for tip in ("gratitude", "talk", "quality_time", "feelings", "physical"):
        assert library.filter(tip=tip).count() >= 25, tip
    assert set(library.values_list("depth", flat=True)) == {"light", "medium", "deep"}


def test_both_partners_get_the_same_question_each_day(couple, alice_client, bob_client):
    a = alice_client.get(reverse("practices:question"))
    b = bob_client.get(reverse("practices:question"))
    question = DailyQuestion.objects.get()
    text = escape(question.prompt.text)
    assert text in a.text and text in b.text


def test_the_day_turns_in_the_couples_home_zone(couple):
    # London midnight, while Bob's Auckland is already at lunchtime of the next day.
    couple.timezone = "Europe/London"
    with time_machine.travel(dt.datetime(2026, 7, 1, 22, 59, tzinfo=dt.UTC)):  # 23:59 BST
        first = services.todays_question(couple)
    with time_machine.travel(dt.datetime(2026, 7, 1, 23, 1, tzinfo=dt.UTC)):  # 00:01 BST
        second = services.todays_question(couple)
    assert (first.day, second.day) == (dt.date(2026, 7, 1), dt.date(2026, 7, 2))
    couple.timezone = "Pacific/Auckland"
    with time_machine.travel(dt.datetime(2026, 7, 1, 23, 1, tzinfo=dt.UTC)):  # 11:01 NZST
        assert services.todays_question(couple).day == dt.date(2026, 7, 2)


def test_no_prompt_repeats_until_the_library_is_used_up(couple):
    library_size = services.prompts_for(couple).count()
    start = dt.date(2027, 1, 1)
    seen = [
        services.todays_question(couple, start + dt.timedelta(days=i)).prompt_id
        for i in range(library_size)
    ]
    assert len(set(seen)) == library_size
    # The next day starts over with the prompt asked longest ago.
    again = services.todays_question(couple, start + dt.timedelta(days=library_size))
    assert again.prompt_id == seen[0]


def test_a_couples_own_prompts_join_their_mix_and_nobody_elses(couple, alice_client, charlie):
    alice_client.post(
        reverse("practices:prompt_new"),
        {"text": "What song reminds you of us?", "tip": "feelings", "depth": "light"},
    )
    own = Prompt.objects.get(couple=couple)
    assert own.author.email == "alice@example.com"
    assert own in services.prompts_for(couple)
    others = link(charlie, UserFactory())
    assert own not in services.prompts_for(others)
    response = alice_client.post(
        reverse("practices:prompt_new"), {"text": "  ", "tip": "feelings", "depth": "light"}
    )
    assert "cannot be empty" in response.text
    assert Prompt.objects.filter(couple=couple).count() == 1


def test_your_partners_answer_is_hidden_until_you_answer(couple, alice_client, bob_client):
    question = services.todays_question(couple)
    alice_client.post(
        reverse("practices:answer", args=[question.pk]), {"body": "Alice secret words"}
    )

    before = bob_client.get(reverse("practices:question"))
    assert "Alice secret words" not in before.text
    assert "Alice has answered" in before.text
    history = bob_client.get(reverse("practices:history"))
    assert "Alice secret words" not in history.text

    bob_client.post(reverse("practices:answer", args=[question.pk]), {"body": "Bob reply"})
    after = bob_client.get(reverse("practices:question"))
    assert "Alice secret words" in after.text and "Bob reply" in after.text
    assert "Bob reply" in alice_client.get(reverse("practices:question")).text


def test_answers_are_settled_once_both_have_answered(couple, alice, bob):
    question = services.todays_question(couple)
    services.answer_question(question, alice, "first")
    services.answer_question(question, alice, "first, revised")
    services.answer_question(question, bob, "mine")
    with pytest.raises(services.PracticeError):
        services.answer_question(question, alice, "changed after reading")
    assert Answer.objects.get(user=alice).body == "first, revised"


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "cannot be empty"), ("  ", "cannot be empty"), ("x" * 2001, "at most 2000 characters")],
)
def test_bad_answers_get_a_message_and_save_nothing(couple, alice_client, body, message):
    question = services.todays_question(couple)
    response = alice_client.post(reverse("practices:answer", args=[question.pk]), {"body": body})
    assert message in response.text
    assert not Answer.objects.exists()


def test_html_in_an_answer_is_shown_escaped(couple, alice, bob, bob_client):
    question = services.todays_question(couple)
    services.answer_question(question, alice, "<img src=x onerror=alert(1)>")
    services.answer_question(question, bob, "ok")
    page = bob_client.get(reverse("practices:question")).text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_either_partner_may_swap_todays_question_once(couple, alice_client, bob_client):
    question = services.todays_question(couple)
    first = question.prompt_id
    alice_client.post(reverse("practices:swap", args=[question.pk]))
    question.refresh_from_db()
    assert question.prompt_id != first and question.swapped
    response = bob_client.post(reverse("practices:swap", args=[question.pk]), follow=True)
    assert "already been swapped" in response.text
    assert DailyQuestion.objects.get().prompt_id == question.prompt_id


def test_no_swap_or_pick_after_someone_answered(couple, alice, bob_client):
    question = services.todays_question(couple)
    services.answer_question(question, alice, "done")
    other = Prompt.objects.exclude(pk=question.prompt_id).first()
    bob_client.post(reverse("practices:swap", args=[question.pk]))
    bob_client.post(reverse("practices:pick", args=[other.pk]))
    assert DailyQuestion.objects.get().prompt_id == question.prompt_id


# 23:30 UTC on 10 June is 00:30 on 11 June in London, the couple's home zone.
LONDON_JUST_AFTER_MIDNIGHT = dt.datetime(2027, 6, 10, 23, 30, tzinfo=dt.UTC)


def test_only_todays_question_in_the_couples_zone_can_be_swapped(couple, alice):
    with time_machine.travel(LONDON_JUST_AFTER_MIDNIGHT, tick=False):
        alice_client = client_for(alice)  # a session made in the frozen time
        earlier = services.todays_question(couple, dt.date(2027, 6, 10))
        page = alice_client.get(reverse("practices:question_detail", args=[earlier.pk]))
        assert "Swap today" not in page.text
        response = alice_client.post(reverse("practices:swap", args=[earlier.pk]), follow=True)
        assert escape("Only today's question can change") in response.text
        today = services.todays_question(couple)
        assert today.day == dt.date(2027, 6, 11)
        alice_client.post(reverse("practices:swap", args=[today.pk]))
    earlier_after, today_after = DailyQuestion.objects.order_by("day")
    assert (earlier_after.prompt_id, earlier_after.swapped) == (earlier.prompt_id, False)
    assert today_after.swapped and today_after.prompt_id != today.prompt_id


def test_an_earlier_unanswered_question_cannot_be_picked_over(couple):
    with time_machine.travel(LONDON_JUST_AFTER_MIDNIGHT, tick=False):
        earlier = services.todays_question(couple, dt.date(2027, 6, 10))
        other = Prompt.objects.exclude(pk=earlier.prompt_id).first()
        with pytest.raises(services.PracticeError, match="Only today's question"):
            services.pick_question(earlier, other)
    earlier.refresh_from_db()
    assert earlier.prompt_id != other.pk


def test_an_answer_to_a_question_swapped_meanwhile_is_refused_and_kept(
    couple, alice_client, bob_client
):
    page = alice_client.get(reverse("practices:question"))
    question = page.context["question"]
    seen = question.prompt_id
    bob_client.post(reverse("practices:swap", args=[question.pk]))
    response = alice_client.post(
        reverse("practices:answer", args=[question.pk]),
        {"body": "The picnic in the rain.", "prompt": seen},
    )
    assert "changed while you were writing" in response.text
    assert "The picnic in the rain." in response.text
    question.refresh_from_db()
    assert escape(question.prompt.text) in response.text
    assert f'name="prompt" value="{question.prompt_id}"' in response.text
    assert not Answer.objects.exists()
    alice_client.post(
        reverse("practices:answer", args=[question.pk]),
        {"body": "The picnic in the rain.", "prompt": question.prompt_id},
    )
    assert Answer.objects.get().body == "The picnic in the rain."


def test_an_answer_from_a_garbled_page_gets_a_message_and_is_kept(couple, alice_client):
    question = services.todays_question(couple)
    response = alice_client.post(
        reverse("practices:answer", args=[question.pk]),
        {"body": "Sunday pancakes.", "prompt": "not-a-prompt"},
    )
    assert "This page is out of date" in response.text
    assert "Sunday pancakes." in response.text
    assert not Answer.objects.exists()


def test_pick_a_prompt_from_the_library_for_today(couple, alice_client):
    chosen = Prompt.objects.filter(tip="physical", depth="deep").first()
    library = alice_client.get(reverse("practices:prompts") + "?tip=physical&depth=deep")
    assert escape(chosen.text) in library.text
    assert "gratitude" not in {p.tip for p in library.context["prompts"]}
    alice_client.post(reverse("practices:pick", args=[chosen.pk]))
    assert services.todays_question(couple).prompt == chosen


def test_another_couples_prompt_cannot_be_picked_or_favourited(couple, alice_client, charlie):
    theirs = Prompt.objects.create(
        text="Private to them?", tip="talk", couple=link(charlie, UserFactory())
    )
    assert alice_client.post(reverse("practices:pick", args=[theirs.pk])).status_code == 404
    assert alice_client.post(reverse("practices:favorite", args=[theirs.pk])).status_code == 404
    assert not FavoritePrompt.objects.exists()


def test_favourites_toggle_and_filter(couple, alice, alice_client):
    prompt = Prompt.objects.first()
    alice_client.post(reverse("practices:favorite", args=[prompt.pk]))
    assert FavoritePrompt.objects.filter(user=alice, prompt=prompt).exists()
    only = alice_client.get(reverse("practices:prompts") + "?favorites=1")
    assert list(only.context["prompts"]) == [prompt]
    alice_client.post(reverse("practices:favorite", args=[prompt.pk]))
    assert not FavoritePrompt.objects.exists()


def test_we_talked_about_it_is_recorded(couple, bob_client):
    question = services.todays_question(couple)
    bob_client.post(reverse("practices:talked", args=[question.pk]))
    question.refresh_from_db()
    assert question.discussed_at is not None


def test_history_lists_past_questions_with_both_answers(couple, alice, bob, alice_client):
    past = DailyQuestion.objects.create(
        couple=couple, day=dt.date(2026, 1, 5), prompt=Prompt.objects.first()
    )
    Answer.objects.create(question=past, user=alice, body="Alice then")
    Answer.objects.create(question=past, user=bob, body="Bob then")
    page = alice_client.get(reverse("practices:history")).text
    assert "Alice then" in page and "Bob then" in page


def test_partners_far_apart_see_the_same_day(couple, alice, bob):
    # Alice in London, Bob in Auckland: the couple's zone decides, not theirs.
    assert (alice.timezone, bob.timezone) == ("Europe/London", "Pacific/Auckland")
    with time_machine.travel(dt.datetime(2026, 5, 10, 20, 0, tzinfo=dt.UTC)):
        # 21:00 in London on the 10th, 08:00 on the 11th in Auckland.
        question = services.todays_question(couple)
        assert question.day == dt.date(2026, 5, 10)
        assert timezone.localdate(timezone=bob.tzinfo) == dt.date(2026, 5, 11)


def test_two_partners_opening_the_page_together_share_one_question():
    couple = CoupleFactory()
    first = services.todays_question(couple, dt.date(2027, 2, 2))
    assert services.todays_question(couple, dt.date(2027, 2, 2)) == first
    assert DailyQuestion.objects.filter(couple=couple).count() == 1


def test_the_library_filters_by_occasion_and_kind_a_page_at_a_time(
    couple, alice_client, django_assert_max_num_queries
):
    url = reverse("practices:prompts")
    love_maps = alice_client.get(url + "?kind=love_map")
    assert {p.kind for p in love_maps.context["prompts"]} == {"love_map"}
    assert "Love maps" in love_maps.text
    anniversary = alice_client.get(url + "?occasion=anniversary&tip=talk")
    shown = anniversary.context["prompts"]
    assert shown and {(p.occasion, p.tip) for p in shown} == {("anniversary", "talk")}
    # An unknown choice is ignored, not an error.
    assert alice_client.get(url + "?kind=quiz&occasion=birthday").status_code == 200
    # 420 prompts do not all land on one page, and the next page keeps the filters.
    first = alice_client.get(url + "?tip=talk")
    assert len(first.context["prompts"]) == 40 and first.context["has_next"]
    assert "?tip=talk&amp;page=2" in first.text
    second = alice_client.get(url + "?tip=talk&page=2")
    assert {p.pk for p in second.context["prompts"]}.isdisjoint(
        p.pk for p in first.context["prompts"]
    )
    assert "?tip=talk&amp;page=1" in second.text
    assert alice_client.get(url + "?page=nope").context["page_number"] == 1
    far = alice_client.get(url + "?page=99999999")
    assert far.status_code == 200 and not far.context["prompts"]
    with django_assert_max_num_queries(8):
        alice_client.get(url + "?page=3")


def test_a_couples_own_prompts_open_the_library(couple, alice, alice_client):
    own = Prompt.objects.create(text="Ours, on page one?", tip="talk", couple=couple, author=alice)
    first = alice_client.get(reverse("practices:prompts"))
    assert first.context["prompts"][0] == own
