"""The outbox: queue emails as Nudge rows, then claim, render and send them.

Queuing happens inside the caller's transaction (the row exists only if the change that
caused it committed); the send task is enqueued on commit. Rendering is looked up by
kind in RENDERERS, so each kind of email has one function that builds its message; a
renderer returns None when the email should no longer go out (the person turned that
kind off, the couple ended, the date was cancelled), and the row is marked skipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

import requests
from celery import current_app
from django import db
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from couples.links import site_url
from couples.models import Couple, Membership, User

from . import push
from .emails import make_message
from .models import Nudge, PushSubscription

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# Sent rows are marked in groups this size as the batch goes: should a worker die
# mid-batch, the sweeper brings back at most this many emails that had in fact gone out
# (with the same Message-ID). One UPDATE per email would shrink that to one, but costs a
# commit (an fsync on PostgreSQL) per email, which halves throughput.
SETTLE_EVERY = 25
# A settle group's push requests go out together, to this many people at once (each
# person's in order): a push service takes tens of milliseconds to answer, and one after
# another a worker would spend most of its time waiting. Only the HTTP requests run in
# threads; rendering and every query stay in the task's own thread and transaction.
PUSH_AT_ONCE = 8
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

    @cached_property
    def _devices(self) -> dict[int, list[PushSubscription]]:
        """The devices of everyone with a push row in the batch, in one query."""
        user_ids = {n.user_id for n in self.nudges if n.channel == Nudge.Channel.PUSH}
        found: dict[int, list[PushSubscription]] = {}
        for device in PushSubscription.objects.filter(user_id__in=user_ids).order_by("pk"):
            found.setdefault(device.user_id, []).append(device)
        return found

    def devices(self, user_id: int) -> list[PushSubscription]:
        return self._devices.get(user_id, [])


Renderer = Callable[[Nudge, Batch], EmailMessage | None]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(func: Renderer) -> Renderer:
        RENDERERS[kind] = func
        return func

    return register


def in_language(nudge: Nudge) -> translation.override:
    """The row's person's language, active while their message is rendered: an email or a
    notification reads as their pages do. An invitation's row is the inviter's (the person
    invited may have no account yet), so it goes out in the inviter's language."""
    return translation.override(nudge.user.language)


def chunks(ids: list[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def enqueue_send(nudge_ids: list[int]) -> None:
    """Send these rows, and the push twins they get here (push.add_push_twins), once the
    current transaction commits, in batches: one task (and one SMTP connection) per
    batch, never one per email."""
    _enqueue(push.add_push_twins(list(nudge_ids)), queue=settings.PUSH_QUEUE)
    _enqueue(list(nudge_ids))


def _enqueue(nudge_ids: list[int], queue: str | None = None) -> None:
    """A send task per batch of these rows, on commit. The push twins go on the push
    queue, which workers empty first (CELERY_TASK_QUEUES)."""
    # Found by name in Celery's registry (RemindersConfig.ready imports the tasks module):
    # importing reminders.tasks here would close a loop, since the tasks call into this
    # module, and send_task() would bypass eager mode in tests.
    send_nudges = current_app.tasks[SEND_TASK]
    for chunk in chunks(list(nudge_ids)):
        if queue:
            transaction.on_commit(
                lambda chunk=chunk: send_nudges.apply_async(args=[chunk], queue=queue)
            )
        else:
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
    ctx = {"user": nudge.user}
    if nudge.template_key == "couple-ended":
        # The archive of the couple that ended at this notice's slot: what it is about.
        ended = Membership.objects.filter(
            user_id=nudge.user_id, couple__status=Couple.Status.ENDED, couple__ended_at=nudge.slot
        ).first()
        if ended is not None:  # gone only if purged (30 days on) before this was sent
            ctx["archive_url"] = site_url("couples:archive", ended.couple_id)
    return make_message(nudge.template_key, ctx, to=nudge.user.email)


class PermanentFailure(Exception):
    pass


def is_permanent(exc: Exception) -> bool:
    """5xx answers (a refused recipient, a rejected message) will not get better by
    retrying; everything else (4xx, dropped connections, timeouts) might."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, __ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, PermanentFailure | push.PushRefused | ValueError | LookupError)


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.KINDLING_LEASE_SECONDS)


def message_id(nudge: Nudge) -> str:
    """The same Message-ID every time this row is sent, so a resend after a crash can be
    recognised (and collapsed) by mail servers and clients."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<nudge-{nudge.pk}.{nudge.kind}@{host}>"


@dataclass
class Claim:
    """The rows one send task holds, and the token that proves it holds them."""

    token: uuid.UUID
    ids: list[int] = field(default_factory=list)


def claim(nudge_ids: Iterable[int]) -> Claim:
    """Move the batch's pending rows to sending under a new lease; only claimed rows may
    be sent, and only by the holder of the token."""
    ids = list(nudge_ids)
    mine = Claim(uuid.uuid4())
    with transaction.atomic():
        # Lock the rows that are still pending, passing over any another worker is
        # claiming at this moment (on SQLite the IMMEDIATE transaction serialises claims).
        mine.ids = list(
            Nudge.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Nudge.Status.PENDING)
            .values_list("pk", flat=True)
        )
        # Conditional on still being pending: a row another worker has already claimed,
        # or one that has settled, is never taken twice.
        now = timezone.now()
        Nudge.objects.filter(pk__in=mine.ids, status=Nudge.Status.PENDING).update(
            status=Nudge.Status.SENDING,
            claim_token=mine.token,
            claimed_at=now,
            lease_until=now + lease_length(),
            attempts=F("attempts") + 1,
        )
    return mine


def renew(token: uuid.UUID, ids: Iterable[int]) -> bool:
    """True if this token still holds every one of these rows, whose lease then runs on
    from now: one conditional UPDATE, checked before each group of emails goes out."""
    ids = list(ids)
    if not ids:
        return True
    held = _persist(
        lambda: Nudge.objects.filter(
            pk__in=ids, claim_token=token, status=Nudge.Status.SENDING
        ).update(lease_until=timezone.now() + lease_length())
    )
    return held == len(ids)


def _persist(write: Callable[[], int]) -> int:
    """Run one write, riding out a database restart of up to a third of the lease: an
    email that went out but could not be written down would go out again once the lease
    lapsed, and rows whose lease could not be renewed would wait for the sweeper."""
    deadline = time.monotonic() + lease_length().total_seconds() / 3
    while True:
        try:
            return write()
        except (db.OperationalError, db.InterfaceError):
            # Inside a caller's transaction there is nothing to ride out: it is lost.
            if db.connection.in_atomic_block or time.monotonic() > deadline:
                raise
            log.warning("the database is away; writing again in a second")
            with contextlib.suppress(db.DatabaseError):
                db.connection.close()  # the next query opens a fresh connection
            time.sleep(1)


@dataclass
class Outcome:
    """What happened to each row of a batch that has not been written down yet."""

    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    retry: dict[int, str] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    # Push rows that could not be delivered (skipped or failed): once written down, the
    # email their person skipped for them goes out after all (push.fall_back_to_email).
    undelivered: dict[int, Nudge] = field(default_factory=dict)
    # Devices a push reached, marked used when the group is written down.
    devices_used: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sent) + len(self.skipped) + len(self.retry) + len(self.failed)


def deliver(
    nudge_ids: list[int],
    *,
    give_up: bool = False,
    retry_in: dt.timedelta = dt.timedelta(0),
) -> list[int]:
    """Claim, render and send these rows over one SMTP connection.

    Emails go out in settle groups: before each group the task renews its lease (and
    stops if it lost it: the sweeper has handed the rows to another task); after it, the
    group's rows are written down. A group ends at SETTLE_EVERY emails or after a third
    of the lease, whichever comes first, so even a slow relay renews well in time.

    Returns the ids that failed transiently and went back to pending, for a retry in
    `retry_in`; with `give_up`, those are marked failed instead.
    """
    mine = claim(nudge_ids)
    if not mine.ids:
        return []
    nudges = list(
        Nudge.objects.select_related("user", "user__reminder_preference")
        .filter(pk__in=mine.ids)
        .order_by("pk")
    )
    batch = Batch(nudges)
    held = set(mine.ids)
    outcome = Outcome()
    retried: list[int] = []
    emails: list[int] = []  # push-only emails brought back, sent once the batch is done
    # On the wall clock, like the lease itself and the sweeper reading it.
    group_time = lease_length() / 3
    renewed_at = timezone.now()
    connection = mail.mailers.default
    pushes = PushGroup(outcome)
    try:
        for nudge in nudges:
            if len(outcome) + len(pushes) >= SETTLE_EVERY or (
                timezone.now() - renewed_at >= group_time
            ):
                pushes.send(give_up)
                retried += _settle(mine.token, outcome, held, retry_in, emails)
                if not renew(mine.token, held):
                    log.warning("lost the lease on %d emails; another task sends them", len(held))
                    break
                renewed_at = timezone.now()
            try:
                if nudge.channel == Nudge.Channel.PUSH:
                    pushes.add(nudge, batch)
                    continue
                with in_language(nudge):
                    message = RENDERERS[nudge.kind](nudge, batch)
                if message is None:
                    outcome.skipped.append(nudge.pk)
                    continue
                message.extra_headers["Message-ID"] = message_id(nudge)
                # Opened once and kept open: send_messages() on a closed connection
                # would open and close one per message.
                connection.open()
                connection.send_messages([message])
                outcome.sent.append(nudge.pk)
            except Exception as exc:
                if _failed(nudge, exc, outcome, give_up):
                    # The connection may be half-broken; the next message opens a fresh one.
                    _close_quietly(connection)
    finally:
        _close_quietly(connection)
        pushes.send(give_up)
        pushes.close()
        retried += _settle(mine.token, outcome, held, retry_in, emails)
    # The usual path: a task per batch; the rows are pending, so requeue_lost would also
    # find them, should this task die first.
    _enqueue(emails)
    return retried


def render_push(nudge: Nudge, batch: Batch) -> push.PushMessage | None:
    """The notification for a push row, or None when it should no longer go out."""
    own = push.PUSH_RENDERERS.get(nudge.kind)
    if own is not None:
        return own(nudge, batch)
    # No push renderer of its own: the kind's email renderer decides whether the message
    # still goes out (switched off, couple ended, item gone), its spec what it says.
    if RENDERERS[nudge.kind](nudge, batch) is None:
        return None
    spec = push.PUSH_SPECS.get(nudge.kind, push.FALLBACK)
    __, partner = batch.couple_and_partner(nudge.user_id)
    return push.PushMessage(
        title=str(spec.title).format(partner=partner.name if partner else _("Your partner")),
        line=str(spec.line),
        url=spec.url(nudge),
    )


def _failed(nudge: Nudge, exc: Exception, outcome: Outcome, give_up: bool) -> bool:
    """Write down a row that raised: failed for good, or back for a retry. Returns
    whether it may be a transient fault of the connection (worth opening a new one)."""
    error = f"{type(exc).__name__}: {exc}"[:500]
    log.warning("email %s (%s) failed: %s", nudge.pk, nudge.kind, type(exc).__name__)
    if nudge.channel == Nudge.Channel.PUSH and (is_permanent(exc) or give_up):
        outcome.undelivered[nudge.pk] = nudge
    if is_permanent(exc):
        outcome.failed[nudge.pk] = error
        return False
    if give_up:
        outcome.failed[nudge.pk] = f"gave up after retries: {error}"[:500]
    else:
        outcome.retry[nudge.pk] = error
    return True


UNDELIVERED = "undelivered"


class PushGroup:
    """The push rows of one settle group: each rendered as it comes (in the task's
    thread), then all sent together by `send`, whose results go into the outcome.

    A row goes to all the person's devices; "sent" once a device has it, UNDELIVERED
    (skipped, but it should have gone: no device, every device gone, or push switched
    off) so that the email comes back for it, "skipped" when it should no longer go out."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome
        self.waiting: dict[int, list[tuple[Nudge, push.PushMessage, list]]] = {}
        self._session: requests.Session | None = None
        self._pool: ThreadPoolExecutor | None = None

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.waiting.values())

    def add(self, nudge: Nudge, batch: Batch) -> None:
        devices = batch.devices(nudge.user_id)
        if not devices or not settings.PUSH_ENABLED:
            self._record(nudge, UNDELIVERED)
            return
        with in_language(nudge):
            message = render_push(nudge, batch)
        if message is None:
            self._record(nudge, "skipped")
            return
        self.waiting.setdefault(nudge.user_id, []).append((nudge, message, devices))

    def send(self, give_up: bool) -> None:
        if not self.waiting:
            return
        if self._pool is None:
            self._session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(pool_maxsize=PUSH_AT_ONCE)
            self._session.mount("https://", adapter)
            self._session.mount("http://", adapter)
            self._pool = ThreadPoolExecutor(PUSH_AT_ONCE, thread_name_prefix="push")
        people = list(self.waiting.values())
        self.waiting = {}
        for rows, results in zip(people, self._pool.map(self._send_to, people), strict=True):
            for (nudge, _message, _devices), result in zip(rows, results, strict=True):
                try:
                    push.forget_gone(result)
                    self.outcome.devices_used += result.delivered
                    settled = push.settle_row(result)
                except Exception as exc:
                    _failed(nudge, exc, self.outcome, give_up)
                    continue
                self._record(nudge, UNDELIVERED if settled == "skipped" else settled)

    def _send_to(self, rows: list[tuple[Nudge, push.PushMessage, list]]) -> list:
        """One person's rows, in order (HTTP only: no query in this thread)."""
        return [
            push.send_to_devices(message, devices, self._session, f"kindling-{nudge.pk}")
            for nudge, message, devices in rows
        ]

    def _record(self, nudge: Nudge, result: str) -> None:
        (self.outcome.sent if result == "sent" else self.outcome.skipped).append(nudge.pk)
        if result == UNDELIVERED:
            self.outcome.undelivered[nudge.pk] = nudge

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._session.close()


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception as exc:  # a dead connection may fail to say goodbye; it is gone anyway
        log.info("closing the mail connection failed: %s", type(exc).__name__)


def _settle(
    token: uuid.UUID,
    outcome: Outcome,
    held: set[int],
    retry_in: dt.timedelta,
    emails: list[int],
) -> list[int]:
    """Write down what happened to each row, each UPDATE conditional on still holding
    the claim, and forget it. Returns the rows that went back to pending for a retry;
    adds to `emails` the push-only emails brought back for undelivered push rows."""
    now = timezone.now()
    if outcome.devices_used:
        used = sorted(set(outcome.devices_used))
        _persist(lambda: PushSubscription.objects.filter(pk__in=used).update(last_used_at=now))
    mine = Nudge.objects.filter(claim_token=token, status=Nudge.Status.SENDING)
    released = {"claim_token": None, "lease_until": None}
    if outcome.sent:
        _persist(
            lambda: mine.filter(pk__in=outcome.sent).update(
                status=Nudge.Status.SENT, sent_at=now, error="", **released
            )
        )
    skipped = [pk for pk in outcome.skipped if pk not in outcome.undelivered]
    if skipped:
        _persist(
            lambda: mine.filter(pk__in=skipped).update(status=Nudge.Status.SKIPPED, **released)
        )
    # One by one (they are few), so an email is brought back only for a push row this task
    # still held and has written down.
    written: list[Nudge] = [
        row
        for pk, row in outcome.undelivered.items()
        if pk in outcome.skipped
        and _persist(
            lambda pk=pk: mine.filter(pk=pk).update(status=Nudge.Status.SKIPPED, **released)
        )
    ]
    retried = [
        pk
        for pk, error in outcome.retry.items()
        # queued_at in the future: requeue_lost leaves a row alone while its retry waits.
        if _persist(
            lambda pk=pk, error=error: mine.filter(pk=pk).update(
                status=Nudge.Status.PENDING, error=error, queued_at=now + retry_in, **released
            )
        )
    ]
    for pk, error in outcome.failed.items():
        failed = _persist(
            lambda pk=pk, error=error: mine.filter(pk=pk).update(
                status=Nudge.Status.FAILED, error=error, **released
            )
        )
        if failed and pk in outcome.undelivered:
            written.append(outcome.undelivered[pk])
    for row in written:
        email = _persist(lambda row=row: push.fall_back_to_email(row) or 0)
        if email:
            emails.append(email)
    held.difference_update(outcome.sent, outcome.skipped, outcome.retry, outcome.failed)
    outcome.sent.clear()
    outcome.skipped.clear()
    outcome.retry.clear()
    outcome.failed.clear()
    outcome.undelivered.clear()
    outcome.devices_used.clear()
    return retried


def sweep_stuck() -> list[int]:
    """Return rows whose lease lapsed (their worker died, or lost its database) to
    `pending`. A live worker renews its lease long before that, so it is never robbed."""
    now = timezone.now()
    with transaction.atomic():
        stuck = list(
            Nudge.objects.select_for_update(skip_locked=True)
            .filter(status=Nudge.Status.SENDING, lease_until__lt=now)
            .values_list("pk", flat=True)
        )
        Nudge.objects.filter(pk__in=stuck).update(
            status=Nudge.Status.PENDING, claim_token=None, lease_until=None, queued_at=now
        )
    return stuck


def requeue_lost(
    older_than: dt.timedelta = dt.timedelta(minutes=2), limit: int = 20 * BATCH_SIZE
) -> list[int]:
    """Hand pending rows whose send task never ran (a broker outage, a crash between
    commit and enqueue) to a new task. Claims make a second task for a row harmless, so
    the wait is short: run every minute, a row lost this way goes out within 3 minutes."""
    now = timezone.now()
    with transaction.atomic():
        lost = list(
            Nudge.objects.filter(status=Nudge.Status.PENDING, queued_at__lt=now - older_than)
            .order_by("queued_at")
            .values_list("pk", flat=True)[:limit]
        )
        if lost:
            Nudge.objects.filter(pk__in=lost, status=Nudge.Status.PENDING).update(queued_at=now)
            _enqueue(lost)
    return lost
