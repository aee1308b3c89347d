"""iCalendar output: one date night as an .ics download, or a couple's planned dates as a
subscribable feed. Times are written in the zone the date was planned in, with its
VTIMEZONE, so every calendar app shows them right wherever the reader is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from couples.links import site_url

from .models import DateNight

DEFAULT_LENGTH = dt.timedelta(hours=2)


def _event(date_night: DateNight, stamp: dt.datetime) -> Event:
    host = urlsplit(settings.SITE_URL).hostname or "kindling"
    starts = date_night.starts_at.astimezone(ZoneInfo(date_night.timezone))
    event = Event()
    event.add("uid", f"date-{date_night.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", starts)
    event.add("dtend", starts + DEFAULT_LENGTH)
    event.add("summary", date_night.title)
    if date_night.place:
        event.add("location", date_night.place)
    if date_night.notes:
        event.add("description", date_night.notes)
    event.add("url", site_url("practices:date", date_night.pk))
    cancelled = date_night.status == DateNight.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def ics_for_dates(dates: Iterable[DateNight], *, name: str = "") -> bytes:
    """The calendar is named in the active language (the feed's is whatever the
    calendar app asks for, usually English)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kindling//Date nights//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name or _("Kindling date nights"))
    stamp = timezone.now()
    for date_night in dates:
        calendar.add_component(_event(date_night, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
