"""How our week plugs into the couple's shared pages (practices.hub): the home card and
the balance."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from couples.access import CoupleAccess
from practices import hub

from . import services
from .models import Wish

# A finished check-in is one talk and one share of feelings: the 'weeks' row names it in
# the sentence and the digest, the 'weeks_feelings' row only adds to the feelings bar
# (a kind no one registered is counted by tip, never named). A wish ticked done counts
# for the tip its writer chose.
WEEKS_SQL = """
SELECT 'weeks', %(tip_talk)s, COUNT(*)
  FROM ourweek_week
 WHERE couple_id = %(couple)s AND finished_at >= %(start)s AND finished_at < %(end)s
UNION ALL
SELECT 'weeks_feelings', %(tip_feelings)s, COUNT(*)
  FROM ourweek_week
 WHERE couple_id = %(couple)s AND finished_at >= %(start)s AND finished_at < %(end)s
"""
WISHES_SQL = """
SELECT 'wishes', tip, COUNT(*)
  FROM ourweek_wish
 WHERE couple_id = %(couple)s AND done_at >= %(start)s AND done_at < %(end)s
 GROUP BY tip
"""


def _plural(one: str, many: str):
    return lambda n: f"{n} {one if n == 1 else many}"


def home_card(request: HttpRequest, access: CoupleAccess, today: dt.date, now: dt.datetime) -> dict:
    """The next check-in, a change of time, and the partner's wish of the week: two
    small queries."""
    couple = access.couple
    when = services.shown_weekly_time(couple)
    wish = (
        Wish.objects.filter(
            couple=couple,
            author=access.partner,
            created_at__gte=now - services.WISH_SHOWN_FOR,
        )
        .order_by("-created_at")
        .first()
    )
    return {
        "next_meeting": services.next_meeting(when, couple.tzinfo, now),
        "notice": services.change_notice(when, access.me, now),
        "wish": wish,
        "partner": access.partner,
    }


def register() -> None:
    hub.count_in_balance(
        hub.Counted(
            kind="weeks",
            sql=WEEKS_SQL,
            label=_plural("weekly check-in", "weekly check-ins"),
            line="Weekly check-ins",
        )
    )
    hub.count_in_balance(
        hub.Counted(
            kind="wishes",
            sql=WISHES_SQL,
            label=_plural("wish come true", "wishes come true"),
            line="Wishes ticked done",
        )
    )
    hub.add_home_card(
        hub.HomeCard(name="ourweek", template="ourweek/home_card.html", data=home_card, order=50)
    )
