"""What feelings adds to the 30-day balance (practices.stats): a response to a check-in
counts for talking and listening; a shared check-in, a shared hope, dream or worry and
a monthly closeness answer count for sharing your feelings. Private entries count for
nothing: the balance is a shared page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext

from practices import hub

from .models import Visibility

CHECKINS_SQL = """
SELECT 'checkins', %(tip_feelings)s, COUNT(*)
  FROM feelings_checkin
 WHERE couple_id = %(couple)s AND visibility = %(feelings_shared)s
   AND created_at >= %(start)s AND created_at < %(end)s
"""

RESPONSES_SQL = """
SELECT 'checkin_responses', %(tip_talk)s, COUNT(*)
  FROM feelings_checkinresponse
 WHERE couple_id = %(couple)s AND created_at >= %(start)s AND created_at < %(end)s
"""

HOPES_SQL = """
SELECT 'hopes', %(tip_feelings)s, COUNT(*)
  FROM feelings_hope
 WHERE couple_id = %(couple)s AND shared_at >= %(start)s AND shared_at < %(end)s
"""

CLOSENESS_SQL = """
SELECT 'closeness', %(tip_feelings)s, COUNT(*)
  FROM feelings_closenessanswer
 WHERE couple_id = %(couple)s AND created_at >= %(start)s AND created_at < %(end)s
"""


def _checkins(n: int) -> str:
    return ngettext("%(count)s feelings check-in", "%(count)s feelings check-ins", n) % {"count": n}


def _responses(n: int) -> str:
    return ngettext("%(count)s response to a check-in", "%(count)s responses to check-ins", n) % {
        "count": n
    }


def _hopes(n: int) -> str:
    return ngettext("%(count)s hope, dream or worry", "%(count)s hopes, dreams or worries", n) % {
        "count": n
    }


def _closeness(n: int) -> str:
    return ngettext("%(count)s closeness check-in", "%(count)s closeness check-ins", n) % {
        "count": n
    }


def register() -> None:
    hub.count_in_balance(
        hub.Counted(
            "checkins",
            CHECKINS_SQL,
            _checkins,
            gettext_lazy("Feelings check-ins shared"),
            {"feelings_shared": Visibility.SHARED.value},
        )
    )
    hub.count_in_balance(
        hub.Counted(
            "checkin_responses",
            RESPONSES_SQL,
            _responses,
            gettext_lazy("Responses to a check-in"),
        )
    )
    hub.count_in_balance(
        hub.Counted(
            "hopes",
            HOPES_SQL,
            _hopes,
            gettext_lazy("Hopes, dreams and worries shared"),
        )
    )
    hub.count_in_balance(
        hub.Counted(
            "closeness",
            CLOSENESS_SQL,
            _closeness,
            gettext_lazy("Closeness check-ins answered"),
        )
    )
