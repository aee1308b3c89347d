"""How our week plugs into the couple's shared pages (practices.hub): the home card and
the balance."""

from __future__ import annotations

import datetime as dt

from django.db.models import Subquery
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from couples.access import CoupleAccess
from couples.models import Couple
from practices import hub

from . import services
from .models import WeeklyTime, Wish

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


def _weeks(n: int) -> str:
    return ngettext("%(count)s weekly check-in", "%(count)s weekly check-ins", n) % {"count": n}


def _wishes(n: int) -> str:
    return ngettext("%(count)s wish come true", "%(count)s wishes come true", n) % {"count": n}


def home_card(request: HttpRequest, access: CoupleAccess, today: dt.date, now: dt.datetime) -> dict:
    """The next check-in, a change of time, and the partner's wish of the week, in one
    query (the couple home keeps to a fixed number of them, whatever the data)."""
    couple = access.couple
    wishes = Wish.objects.filter(
        couple=couple, author=access.partner, created_at__gte=now - services.WISH_SHOWN_FOR
    ).order_by("-created_at", "-pk")
    row = (
        Couple.objects.filter(pk=couple.pk)
        .values(
            "weekly_time__weekday",
            "weekly_time__at",
            "weekly_time__changed_by_id",
            "weekly_time__changed_at",
        )
        .annotate(
            wish_pk=Subquery(wishes.values("pk")[:1]),
            wish_body=Subquery(wishes.values("body")[:1]),
            wish_done_at=Subquery(wishes.values("done_at")[:1]),
        )
        .get()
    )
    when = WeeklyTime(couple=couple)
    if row["weekly_time__weekday"] is not None:
        members = {member.pk: member for member in couple.members}
        when.weekday, when.at = row["weekly_time__weekday"], row["weekly_time__at"]
        when.changed_at = row["weekly_time__changed_at"]
        when.changed_by = members.get(row["weekly_time__changed_by_id"])
    wish = None
    if row["wish_pk"] is not None:
        wish = Wish(pk=row["wish_pk"], body=row["wish_body"], done_at=row["wish_done_at"])
    return {
        "next_meeting": services.next_meeting(when, couple.tzinfo, now),
        "notice": services.change_notice(when, access.me, now),
        "wish": wish,
    }


def register() -> None:
    hub.count_in_balance(
        hub.Counted(
            kind="weeks",
            sql=WEEKS_SQL,
            label=_weeks,
            line=gettext_lazy("Weekly check-ins"),
        )
    )
    hub.count_in_balance(
        hub.Counted(
            kind="wishes",
            sql=WISHES_SQL,
            label=_wishes,
            line=gettext_lazy("Wishes ticked done"),
        )
    )
    hub.add_home_card(
        hub.HomeCard(name="ourweek", template="ourweek/home_card.html", data=home_card, order=50)
    )
