"""The IANA time zones Kindling offers, and the validator every zone field uses."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError


@cache
def known_timezones() -> frozenset[str]:
    # Region/City names plus UTC; the legacy aliases ("EST5EDT", "Factory") only confuse.
    return frozenset(
        name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"
    )


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_timezones())]


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, "
            "such as Europe/London or America/New_York.",
            code="unknown_timezone",
            params={"value": value},
        )


def local_to_utc(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    """The aware instant for a wall-clock date and time in `zone`.

    A time the clocks skip (spring forward) is refused with a message; a time that
    happens twice (fall back) means its first occurrence.
    """
    tz = ZoneInfo(zone)
    local = dt.datetime.combine(day, time).replace(tzinfo=tz, fold=0)
    round_trip = local.astimezone(dt.UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationError(
            "%(time)s does not exist on %(day)s in %(zone)s: the clocks skip that hour. "
            "Pick a time an hour later.",
            code="nonexistent_time",
            params={"time": time.strftime("%H:%M"), "day": day.isoformat(), "zone": zone},
        )
    return local.astimezone(dt.UTC)
