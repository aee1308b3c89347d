"""The minute-by-minute dispatcher: turns due preferences and upcoming date nights into
Nudge rows and hands them to send tasks.

Exactly once rests on two things. A due preference is claimed with a row lock
(`select_for_update(skip_locked=True)` on PostgreSQL; SQLite's IMMEDIATE transactions
serialise writers) and its `next_nudge_at` moves past the slot in the same transaction,
so a second dispatcher running at the same time or a minute later does not see it as
due. And the Nudge row for (user, kind, slot, object) is unique, so even a slot handled
twice yields one row, and a row is sent only by the task that claims it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import NamedTuple
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery, UUIDField
from django.utils import timezone

from couples.limits import Limit
from couples.models import Couple, Membership
from feelings.models import CheckIn
from practices.models import Answer, DateNight, GratitudeNote
from practices.tips import Tip
from rituals.models import Choice, Moment

from . import catalog, schedule
from .models import LEAD_HOURS, Nudge, ReminderPreference
from .outbox import BATCH_SIZE, enqueue_send

log = logging.getLogger(__name__)

# A slot found this late (the dispatcher was down) is logged as skipped, not sent: a
# reminder for "tonight" that arrives the next morning helps nobody.
LATE_AFTER = dt.timedelta(hours=3)
# Context that boosts a tip (see catalog.choose_tip).
NO_DATE_FOR = dt.timedelta(days=21)
UNTHANKED_NOTE_WITHIN = dt.timedelta(days=14)
RITUALS_QUIET_FOR = dt.timedelta(days=7)
GROUPED_UPDATES = 4
# Emails one partner's actions send the other. A burst of notes, or a weekend full of
# planned dates, all arrives in the app; only this many emails a person about them. The
# rest are logged as skipped, so the dispatcher does not come back to them.
NOTE_ALERTS = Limit("note-alerts", 6, 60 * 60)
DATE_REMINDERS = Limit("date-reminders", 4, 24 * 60 * 60)
CHECKIN_ALERTS = Limit("checkin-alerts", 6, 60 * 60)
OVER_LIMIT = "over the limit for this kind of email; it arrived in the app only"
MAX_LEAD = dt.timedelta(hours=max(hours for hours, _ in LEAD_HOURS))


def verified_email(user_ref: str = "user_id") -> Exists:
    return Exists(EmailAddress.objects.filter(user=OuterRef(user_ref), primary=True, verified=True))


def due_preferences(now: dt.datetime) -> QuerySet[ReminderPreference]:
    """Preferences whose next slot has come, with what deciding them needs, locked."""
    mine = Membership.objects.filter(
        user=OuterRef("user_id"), active=True, couple__status=Couple.Status.ACTIVE
    )
    partner = Membership.objects.filter(couple=OuterRef("couple_id"), active=True).exclude(
        user=OuterRef("user_id")
    )
    return (
        ReminderPreference.objects.filter(next_nudge_at__lte=now)
        .select_related("user")
        .annotate(
            verified=verified_email(),
            # The FK's own type would leave SQLite's hex string unconverted.
            couple_id=Subquery(mine.values("couple_id")[:1], output_field=UUIDField()),
            couple_timezone=Subquery(mine.values("couple__timezone")[:1]),
        )
        .annotate(partner_id=Subquery(partner.values("user_id")[:1]))
        .order_by("next_nudge_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))
    )


def dispatch_due(now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Handle every due slot and every date reminder that has come; returns how many
    emails were queued."""
    now = now or timezone.now()
    queued = 0
    while True:
        with transaction.atomic():
            handled, ids = _dispatch_batch(now, batch_size)
            enqueue_send(ids)
        queued += len(ids)
        if handled < batch_size:
            break
    return queued + queue_date_reminders(now)


def _dispatch_batch(now: dt.datetime, batch_size: int) -> tuple[int, list[int]]:
    prefs = list(due_preferences(now)[:batch_size])
    if not prefs:
        return 0, []
    rows: list[Nudge] = []
    wants_nudge: list[ReminderPreference] = []
    for pref in prefs:
        slot = pref.due_slot = pref.next_nudge_at
        local = slot.astimezone(pref.user.tzinfo)
        reachable = pref.user.is_active and pref.verified and pref.couple_id and pref.partner_id
        if reachable and not pref.paused_on(local.date()):
            if pref.digest_enabled and local.weekday() == schedule.SUNDAY:
                rows.append(_row(pref, Nudge.Kind.DIGEST, now))
            if pref.nudges_enabled and pref.tips and local.weekday() in pref.days:
                wants_nudge.append(pref)
        pref.next_nudge_at = pref.compute_next(now)

    if wants_nudge:
        histories = _histories([pref.user_id for pref in wants_nudge])
        boosts = _boosts(wants_nudge, now)
        for pref in wants_nudge:
            template = catalog.choose(
                pref.tips,
                histories.get(pref.user_id) or catalog.History.empty(),
                boosts[pref.user_id],
                pref.due_slot,
                pref.user_id,
            )
            if template is not None:
                row = _row(pref, Nudge.Kind.NUDGE, now)
                rows.append(row._replace(tip=template.tip, template_key=template.key))

    _insert(rows, now)
    _save_next_slots(prefs)
    return len(prefs), _pending_ids(rows)


def _save_next_slots(prefs: list[ReminderPreference]) -> None:
    # People due together mostly share their next slot too (same zone, same time), so a
    # few plain UPDATEs beat bulk_update's CASE over the whole batch, which Django is
    # slow to build. With many distinct slots, one bulk_update keeps the count bounded.
    groups: dict[dt.datetime | None, list[int]] = {}
    for pref in prefs:
        groups.setdefault(pref.next_nudge_at, []).append(pref.pk)
    if len(groups) > GROUPED_UPDATES:
        ReminderPreference.objects.bulk_update(prefs, ["next_nudge_at"])
        return
    for next_at, pks in groups.items():
        ReminderPreference.objects.filter(pk__in=pks).update(next_nudge_at=next_at)


class Row(NamedTuple):
    """A scheduled email the dispatcher is about to write: a tuple, not a Nudge, since
    making 25,000 model instances a minute costs more than the INSERT."""

    user_id: int
    kind: str
    slot: dt.datetime
    status: str
    error: str
    tip: str = ""
    template_key: str = ""
    object_id: int = 0


def _row(pref: ReminderPreference, kind: str, now: dt.datetime) -> Row:
    slot = pref.due_slot
    late = now - slot > LATE_AFTER
    return Row(
        user_id=pref.user_id,
        kind=kind,
        slot=slot,
        status=Nudge.Status.SKIPPED if late else Nudge.Status.PENDING,
        error="due while the dispatcher was not running" if late else "",
    )


# PostgreSQL's type for each of Row's fields, in _insert's arrays.
ROW_TYPES = {
    "user_id": "bigint",
    "kind": "text",
    "slot": "timestamptz",
    "status": "text",
    "error": "text",
    "tip": "text",
    "template_key": "text",
    "object_id": "bigint",
}


def _insert(rows: list[Row], now: dt.datetime) -> None:
    """Write the rows, leaving out any a slot handled twice already made (the unique
    (user, kind, slot, object, channel)). On PostgreSQL one INSERT from arrays, a column
    each; elsewhere bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Nudge.objects.bulk_create(
            [Nudge(**row._asdict(), created_at=now, queued_at=now) for row in rows],
            ignore_conflicts=True,
        )
        return
    names = ", ".join(Row._fields)
    arrays = ", ".join(f"%s::{ROW_TYPES[name]}[]" for name in Row._fields)
    # Table and column names are ours; every value is a parameter.
    table = Nudge._meta.db_table
    sql = (
        f"INSERT INTO {table} ({names}, channel, attempts, created_at, queued_at) "  # noqa: S608
        f"SELECT {names}, %s, 0, %s, %s FROM unnest({arrays}) AS row ({names}) "
        "ON CONFLICT DO NOTHING"
    )
    columns = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [Nudge.Channel.EMAIL, now, now, *columns])


def _pending_ids(rows: list[Row] | list[Nudge]) -> list[int]:
    """The ids of these rows (ours, or an identical one another dispatcher made) that
    still wait to be sent: bulk_create(ignore_conflicts=True) does not return them."""
    wanted = {(row.user_id, row.kind, row.slot, row.object_id) for row in rows}
    if not wanted:
        return []
    found = Nudge.objects.filter(
        user_id__in={key[0] for key in wanted},
        kind__in={key[1] for key in wanted},
        slot__in={key[2] for key in wanted},
        status=Nudge.Status.PENDING,
        channel=Nudge.Channel.EMAIL,
    ).values_list("pk", "user_id", "kind", "slot", "object_id")
    return [pk for pk, *key in found if tuple(key) in wanted]


def _histories(user_ids: list[int]) -> dict[int, catalog.History]:
    """The last use of each tip and template per person: one grouped query per batch,
    at most one row per person and template."""
    found: dict[int, catalog.History] = {}
    rows = (
        Nudge.objects.filter(user_id__in=user_ids, kind=Nudge.Kind.NUDGE)
        .values_list("user_id", "tip", "template_key")
        .annotate(last=Max("slot"))
        .order_by()
    )
    for user_id, tip, template_key, last in rows:
        found.setdefault(user_id, catalog.History.empty()).add(tip, template_key, last)
    return found


def _boosts(prefs: list[ReminderPreference], now: dt.datetime) -> dict[int, set[str]]:
    """What each couple actually did lately, as tips to bring forward. Four queries per
    batch. The email never says why a tip came up, so nothing here reaches a partner."""
    user_ids = [pref.user_id for pref in prefs]
    couple_ids = {pref.couple_id for pref in prefs}
    dated = set(
        DateNight.objects.filter(couple_id__in=couple_ids, starts_at__gte=now - NO_DATE_FOR)
        .exclude(status=DateNight.Status.CANCELLED)
        .values_list("couple_id", flat=True)
        .distinct()
    )
    # A couple's "today" is in its home zone, within a day of UTC's.
    answered = set(
        Answer.objects.filter(
            user_id__in=user_ids, question__day__gte=(now - dt.timedelta(days=1)).date()
        ).values_list("user_id", "question__day")
    )
    unthanked = set(
        GratitudeNote.objects.filter(
            recipient_id__in=user_ids,
            delivered_at__gte=now - UNTHANKED_NOTE_WITHIN,
            delivered_at__lte=now,
            reaction="",
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    # Rituals of connection the couple chose themselves, and no moment of them this week:
    # the physical tip comes forward. It rests only on what the two of them picked.
    quiet_rituals = set(
        Choice.objects.filter(couple_id__in=couple_ids, status=Choice.Status.OURS)
        .exclude(
            couple_id__in=Moment.objects.filter(
                couple_id__in=couple_ids, day__gte=(now - RITUALS_QUIET_FOR).date()
            ).values("couple_id")
        )
        .values_list("couple_id", flat=True)
        .distinct()
    )
    found: dict[int, set[str]] = {}
    for pref in prefs:
        tips = set()
        if pref.couple_id in quiet_rituals:
            tips.add(Tip.PHYSICAL)
        if pref.couple_id not in dated:
            tips.add(Tip.QUALITY_TIME)
        today = now.astimezone(ZoneInfo(pref.couple_timezone)).date()
        if (pref.user_id, today) not in answered:
            tips.add(Tip.TALK)
        if pref.user_id in unthanked:
            tips.add(Tip.GRATITUDE)
        found[pref.user_id] = tips
    return found


def _within(limit: Limit, user_id: int) -> dict:
    """A new row's status: pending, or skipped once the person has had enough of these."""
    if limit.take(user_id):
        return {}
    return {"status": Nudge.Status.SKIPPED, "error": OVER_LIMIT}


def queue_date_reminders(now: dt.datetime) -> int:
    """A reminder to each partner who wants one, once a planned date is within their
    lead time. Three small queries a minute: dates starting soon, their couples'
    partners, and the reminders already made for them."""
    dates = {
        date.pk: date
        for date in DateNight.objects.filter(
            status=DateNight.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + MAX_LEAD,
            couple__status=Couple.Status.ACTIVE,
        ).only("pk", "couple_id", "starts_at")
    }
    if not dates:
        return 0
    members = (
        Membership.objects.filter(
            couple_id__in={date.couple_id for date in dates.values()},
            active=True,
            user__is_active=True,
            user__reminder_preference__date_reminders=True,
        )
        .filter(verified_email())
        .values_list("couple_id", "user_id", "user__reminder_preference__date_lead_hours")
    )
    done = set(
        Nudge.objects.filter(kind=Nudge.Kind.DATE, object_id__in=dates).values_list(
            "user_id", "object_id", "slot"
        )
    )
    by_couple: dict[object, list[tuple[int, int]]] = {}
    for couple_id, user_id, lead_hours in members:
        by_couple.setdefault(couple_id, []).append((user_id, lead_hours))
    rows = []
    for date in dates.values():
        for user_id, lead_hours in by_couple.get(date.couple_id, []):
            due = date.starts_at - dt.timedelta(hours=lead_hours) <= now
            if due and (user_id, date.pk, date.starts_at) not in done:
                # The slot is the date's start: moving the date earns a new reminder,
                # changing the lead time does not.
                rows.append(
                    Nudge(
                        user_id=user_id,
                        kind=Nudge.Kind.DATE,
                        tip=Tip.QUALITY_TIME,
                        slot=date.starts_at,
                        object_id=date.pk,
                        created_at=now,
                        queued_at=now,
                        **_within(DATE_REMINDERS, user_id),
                    )
                )
    if not rows:
        return 0
    with transaction.atomic():
        Nudge.objects.bulk_create(rows, ignore_conflicts=True)
        ids = _pending_ids(rows)
        enqueue_send(ids)
    return len(ids)


def _queue_alert(
    user_id: int, switch: str, kind: str, tip: str, slot, object_id: int, limit: Limit | None
) -> list[int]:
    """One alert row for a person who has `switch` on (and a verified address), inside the
    caller's transaction, so the row exists only if what it announces commits."""
    wants = (
        ReminderPreference.objects.filter(user_id=user_id, user__is_active=True, **{switch: True})
        .filter(verified_email())
        .exists()
    )
    if not wants:
        return []
    row = Nudge(
        user_id=user_id,
        kind=kind,
        tip=tip,
        slot=slot,
        object_id=object_id,
        **(_within(limit, user_id) if limit else {}),
    )
    Nudge.objects.bulk_create([row], ignore_conflicts=True)
    ids = _pending_ids([row])
    enqueue_send(ids)
    return ids


def queue_note_alert(note: GratitudeNote) -> list[int]:
    """Queue the recipient's alert for a note that has just arrived. Called inside the
    transaction that marks it arrived, so the row exists only if that commits."""
    return _queue_alert(
        note.recipient_id,
        "note_alerts",
        Nudge.Kind.NOTE,
        Tip.GRATITUDE,
        note.delivered_at,
        note.pk,
        NOTE_ALERTS,
    )


def queue_checkin_alert(checkin: CheckIn) -> list[int]:
    """Queue the partner's alert for a shared check-in that asks for something. Called
    inside the transaction that saves the check-in, so the row exists only if it commits."""
    partner = checkin.couple.partner_of(checkin.author)
    if partner is None or not checkin.is_shared or not checkin.would_like:
        return []
    return _queue_alert(
        partner.pk,
        "checkin_alerts",
        Nudge.Kind.CHECKIN,
        Tip.FEELINGS,
        checkin.created_at,
        checkin.pk,
        CHECKIN_ALERTS,
    )


# A month's closeness check-in opens on the 1st, at the person's nudge time in their zone;
# found later than this (the beat was down), the reminder is not sent at all.
MONTHLY_LATE_AFTER = dt.timedelta(days=3)


def monthly_slot(now: dt.datetime, zone: ZoneInfo, at: dt.time) -> dt.datetime:
    first = now.astimezone(zone).date().replace(day=1)
    return schedule.slot_on(first, at, zone)


def queue_monthly_checkins(now: dt.datetime) -> list[int]:
    """One reminder per person and month when the closeness check-in opens, for partners
    of a complete, active couple who want it. Runs every hour; the row's unique
    (user, kind, slot) makes a second run, or a second beat, add nothing."""
    # Someone else seated, now, in a couple where this person is seated: a partner.
    partnered = Membership.objects.filter(
        couple__memberships__user=OuterRef("user_id"),
        couple__memberships__active=True,
        couple__status=Couple.Status.ACTIVE,
        active=True,
    ).exclude(user=OuterRef("user_id"))
    prefs = (
        ReminderPreference.objects.filter(monthly_checkin=True, user__is_active=True)
        .filter(verified_email(), Exists(partnered))
        .select_related("user")
        .only("user_id", "send_time", "user__timezone")
    )
    due = []
    for pref in prefs:
        slot = monthly_slot(now, pref.user.tzinfo, pref.send_time)
        if slot <= now < slot + MONTHLY_LATE_AFTER:
            due.append((pref, slot))
    if not due:
        return []
    # The slot moves with the person's nudge time and zone: someone who changes either
    # after this month's reminder went must not get a second one under a new slot.
    reminded = set(
        Nudge.objects.filter(
            kind=Nudge.Kind.MONTHLY,
            user_id__in=[pref.user_id for pref, _ in due],
            slot__gt=now - MONTHLY_LATE_AFTER - dt.timedelta(days=1),
        ).values_list("user_id", flat=True)
    )
    rows = [
        Nudge(user_id=pref.user_id, kind=Nudge.Kind.MONTHLY, tip=Tip.FEELINGS, slot=slot)
        for pref, slot in due
        if pref.user_id not in reminded
    ]
    if not rows:
        return []
    with transaction.atomic():
        Nudge.objects.bulk_create(rows, ignore_conflicts=True)
        ids = _pending_ids(rows)
        enqueue_send(ids)
    return ids


def queue_thinking_alert(thinking) -> list[int]:
    """Queue the recipient's email for a "thinking of you" (rituals.ThinkingOfYou), if
    they allow it. Called inside the transaction that records the signal; the app already
    holds a sender to three a day, so no further limit is needed here."""
    return _queue_alert(
        thinking.recipient_id,
        "thinking_alerts",
        Nudge.Kind.THINKING,
        Tip.PHYSICAL,
        thinking.sent_at,
        thinking.pk,
        None,
    )
