"""What practices itself adds to the couple home and the balance through the hub, the
same way the apps built on it do: the month's phones-away time and the thank-yous a
person's notes received (cards), and thank-yous counted for gratitude (balance)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from couples.access import CoupleAccess
from couples.timezones import local_to_utc

from . import hub
from .models import PHONES_AWAY_CLOSES, PHONES_AWAY_OPENS, DateNight, GratitudeNote

# How long a thank-you stays on its author's home page.
THANKS_SHOWN_FOR = dt.timedelta(days=14)


def phones_away_card(
    request: HttpRequest, access: CoupleAccess, today: dt.date, now: dt.datetime
) -> dict | None:
    """This month's phones-away time, and the date to put phones away for right now (or
    the timer already running). One query: the dates of this month and of the last
    twelve hours, a handful of rows whatever the couple's history."""
    couple = access.couple
    month_start = local_to_utc(today.replace(day=1), dt.time(0), couple.timezone)
    dates = list(
        DateNight.objects.filter(
            couple=couple,
            starts_at__gte=min(month_start, now - PHONES_AWAY_CLOSES),
            starts_at__lte=now + PHONES_AWAY_OPENS,
        )
        .exclude(status=DateNight.Status.CANCELLED)
        .only("title", "starts_at", "status", "phones_away_since", "phones_away_minutes")
        .order_by("starts_at")
    )
    minutes = sum(d.phones_away_minutes or 0 for d in dates if d.starts_at >= month_start)
    running = next((d for d in dates if d.phones_away_since), None)
    startable = None
    if running is None and access.writable:
        startable = next((d for d in reversed(dates) if d.phones_away_can_start(now)), None)
    if not (minutes or running or startable):
        return None  # nothing to show: no "0 hours" on anyone's home page
    return {"minutes": minutes, "running": running, "startable": startable}


def thanks_card(
    request: HttpRequest, access: CoupleAccess, today: dt.date, now: dt.datetime
) -> list[GratitudeNote] | None:
    """The latest thank-yous written back to this person's notes, for two weeks."""
    notes = list(
        GratitudeNote.objects.filter(
            couple=access.couple, author=request.user, thanked_at__gte=now - THANKS_SHOWN_FOR
        )
        .only("thanks", "thanked_at")
        .order_by("-thanked_at")[:3]
    )
    return notes or None


THANKS = hub.Counted(
    kind="thanks",
    sql="""SELECT 'thanks', %(tip_gratitude)s, COUNT(*) FROM practices_gratitudenote
            WHERE couple_id = %(couple)s AND thanked_at >= %(start)s AND thanked_at < %(end)s""",
    label=lambda n: ngettext("%(count)d thank-you", "%(count)d thank-yous", n) % {"count": n},
    line=gettext_lazy("Thank-yous for notes"),
)


def register() -> None:
    hub.add_home_card(
        hub.HomeCard("phones_away", "practices/cards/phones_away.html", phones_away_card, 20)
    )
    hub.add_home_card(hub.HomeCard("thanks", "practices/cards/thanks.html", thanks_card, 10))
    hub.count_in_balance(THANKS)
