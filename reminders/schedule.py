"""When a reminder is due: pure functions over local days and times, in the user's zone.

A slot is a local date and time turned into a UTC instant. Times that do not exist (the
hour skipped when clocks go forward) and times that happen twice (the hour repeated when
they go back) both resolve with `fold=0`: the skipped time lands an hour later in local
terms, the repeated one on its first occurrence. Each local day so has exactly one slot,
so a change of clocks neither skips nor doubles a reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from zoneinfo import ZoneInfo

UTC = dt.UTC
MONDAY, SUNDAY = 0, 6


def slot_on(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of `at` local time on `day`."""
    return dt.datetime.combine(day, at.replace(fold=0), tzinfo=zone).astimezone(UTC)


def next_slot(
    after: dt.datetime, days: Collection[int], at: dt.time, zone: ZoneInfo
) -> dt.datetime | None:
    """The first slot strictly after `after` on one of `days` (0 = Monday), or None."""
    if not days:
        return None
    local_day = after.astimezone(zone).date()
    # Start a day early: a time inside a gap at midnight resolves onto the next local day.
    for offset in range(-1, 9):
        day = local_day + dt.timedelta(days=offset)
        if day.weekday() in days:
            instant = slot_on(day, at, zone)
            if instant > after:
                return instant
    return None


def local_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant a local day begins."""
    return slot_on(day, dt.time(0, 0), zone)
