"""Invitations to a couple's weekly check-in (ourweek), one per person per week.

Each couple's `WeeklyTime.invite_at` is the next instant to invite them, set here with
the same DST-safe slot arithmetic as the nudges. Beat runs `queue_invitations` every
minute: due rows are claimed under a row lock and moved on to the next week in the same
transaction. The Nudge row's slot is the start of the couple's week (Monday 00:00 in
their home zone), not the hour, so moving the time within a week that already had its
invitation does not earn a second one: the unique constraint refuses it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from couples.models import Couple, Membership
from ourweek.models import WeeklyTime

from . import schedule
from .dispatch import LATE_AFTER, _pending_ids, verified_email
from .models import Nudge
from .outbox import BATCH_SIZE, enqueue_send


def next_invitation(weekly_time: WeeklyTime, after: dt.datetime) -> dt.datetime | None:
    return schedule.next_slot(
        after, {weekly_time.weekday}, weekly_time.at, weekly_time.couple.tzinfo
    )


def week_slot(instant: dt.datetime, couple: Couple) -> dt.datetime:
    """The start of the couple's week holding `instant`: one invitation slot per week."""
    day = instant.astimezone(couple.tzinfo).date()
    return schedule.local_start(day - dt.timedelta(days=day.weekday()), couple.tzinfo)


def reschedule(weekly_time: WeeklyTime, now: dt.datetime | None = None) -> None:
    """The weekly time moved (called under its row lock): the next invitation moves too."""
    weekly_time.invite_at = next_invitation(weekly_time, now or timezone.now())
    WeeklyTime.objects.filter(pk=weekly_time.pk).update(invite_at=weekly_time.invite_at)


def _schedule_newcomers(now: dt.datetime) -> None:
    """Couples that never opened our week get the default time, and every time without
    a next invitation gets one."""
    missing = Couple.objects.filter(status=Couple.Status.ACTIVE, weekly_time__isnull=True)
    WeeklyTime.objects.bulk_create(
        [WeeklyTime(couple_id=pk) for pk in missing.values_list("pk", flat=True)[:BATCH_SIZE]],
        ignore_conflicts=True,
    )
    unscheduled = WeeklyTime.objects.filter(
        invite_at__isnull=True, couple__status=Couple.Status.ACTIVE
    ).select_related("couple")[:BATCH_SIZE]
    for weekly_time in unscheduled:
        WeeklyTime.objects.filter(pk=weekly_time.pk, invite_at__isnull=True).update(
            invite_at=next_invitation(weekly_time, now)
        )


def queue_invitations(now: dt.datetime | None = None) -> int:
    """Queue the invitation for both partners of every couple whose weekly time has come;
    returns how many emails were queued."""
    now = now or timezone.now()
    _schedule_newcomers(now)
    with transaction.atomic():
        due = list(
            WeeklyTime.objects.filter(invite_at__lte=now, couple__status=Couple.Status.ACTIVE)
            .select_related("couple")
            .order_by("invite_at")
            .select_for_update(skip_locked=True, of=("self",))[:BATCH_SIZE]
        )
        if not due:
            return 0
        members = (
            Membership.objects.filter(couple_id__in=[when.couple_id for when in due], active=True)
            .annotate(verified=verified_email())
            .values_list(
                "couple_id",
                "user_id",
                "user__is_active",
                "user__reminder_preference__weekly_checkin",
                "verified",
            )
        )
        by_couple: dict[object, list[tuple[int, bool]]] = {}
        for couple_id, user_id, is_active, wants, verified in members:
            by_couple.setdefault(couple_id, []).append(
                (user_id, bool(is_active and wants and verified))
            )
        rows = []
        for when in due:
            late = now - when.invite_at > LATE_AFTER
            pair = by_couple.get(when.couple_id, [])
            invited = [user_id for user_id, wants in pair if wants] if len(pair) == 2 else []
            for user_id in invited:
                rows.append(
                    Nudge(
                        user_id=user_id,
                        kind=Nudge.Kind.WEEKLY,
                        slot=week_slot(when.invite_at, when.couple),
                        status=Nudge.Status.SKIPPED if late else Nudge.Status.PENDING,
                        error="due while the dispatcher was not running" if late else "",
                        created_at=now,
                        queued_at=now,
                    )
                )
            when.invite_at = next_invitation(when, now)
        Nudge.objects.bulk_create(rows, ignore_conflicts=True)
        WeeklyTime.objects.bulk_update(due, ["invite_at"])
        ids = _pending_ids(rows)
        enqueue_send(ids)
    return len(ids)
