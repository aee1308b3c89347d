"""The IANA time zones Kindling offers, and the validator every zone field uses."""

from __future__ import annotations

import zoneinfo
from functools import cache

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
