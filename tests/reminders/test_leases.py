"""Leases: a live worker keeps its rows however slow the mail server, a worker that lost
its lease stops instead of sending the rest, and a resend carries the first send's
Message-ID."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import OperationalError
from django.db.models import QuerySet

from reminders import outbox, tasks
from reminders.models import Nudge
from tests.conftest import postgres_only
from tests.couples.test_concurrency import race

pytestmark = pytest.mark.django_db


class SlowRelay(EmailBackend):
    """locmem, where each email takes `seconds` on the frozen clock, then `after(n)` runs
    with the number of emails accepted so far."""

    clock = None
    seconds = 0.0
    after = staticmethod(lambda accepted: None)
    accepted = 0

    def send_messages(self, messages):
        SlowRelay.clock.shift(dt.timedelta(seconds=SlowRelay.seconds))
        sent = super().send_messages(messages)
        SlowRelay.accepted += sent
        SlowRelay.after(SlowRelay.accepted)
        return sent


@pytest.fixture
def relay(settings, time_machine):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowRelay"}}
    settings.SITE_URL = "https://kindling.example.org"
    time_machine.move_to(dt.datetime(2026, 12, 1, 19, tzinfo=dt.UTC), tick=False)
    SlowRelay.clock = time_machine
    yield SlowRelay
    SlowRelay.seconds = 0.0
    SlowRelay.after = staticmethod(lambda accepted: None)
    SlowRelay.accepted = 0


@pytest.fixture
def rows(prefs, alice, bob):
    def make(count: int) -> list[int]:
        start = dt.datetime(2026, 11, 1, 19, tzinfo=dt.UTC)
        return [
            Nudge.objects.create(
                user=(alice, bob)[n % 2],
                kind="nudge",
                tip="talk",
                template_key="talk-01",
                slot=start + dt.timedelta(days=n // 2),
            ).pk
            for n in range(count)
        ]

    return make


def test_a_slow_batch_keeps_its_lease_and_the_sweeper_never_sends_it_twice(relay, rows, mailoutbox):
    """Each email takes a quarter of the lease, so the batch outlasts its first lease five
    times; the sweeper runs after every email. The worker renews as it goes: nothing is
    handed over and each email goes out once."""
    ids = rows(20)
    relay.seconds = outbox.lease_length().total_seconds() / 4
    sweeping = []

    def sweep(accepted: int) -> None:
        if not sweeping:  # the sweeper's own sends would sweep again inside this one
            sweeping.append(True)
            tasks.sweep_stuck_nudges()
            sweeping.clear()

    relay.after = sweep
    outbox.deliver(ids)
    assert Counter(message.extra_headers["Message-ID"] for message in mailoutbox) == Counter(
        {f"<nudge-{pk}.nudge@kindling.example.org>": 1 for pk in ids}
    )
    assert set(Nudge.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_a_worker_that_lost_its_lease_stops_and_writes_nothing_down(
    relay, rows, mailoutbox, monkeypatch
):
    """Two emails per settle group. While the fourth email is out, the lease lapses and
    the sweeper hands the rows to another task: the worker does not mark the third and
    fourth sent (they are no longer its own) and does not send the fifth."""
    monkeypatch.setattr(outbox, "SETTLE_EVERY", 2)
    ids = rows(5)

    def lapse(accepted: int) -> None:
        if accepted == 4:
            relay.clock.shift(outbox.lease_length() + dt.timedelta(seconds=1))
            assert outbox.sweep_stuck() == ids[2:]

    relay.after = lapse
    assert outbox.deliver(ids) == []
    assert len(mailoutbox) == 4
    statuses = dict(Nudge.objects.values_list("pk", "status"))
    assert statuses == dict(
        zip(ids, ["sent", "sent", "pending", "pending", "pending"], strict=True)
    )
    assert not Nudge.objects.filter(claim_token__isnull=False).exists()


def test_a_resend_after_a_crash_carries_the_first_sends_message_id(relay, rows, mailoutbox):
    first, other = rows(2)
    outbox.deliver([first])
    # As if the worker had died before writing it down: the sweeper hands it back.
    Nudge.objects.filter(pk=first).update(status="pending")
    outbox.deliver([first, other])
    ids = [message.extra_headers["Message-ID"] for message in mailoutbox]
    assert ids == [
        f"<nudge-{first}.nudge@kindling.example.org>",
        f"<nudge-{first}.nudge@kindling.example.org>",
        f"<nudge-{other}.nudge@kindling.example.org>",
    ]
    assert f"Message-ID: {ids[0]}" in mailoutbox[0].message().as_string()


@pytest.mark.django_db(transaction=True)  # as a worker runs: not inside a transaction
def test_emails_sent_while_the_database_restarts_are_written_down_once_it_is_back(
    relay, rows, mailoutbox, monkeypatch
):
    """The database goes away just as the sent emails are written down: the worker
    reconnects and writes them down, rather than leave them to the sweeper to send again."""
    ids = rows(3)
    update = QuerySet.update
    refused = []

    def restarting(queryset, **fields):
        if fields.get("status") == Nudge.Status.SENT and len(refused) < 2:
            refused.append(fields)
            raise OperationalError("server closed the connection unexpectedly")
        return update(queryset, **fields)

    reconnects = []
    monkeypatch.setattr(QuerySet, "update", restarting)
    monkeypatch.setattr(outbox.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(outbox.db.connection, "close", lambda: reconnects.append(True))
    outbox.deliver(ids)
    assert len(refused) == 2 and len(reconnects) == 2
    assert len(mailoutbox) == 3
    assert set(Nudge.objects.values_list("status", flat=True)) == {"sent"}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_renewal_and_a_sweep_at_the_moment_a_lease_lapses_never_both_win(rows):
    (pk,) = rows(1)
    for _ in range(10):
        mine = outbox.claim([pk])
        Nudge.objects.filter(pk=pk).update(lease_until=dt.datetime.now(dt.UTC))
        renewed, swept = race(lambda mine=mine: outbox.renew(mine.token, [pk]), outbox.sweep_stuck)
        assert (renewed, swept) in [(True, []), (False, [pk])]
        Nudge.objects.filter(pk=pk).update(status="pending")
