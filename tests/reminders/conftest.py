"""Reminders tests: alice (Europe/London) and bob (Pacific/Auckland) are a couple with
the default reminder preferences; charlie is a stranger. `dispatch` runs the dispatcher
at a given instant and sends what it queued, as the worker would (Celery is eager)."""

from __future__ import annotations

import datetime as dt

import pytest

from reminders import services
from reminders.dispatch import dispatch_due

UTC = dt.UTC


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def prefs(couple, alice, bob):
    return services.ensure_preference(alice), services.ensure_preference(bob)


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks, time_machine):
    def run(now: dt.datetime) -> int:
        time_machine.move_to(now, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            return dispatch_due(now)

    return run


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Run a block and send whatever it queued once it 'commits'."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
