"""How a couple's time splits across the five tips: the home page's 30-day picture and
the weekly digest both read it. A constant number of aggregate queries, whatever the
amount of data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce

from couples.models import Couple

from .models import Answer, DailyQuestion, DateNight, GratitudeNote
from .tips import TIPS, Tip, TipInfo


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
    result = Balance()
    result.notes = GratitudeNote.objects.filter(
        couple=couple, delivered_at__gte=start, delivered_at__lt=end
    ).count()
    result.by_tip[Tip.GRATITUDE] += result.notes

    answers = (
        Answer.objects.filter(question__couple=couple, created_at__gte=start, created_at__lt=end)
        .values_list("question__prompt__tip")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for tip, n in answers:
        result.answers += n
        result.by_tip[tip] += n

    result.talks = DailyQuestion.objects.filter(
        couple=couple, discussed_at__gte=start, discussed_at__lt=end
    ).count()
    result.by_tip[Tip.TALK] += result.talks

    dates = (
        DateNight.objects.filter(couple=couple, starts_at__gte=start, starts_at__lt=end)
        .filter(~Q(status=DateNight.Status.CANCELLED))
        .annotate(date_tip=Coalesce("idea__tip", Value(Tip.QUALITY_TIME.value)))
        .values_list("date_tip")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for tip, n in dates:
        result.dates += n
        result.by_tip[tip] += n
    return result
