"""How a couple's time splits across the five tips: the home page's 30-day picture and
the weekly digest both read it. One query, whatever the amount of data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from couples.models import Couple

from .models import DateNight
from .tips import TIPS, Tip, TipInfo

# Four counts in one statement, each row (kind, tip, count). The couple home runs this on
# every visit: written with the ORM (four querysets, even glued into one UNION) it took
# ten times longer to compose in Python than PostgreSQL took to answer, and it was the
# largest part of the page's cost in bench/pages.py. Plain SQL that SQLite and PostgreSQL
# both speak; test_balance_counts_each_thing_for_one_tip pins what it means.
BALANCE_SQL = """
SELECT 'notes', %(gratitude)s, COUNT(*)
  FROM practices_gratitudenote
 WHERE couple_id = %(couple)s AND delivered_at >= %(start)s AND delivered_at < %(end)s
UNION ALL
SELECT 'answers', prompt.tip, COUNT(*)
  FROM practices_answer answer
  JOIN practices_dailyquestion question ON question.id = answer.question_id
  JOIN practices_prompt prompt ON prompt.id = question.prompt_id
 WHERE question.couple_id = %(couple)s
   AND answer.created_at >= %(start)s AND answer.created_at < %(end)s
 GROUP BY prompt.tip
UNION ALL
SELECT 'talks', %(talk)s, COUNT(*)
  FROM practices_dailyquestion
 WHERE couple_id = %(couple)s AND discussed_at >= %(start)s AND discussed_at < %(end)s
UNION ALL
SELECT 'dates', COALESCE(idea.tip, %(quality_time)s), COUNT(*)
  FROM practices_datenight date_night
  LEFT JOIN practices_dateidea idea ON idea.id = date_night.idea_id
 WHERE date_night.couple_id = %(couple)s AND date_night.status <> %(cancelled)s
   AND date_night.starts_at >= %(start)s AND date_night.starts_at < %(end)s
 GROUP BY idea.tip
"""


@dataclass
class Balance:
    notes: int = 0
    answers: int = 0
    talks: int = 0
    dates: int = 0
    by_tip: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Tip.values, 0))

    @property
    def total(self) -> int:
        return sum(self.by_tip.values())

    def bars(self) -> list[tuple[TipInfo, int, int]]:
        """(tip, count, percent of the busiest tip), in the tips' fixed order."""
        top = max(self.by_tip.values(), default=0) or 1
        return [(TIPS[key], count, round(100 * count / top)) for key, count in self.by_tip.items()]


def balance(couple: Couple, start: dt.datetime, end: dt.datetime) -> Balance:
    """What the couple did in [start, end): each thing counts for one tip.

    Notes count for gratitude; an answer for its prompt's tip; "we talked about it" for
    talking; a date night (not cancelled) for its idea's tip, else quality time.
    """
    params = {
        "couple": Couple._meta.pk.get_db_prep_value(couple.pk, connection),
        "start": connection.ops.adapt_datetimefield_value(start),
        "end": connection.ops.adapt_datetimefield_value(end),
        "gratitude": Tip.GRATITUDE.value,
        "talk": Tip.TALK.value,
        "quality_time": Tip.QUALITY_TIME.value,
        "cancelled": DateNight.Status.CANCELLED.value,
    }
    result = Balance()
    with connection.cursor() as cursor:
        cursor.execute(BALANCE_SQL, params)
        for kind, tip, n in cursor.fetchall():
            setattr(result, kind, getattr(result, kind) + n)
            result.by_tip[tip] += n
    return result
