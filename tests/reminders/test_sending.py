"""The send task: claims, retries, failures, the sweeper, lost tasks, and the headers
every reminder email carries."""

from __future__ import annotations

import datetime as dt
import email.policy
import smtplib
from unittest import mock

import pytest
from celery.app.task import Task
from celery.exceptions import Retry
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from reminders import outbox, tasks
from reminders.models import Nudge
from reminders.tasks import RETRY_CAP_SECONDS, send_nudges

pytestmark = pytest.mark.django_db


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
        Nudge.objects.filter(pk=nudge.pk).update(status="sending", claimed_at=nudge.slot)
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


def test_the_sweeper_returns_rows_stuck_in_sending_and_sends_them(nudge, mailoutbox, time_machine):
    fresh = Nudge.objects.create(
        user=nudge.user,
        kind="nudge",
        tip="talk",
        template_key="talk-03",
        slot=nudge.slot + dt.timedelta(days=1),
    )
    now = nudge.slot + dt.timedelta(minutes=30)
    Nudge.objects.filter(pk=nudge.pk).update(
        status="sending", claimed_at=now - dt.timedelta(minutes=20)
    )
    Nudge.objects.filter(pk=fresh.pk).update(
        status="sending", claimed_at=now - dt.timedelta(minutes=1)
    )
    time_machine.move_to(now, tick=False)
    tasks.sweep_stuck_nudges()
    assert dict(Nudge.objects.values_list("pk", "status")) == {
        nudge.pk: "sent",
        fresh.pk: "sending",
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
    time_machine.move_to(nudge.queued_at + dt.timedelta(minutes=2), tick=False)
    with send_now():
        assert tasks.requeue_lost_nudges() == 0
    time_machine.move_to(nudge.queued_at + dt.timedelta(minutes=6), tick=False)
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


def test_emails_settled_before_a_worker_dies_are_not_sent_again(
    flaky, prefs, alice, bob, nudge, monkeypatch
):
    """The third email's send kills the worker (as far as this batch knows): the first
    two were already marked sent, so the sweeper brings back only the third."""
    monkeypatch.setattr(outbox, "SETTLE_EVERY", 2)
    others = [
        Nudge.objects.create(user=user, kind="nudge", tip="talk", template_key="talk-02", slot=slot)
        for user, slot in ((bob, nudge.slot), (alice, nudge.slot + dt.timedelta(days=1)))
    ]

    class WorkerDied(BaseException):
        pass

    sent = []

    def send_then_die(self, messages):
        if len(sent) == 2:
            raise WorkerDied
        sent.extend(messages)
        return 1

    with (
        mock.patch.object(FlakyBackend, "send_messages", send_then_die),
        pytest.raises(WorkerDied),
    ):
        outbox.deliver([nudge.pk, *(other.pk for other in others)])
    statuses = dict(Nudge.objects.values_list("pk", "status"))
    assert statuses == {nudge.pk: "sent", others[0].pk: "sent", others[1].pk: "sending"}
    assert outbox.sweep_stuck(older_than=dt.timedelta(0)) == [others[1].pk]
