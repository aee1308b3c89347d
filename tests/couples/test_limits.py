"""The limiter keeps each count for its whole window, whichever cache holds it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from couples.limits import Limit

pytestmark = pytest.mark.django_db

HOURLY = Limit("test-hourly", count=2, seconds=60 * 60)


@pytest.fixture
def database_cache(settings):
    """The embedded default (conftest swaps it for local memory): its incr() is a get and
    a set, which on its own would give the key the default five-minute timeout."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kindling_cache",
        }
    }
    call_command("createcachetable")  # on PostgreSQL runs, the cache is Redis otherwise


def test_an_hourly_count_outlasts_the_caches_default_timeout(database_cache, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    assert HOURLY.take("alice") and HOURLY.take("alice")
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 20, tzinfo=dt.UTC), tick=False)
    assert not HOURLY.take("alice")
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False)
    assert HOURLY.take("alice")  # a new hour, a new count
