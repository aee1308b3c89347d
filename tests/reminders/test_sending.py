"""The send task: claims, retries, failures, the sweeper, lost tasks, and the headers
every reminder email carries."""

from __future__ import annotations

import contextlib
import datetime as dt
import email.policy
import os
import signal
import smtplib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from celery.app.task import Task
from celery.exceptions import Retry
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from reminders import outbox, tasks
from reminders.models import Nudge
from reminders.tasks import RETRY_CAP_SECONDS, send_nudges
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


class FlakyBackend(EmailBackend):
    """locmem, but the next `failures` sends raise `error`."""

    failures = 0
    error: Exception = smtplib.SMTPServerDisconnected("connection dropped")

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise FlakyBackend.error
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    """The failing backend; eager retries run one after the other, as a worker would."""
    from config.celery import app

    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyBackend"}}
    app.conf.task_eager_propagates = False
    yield FlakyBackend
    app.conf.task_eager_propagates = True
    FlakyBackend.failures = 0
    FlakyBackend.error = smtplib.SMTPServerDisconnected("connection dropped")


@pytest.fixture
def nudge(prefs, alice):
    return Nudge.objects.create(
        user=alice, kind="nudge", tip="talk", template_key="talk-01", slot=dt.datetime.now(dt.UTC)
    )


def test_a_transient_failure_retries_with_capped_exponential_backoff_then_sends(
    flaky, nudge, mailoutbox
):
    flaky.failures = 3
    with mock.patch.object(tasks, "retry_delay", wraps=tasks.retry_delay) as delays:
        send_nudges.delay([nudge.pk])
    assert [call.args[0] for call in delays.call_args_list][:4] == [0, 1, 2, 3]
    assert [tasks.retry_delay(n) for n in range(8)] == [30, 60, 120, 240, 480, 900, 900, 900]
    nudge.refresh_from_db()
    assert (nudge.status, nudge.attempts, nudge.error) == ("sent", 4, "")
    assert len(mailoutbox) == 1


def test_a_permanent_failure_marks_the_nudge_failed_with_the_error(flaky, nudge, mailoutbox):
    flaky.failures = 1
    flaky.error = smtplib.SMTPRecipientsRefused({"alice@example.com": (550, b"no such mailbox")})
    send_nudges.delay([nudge.pk])
    nudge.refresh_from_db()
    assert nudge.status == "failed"
    assert "550" in nudge.error and "no such mailbox" in nudge.error
    assert nudge.attempts == 1
    assert mailoutbox == []


def test_a_failure_that_never_clears_ends_as_failed_after_the_last_retry(flaky, nudge):
    flaky.failures = 100
    send_nudges.delay([nudge.pk])
    nudge.refresh_from_db()
    assert nudge.status == "failed"
    assert nudge.error.startswith("gave up after retries: SMTPServerDisconnected")
    assert nudge.attempts == tasks.MAX_RETRIES + 1


def test_one_bad_email_does_not_hold_back_the_rest_of_its_batch(flaky, prefs, bob, nudge):
    other = Nudge.objects.create(
        user=bob, kind="nudge", tip="talk", template_key="talk-02", slot=nudge.slot
    )
    flaky.failures = 1
    flaky.error = smtplib.SMTPDataError(554, b"rejected")
    send_nudges.delay([nudge.pk, other.pk])
    statuses = dict(Nudge.objects.values_list("pk", "status"))
    assert statuses == {nudge.pk: "failed", other.pk: "sent"}


def test_no_task_is_ever_scheduled_beyond_the_brokers_visibility_timeout(
    flaky, nudge, prefs, time_machine
):
    """Every publish the reminders make, including each retry, is recorded: none has an
    ETA, and no countdown reaches the visibility timeout (Redis would deliver it twice)."""
    from reminders.dispatch import dispatch_due

    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    published = []

    def record(self, args=None, kwargs=None, **options):
        published.append((self.name, options))

    flaky.failures = 1000
    with mock.patch.object(Task, "apply_async", record):
        for retries in range(tasks.MAX_RETRIES):
            Nudge.objects.filter(pk=nudge.pk).update(status="pending")
            send_nudges.push_request(
                retries=retries, id=f"t{retries}", is_eager=False, called_directly=False
            )
            try:
                with pytest.raises(Retry):
                    send_nudges.run([nudge.pk])
            finally:
                send_nudges.pop_request()
        Nudge.objects.filter(pk=nudge.pk).update(status="sending", lease_until=nudge.slot)
        time_machine.move_to(nudge.slot + dt.timedelta(hours=1), tick=False)
        with mock.patch("django.db.transaction.on_commit", lambda f, **kw: f()):
            tasks.sweep_stuck_nudges()
            tasks.requeue_lost_nudges()
            dispatch_due(nudge.slot + dt.timedelta(days=7))
    countdowns = [options["countdown"] for _, options in published if "countdown" in options]
    assert countdowns == [30, 60, 120, 240, 480, 900]
    assert len(published) > len(countdowns)  # the sweeper's and dispatcher's sends too
    for _name, options in published:
        assert options.get("eta") is None
        assert (options.get("countdown") or 0) <= min(RETRY_CAP_SECONDS, visibility - 60)
    assert visibility > RETRY_CAP_SECONDS


def test_a_row_another_worker_has_claimed_is_not_sent_again(nudge, mailoutbox):
    Nudge.objects.filter(pk=nudge.pk).update(status="sending")
    send_nudges.delay([nudge.pk])
    assert mailoutbox == []


def test_the_sweeper_returns_rows_whose_lease_lapsed_and_sends_them(
    nudge, mailoutbox, time_machine
):
    held = Nudge.objects.create(
        user=nudge.user,
        kind="nudge",
        tip="talk",
        template_key="talk-03",
        slot=nudge.slot + dt.timedelta(days=1),
    )
    now = nudge.slot + dt.timedelta(minutes=30)
    Nudge.objects.filter(pk=nudge.pk).update(
        status="sending", lease_until=now - dt.timedelta(seconds=1)
    )
    Nudge.objects.filter(pk=held.pk).update(
        status="sending", lease_until=now + dt.timedelta(seconds=1)
    )
    time_machine.move_to(now, tick=False)
    tasks.sweep_stuck_nudges()
    assert dict(Nudge.objects.values_list("pk", "status")) == {
        nudge.pk: "sent",
        held.pk: "sending",
    }
    assert len(mailoutbox) == 1


def test_pending_rows_whose_task_was_lost_are_sent_again(nudge, mailoutbox, time_machine, send_now):
    waiting = Nudge.objects.create(  # a retry scheduled for later: left alone
        user=nudge.user,
        kind="nudge",
        tip="talk",
        template_key="talk-04",
        slot=nudge.slot + dt.timedelta(days=1),
        queued_at=nudge.slot + dt.timedelta(minutes=20),
    )
    time_machine.move_to(nudge.queued_at + dt.timedelta(minutes=1), tick=False)
    with send_now():
        assert tasks.requeue_lost_nudges() == 0
    time_machine.move_to(nudge.queued_at + dt.timedelta(minutes=3), tick=False)
    with send_now():
        assert tasks.requeue_lost_nudges() == 1
    assert dict(Nudge.objects.values_list("pk", "status")) == {
        nudge.pk: "sent",
        waiting.pk: "pending",
    }
    assert len(mailoutbox) == 1


def test_every_reminder_email_has_text_html_settings_link_and_one_click_unsubscribe(
    settings, nudge, mailoutbox
):
    settings.SITE_URL = "https://kindling.example.org"
    send_nudges.delay([nudge.pk])
    message = mailoutbox[0]
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    assert "https://kindling.example.org/reminders/" in message.body
    assert 'href="https://kindling.example.org/reminders/"' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://kindling.example.org/reminders/unsubscribe/")
    assert unsubscribe.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in message.body and unsubscribe[1:-1] in html
    assert "/reminders/pause/" in message.body and "/reminders/pause/" in html
    # As the SMTP backend writes it: the URL intact, not folded into encoded words.
    raw = message.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"List-Unsubscribe: {unsubscribe}\r\n" in raw
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert mail.outbox is mailoutbox


@pytest.mark.parametrize("people", [2, 12])
def test_a_send_batch_costs_the_same_few_queries_whatever_its_size(
    people, mailoutbox, django_assert_num_queries
):
    from reminders import services
    from tests.factories import UserFactory, link

    users = UserFactory.create_batch(people)
    for first, second in zip(users[::2], users[1::2], strict=True):
        link(first, second)
        services.ensure_preference(first)
        services.ensure_preference(second)
    slot = dt.datetime.now(dt.UTC)
    ids = [
        Nudge.objects.create(
            user=user, kind="nudge", tip="talk", template_key="talk-05", slot=slot
        ).pk
        for user in users
    ]
    # claim (2 and a savepoint), load the rows, load the couples, mark them sent (one
    # UPDATE per SETTLE_EVERY emails)
    with django_assert_num_queries(7):
        send_nudges.delay(ids)
    assert len(mailoutbox) == people
    assert set(Nudge.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_emails_settled_before_a_worker_is_killed_are_not_sent_again(
    prefs, alice, bob, tmp_path, time_machine
):
    """A real worker process is SIGKILLed as its third email goes out (two emails per
    settle group): the first two were written down as sent and stay so; the third and the
    rest are left in `sending` under a lease that the sweeper takes back once it lapses."""
    slot = dt.datetime.now(dt.UTC)
    ids = [
        Nudge.objects.create(
            user=user, kind="nudge", tip="talk", template_key="talk-02", slot=slot + shift
        ).pk
        for user, shift in [(alice, dt.timedelta(0)), (bob, dt.timedelta(0))]
        + [(alice, dt.timedelta(days=day)) for day in (1, 2)]
    ]
    with database_shared_with_a_subprocess(tmp_path) as env:
        worker = subprocess.run(
            [sys.executable, "-m", "tests.reminders.killed_worker", "3", *map(str, ids)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert worker.returncode == -signal.SIGKILL, worker.stderr
    statuses = dict(Nudge.objects.values_list("pk", "status"))
    assert statuses == dict(zip(ids, ["sent", "sent", "sending", "sending"], strict=True))
    lease_until = Nudge.objects.get(pk=ids[2]).lease_until
    time_machine.move_to(lease_until - dt.timedelta(seconds=1), tick=False)
    assert outbox.sweep_stuck() == []  # the dead worker's lease still runs
    time_machine.move_to(lease_until + dt.timedelta(seconds=1), tick=False)
    assert outbox.sweep_stuck() == ids[2:]


@contextlib.contextmanager
def database_shared_with_a_subprocess(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment for a subprocess that works on this test's database. PostgreSQL
    is shared as it is; SQLite's in-memory test database is copied to a file for the
    subprocess and copied back when it is done."""
    env = {key: value for key, value in os.environ.items() if key != "CELERY_TASK_ALWAYS_EAGER"}
    env["KINDLING_VAR_DIR"] = str(tmp_path / "var")
    settings_dict = connection.settings_dict
    if ON_POSTGRES:
        env["DATABASE_URL"] = (
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}"
            f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
            f"/{settings_dict['NAME']}"
        )
        yield env
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    env["DATABASE_URL"] = f"sqlite:///{path}"
    yield env
    with sqlite3.connect(path) as copy:
        copy.backup(connection.connection)
