"""The dispatcher: exactly one email per person per due slot, and none for anyone who
should not get one."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from allauth.account.models import EmailAddress

from couples.models import Membership
from reminders.dispatch import dispatch_due
from reminders.models import Nudge, ReminderPreference
from tests.factories import UserFactory, end, link

from .conftest import utc

pytestmark = pytest.mark.django_db

# Monday 2026-11-30. alice is in London (UTC+0 in winter): 19:00 local is 19:00 UTC.
MONDAY_1900 = utc(2026, 11, 30, 19, 0)


def set_up_at(time_machine, when, *prefs_):
    """Re-save preferences as of `when`, so their next slot is computed from then."""
    time_machine.move_to(when, tick=False)
    for pref in prefs_:
        pref.refresh_from_db()
        pref.reschedule()
        pref.save()


@pytest.fixture
def alice_due(prefs, time_machine):
    alice_pref, bob_pref = prefs
    set_up_at(time_machine, MONDAY_1900 - dt.timedelta(hours=1), alice_pref)
    # bob is in Auckland: keep him out of the way of alice's slot.
    ReminderPreference.objects.filter(pk=bob_pref.pk).update(next_nudge_at=None)
    alice_pref.refresh_from_db()
    assert alice_pref.next_nudge_at == MONDAY_1900
    return alice_pref


def test_a_due_nudge_is_sent_once_at_the_local_time(alice_due, dispatch, mailoutbox, alice):
    assert dispatch(MONDAY_1900 - dt.timedelta(minutes=1)) == 0
    assert mailoutbox == []
    assert dispatch(MONDAY_1900) == 1
    assert [m.to for m in mailoutbox] == [[alice.email]]
    nudge = Nudge.objects.get()
    assert (nudge.kind, nudge.status, nudge.slot) == ("nudge", "sent", MONDAY_1900)
    alice_due.refresh_from_db()
    assert alice_due.next_nudge_at == utc(2026, 12, 2, 19, 0)  # Wednesday


def test_running_the_dispatcher_twice_sends_one_email(alice_due, dispatch, mailoutbox):
    dispatch(MONDAY_1900)
    dispatch(MONDAY_1900)
    dispatch(MONDAY_1900 + dt.timedelta(seconds=30))
    assert len(mailoutbox) == 1
    assert Nudge.objects.count() == 1


def test_a_slot_handled_again_makes_no_second_row_or_email(alice_due, dispatch, mailoutbox):
    dispatch(MONDAY_1900)
    # As if the preference had been put back on the same slot (a restore, a bug): the
    # unique row stops a second email.
    ReminderPreference.objects.filter(pk=alice_due.pk).update(next_nudge_at=MONDAY_1900)
    dispatch(MONDAY_1900 + dt.timedelta(minutes=1))
    assert len(mailoutbox) == 1
    assert Nudge.objects.count() == 1


def test_a_send_task_delivered_twice_sends_one_email(alice_due, time_machine, mailoutbox):
    from reminders.tasks import send_nudges

    time_machine.move_to(MONDAY_1900, tick=False)
    dispatch_due(MONDAY_1900)  # on_commit is not run here: the rows wait, unsent
    ids = list(Nudge.objects.values_list("pk", flat=True))
    send_nudges.delay(ids)
    send_nudges.delay(ids)
    assert len(mailoutbox) == 1
    assert Nudge.objects.get().attempts == 1


def test_each_partner_follows_their_own_time_zone(
    prefs, dispatch, mailoutbox, alice, bob, time_machine
):
    # Monday 19:00 in Auckland (UTC+13 in summer) is 06:00 UTC on Monday; in London,
    # 19:00 UTC.
    alice_pref, bob_pref = prefs
    set_up_at(time_machine, utc(2026, 11, 30, 0, 0), *prefs)
    assert bob_pref.next_nudge_at.astimezone(bob.tzinfo).time() == dt.time(19, 0)
    assert alice_pref.next_nudge_at.astimezone(alice.tzinfo).time() == dt.time(19, 0)
    dispatch(utc(2026, 11, 30, 6, 0))
    assert [m.to for m in mailoutbox] == [[bob.email]]
    dispatch(utc(2026, 11, 30, 18, 59))
    assert len(mailoutbox) == 1
    dispatch(utc(2026, 11, 30, 19, 0))
    assert [m.to for m in mailoutbox] == [[bob.email], [alice.email]]


def test_a_nudge_on_a_day_not_chosen_is_not_sent(alice_due, dispatch, mailoutbox):
    alice_due.days = [1]  # Tuesday only
    alice_due.reschedule()
    alice_due.save()
    dispatch(MONDAY_1900)
    assert mailoutbox == []
    assert alice_due.__class__.objects.get(pk=alice_due.pk).next_nudge_at == utc(2026, 12, 1, 19, 0)


def _disable(pref, user):
    ReminderPreference.objects.filter(pk=pref.pk).update(nudges_enabled=False)


def _pause(pref, user):
    ReminderPreference.objects.filter(pk=pref.pk).update(paused_until=dt.date(2026, 12, 1))


def _unverify(pref, user):
    EmailAddress.objects.filter(user=user).update(verified=False)


def _end_couple(pref, user):
    end(Membership.objects.get(user=user).couple)


def _lose_partner(pref, user):
    Membership.objects.filter(couple__memberships__user=user).exclude(user=user).delete()


def _deactivate(pref, user):
    user.__class__.objects.filter(pk=user.pk).update(is_active=False)


@pytest.mark.parametrize(
    "make_unreachable",
    [_disable, _pause, _unverify, _end_couple, _lose_partner, _deactivate],
)
def test_nobody_unreachable_gets_a_nudge(make_unreachable, alice_due, alice, dispatch, mailoutbox):
    make_unreachable(alice_due, alice)
    dispatch(MONDAY_1900)
    assert mailoutbox == []
    assert not Nudge.objects.filter(kind="nudge").exists()
    # ...and the slot is passed, not retried every minute.
    alice_due.refresh_from_db()
    assert alice_due.next_nudge_at is None or alice_due.next_nudge_at > MONDAY_1900


def test_unsubscribing_through_the_link_stops_nudges(
    alice_due, alice, client, dispatch, mailoutbox
):
    from reminders.renderers import unsubscribe_url

    client.post(unsubscribe_url(alice.pk, "nudge"))
    dispatch(MONDAY_1900)
    assert mailoutbox == []


def test_a_nudge_queued_before_an_unsubscribe_is_skipped_not_sent(
    alice_due, alice, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    time_machine.move_to(MONDAY_1900, tick=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatch_due(MONDAY_1900)
    ReminderPreference.objects.filter(pk=alice_due.pk).update(nudges_enabled=False)
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    assert Nudge.objects.get().status == "skipped"


def test_a_slot_found_hours_late_is_logged_as_skipped(alice_due, dispatch, mailoutbox):
    dispatch(MONDAY_1900 + dt.timedelta(hours=5))
    assert mailoutbox == []
    nudge = Nudge.objects.get()
    assert nudge.status == "skipped"
    assert "not running" in nudge.error
    alice_due.refresh_from_db()
    assert alice_due.next_nudge_at == utc(2026, 12, 2, 19, 0)


def test_pausing_holds_nudges_until_the_day_it_ends(alice_due, dispatch, mailoutbox, time_machine):
    from reminders import services

    time_machine.move_to(MONDAY_1900 - dt.timedelta(hours=2), tick=False)
    services.pause(alice_due, dt.date(2026, 12, 4))  # resume on Friday
    alice_due.refresh_from_db()
    assert alice_due.next_nudge_at == utc(2026, 12, 4, 19, 0)
    dispatch(MONDAY_1900)
    dispatch(utc(2026, 12, 2, 19, 0))
    assert mailoutbox == []
    dispatch(utc(2026, 12, 4, 19, 0))
    assert len(mailoutbox) == 1


def test_the_digest_goes_out_on_sunday_at_the_nudge_time(
    prefs, alice, dispatch, mailoutbox, time_machine
):
    alice_pref, bob_pref = prefs
    set_up_at(time_machine, utc(2026, 12, 4, 12, 0), alice_pref)
    ReminderPreference.objects.filter(pk=bob_pref.pk).update(next_nudge_at=None)
    sunday = utc(2026, 12, 6, 19, 0)
    dispatch(utc(2026, 12, 4, 19, 0))  # Friday's nudge
    mailoutbox.clear()
    dispatch(sunday)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Your week together on Kindling"
    assert Nudge.objects.get(kind="digest").slot == sunday


@pytest.fixture
def fourteen_due(db, time_machine):
    """Seven couples in London, all due at Monday 19:00; the clock stands there."""
    from reminders import services

    time_machine.move_to(MONDAY_1900 - dt.timedelta(hours=1), tick=False)
    people = UserFactory.create_batch(2 * 7, timezone="Europe/London")
    for first, second in zip(people[::2], people[1::2], strict=True):
        link(first, second)
    for person in people:
        services.ensure_preference(person)
    time_machine.move_to(MONDAY_1900, tick=False)
    return people


def test_many_people_due_at_once_are_sent_in_batches_with_one_task_per_batch(
    fourteen_due, mailoutbox, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    # A batch's queries do not grow with its size: 3 batches of 5 (10 queries, one of
    # them asking who has a push device, one who keeps rituals, and a savepoint each),
    # then one query for date reminders.
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        django_assert_max_num_queries(3 * 12 + 1),
    ):
        assert dispatch_due(MONDAY_1900, batch_size=5) == 14
    assert len(callbacks) == 3
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 14
    assert Nudge.objects.filter(status="sent").count() == 14


def test_by_default_a_crowd_due_at_once_shares_one_send_task(
    fourteen_due, django_capture_on_commit_callbacks
):
    """One task (and one SMTP connection) for everyone due together, not one per person."""
    sent_in = []
    with (
        mock.patch("reminders.tasks.send_nudges.delay", sent_in.append),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert dispatch_due(MONDAY_1900) == 14
    assert len(sent_in) == 1
    assert sorted(sent_in[0]) == sorted(Nudge.objects.values_list("pk", flat=True))
    assert len(sent_in[0]) == 14
