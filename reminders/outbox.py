"""The outbox: queue emails as Nudge rows, then claim, render and send them.

Queuing happens inside the caller's transaction (the row exists only if the change that
caused it committed); the send task is enqueued on commit. Rendering is looked up by
kind in RENDERERS, so each kind of email has one function that builds its message.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable

from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from couples.models import Couple

from .emails import make_message
from .models import Nudge

log = logging.getLogger(__name__)

Renderer = Callable[[Nudge], EmailMessage | None]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(func: Renderer) -> Renderer:
        RENDERERS[kind] = func
        return func

    return register


def enqueue_send(nudge_ids: list[int]) -> None:
    """Send these rows once the current transaction commits."""
    from .tasks import send_nudges

    if nudge_ids:
        transaction.on_commit(lambda: send_nudges.delay(nudge_ids))


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
def render_notice(nudge: Nudge) -> EmailMessage | None:
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
    return isinstance(exc, PermanentFailure | ValueError)


def claim(nudge_ids: Iterable[int]) -> list[int]:
    now = timezone.now()
    claimed = []
    for pk in nudge_ids:
        updated = Nudge.objects.filter(pk=pk, status=Nudge.Status.PENDING).update(
            status=Nudge.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if updated == 1:  # 0 means another worker has it, or it is settled
            claimed.append(pk)
    return claimed


def deliver(nudge_ids: list[int], *, give_up: bool = False) -> list[int]:
    """Claim, render and send these rows over one SMTP connection.

    Returns the ids that failed transiently and went back to pending, for a retry; with
    `give_up`, those are marked failed instead.
    """
    claimed = claim(nudge_ids)
    if not claimed:
        return []
    nudges = Nudge.objects.select_related("user").filter(pk__in=claimed).order_by("pk")
    sent: list[int] = []
    skipped: list[int] = []
    retry: list[int] = []
    failed: dict[int, str] = {}
    connection = mail.mailers.default
    try:
        for nudge in nudges:
            try:
                message = RENDERERS[nudge.kind](nudge)
                if message is None:
                    skipped.append(nudge.pk)
                    continue
                connection.send_messages([message])
                sent.append(nudge.pk)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
                log.warning("email %s (%s) failed: %s", nudge.pk, nudge.kind, type(exc).__name__)
                if is_permanent(exc):
                    failed[nudge.pk] = error
                    continue
                # The connection may be half-broken; the next message opens a fresh one.
                connection.close()
                if give_up:
                    failed[nudge.pk] = f"gave up after retries: {error}"[:500]
                else:
                    retry.append(nudge.pk)
                    Nudge.objects.filter(pk=nudge.pk).update(error=error)
    finally:
        connection.close()
        _settle(sent, skipped, retry, failed)
    return retry


def _settle(sent: list[int], skipped: list[int], retry: list[int], failed: dict[int, str]) -> None:
    now = timezone.now()
    if sent:
        Nudge.objects.filter(pk__in=sent).update(status=Nudge.Status.SENT, sent_at=now, error="")
    if skipped:
        Nudge.objects.filter(pk__in=skipped).update(status=Nudge.Status.SKIPPED)
    if retry:
        Nudge.objects.filter(pk__in=retry).update(status=Nudge.Status.PENDING)
    for pk, error in failed.items():
        Nudge.objects.filter(pk=pk).update(status=Nudge.Status.FAILED, error=error)


def sweep_stuck(older_than: dt.timedelta = dt.timedelta(minutes=10)) -> list[int]:
    """Return rows left in `sending` by a worker that died back to `pending`."""
    cutoff = timezone.now() - older_than
    stuck = list(
        Nudge.objects.filter(status=Nudge.Status.SENDING, claimed_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if stuck:
        Nudge.objects.filter(pk__in=stuck, status=Nudge.Status.SENDING).update(
            status=Nudge.Status.PENDING
        )
    return stuck
