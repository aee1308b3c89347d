"""How a couple's time splits across the five tips: the home page's 30-day picture and
the weekly digest both read it. One query, whatever the amount of data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from couples.models import Couple

from . import hub
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


# The kinds this app counts itself, in the order the sentence and the digest name them:
# (how n of them read in a sentence, the digest line). Practices built on this app add
# theirs through hub.count_in_balance.
OWN_KINDS = {
    "notes": (
        lambda n: ngettext("%(count)d note", "%(count)d notes", n) % {"count": n},
        gettext_lazy("Notes shared"),
    ),
    "answers": (
        lambda n: ngettext("%(count)d answer", "%(count)d answers", n) % {"count": n},
        gettext_lazy("Answers to the daily question"),
    ),
    "talks": (
        lambda n: ngettext("%(count)d talk", "%(count)d talks", n) % {"count": n},
        gettext_lazy("Questions you talked about"),
    ),
    "dates": (
        lambda n: ngettext("%(count)d date", "%(count)d dates", n) % {"count": n},
        gettext_lazy("Date nights"),
    ),
}


@dataclass
class Balance:
    counts: dict[str, int] = field(default_factory=dict)
    by_tip: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Tip.values, 0))

    def __getattr__(self, kind: str) -> int:
        # balance.notes, balance.checkins, ...: a kind nothing was counted for is 0.
        if kind.startswith("_") or kind in ("counts", "by_tip"):
            raise AttributeError(kind)
        return self.counts.get(kind, 0)

    @property
    def total(self) -> int:
        return sum(self.by_tip.values())

    def kinds(self) -> list[tuple[str, Callable[[int], str], str]]:
        """(kind, label, digest line) for every kind the balance knows, in order."""
        own = [(kind, label, line) for kind, (label, line) in OWN_KINDS.items()]
        return own + [(c.kind, c.label, c.line) for c in hub.BALANCE.values()]

    def sentence(self) -> str:
        """ "3 notes, 2 answers, 0 talks and 1 date": the built-in kinds always, the others
        when there is something to count."""
        parts = [
            label(self.counts.get(kind, 0))
            for kind, label, _line in self.kinds()
            if kind in OWN_KINDS or self.counts.get(kind)
        ]
        return _("%(items)s and %(last)s") % {"items": ", ".join(parts[:-1]), "last": parts[-1]}

    def lines(self) -> list[tuple[str, int]]:
        """(digest line, count) for every kind with something to count."""
        return [
            (line, self.counts[kind])
            for kind, _label, line in self.kinds()
            if self.counts.get(kind)
        ]

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
        **{f"tip_{tip.value}": tip.value for tip in Tip},
    }
    sql = BALANCE_SQL
    for counted in hub.BALANCE.values():
        sql += "UNION ALL\n" + counted.sql.strip() + "\n"
        params.update(counted.params)
    result = Balance()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, tip, n in cursor.fetchall():
            result.counts[kind] = result.counts.get(kind, 0) + n
            if tip is not None:
                result.by_tip[tip] += n
    return result
