"""The nudge catalog and how a nudge's tip and template are chosen."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from practices.models import Answer, DailyQuestion, DateNight, GratitudeNote, Prompt
from practices.tips import Tip
from reminders import catalog
from reminders.catalog import History, choose, choose_template, choose_tip
from reminders.models import Nudge, ReminderPreference

from .conftest import utc

SLOT = utc(2026, 11, 30, 19)
# Words that shame, count silence or report on the partner.
FORBIDDEN = [
    "you haven't",
    "you have not",
    "it's been",
    "it has been",
    "don't forget",
    "still haven't",
    "days since",
    "you never",
    "you forgot",
    "hasn't",
    "has not",
    "didn't",
    "did not",
    "inactive",
    "silence",
    "behind",
]


def test_every_tip_has_at_least_ten_original_templates_with_subject_text_and_action():
    for tip in Tip.values:
        options = catalog.templates_by_tip()[tip]
        assert len(options) >= 10, tip
        for template in options:
            assert template.subject and template.preheader and len(template.paragraphs) >= 2
            assert template.action in catalog.ACTION_URLS


def test_templates_use_only_the_two_placeholders_and_never_shame():
    for template in catalog.templates().values():
        rendered = template.render(name="Sam", partner="Robin")
        text = " ".join([rendered["subject"], rendered["preheader"], *rendered["paragraphs"]])
        assert "{" not in text and "}" not in text, template.key
        lowered = text.lower().replace("\u2019", "'")
        for phrase in FORBIDDEN:
            assert phrase not in lowered, (template.key, phrase)
        assert not re.search(r"\b\d+ (days|weeks)\b", lowered), template.key


def test_every_action_links_to_its_page():
    paths = {action: catalog.action_path(action) for action in catalog.ACTION_URLS}
    assert paths == {
        "write_note": "/notes/new/",
        "answer_question": "/question/",
        "plan_date": "/dates/new/",
        "browse_ideas": "/ideas/",
        "open_home": "/home/",
        "feelings_checkin": "/feelings/",
        "share_hope": "/feelings/hopes/",
        "rituals": "/rituals/",
        "learn_together": "/learn/",
    }


def history(**last_by_tip: int) -> History:
    """A history whose tips were last nudged that many days before SLOT."""
    found = History.empty()
    for tip, days in last_by_tip.items():
        found.add(tip, "", SLOT - dt.timedelta(days=days))
    return found


def test_the_tip_is_the_least_recently_nudged_of_the_persons_tips():
    assert choose_tip(Tip.values, History.empty(), set(), SLOT) == "gratitude"
    recent = history(gratitude=1, talk=3, quality_time=2, feelings=4, physical=5)
    assert choose_tip(Tip.values, recent, set(), SLOT) == "physical"
    assert choose_tip(["talk", "gratitude"], recent, set(), SLOT) == "talk"


def test_tips_the_person_turned_off_never_come_up():
    assert choose_tip(["feelings"], history(feelings=0), {"quality_time"}, SLOT) == "feelings"
    assert choose_tip([], History.empty(), set(), SLOT) is None


def test_a_boost_brings_its_tip_forward_unless_it_came_up_this_week():
    recent = history(gratitude=9, talk=3, quality_time=2, feelings=4, physical=5)
    assert choose_tip(Tip.values, recent, {"quality_time"}, SLOT) == "gratitude"
    stale = history(gratitude=1, talk=3, quality_time=8, feelings=4, physical=9)
    assert choose_tip(Tip.values, stale, {"quality_time"}, SLOT) == "quality_time"


def test_a_template_does_not_repeat_until_the_tips_others_were_used():
    used = History.empty()
    seen = []
    options = catalog.templates_by_tip()["talk"]
    for week in range(2 * len(options)):
        template = choose(["talk"], used, set(), SLOT + dt.timedelta(days=week), user_id=7)
        seen.append(template.key)
    first_round, second_round = seen[: len(options)], seen[len(options) :]
    assert sorted(first_round) == sorted(t.key for t in options)
    assert second_round == first_round  # the same order again, oldest first


def test_partners_start_the_rotation_in_different_places():
    assert choose_template("talk", History.empty(), 1) != choose_template(
        "talk", History.empty(), 2
    )


@pytest.fixture
def alice_nudged(prefs, alice, dispatch, mailoutbox, time_machine):
    """Dispatch alice's Monday nudge with only the context a test sets up; returns the
    tip it was built on."""
    alice_pref, bob_pref = prefs
    ReminderPreference.objects.filter(pk=bob_pref.pk).delete()
    time_machine.move_to(SLOT - dt.timedelta(hours=1), tick=False)
    alice_pref.refresh_from_db()
    alice_pref.reschedule()
    alice_pref.save()

    def run() -> tuple[str, str]:
        dispatch(SLOT)
        nudge = Nudge.objects.get(user=alice, kind="nudge", slot=SLOT)
        return nudge.tip, mailoutbox[-1].body

    return run


def quiet_couple(couple, alice):
    """A couple that had a date lately and where alice answered today: no boosts."""
    DateNight.objects.create(
        couple=couple,
        created_by=alice,
        title="Walk",
        starts_at=SLOT - dt.timedelta(days=3),
        timezone="UTC",
    )
    prompt = Prompt.objects.filter(couple=None).first()
    question = DailyQuestion.objects.create(couple=couple, prompt=prompt, day=SLOT.date())
    Answer.objects.create(question=question, user=alice, body="Mine")


@pytest.mark.django_db
def test_without_context_the_rotation_decides(alice_nudged, couple, alice):
    quiet_couple(couple, alice)
    tip, _ = alice_nudged()
    assert tip == "gratitude"  # first of the five in a fresh rotation


@pytest.mark.django_db
def test_no_date_night_in_three_weeks_brings_quality_time_forward(alice_nudged, couple, alice):
    quiet_couple(couple, alice)
    DateNight.objects.update(starts_at=SLOT - dt.timedelta(days=22))
    tip, body = alice_nudged()
    assert tip == "quality_time"
    words = re.sub(r"https?://\S+", "", body)  # a signed link may hold "22" by chance
    assert "three weeks" not in words and "22" not in words


def chosen_ritual_last_done(couple, alice, bob, days_ago):
    from rituals import services as rituals
    from rituals.models import Moment, Ritual

    ritual = Ritual.objects.create(couple=couple, author=alice, title="A long hug", tip="physical")
    rituals.accept(rituals.propose(couple, alice, ritual), bob)
    Moment.objects.create(couple=couple, ritual=ritual, day=SLOT.date() - dt.timedelta(days_ago))


@pytest.mark.django_db
def test_rituals_the_couple_chose_but_no_moment_this_week_bring_physical_forward(
    alice_nudged, couple, alice, bob
):
    quiet_couple(couple, alice)
    chosen_ritual_last_done(couple, alice, bob, days_ago=9)
    tip, body = alice_nudged()
    assert tip == "physical"
    assert "A long hug" not in body  # the email never says why the tip came up


@pytest.mark.django_db
def test_a_ritual_moment_this_week_leaves_the_rotation_to_decide(alice_nudged, couple, alice, bob):
    quiet_couple(couple, alice)
    chosen_ritual_last_done(couple, alice, bob, days_ago=2)
    tip, _ = alice_nudged()
    assert tip == "gratitude"


@pytest.mark.django_db
def test_todays_question_unanswered_brings_talk_forward(alice_nudged, couple, alice):
    quiet_couple(couple, alice)
    Answer.objects.filter(user=alice).delete()
    tip, _ = alice_nudged()
    assert tip == "talk"


@pytest.mark.django_db
def test_a_partners_note_not_yet_reacted_to_brings_gratitude_forward(
    alice_nudged, couple, alice, bob
):
    quiet_couple(couple, alice)
    Nudge.objects.create(  # gratitude came up lately, so only a boost brings it back
        user=alice,
        kind="nudge",
        tip="gratitude",
        template_key="gratitude-01",
        slot=SLOT - dt.timedelta(days=8),
        status="sent",
    )
    GratitudeNote.objects.create(
        couple=couple,
        author=bob,
        recipient=alice,
        body="Thank you for Sunday",
        delivered_at=SLOT - dt.timedelta(days=1),
    )
    tip, body = alice_nudged()
    assert tip == "gratitude"
    assert "Thank you for Sunday" not in body


@pytest.mark.django_db
def test_the_email_never_says_why_its_tip_came_up(alice_nudged, couple, alice, bob):
    """A boosted nudge reads exactly like the same template without the boost."""
    quiet_couple(couple, alice)
    DateNight.objects.all().delete()
    tip, boosted_body = alice_nudged()
    assert tip == "quality_time"
    nudge = Nudge.objects.get(user=alice)
    template = catalog.templates()[nudge.template_key]
    expected = template.render(name=alice.name, partner=bob.name)
    for paragraph in expected["paragraphs"]:
        assert paragraph in boosted_body
    story = boosted_body.split(expected["action_label"])[0]
    assert story.strip() == "\n\n".join(expected["paragraphs"])
