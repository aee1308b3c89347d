"""`make demo`'s feelings: three weeks of check-ins and responses, a few hopes, dreams and
worries, and last month's closeness check-in, answered by both and so revealed. Rows are
written directly, as the rest of the demo is: no alert emails for the past."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from couples.models import Couple, User

from . import closeness
from .models import CheckIn, CheckInResponse, ClosenessAnswer, Hope, HopeResponse, Visibility
from .wheel import WORDS

LINES = [
    "Long meeting, but it went better than I feared.",
    "Slow morning with coffee and the crossword.",
    "Missed the bus and got soaked.",
    "Finished the bookshelf at last.",
    "Quiet day, a bit in my head.",
    "Lunch with my sister made my week.",
    "",
    "",
]
FEELINGS = ["hopeful", "content", "tired", "stressed", "proud", "relaxed", "connected", "lonely"]


def seed(couple: Couple, sam: User, river: User, rng: random.Random) -> None:
    now = timezone.now()
    pairs = ((sam, river), (river, sam))
    for days_ago in range(21, 0, -1):
        for author, partner in pairs:
            if rng.random() > 0.7:
                continue
            feeling = rng.choice(FEELINGS)
            shared = rng.random() < 0.85
            checkin = CheckIn.objects.create(
                couple=couple,
                author=author,
                core=WORDS[feeling][1].key,
                feeling=feeling,
                intensity=rng.randint(2, 5),
                line=rng.choice(LINES),
                would_like=rng.choice(["", "", "listened", "hug", "celebrate"]),
                visibility=Visibility.SHARED if shared else Visibility.PRIVATE,
                created_at=now - dt.timedelta(days=days_ago, hours=rng.randint(1, 8)),
            )
            if shared and rng.random() < 0.7:
                CheckInResponse.objects.create(
                    couple=couple,
                    checkin=checkin,
                    author=partner,
                    reply=rng.choice(CheckInResponse.Reply.values),
                    created_at=checkin.created_at + dt.timedelta(hours=1),
                )
    # Today: River's good news, waiting on Sam's home page for a response.
    CheckIn.objects.create(
        couple=couple,
        author=river,
        core="calm",
        feeling="hopeful",
        intensity=3,
        line="The interview went well.",
        would_like=CheckIn.WouldLike.CELEBRATE,
        created_at=now - dt.timedelta(minutes=30),
    )
    _hopes(couple, sam, river, now)
    _closeness(couple, sam, river, rng)


def _hopes(couple: Couple, sam: User, river: User, now: dt.datetime) -> None:
    def ago(days: int) -> dt.datetime:
        return now - dt.timedelta(days=days)

    dream = Hope.objects.create(
        couple=couple,
        author=river,
        kind=Hope.Kind.DREAM,
        body="A month somewhere by the sea, with nothing to do but swim and read.",
        shared_at=ago(18),
        created_at=ago(18),
    )
    HopeResponse.objects.create(
        couple=couple,
        hope=dream,
        author=sam,
        reply=HopeResponse.Reply.MAKE,
        target_month=(now + dt.timedelta(days=200)).date().replace(day=1),
        created_at=ago(17),
    )
    worry = Hope.objects.create(
        couple=couple,
        author=sam,
        kind=Hope.Kind.WORRY,
        body="Whether the new job will leave me any energy for us.",
        shared_at=ago(14),
        settled_at=ago(3),
        created_at=ago(14),
    )
    HopeResponse.objects.create(
        couple=couple,
        hope=worry,
        author=river,
        reply=HopeResponse.Reply.WITH_YOU,
        body="We'll find our rhythm. Sunday mornings are ours.",
        created_at=ago(13),
    )
    Hope.objects.create(
        couple=couple,
        author=sam,
        kind=Hope.Kind.HOPE,
        body="Learning to cook one dish from your grandmother's recipes.",
        shared_at=ago(5),
        created_at=ago(5),
    )
    Hope.objects.create(
        couple=couple,
        author=river,
        kind=Hope.Kind.WORRY,
        body="Not sure how to bring up the holidays with my family yet.",
        created_at=ago(2),
    )


def _closeness(couple: Couple, sam: User, river: User, rng: random.Random) -> None:
    last_month = (couple.local_today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for user in (sam, river):
        ClosenessAnswer.objects.create(
            couple=couple,
            user=user,
            month=last_month,
            ratings={key: rng.randint(3, 5) for key in closeness.KEYS},
        )
