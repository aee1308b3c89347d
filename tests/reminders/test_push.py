"""Web Push through the outbox, against a local fake push service that checks the VAPID
signature and audience and decrypts each payload with the device's own private key."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from celery import Task, current_app

from practices import services as practices
from reminders import outbox, push
from reminders.models import Nudge, PushSubscription, ReminderPreference
from reminders.tasks import send_nudges
from tests.factories import UserFactory
from tests.push_service import PushService

from .conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 1, 10, 0)  # a Tuesday: nobody's nudge or digest is due
WEDNESDAY_1900_LONDON = utc(2026, 12, 2, 19, 0)


@pytest.fixture
def service(settings, monkeypatch):
    with PushService(expected_key=settings.VAPID_PUBLIC_KEY) as running:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(running.cert_path))
        settings.PUSH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
        push._tokens.clear()  # tokens signed at another (frozen) time
        yield running


@pytest.fixture(autouse=True)
def _at_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def add_device(service: PushService, user, name: str) -> PushSubscription:
    device = service.device(name)
    return PushSubscription.objects.create(
        user=user, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth_b64,
        device_name=name,
    )  # fmt: skip


def rows(**filters) -> list[tuple[str, str]]:
    return sorted(Nudge.objects.filter(**filters).values_list("channel", "status"))


def test_a_note_alert_goes_once_by_email_and_once_to_each_device(
    prefs, couple, alice, bob, service, send_now, mailoutbox
):
    add_device(service, bob, "bob-phone")
    add_device(service, bob, "bob-laptop")
    with send_now():
        note = practices.write_note(couple, alice, "You made Sunday lovely.")
    assert [m.to for m in mailoutbox] == [[bob.email]]
    expected = {
        "title": f"A note from {alice.name}",
        "body": "Open Kindling to read it.",
        "url": f"http://localhost:8000/notes/{note.pk}/",
    }
    pushed = Nudge.objects.get(user=bob, channel="push")
    expected["tag"] = f"kindling-{pushed.pk}"
    assert service.payloads("bob-phone") == [expected]
    assert service.payloads("bob-laptop") == [expected]
    assert service.rejected == []
    assert rows(user=bob) == [("email", "sent"), ("push", "sent")]
    assert service.topics == [f"kindling-{pushed.pk}"] * 2  # a resend would replace it
    assert PushSubscription.objects.filter(user=bob, last_used_at=NOW).count() == 2


def test_the_notes_words_go_in_a_notification_only_when_allowed_in_alerts(
    prefs, couple, alice, bob, service, send_now
):
    add_device(service, bob, "bob-phone")
    ReminderPreference.objects.filter(user=bob).update(note_text_in_email=True)
    with send_now():
        practices.write_note(couple, alice, "You made Sunday lovely.")
    assert [p["body"] for p in service.payloads("bob-phone")] == ["You made Sunday lovely."]


def test_a_notification_carries_only_a_title_a_short_line_and_a_url(
    prefs, couple, alice, bob, service, send_now
):
    add_device(service, bob, "bob-phone")
    ReminderPreference.objects.filter(user=bob).update(note_text_in_email=True)
    with send_now():
        practices.write_note(couple, alice, "word " * 300)
    (payload,) = service.payloads("bob-phone")
    assert set(payload) == {"title", "body", "url", "tag"}
    assert len(payload["body"]) == push.LINE_LENGTH
    assert payload["body"].endswith("…")


def test_push_only_skips_the_email_and_email_only_makes_no_push(
    prefs, couple, alice, bob, service, send_now, mailoutbox
):
    add_device(service, bob, "bob-phone")
    ReminderPreference.objects.filter(user=bob).update(channels={"note": "push"})
    with send_now():
        practices.write_note(couple, alice, "One.")
    assert mailoutbox == []
    assert len(service.payloads("bob-phone")) == 1
    assert Nudge.objects.get(user=bob, channel="email").error == push.PUSH_ONLY

    ReminderPreference.objects.filter(user=bob).update(channels={"note": "email"})
    with send_now():
        practices.write_note(couple, alice, "Two.")
    assert len(mailoutbox) == 1
    assert len(service.payloads("bob-phone")) == 1
    assert Nudge.objects.filter(user=bob, channel="push").count() == 1


def test_without_a_device_everything_stays_email(prefs, couple, alice, bob, send_now, mailoutbox):
    ReminderPreference.objects.filter(user=bob).update(channels={"note": "push"})
    with send_now():
        practices.write_note(couple, alice, "One.")
    assert len(mailoutbox) == 1
    assert rows(user=bob) == [("email", "sent")]


def test_a_due_nudge_goes_by_push_and_email(prefs, alice, service, dispatch, mailoutbox):
    add_device(service, alice, "alice-phone")
    dispatch(WEDNESDAY_1900_LONDON)
    assert rows(user=alice) == [("email", "sent"), ("push", "sent")]
    (payload,) = service.payloads("alice-phone")
    (email,) = [m for m in mailoutbox if m.to == [alice.email]]
    assert payload["title"] == email.subject


def test_the_digest_stays_email_unless_chosen_for_push(prefs, alice, service):
    add_device(service, alice, "alice-phone")
    digest = Nudge.objects.create(user=alice, kind="digest", slot=NOW)
    assert push.add_push_twins([digest.pk]) == []
    ReminderPreference.objects.filter(user=alice).update(channels={"digest": "both"})
    (twin,) = push.add_push_twins([digest.pk])
    assert Nudge.objects.get(pk=twin).channel == "push"


def test_a_device_the_push_service_no_longer_knows_is_removed(
    prefs, couple, alice, bob, service, send_now
):
    add_device(service, bob, "bob-phone")
    service.script("bob-phone", [410])
    with send_now():
        practices.write_note(couple, alice, "One.")
    assert not PushSubscription.objects.filter(user=bob).exists()
    assert rows(user=bob) == [("email", "sent"), ("push", "skipped")]


@pytest.fixture
def retrying():
    """Eager retries run one after the other, as a worker would."""
    from config.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_a_busy_push_service_is_tried_again_later_and_gets_it_once(
    prefs, alice, bob, service, retrying
):
    add_device(service, bob, "bob-phone")
    service.script("bob-phone", [429, 503])
    row = Nudge.objects.create(user=bob, kind="digest", channel="push", slot=NOW)
    send_nudges.delay([row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 3)
    assert len(service.payloads("bob-phone")) == 1


def test_a_refusal_fails_the_row_without_retrying(prefs, alice, bob, service, retrying):
    add_device(service, bob, "bob-phone")
    service.script("bob-phone", [413])
    row = Nudge.objects.create(user=bob, kind="digest", channel="push", slot=NOW)
    send_nudges.delay([row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("failed", 1, "PushRefused: HTTP 413")


def test_a_kind_without_its_own_push_uses_its_spec_and_its_emails_say_so(
    prefs, couple, alice, bob, service, monkeypatch
):
    add_device(service, bob, "bob-phone")
    answers = {"goes": True}
    monkeypatch.setitem(
        outbox.RENDERERS, Nudge.Kind.THINKING, lambda n, b: object() if answers["goes"] else None
    )
    first = Nudge.objects.create(user=bob, kind="thinking", channel="push", slot=NOW)
    send_nudges.delay([first.pk])
    assert service.payloads("bob-phone") == [
        {
            "title": f"{alice.name} is thinking of you",
            "body": "Open Kindling to see it.",
            "url": "http://localhost:8000/home/",
            "tag": f"kindling-{first.pk}",
        }
    ]
    answers["goes"] = False  # the email renderer says it should no longer go out
    second = Nudge.objects.create(user=bob, kind="thinking", channel="push", slot=NOW, object_id=2)
    send_nudges.delay([second.pk])
    second.refresh_from_db()
    assert second.status == "skipped"
    assert len(service.payloads("bob-phone")) == 1


def test_a_push_row_after_its_person_turned_that_kind_off_is_skipped(prefs, alice, bob, service):
    add_device(service, bob, "bob-phone")
    ReminderPreference.objects.filter(user=bob).update(digest_enabled=False)
    row = Nudge.objects.create(user=bob, kind="digest", channel="push", slot=NOW)
    send_nudges.delay([row.pk])
    row.refresh_from_db()
    assert row.status == "skipped"
    assert service.received == []


def test_a_date_reminder_reaches_the_device(prefs, couple, alice, bob, service, dispatch):
    from tests.factories import date_night

    add_device(service, bob, "bob-phone")
    date = date_night(couple, alice, title="Picnic", starts_at=NOW + dt.timedelta(hours=5))
    dispatch(NOW + dt.timedelta(hours=4, minutes=30))  # bob asked for 24 hours' notice
    (payload,) = service.payloads("bob-phone")
    assert payload["title"] == "Coming up: Picnic"
    assert payload["url"] == f"http://localhost:8000/dates/{date.pk}/"


def test_a_row_handed_to_two_tasks_reaches_the_device_once(prefs, bob, service):
    add_device(service, bob, "bob-phone")
    row = Nudge.objects.create(user=bob, kind="digest", channel="push", slot=NOW)
    send_nudges.delay([row.pk])
    send_nudges.delay([row.pk])
    assert len(service.payloads("bob-phone")) == 1


@pytest.mark.parametrize("answer", [410, 404, 413])
def test_a_push_only_message_the_push_service_cannot_deliver_goes_by_email_once(
    prefs, couple, alice, bob, service, send_now, mailoutbox, retrying, answer
):
    add_device(service, bob, "bob-phone")
    service.script("bob-phone", [answer])
    ReminderPreference.objects.filter(user=bob).update(channels={"note": "push"})
    with send_now():
        practices.write_note(couple, alice, "One.")
    assert [m.to for m in mailoutbox] == [[bob.email]]
    email = Nudge.objects.get(user=bob, channel="email")
    assert (email.status, email.error) == ("sent", "")
    # Settling the push row again brings nothing back: the email went out once.
    assert push.fall_back_to_email(Nudge.objects.get(user=bob, channel="push")) is None
    outbox.requeue_lost(older_than=dt.timedelta(0))
    assert len(mailoutbox) == 1


def test_a_push_only_message_goes_by_email_when_push_is_off_at_sending_time(
    prefs,
    couple,
    alice,
    bob,
    service,
    send_now,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    add_device(service, bob, "bob-phone")
    ReminderPreference.objects.filter(user=bob).update(channels={"note": "push"})
    with django_capture_on_commit_callbacks() as queued:
        practices.write_note(couple, alice, "One.")
    settings.PUSH_ENABLED = False
    with send_now():
        for callback in queued:
            callback()
    assert len(mailoutbox) == 1
    assert rows(user=bob) == [("email", "sent"), ("push", "skipped")]
    assert service.received == []


def test_a_push_only_message_whose_push_keeps_failing_goes_by_email_in_the_end(
    prefs, couple, alice, bob, service, send_now, mailoutbox, retrying, settings
):
    add_device(service, bob, "bob-phone")
    service.script("bob-phone", [503] * 20)
    ReminderPreference.objects.filter(user=bob).update(channels={"note": "push"})
    with send_now():
        practices.write_note(couple, alice, "One.")
    assert rows(user=bob) == [("email", "sent"), ("push", "failed")]
    assert len(mailoutbox) == 1


def test_a_push_row_that_should_no_longer_go_out_brings_back_no_email(
    prefs, couple, alice, bob, service, send_now, mailoutbox
):
    add_device(service, bob, "bob-phone")
    ReminderPreference.objects.filter(user=bob).update(channels={"note": "push"})
    with send_now():
        note = practices.write_note(couple, alice, "One.")
        note.delete()
    assert mailoutbox == []
    assert rows(user=bob) == [("email", "skipped"), ("push", "skipped")]


@pytest.mark.parametrize(
    ("kind", "object_id", "url"),
    [
        ("checkin", 7, "http://localhost:8000/feelings/7/"),
        ("checkin", 0, "http://localhost:8000/feelings/history/"),
        ("thinking", 3, "http://localhost:8000/home/"),
        ("weekly", 0, "http://localhost:8000/ourweek/"),
        ("monthly", 0, "http://localhost:8000/feelings/closeness/"),
    ],
)
def test_each_kind_without_its_own_push_opens_its_own_page(
    prefs, couple, alice, bob, monkeypatch, kind, object_id, url
):
    monkeypatch.setitem(outbox.RENDERERS, kind, lambda n, b: object())
    row = Nudge.objects.create(user=bob, kind=kind, channel="push", slot=NOW, object_id=object_id)
    assert outbox.render_push(row, outbox.Batch([row])).url == url


def test_notifications_of_different_rows_never_replace_each_other(
    prefs, couple, alice, bob, service, monkeypatch
):
    add_device(service, bob, "bob-phone")
    monkeypatch.setitem(outbox.RENDERERS, Nudge.Kind.THINKING, lambda n, b: object())
    monkeypatch.setitem(outbox.RENDERERS, Nudge.Kind.MONTHLY, lambda n, b: object())
    first = Nudge.objects.create(user=bob, kind="thinking", channel="push", slot=NOW, object_id=1)
    second = Nudge.objects.create(user=bob, kind="monthly", channel="push", slot=NOW)
    send_nudges.delay([first.pk, second.pk])
    tags = [p["tag"] for p in service.payloads("bob-phone")]
    assert tags == [f"kindling-{first.pk}", f"kindling-{second.pk}"]


def test_a_batch_reaches_several_people_at_once_and_each_person_in_order(service, monkeypatch):
    """The push requests of a batch overlap (a push service takes a while to answer), at
    most PUSH_AT_ONCE at a time, and one person's notifications still arrive in order."""
    monkeypatch.setitem(outbox.RENDERERS, Nudge.Kind.THINKING, lambda n, b: object())
    service.delay = 0.2
    people = [UserFactory() for _ in range(outbox.PUSH_AT_ONCE + 2)]
    for n, person in enumerate(people):
        add_device(service, person, f"phone-{n}")
    sent = [
        Nudge.objects.create(user=person, kind="thinking", channel="push", slot=NOW, object_id=k)
        for k in (1, 2)
        for person in people
    ]
    send_nudges.delay([row.pk for row in sent])
    assert 1 < service.most_at_once <= outbox.PUSH_AT_ONCE
    for n, person in enumerate(people):
        tags = [payload["tag"] for payload in service.payloads(f"phone-{n}")]
        assert tags == [f"kindling-{row.pk}" for row in sent if row.user == person]
    assert rows() == [("push", "sent")] * len(sent)


def test_notifications_go_on_the_push_queue_that_workers_empty_first(
    prefs, couple, alice, bob, service, django_capture_on_commit_callbacks
):
    add_device(service, bob, "bob-phone")
    published = []

    def record(self, args=None, kwargs=None, **options):
        published.append((options.get("queue"), args[0]))

    with (
        mock.patch.object(Task, "apply_async", record),
        django_capture_on_commit_callbacks(execute=True),
    ):
        practices.write_note(couple, alice, "Thank you for the soup.")
    push_row = Nudge.objects.get(user=bob, channel="push")
    email_row = Nudge.objects.get(user=bob, channel="email")
    assert published == [("push", [push_row.pk]), (None, [email_row.pk])]
    # Workers take from both queues, the push queue first.
    queues = [queue.name for queue in current_app.conf.task_queues]
    assert queues == ["push", "celery"]
    assert current_app.conf.broker_transport_options["queue_order_strategy"] == "priority"
