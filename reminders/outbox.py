"""The outbox: queue emails as Nudge rows, then claim, render and send them.

Queuing happens inside the caller's transaction (the row exists only if the change that
caused it committed); the send task is enqueued on commit. Rendering is looked up by
kind in RENDERERS, so each kind of email has one function that builds its message; a
renderer returns None when the email should no longer go out (the person turned that
kind off, the couple ended, the date was cancelled), and the row is marked skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property

from celery import current_app
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from couples.models import Couple, Membership, User

from .emails import make_message
from .models import Nudge

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# Sent rows are marked in groups this size as the batch goes: should a worker die
# mid-batch, the sweeper brings back at most this many emails that had in fact gone out.
# One UPDATE per email would shrink that to one, but costs a commit (an fsync on
# PostgreSQL) per email, which halves throughput.
SETTLE_EVERY = 25
SEND_TASK = "reminders.tasks.send_nudges"


class Batch:
    """What the renderers of one send batch share, loaded once for the whole batch."""

    def __init__(self, nudges: list[Nudge]):
        self.nudges = nudges

    @cached_property
    def _couples(self) -> dict[int, tuple[Couple, User]]:
        """Each person's active couple and partner, in one query for the batch."""
        user_ids = {nudge.user_id for nudge in self.nudges}
        theirs = Membership.objects.filter(user_id__in=user_ids, active=True).values("couple_id")
        members = (
            Membership.objects.filter(
                couple__in=theirs, active=True, couple__status=Couple.Status.ACTIVE
            )
            .select_related("couple", "user")
            .order_by("couple_id", "seat")
        )
        by_couple: dict[object, list[Membership]] = {}
        for membership in members:
            by_couple.setdefault(membership.couple_id, []).append(membership)
        found = {}
        for pair in by_couple.values():
            if len(pair) != 2:
                continue
            first, second = pair
            found[first.user_id] = (first.couple, second.user)
            found[second.user_id] = (second.couple, first.user)
        return found

    def couple_and_partner(self, user_id: int) -> tuple[Couple, User] | tuple[None, None]:
        return self._couples.get(user_id, (None, None))


Renderer = Callable[[Nudge, Batch], EmailMessage | None]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(func: Renderer) -> Renderer:
        RENDERERS[kind] = func
        return func

    return register


def chunks(ids: list[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def enqueue_send(nudge_ids: list[int]) -> None:
    """Send these rows once the current transaction commits, in batches: one task (and
    one SMTP connection) per batch, never one per email."""
    # Found by name in Celery's registry (RemindersConfig.ready imports the tasks module):
    # importing reminders.tasks here would close a loop, since the tasks call into this
    # module, and send_task() would bypass eager mode in tests.
    send_nudges = current_app.tasks[SEND_TASK]
    for chunk in chunks(list(nudge_ids)):
        transaction.on_commit(lambda chunk=chunk: send_nudges.delay(chunk))


def queue_couple_ended_notices(couple: Couple, ended_at: dt.datetime) -> list[int]:
    rows = Nudge.objects.bulk_create(
        [
            Nudge(user=member, kind=Nudge.Kind.NOTICE, template_key="couple-ended", slot=ended_at)
            for member in couple.members
        ],
        ignore_conflicts=True,
    )
    ids = list(
        Nudge.objects.filter(
            kind=Nudge.Kind.NOTICE, slot=ended_at, user__in=[r.user_id for r in rows]
        ).values_list("pk", flat=True)
    )
    enqueue_send(ids)
    return ids


@renderer(Nudge.Kind.NOTICE)
def render_notice(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    return make_message(nudge.template_key, {"user": nudge.user}, to=nudge.user.email)


class PermanentFailure(Exception):
    pass


def is_permanent(exc: Exception) -> bool:
    """5xx answers (a refused recipient, a rejected message) will not get better by
    retrying; everything else (4xx, dropped connections, timeouts) might."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, PermanentFailure | ValueError | LookupError)


def claim(nudge_ids: Iterable[int]) -> list[int]:
    """Move the batch's pending rows to sending; only claimed rows may be sent."""
    ids = list(nudge_ids)
    with transaction.atomic():
        # Lock the rows that are still pending, passing over any another worker is
        # claiming at this moment (on SQLite the IMMEDIATE transaction serialises claims).
        mine = list(
            Nudge.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Nudge.Status.PENDING)
            .values_list("pk", flat=True)
        )
        # Conditional on still being pending: a row another worker has already claimed,
        # or one that has settled, is never taken twice.
        Nudge.objects.filter(pk__in=mine, status=Nudge.Status.PENDING).update(
            status=Nudge.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    return mine


def deliver(
    nudge_ids: list[int],
    *,
    give_up: bool = False,
    retry_in: dt.timedelta = dt.timedelta(0),
) -> list[int]:
    """Claim, render and send these rows over one SMTP connection.

    Returns the ids that failed transiently and went back to pending, for a retry in
    `retry_in`; with `give_up`, those are marked failed instead.
    """
    claimed = claim(nudge_ids)
    if not claimed:
        return []
    nudges = list(
        Nudge.objects.select_related("user", "user__reminder_preference")
        .filter(pk__in=claimed)
        .order_by("pk")
    )
    batch = Batch(nudges)
    sent: list[int] = []
    skipped: list[int] = []
    retry: dict[int, str] = {}
    failed: dict[int, str] = {}
    connection = mail.mailers.default
    try:
        for nudge in nudges:
            try:
                message = RENDERERS[nudge.kind](nudge, batch)
                if message is None:
                    skipped.append(nudge.pk)
                    continue
                # Opened once and kept open: send_messages() on a closed connection
                # would open and close one per message.
                connection.open()
                connection.send_messages([message])
                sent.append(nudge.pk)
                if len(sent) >= SETTLE_EVERY:
                    _mark_sent(sent)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
                log.warning("email %s (%s) failed: %s", nudge.pk, nudge.kind, type(exc).__name__)
                if is_permanent(exc):
                    failed[nudge.pk] = error
                    continue
                # The connection may be half-broken; the next message opens a fresh one.
                _close_quietly(connection)
                if give_up:
                    failed[nudge.pk] = f"gave up after retries: {error}"[:500]
                else:
                    retry[nudge.pk] = error
    finally:
        _close_quietly(connection)
        _mark_sent(sent)
        _settle(skipped, retry, failed, retry_in)
    return list(retry)


def _mark_sent(sent: list[int]) -> None:
    if sent:
        Nudge.objects.filter(pk__in=sent).update(
            status=Nudge.Status.SENT, sent_at=timezone.now(), error=""
        )
        sent.clear()


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception as exc:  # a dead connection may fail to say goodbye; it is gone anyway
        log.info("closing the mail connection failed: %s", type(exc).__name__)


def _settle(
    skipped: list[int],
    retry: dict[int, str],
    failed: dict[int, str],
    retry_in: dt.timedelta,
) -> None:
    now = timezone.now()
    if skipped:
        Nudge.objects.filter(pk__in=skipped).update(status=Nudge.Status.SKIPPED)
    for pk, error in retry.items():
        # queued_at in the future: requeue_lost leaves a row alone while its retry waits.
        Nudge.objects.filter(pk=pk).update(
            status=Nudge.Status.PENDING, error=error, queued_at=now + retry_in
        )
    for pk, error in failed.items():
        Nudge.objects.filter(pk=pk).update(status=Nudge.Status.FAILED, error=error)


def sweep_stuck(older_than: dt.timedelta = dt.timedelta(minutes=10)) -> list[int]:
    """Return rows left in `sending` by a worker that died back to `pending`."""
    now = timezone.now()
    stuck = list(
        Nudge.objects.filter(
            status=Nudge.Status.SENDING, claimed_at__lt=now - older_than
        ).values_list("pk", flat=True)
    )
    if stuck:
        Nudge.objects.filter(pk__in=stuck, status=Nudge.Status.SENDING).update(
            status=Nudge.Status.PENDING, queued_at=now
        )
    return stuck


def requeue_lost(
    older_than: dt.timedelta = dt.timedelta(minutes=5), limit: int = 20 * BATCH_SIZE
) -> list[int]:
    """Hand pending rows whose send task never ran (a broker restart, a crash between
    commit and enqueue) to a new task. Claims make a second task for a row harmless."""
    now = timezone.now()
    with transaction.atomic():
        lost = list(
            Nudge.objects.filter(status=Nudge.Status.PENDING, queued_at__lt=now - older_than)
            .order_by("queued_at")
            .values_list("pk", flat=True)[:limit]
        )
        if lost:
            Nudge.objects.filter(pk__in=lost, status=Nudge.Status.PENDING).update(queued_at=now)
            enqueue_send(lost)
    return lost
