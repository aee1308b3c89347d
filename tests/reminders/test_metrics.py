"""/metrics: the outbox backlog and the periodic jobs' last runs, for operators only."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from reminders import health, tasks
from reminders.models import Nudge
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def nudge(user, status, created_at, slot_minutes=0):
    return Nudge.objects.create(
        user=user,
        kind=Nudge.Kind.NUDGE,
        slot=NOW + dt.timedelta(minutes=slot_minutes),
        status=status,
        created_at=created_at,
    )


def value(text: str, name: str) -> str | None:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return line.split(" ", 1)[1]
    return None


@time_machine.travel(NOW, tick=False)
def test_staff_see_the_outbox_and_the_last_runs(alice):
    nudge(alice, Nudge.Status.PENDING, NOW - dt.timedelta(minutes=5), 0)
    nudge(alice, Nudge.Status.PENDING, NOW - dt.timedelta(minutes=1), 1)
    nudge(alice, Nudge.Status.SENDING, NOW - dt.timedelta(hours=1), 2)
    nudge(alice, Nudge.Status.SENT, NOW - dt.timedelta(days=1), 3)
    health.mark_run("dispatcher", NOW - dt.timedelta(seconds=20))
    staff = UserFactory(is_staff=True)
    response = client_for(staff).get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.text
    assert value(text, "kindling_outbox_pending") == "2"
    assert value(text, "kindling_outbox_sending") == "1"
    assert value(text, "kindling_outbox_oldest_pending_age_seconds") == "300.0"
    assert value(text, "kindling_dispatcher_last_run_age_seconds") == "20.0"
    assert value(text, "kindling_dispatcher_last_run_timestamp_seconds") == (
        f"{(NOW - dt.timedelta(seconds=20)).timestamp():.3f}"
    )
    assert value(text, "kindling_sweeper_last_run_timestamp_seconds") is None  # never ran
    assert "# TYPE kindling_sweeper_last_run_timestamp_seconds gauge" in text


def test_the_periodic_tasks_record_their_runs():
    with time_machine.travel(NOW, tick=False):
        tasks.dispatch_due()
        tasks.sweep_stuck_nudges()
    assert health.last_runs() == {"dispatcher": NOW.timestamp(), "sweeper": NOW.timestamp()}


def test_an_empty_outbox_reads_zero(client, settings):
    settings.KINDLING_METRICS_TOKEN = "s3cret-token"
    text = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).text
    assert value(text, "kindling_outbox_pending") == "0"
    assert value(text, "kindling_outbox_oldest_pending_age_seconds") == "0.0"


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Bearer ", "s3cret"])
def test_without_the_token_anonymous_visitors_and_members_get_404(client, alice, settings, header):
    settings.KINDLING_METRICS_TOKEN = "s3cret-token"
    headers = {"Authorization": header} if header else {}
    assert client.get("/metrics", headers=headers).status_code == 404
    assert client_for(alice).get("/metrics", headers=headers).status_code == 404


def test_no_token_configured_means_staff_only(client, settings):
    settings.KINDLING_METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    assert client.post("/metrics").status_code in (404, 405)


def test_the_oldest_pending_age_counts_from_when_the_email_was_queued(alice):
    created = timezone.now() - dt.timedelta(minutes=3)
    nudge(alice, Nudge.Status.PENDING, created)
    age = health.outbox()["oldest_pending_age"]
    assert 180 <= age < 190
