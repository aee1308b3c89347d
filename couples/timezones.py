"""The IANA time zones Kindling offers, the guess it starts from, and the validator every
zone field uses."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import defaultdict
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

UTC = "UTC"

# Where people live. Etc/ (Etc/GMT+5 is five hours *behind* GMT), the old country aliases
# (US/Eastern, Mexico/BajaNorte) and names such as EST5EDT are left out of the list.
# Each region heads its part of the list; the city names stay as zoneinfo spells them.
REGIONS = {
    "Africa": gettext_lazy("Africa"),
    "America": gettext_lazy("America"),
    "Antarctica": gettext_lazy("Antarctica"),
    "Asia": gettext_lazy("Asia"),
    "Atlantic": gettext_lazy("Atlantic"),
    "Australia": gettext_lazy("Australia"),
    "Europe": gettext_lazy("Europe"),
    "Indian": pgettext_lazy("time zone region: the Indian Ocean", "Indian"),
    "Pacific": gettext_lazy("Pacific"),
}


@cache
def known_timezones() -> frozenset[str]:
    """Every name zoneinfo can load, aliases included: a page or browser that still says
    Europe/Kiev or Asia/Calcutta posts a valid zone."""
    return frozenset(zoneinfo.available_timezones()) | {UTC}


@cache
def canonical_names() -> dict[str, str]:
    """Each name the tzdata package ships, mapped to the zone it stands for (Europe/Kiev ->
    Europe/Kyiv; a zone maps to itself).

    A link's file is a byte-for-byte copy of its zone's, and tzdata's `zones` list names
    every zone before the links to it (it follows tzdata.zi), so the first name seen with
    given bytes is the zone. tests/couples/test_timezones.py holds both facts.
    """
    package = resources.files("tzdata")
    first_with: dict[bytes, str] = {}
    canonical = {}
    for name in (package / "zones").read_text().split():
        canonical[name] = first_with.setdefault((package / "zoneinfo" / name).read_bytes(), name)
    # Offer the short, familiar "UTC" for the Etc/UTC zone.
    utc_zone = canonical[UTC]
    return {name: UTC if zone == utc_zone else zone for name, zone in canonical.items()}


def canonical_name(name: str) -> str:
    """The offered zone a name is an alias of, or the name itself."""
    return canonical_names().get(name, name)


@cache
def offered_timezones() -> frozenset[str]:
    return frozenset(
        zone for zone in canonical_names().values() if zone.split("/")[0] in REGIONS
    ) | {UTC}


@cache
def aliases() -> dict[str, list[str]]:
    """The other names of each offered zone, for the browser to find its own among them."""
    others = defaultdict(list)
    for name, zone in canonical_names().items():
        if name != zone and zone in offered_timezones():
            others[zone].append(name)
    return {zone: sorted(names) for zone, names in others.items()}


def city_label(zone: str) -> str:
    """America/Argentina/Buenos_Aires -> "Buenos Aires, Argentina" (under "America")."""
    places = zone.split("/")[1:] or [zone]
    return ", ".join(reversed(places)).replace("_", " ")


@cache
def timezone_choices() -> list[tuple[str, str] | tuple[str, list[tuple[str, str]]]]:
    """UTC, then one group per region, cities in alphabetical order."""
    groups = defaultdict(list)
    for zone in offered_timezones() - {UTC}:
        groups[zone.split("/")[0]].append((zone, city_label(zone)))
    return [(UTC, UTC)] + [
        (REGIONS[region], sorted(groups[region], key=lambda choice: choice[1]))
        for region in REGIONS
        if groups[region]
    ]


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(
            _(
                "“%(value)s” is not a time zone we know. Pick one from the list, "
                "such as Europe/London or America/New_York."
            ),
            code="unknown_timezone",
            params={"value": value},
        )


# A guess for the sign-up form from the browser's languages, before (or without) its
# JavaScript saying where it is: the country's most populous zone. The person checks it.
COUNTRY_ZONES = {
    "AE": "Asia/Dubai",
    "AR": "America/Argentina/Buenos_Aires",
    "AT": "Europe/Vienna",
    "AU": "Australia/Sydney",
    "BD": "Asia/Dhaka",
    "BE": "Europe/Brussels",
    "BG": "Europe/Sofia",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CH": "Europe/Zurich",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "CO": "America/Bogota",
    "CZ": "Europe/Prague",
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "EG": "Africa/Cairo",
    "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "GR": "Europe/Athens",
    "HK": "Asia/Hong_Kong",
    "HR": "Europe/Zagreb",
    "HU": "Europe/Budapest",
    "ID": "Asia/Jakarta",
    "IE": "Europe/Dublin",
    "IL": "Asia/Jerusalem",
    "IN": "Asia/Kolkata",
    "IT": "Europe/Rome",
    "JP": "Asia/Tokyo",
    "KE": "Africa/Nairobi",
    "KR": "Asia/Seoul",
    "MA": "Africa/Casablanca",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NG": "Africa/Lagos",
    "NL": "Europe/Amsterdam",
    "NO": "Europe/Oslo",
    "NZ": "Pacific/Auckland",
    "PE": "America/Lima",
    "PH": "Asia/Manila",
    "PK": "Asia/Karachi",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest",
    "RS": "Europe/Belgrade",
    "RU": "Europe/Moscow",
    "SA": "Asia/Riyadh",
    "SE": "Europe/Stockholm",
    "SG": "Asia/Singapore",
    "SK": "Europe/Bratislava",
    "TH": "Asia/Bangkok",
    "TR": "Europe/Istanbul",
    "TW": "Asia/Taipei",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
    "VN": "Asia/Ho_Chi_Minh",
    "ZA": "Africa/Johannesburg",
}
# A language spoken almost only in one of those countries stands for it ("de" alone).
LANGUAGE_COUNTRIES = {
    "bg": "BG",
    "cs": "CZ",
    "da": "DK",
    "de": "DE",
    "el": "GR",
    "fi": "FI",
    "fr": "FR",
    "he": "IL",
    "hu": "HU",
    "it": "IT",
    "ja": "JP",
    "ko": "KR",
    "nb": "NO",
    "nl": "NL",
    "nn": "NO",
    "pl": "PL",
    "ro": "RO",
    "sk": "SK",
    "sv": "SE",
    "th": "TH",
    "tr": "TR",
    "uk": "UA",
    "vi": "VN",
}
LANGUAGE_RANGE = re.compile(
    r"^([a-zA-Z]{1,8}(?:[-_][a-zA-Z0-9]{1,8})*)(?:\s*;\s*q=(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?))?$"
)


def guess_timezone(accept_language: str) -> str:
    """The zone of the first of the browser's languages that names a country we know
    ("de-DE,en;q=0.8" -> Europe/Berlin), else UTC."""
    ranked = []
    for position, part in enumerate(accept_language[:500].split(",")):
        match = LANGUAGE_RANGE.match(part.strip())
        quality = float(match[2] or 1) if match else 0
        if quality > 0:
            ranked.append((-quality, position, match[1]))
    for _quality, _position, tag in sorted(ranked):
        language, *subtags = re.split(r"[-_]", tag)
        # The region is the first two-letter subtag (zh-Hant-TW: TW).
        region = next((s.upper() for s in subtags if len(s) == 2 and s.isalpha()), None)
        country = region if region in COUNTRY_ZONES else LANGUAGE_COUNTRIES.get(language.lower())
        if country:
            return canonical_name(COUNTRY_ZONES[country])
    return UTC


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
            _(
                "%(time)s does not exist on %(day)s in %(zone)s: the clocks skip that hour. "
                "Pick a time an hour later."
            ),
            code="nonexistent_time",
            params={"time": time.strftime("%H:%M"), "day": day.isoformat(), "zone": zone},
        )
    return local.astimezone(dt.UTC)
