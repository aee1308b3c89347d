"""The invitation to our week: both partners, at the couple's weekly time, once per
person per week, through the outbox, correct across a change of clocks."""

import datetime as dt

import pytest
from django.test import Client

from ourweek import services
from ourweek.models import Week, WeeklyTime
from reminders import services as reminder_services
from reminders.models import Nudge, ReminderPreference
from reminders.tasks import send_nudges
from reminders.weekly import queue_invitations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
SUNDAY_1900 = dt.datetime(2027, 3, 14, 19, 0, tzinfo=UTC)  # London is on GMT


@pytest.fixture
def prefs(couple, alice, bob):
    return reminder_services.ensure_preference(alice), reminder_services.ensure_preference(bob)


@pytest.fixture
def invite(django_capture_on_commit_callbacks, time_machine):
    def run(now: dt.datetime) -> int:
        time_machine.move_to(now, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            return queue_invitations(now)

    return run


def weekly_mail(mailoutbox):
    return sorted(m.to[0] for m in mailoutbox if m.subject == "Time for our week")


def test_both_partners_are_invited_once_at_the_weekly_time(prefs, invite, mailoutbox, couple):
    assert invite(SUNDAY_1900 - dt.timedelta(days=3)) == 0
    assert WeeklyTime.objects.get(couple=couple).invite_at == SUNDAY_1900
    assert invite(SUNDAY_1900 - dt.timedelta(minutes=1)) == 0
    assert invite(SUNDAY_1900) == 2
    invite(SUNDAY_1900)
    invite(SUNDAY_1900 + dt.timedelta(minutes=1))
    assert weekly_mail(mailoutbox) == ["alice@example.com", "bob@example.com"]
    message = mailoutbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/reminders/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "/ourweek/" in message.body and "Sunday 19:00" in message.body
    assert WeeklyTime.objects.get(couple=couple).invite_at == SUNDAY_1900 + dt.timedelta(days=7)


def test_a_week_already_finished_gets_no_invitation(prefs, invite, mailoutbox, couple, alice):
    invite(SUNDAY_1900 - dt.timedelta(days=3))
    week = services.start_week(couple, today=dt.date(2027, 3, 11))  # the Thursday before
    Week.objects.filter(pk=week.pk).update(step=Week.Step.TIME_TOGETHER)  # the rest skipped
    assert services.finish_week(week, alice)
    invite(SUNDAY_1900)
    assert weekly_mail(mailoutbox) == []
    assert set(Nudge.objects.filter(kind="weekly").values_list("status", flat=True)) == {"skipped"}


def test_moving_the_time_later_the_same_week_sends_no_second_invitation(
    prefs, invite, mailoutbox, couple, bob, time_machine
):
    invite(SUNDAY_1900 - dt.timedelta(days=3))
    invite(SUNDAY_1900)
    time_machine.move_to(SUNDAY_1900 + dt.timedelta(minutes=30), tick=False)
    services.move_weekly_time(couple, bob, 6, dt.time(21, 0))
    assert invite(SUNDAY_1900 + dt.timedelta(hours=2)) == 0
    assert len(weekly_mail(mailoutbox)) == 2
    assert invite(SUNDAY_1900 + dt.timedelta(days=7, hours=2)) == 2
    assert len(weekly_mail(mailoutbox)) == 4


def test_the_invitation_keeps_its_local_time_when_the_clocks_change(prefs, invite, couple):
    # The UK moves to summer time on Sunday 28 March 2027: 19:00 there is 18:00 UTC.
    invite(SUNDAY_1900 + dt.timedelta(days=4))
    assert WeeklyTime.objects.get(couple=couple).invite_at == dt.datetime(
        2027, 3, 21, 19, 0, tzinfo=UTC
    )
    invite(dt.datetime(2027, 3, 21, 19, 0, tzinfo=UTC))
    summer = dt.datetime(2027, 3, 28, 18, 0, tzinfo=UTC)
    assert WeeklyTime.objects.get(couple=couple).invite_at == summer
    assert invite(summer) == 2
    assert Nudge.objects.filter(kind="weekly").count() == 4


def test_a_time_skipped_by_the_clocks_still_gets_its_one_invitation(
    prefs, invite, couple, alice, time_machine
):
    time_machine.move_to(dt.datetime(2027, 3, 22, 12, 0, tzinfo=UTC), tick=False)
    services.move_weekly_time(couple, alice, 6, dt.time(1, 30))  # 01:30 does not exist on the 28th
    due = WeeklyTime.objects.get(couple=couple).invite_at
    assert due == dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 02:30 summer time
    assert invite(due) == 2
    assert invite(due + dt.timedelta(hours=1)) == 0


def test_only_those_who_want_it_are_invited(prefs, invite, mailoutbox):
    ReminderPreference.objects.filter(user__display_name="Bob").update(weekly_checkin=False)
    invite(SUNDAY_1900 - dt.timedelta(days=3))
    invite(SUNDAY_1900)
    assert weekly_mail(mailoutbox) == ["alice@example.com"]


def test_a_couple_still_waiting_for_a_partner_is_not_invited(invite, mailoutbox):
    from couples.models import Membership
    from tests.factories import CoupleFactory

    lone = UserFactory()
    reminder_services.ensure_preference(lone)
    Membership.objects.create(couple=CoupleFactory(), user=lone, seat=1)
    invite(SUNDAY_1900 - dt.timedelta(days=3))
    assert invite(SUNDAY_1900) == 0
    assert not Nudge.objects.exists()


def test_an_invitation_found_hours_late_is_logged_not_sent(prefs, invite, mailoutbox):
    invite(SUNDAY_1900 - dt.timedelta(days=3))
    invite(SUNDAY_1900 + dt.timedelta(hours=5))
    assert weekly_mail(mailoutbox) == []
    assert set(Nudge.objects.values_list("status", flat=True)) == {"skipped"}


def test_the_unsubscribe_link_turns_off_only_the_weekly_invitation(
    prefs, invite, mailoutbox, alice
):
    invite(SUNDAY_1900 - dt.timedelta(days=3))
    invite(SUNDAY_1900)
    link = next(m for m in mailoutbox if m.to == [alice.email]).extra_headers["List-Unsubscribe"]
    path = link.strip("<>").split("localhost:8000", 1)[1]
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    pref = ReminderPreference.objects.get(user=alice)
    assert (pref.weekly_checkin, pref.nudges_enabled, pref.digest_enabled) == (False, True, True)


def test_the_digest_links_to_our_week_until_the_weeks_check_in_is_done(
    prefs, alice, bob, couple, mailoutbox, time_machine
):
    time_machine.move_to(SUNDAY_1900, tick=False)
    first = Nudge.objects.create(user=alice, kind="digest", slot=SUNDAY_1900)
    send_nudges.delay([first.pk])
    assert "/ourweek/" in mailoutbox[-1].body
    assert "/ourweek/" in mailoutbox[-1].alternatives[0][0]
    time_machine.move_to(SUNDAY_1900 - dt.timedelta(hours=1), tick=False)
    week = services.start_week(couple)
    Week.objects.filter(pk=week.pk).update(step=5)
    services.finish_week(week, bob)
    second = Nudge.objects.create(user=bob, kind="digest", slot=SUNDAY_1900)
    send_nudges.delay([second.pk])
    assert "/ourweek/" not in mailoutbox[-1].body
    assert "Weekly check-ins: 1" in mailoutbox[-1].body
