"""`make demo`: three past weekly check-ins, and an open wish on Sam's home page."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from couples.models import Couple, User
from practices.tips import Tip

from .models import Line, Week, WeeklyTime, Wish
from .services import monday_of

APPRECIATIONS = [
    ("You picked me up from the station in the rain.", "You listened when work got loud."),
    ("Thank you for the Sunday pancakes.", "You remembered my sister's birthday."),
    ("You made our flat feel calm after a long day.", "You laughed with me at the burnt soup."),
]
WENT_WELL = [
    "We walked to the river without our phones.",
    "We planned the weekend together, without rushing.",
    "We took the evening slowly and talked.",
]
TAKEAWAYS = [
    "Tell each other earlier when the week gets heavy.",
    "Keep Thursday evenings free for just us.",
    "Ask for a hug instead of waiting for one.",
]
PAST_WISHES = [
    ("A slow breakfast together on Saturday.", Tip.QUALITY_TIME),
    ("A hand on my back when I'm cooking.", Tip.PHYSICAL),
    ("Ask me about my project one evening.", Tip.TALK),
]


def seed(couple: Couple, sam: User, river: User, rng: random.Random) -> None:
    now = timezone.now()
    WeeklyTime.objects.update_or_create(
        couple=couple,
        defaults={"changed_by": river, "changed_at": now - dt.timedelta(days=2)},
    )
    this_monday = monday_of(couple.local_today())
    for weeks_ago in (3, 2, 1):
        index = 3 - weeks_ago
        starts_on = this_monday - dt.timedelta(weeks=weeks_ago)
        finished = timezone.make_aware(
            dt.datetime.combine(starts_on + dt.timedelta(days=6), dt.time(19, 40)),
            couple.tzinfo,
        )
        week = Week.objects.create(
            couple=couple,
            starts_on=starts_on,
            step=Week.Step.DONE,
            started_at=finished - dt.timedelta(minutes=rng.randint(20, 35)),
            finished_at=finished,
            finished_by=rng.choice([sam, river]),
            took_part=[sam.pk, river.pk],
        )
        sam_line, river_line = APPRECIATIONS[index]
        for author, kind, body in [
            (sam, Line.Kind.APPRECIATION, sam_line),
            (river, Line.Kind.APPRECIATION, river_line),
            (rng.choice([sam, river]), Line.Kind.WENT_WELL, WENT_WELL[index]),
            (rng.choice([sam, river]), Line.Kind.TAKEAWAY, TAKEAWAYS[index]),
        ]:
            Line.objects.create(
                week=week, couple=couple, author=author, kind=kind, body=body, created_at=finished
            )
        body, tip = PAST_WISHES[index]
        Wish.objects.create(
            week=week,
            couple=couple,
            author=river if index % 2 else sam,
            body=body,
            tip=tip,
            created_at=finished,
            done_at=finished + dt.timedelta(days=rng.randint(1, 5)),
        )
    # The open wish: River's, from the last check-in, on Sam's home page all week.
    last = Week.objects.get(couple=couple, starts_on=this_monday - dt.timedelta(weeks=1))
    Wish.objects.filter(week=last).delete()
    Wish.objects.create(
        week=last,
        couple=couple,
        author=river,
        body="Leave me a note in my coat pocket one morning.",
        tip=Tip.GRATITUDE,
        created_at=max(last.finished_at, now - dt.timedelta(days=2)),
    )
