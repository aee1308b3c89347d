"""The rituals part of `make demo`: rituals Sam and River chose, a few weeks of moments,
and a learn-together list with one finished item kept as a memory."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from couples.models import Couple, User

from .models import Choice, LearnItem, LearnReflection, Moment, Ritual


def seed(couple: Couple, sam: User, river: User, rng: random.Random) -> None:
    now = timezone.now()
    today = couple.local_today()
    shipped = {r.shipped_key: r for r in Ritual.objects.filter(couple__isnull=True)}
    ours = [shipped[key] for key in ("hug-before-sleep", "hands-on-a-walk", "kitchen-slow-dance")]
    for ritual, (by, days_ago) in zip(ours, [(sam, 24), (river, 20), (sam, 12)], strict=True):
        Choice.objects.create(
            couple=couple,
            ritual=ritual,
            proposed_by=by,
            proposed_at=now - dt.timedelta(days=days_ago),
            status=Choice.Status.OURS,
            accepted_at=now - dt.timedelta(days=days_ago - 1),
        )
    Choice.objects.create(couple=couple, ritual=shipped["phone-free-breakfast"], proposed_by=river)
    moments = []
    for days_ago in range(1, 22):
        day = today - dt.timedelta(days=days_ago)
        for ritual in ours:
            if rng.random() < 0.4:
                moments.append(
                    Moment(
                        couple=couple,
                        ritual=ritual,
                        day=day,
                        tip=ritual.tip,
                        marked_by=rng.choice([sam, river]),
                        created_at=now - dt.timedelta(days=days_ago, hours=rng.randint(0, 8)),
                    )
                )
    Moment.objects.bulk_create(moments)

    done = LearnItem.objects.create(
        couple=couple,
        added_by=river,
        title="Bake a proper sourdough loaf",
        status=LearnItem.Status.DONE,
        done_at=now - dt.timedelta(days=5),
    )
    LearnReflection.objects.create(
        couple=couple,
        item=done,
        user=sam,
        body="The first loaf was a brick, the third one was perfect. Flour everywhere, lots of laughing.",
    )
    LearnItem.objects.create(
        couple=couple, added_by=sam, title="Salsa, the basic steps", status=LearnItem.Status.STARTED
    )
    LearnItem.objects.create(
        couple=couple,
        added_by=river,
        title="Walk the coast path from end to end",
        target_month=(today.replace(day=1) + dt.timedelta(days=95)).replace(day=1),
    )
