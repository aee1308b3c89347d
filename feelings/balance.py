"""What feelings adds to the 30-day balance (practices.stats): a response to a check-in
counts for talking and listening; a shared check-in, a shared hope, dream or worry and
a monthly closeness answer count for sharing your feelings. Private entries count for
nothing: the balance is a shared page."""

from __future__ import annotations

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


def _plural(one: str, many: str):
    return lambda n: f"{n} {one if n == 1 else many}"


def register() -> None:
    hub.count_in_balance(
        hub.Counted(
            "checkins",
            CHECKINS_SQL,
            _plural("feelings check-in", "feelings check-ins"),
            "Feelings check-ins shared",
            {"feelings_shared": Visibility.SHARED.value},
        )
    )
    hub.count_in_balance(
        hub.Counted(
            "checkin_responses",
            RESPONSES_SQL,
            _plural("response to a check-in", "responses to check-ins"),
            "Responses to a check-in",
        )
    )
    hub.count_in_balance(
        hub.Counted(
            "hopes",
            HOPES_SQL,
            _plural("hope, dream or worry", "hopes, dreams or worries"),
            "Hopes, dreams and worries shared",
        )
    )
    hub.count_in_balance(
        hub.Counted(
            "closeness",
            CLOSENESS_SQL,
            _plural("closeness check-in", "closeness check-ins"),
            "Closeness check-ins answered",
        )
    )
