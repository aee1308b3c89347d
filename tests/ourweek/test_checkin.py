"""The check-in: five skippable steps in order, on one phone held by two or on two
phones, recorded once when finished."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from ourweek import services
from ourweek.models import Line, Week, Wish
from practices.models import DateIdea, GratitudeNote
from tests.factories import UserFactory, link, note
from tests.ourweek.conftest import MONDAY
from tests.test_urls import snapshot

pytestmark = pytest.mark.django_db


def step_url(week, step):
    return reverse("ourweek:step", args=[week.pk, step])


def lines(week, kind):
    return dict(
        Line.objects.filter(week=week, kind=kind).values_list("author__display_name", "body")
    )


def test_starting_makes_one_week_for_both_partners_whatever_the_day(
    couple, alice_client, bob_client, wednesday
):
    first = alice_client.post(reverse("ourweek:start"))
    second = bob_client.post(reverse("ourweek:start"))
    assert first["Location"] == second["Location"]
    week = Week.objects.get(couple=couple)
    assert week.starts_on == MONDAY and week.step == Week.Step.APPRECIATIONS


def test_one_phone_held_by_two_goes_through_all_five_steps(couple, alice, bob, alice_client, week):
    client = alice_client
    client.post(
        step_url(week, 1),
        {"action": "next", "mine": "You made soup.", "theirs": "You fixed the bike."},
    )
    assert lines(week, "appreciation") == {"Alice": "You made soup.", "Bob": "You fixed the bike."}
    client.post(step_url(week, 2), {"action": "skip", "mine": "not kept"})
    assert lines(week, "went_well") == {}
    client.post(step_url(week, 3), {"action": "minutes", "minutes": "8"})
    client.post(step_url(week, 3), {"action": "next", "mine": "", "theirs": "Ask for help sooner."})
    assert lines(week, "takeaway") == {"Bob": "Ask for help sooner."}
    client.post(
        step_url(week, 4),
        {
            "action": "next",
            "mine": "A walk",
            "mine_tip": "quality_time",
            "theirs": "A hug",
            "theirs_tip": "physical",
        },
    )
    page = client.get(reverse("ourweek:week", args=[week.pk])).text
    assert reverse("practices:date_new") in page
    # Three ideas the couple never planned, each opening the date form filled in.
    offered = re.findall(r'href="/dates/new/\?idea=(\d+)"', page)
    assert len(offered) == 3
    idea = DateIdea.objects.get(pk=offered[0])
    form = client.get(reverse("practices:date_new"), {"idea": idea.pk}).text
    assert f'value="{idea.title}"' in form
    response = client.post(reverse("ourweek:finish", args=[week.pk]), follow=True)
    assert "Thank you for taking the time together" in response.text
    week.refresh_from_db()
    assert week.is_finished and week.speak_minutes == 8
    assert sorted(week.took_part) == sorted([alice.pk, bob.pk])
    assert {(w.author_id, w.tip) for w in Wish.objects.filter(week=week)} == {
        (alice.pk, "quality_time"),
        (bob.pk, "physical"),
    }


def test_a_step_out_of_order_is_refused_with_a_clear_message(week, alice_client):
    before = snapshot()
    response = alice_client.post(
        step_url(week, 3), {"action": "next", "mine": "jumping ahead"}, follow=True
    )
    assert "One step at a time: you are on step 1, appreciations." in response.text
    assert snapshot() == before
    assert not Line.objects.exists()
    response = alice_client.post(reverse("ourweek:finish", args=[week.pk]), follow=True)
    assert "One step at a time" in response.text
    week.refresh_from_db()
    assert not week.is_finished


def test_a_step_that_does_not_exist_is_404(week, alice_client):
    assert alice_client.post(step_url(week, 6), {"action": "next"}).status_code == 404
    assert alice_client.post(step_url(week, 0), {"action": "next"}).status_code == 404


def test_an_earlier_step_can_still_take_a_line_from_the_other_phone(week, alice_client, bob_client):
    alice_client.post(step_url(week, 1), {"action": "next", "mine": "You listened."})
    bob_client.post(step_url(week, 1), {"action": "save", "mine": "You cooked."})
    assert lines(week, "appreciation") == {"Alice": "You listened.", "Bob": "You cooked."}
    week.refresh_from_db()
    assert week.step == 2


def test_both_phones_moving_on_at_once_move_one_step(week, alice_client, bob_client):
    alice_client.post(step_url(week, 1), {"action": "skip"})
    bob_client.post(step_url(week, 1), {"action": "skip"})
    week.refresh_from_db()
    assert week.step == 2


def test_a_line_the_partner_wrote_on_their_phone_is_never_overwritten(
    week, alice_client, bob_client
):
    bob_client.post(step_url(week, 1), {"action": "save", "mine": "Bob's own words."})
    response = alice_client.post(
        step_url(week, 1),
        {"action": "save", "mine": "Mine.", "theirs": "Words for Bob."},
        follow=True,
    )
    assert "Bob had already written theirs on their phone" in response.text
    assert lines(week, "appreciation") == {"Alice": "Mine.", "Bob": "Bob's own words."}


def test_the_other_phone_sees_each_line_in_the_polled_state(week, alice_client, bob_client):
    alice_client.post(step_url(week, 1), {"action": "save", "mine": "You <b>shine</b>."})
    state = bob_client.get(reverse("ourweek:state", args=[week.pk])).json()
    assert state["step"] == 1 and not state["finished"]
    assert "You &lt;b&gt;shine&lt;/b&gt;." in state["html"] and "Alice" in state["html"]


@pytest.mark.parametrize("minutes", ["0", "600", "-5", "five", ""])
def test_a_timer_outside_one_to_sixty_minutes_changes_nothing(week, alice_client, minutes):
    Week.objects.filter(pk=week.pk).update(step=3)
    before = snapshot()
    response = alice_client.post(step_url(week, 3), {"action": "minutes", "minutes": minutes})
    assert response.status_code == 400
    assert "minutes" in response.text.lower()
    assert snapshot() == before
    week.refresh_from_db()
    assert week.speak_minutes == 5


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        (1, {"mine": "x" * 301}, "up to 300 characters"),
        (1, {"mine": "fine", "theirs": "x" * 301}, "up to 300 characters"),
        (4, {"mine": "A walk"}, "Pick the tip Alice"),
        (4, {"mine": "A walk", "mine_tip": "money"}, "Select a valid choice"),
        (4, {"mine": "x" * 301, "mine_tip": "talk"}, "up to 300 characters"),
    ],
)
def test_bad_lines_and_wishes_save_nothing(week, alice_client, step, data, message):
    Week.objects.filter(pk=week.pk).update(step=step)
    before = snapshot()
    response = alice_client.post(step_url(week, step), {"action": "next", **data})
    assert response.status_code == 400
    assert message in response.text
    assert snapshot() == before


def test_html_in_a_line_is_shown_escaped(week, alice_client):
    alice_client.post(step_url(week, 1), {"action": "save", "mine": "<script>alert(1)</script>"})
    page = alice_client.get(reverse("ourweek:week", args=[week.pk])).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_unknown_button_changes_nothing(week, alice_client):
    before = snapshot()
    response = alice_client.post(step_url(week, 1), {"action": "explode", "mine": "x"}, follow=True)
    assert "That button is not one we know" in response.text
    assert snapshot() == before


def test_a_finished_week_posted_again_changes_nothing(week, alice, alice_client, bob_client):
    Week.objects.filter(pk=week.pk).update(step=5)
    alice_client.post(reverse("ourweek:finish", args=[week.pk]))
    week.refresh_from_db()
    finished = (week.finished_at, week.finished_by_id, week.took_part)
    before = snapshot()
    response = bob_client.post(reverse("ourweek:finish", args=[week.pk]), follow=True)
    assert "already finished. Nothing changed." in response.text
    response = bob_client.post(step_url(week, 1), {"action": "save", "mine": "late"}, follow=True)
    assert "This week is finished, so it stays as it is." in response.text
    assert snapshot() == before
    week.refresh_from_db()
    assert (
        (week.finished_at, week.finished_by_id, week.took_part)
        == finished
        == (
            finished[0],
            alice.pk,
            [alice.pk],
        )
    )


def test_an_appreciation_becomes_a_note_to_the_partner_in_one_tap_once(
    week, alice, bob, alice_client
):
    alice_client.post(step_url(week, 1), {"action": "save", "mine": "You made me laugh."})
    alice_client.post(reverse("ourweek:note", args=[week.pk]))
    response = alice_client.post(reverse("ourweek:note", args=[week.pk]), follow=True)
    assert "already a note" in response.text
    sent = GratitudeNote.objects.get()
    assert (sent.author, sent.recipient, sent.body) == (alice, bob, "You made me laugh.")
    assert sent.delivered_at is not None


def test_the_partners_line_cannot_be_sent_as_a_note_from_my_session(week, alice_client, bob):
    alice_client.post(step_url(week, 1), {"action": "save", "theirs": "Bob's line"})
    response = alice_client.post(reverse("ourweek:note", args=[week.pk]), follow=True)
    assert "Write your appreciation first" in response.text
    assert not GratitudeNote.objects.exists()


def test_step_one_offers_the_weeks_notes_and_questions_as_titles_only(
    couple, alice, bob, week, alice_client
):
    note(couple, bob, "A secret body that stays behind its link")
    page = alice_client.get(reverse("ourweek:week", args=[week.pk])).text
    assert "A note from Bob, Wednesday" in page
    assert "A secret body" not in page


def test_another_couples_week_is_404_and_nothing_changes(week, wednesday):
    charlie, dave = UserFactory(), UserFactory()
    link(charlie, dave)
    from tests.conftest import client_for

    client = client_for(charlie)
    before = snapshot()
    assert client.get(reverse("ourweek:week", args=[week.pk])).status_code == 404
    assert client.get(reverse("ourweek:state", args=[week.pk])).status_code == 404
    assert client.post(step_url(week, 1), {"action": "next", "mine": "x"}).status_code == 404
    assert client.post(reverse("ourweek:finish", args=[week.pk])).status_code == 404
    assert snapshot() == before


def test_history_lists_past_weeks_without_reproach(couple, alice, bob, alice_client, time_machine):
    time_machine.move_to(dt.datetime(2027, 2, 14, 20, 0, tzinfo=dt.UTC), tick=False)
    old = services.start_week(couple)
    services.write_lines(old, 1, alice, {alice: "You were patient.", bob: "You planned it all."})
    Week.objects.filter(pk=old.pk).update(step=5)
    services.finish_week(old, alice)
    time_machine.move_to(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False)
    page = alice_client.get(reverse("ourweek:history")).text
    assert "Week of 8 February 2027" in page
    assert "You were patient." in page and "You planned it all." in page
    assert "Alice and Bob" in page
    for word in ("missed", "streak", "skipped", "behind"):
        assert word not in page.lower()


def _busy_week(couple, alice, bob, starts_on):
    week = Week.objects.create(
        couple=couple, starts_on=starts_on, step=6, took_part=[alice.pk, bob.pk]
    )
    for kind in Line.Kind.values:
        for person in (alice, bob):
            Line.objects.create(
                week=week, couple=couple, author=person, kind=kind, body=f"{kind} {person.pk}"
            )
    for person in (alice, bob):
        Wish.objects.create(week=week, couple=couple, author=person, body="w", tip="talk")
    return week


@pytest.mark.parametrize("weeks", [1, 12])
def test_history_and_week_pages_do_not_grow_with_data(
    couple, alice, bob, alice_client, wednesday, weeks, django_assert_max_num_queries
):
    made = [_busy_week(couple, alice, bob, MONDAY - dt.timedelta(weeks=n)) for n in range(weeks)]
    for n in range(weeks):
        note(couple, bob, f"note {n}")
    with django_assert_max_num_queries(9):
        assert alice_client.get(reverse("ourweek:history")).status_code == 200
    Week.objects.filter(pk=made[0].pk).update(step=1, finished_at=None)
    with django_assert_max_num_queries(12):
        assert alice_client.get(reverse("ourweek:week", args=[made[0].pk])).status_code == 200
    with django_assert_max_num_queries(7):
        assert alice_client.get(reverse("ourweek:state", args=[made[0].pk])).status_code == 200


def test_step_five_never_suggests_an_idea_the_couple_already_planned(couple, alice):
    from tests.factories import date_night

    week = services.start_week(couple, today=MONDAY)
    first = services.date_ideas_for(week)
    assert len(first) == 3
    for idea in first:
        date_night(couple, alice, idea=idea)
    assert not set(services.date_ideas_for(week)) & set(first)
