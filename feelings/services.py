"""Domain operations for the feelings practice: check-ins and their responses, hopes,
dreams and worries, and the monthly closeness check-in."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from couples.models import Couple, User
from practices import services as practices
from practices.models import DailyQuestion, Prompt
from practices.tips import Tip

from . import closeness
from .models import CheckIn, CheckInResponse, ClosenessAnswer, Hope, HopeResponse, Visibility
from .signals import checkin_asks
from .wheel import CORES, WORDS


class FeelingsError(Exception):
    """A user-facing reason why an action cannot be done."""


# --- Check-ins -------------------------------------------------------------------------


def visible_checkins(couple: Couple, user: User) -> QuerySet[CheckIn]:
    """Everything `user` may see: their own check-ins and the partner's shared ones."""
    return CheckIn.objects.filter(couple=couple).filter(
        Q(author=user) | Q(visibility=Visibility.SHARED)
    )


def default_visibility(user: User) -> str:
    """The choice the person made last time: their remembered default."""
    last = CheckIn.objects.filter(author=user).order_by("-created_at").values("visibility")
    return last[0]["visibility"] if last else Visibility.SHARED


def check_in(
    couple: Couple,
    author: User,
    *,
    feeling: str,
    intensity: int,
    line: str = "",
    would_like: str = "",
    visibility: str = Visibility.SHARED,
) -> CheckIn:
    if not couple.is_active:
        raise FeelingsError(_("This couple has ended."))
    if feeling not in WORDS:
        raise FeelingsError(_("Pick a feeling from the wheel."))
    if not 1 <= intensity <= 5:
        raise FeelingsError(_("Pick an intensity from 1 to 5."))
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            couple=couple,
            author=author,
            core=WORDS[feeling][1].key,
            feeling=feeling,
            intensity=intensity,
            line=line,
            would_like=would_like,
            visibility=visibility,
        )
        if checkin.is_shared and checkin.would_like:
            checkin_asks.send(sender=CheckIn, checkin=checkin)
    return checkin


def respond_to_checkin(checkin: CheckIn, user: User, *, reply: str = "", body: str = "") -> bool:
    """The partner's one response. Returns False when there already was one (a double
    submit, or two tabs at once): the first stands, nothing is changed."""
    if checkin.author_id == user.pk or not checkin.is_shared:
        raise FeelingsError(_("Only your partner's shared check-ins can be answered."))
    if not checkin.couple.is_active:
        raise FeelingsError(_("This couple has ended."))
    if not (reply or body.strip()):
        raise FeelingsError(_("Pick a response or write a few words."))
    try:
        with transaction.atomic():
            CheckInResponse.objects.create(
                couple_id=checkin.couple_id, checkin=checkin, author=user, reply=reply, body=body
            )
    except IntegrityError:  # the one response exists already
        return False
    return True


def todays_latest(couple: Couple, today: dt.date) -> dict[int, CheckIn]:
    """Each partner's latest shared check-in of the couple's day, with its response."""
    start = dt.datetime.combine(today, dt.time.min, tzinfo=couple.tzinfo)
    latest: dict[int, CheckIn] = {}
    rows = (
        CheckIn.objects.filter(
            couple=couple,
            visibility=Visibility.SHARED,
            created_at__gte=start,
            created_at__lt=start + dt.timedelta(days=1),
        )
        .select_related("response")
        .order_by("-created_at")
    )
    for checkin in rows:
        latest.setdefault(checkin.author_id, checkin)
    return latest


def weather_strips(
    couple: Couple, viewer: User, people: list[User], today: dt.date, days: int = 30
) -> list[dict]:
    """For each person, one cell per day of the last `days`: the core of that day's
    latest check-in the viewer may see (their own, or the partner's shared ones). One
    query for everyone."""
    zone = couple.tzinfo
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    latest: dict[tuple[int, dt.date], str] = {}
    rows = (
        visible_checkins(couple, viewer)
        .filter(created_at__gte=start)
        .order_by("created_at")
        .values_list("author_id", "core", "created_at")
    )
    for author_id, core, created_at in rows:
        latest[(author_id, created_at.astimezone(zone).date())] = core
    strips = []
    for person in people:
        cells = []
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            core = CORES.get(latest.get((person.pk, day), ""))
            cells.append({"day": day, "core": core})
        strips.append({"person": person, "cells": cells})
    return strips


# --- Hopes, dreams and worries ---------------------------------------------------------


def visible_hopes(couple: Couple, user: User) -> QuerySet[Hope]:
    return Hope.objects.filter(couple=couple).filter(Q(author=user) | Q(shared_at__isnull=False))


def add_hope(couple: Couple, author: User, *, kind: str, body: str, share: bool) -> Hope:
    if not couple.is_active:
        raise FeelingsError(_("This couple has ended."))
    return Hope.objects.create(
        couple=couple,
        author=author,
        kind=kind,
        body=body,
        shared_at=timezone.now() if share else None,
    )


def share_hope(hope: Hope, user: User) -> None:
    if hope.author_id != user.pk:
        raise FeelingsError(_("Only the one who wrote it can share it."))
    Hope.objects.filter(pk=hope.pk, shared_at__isnull=True).update(shared_at=timezone.now())


def settle_hope(hope: Hope) -> None:
    """Either partner may mark a shared item lived through; it stays, as history."""
    if hope.shared_at is None:
        raise FeelingsError(_("Share it first; then you can mark it together."))
    Hope.objects.filter(pk=hope.pk, settled_at__isnull=True).update(settled_at=timezone.now())


def tell_me_more_text(hope: Hope) -> str:
    quoted = hope.body if len(hope.body) <= 160 else hope.body[:159].rstrip() + "…"
    texts = {
        Hope.Kind.HOPE: _("Tell me more about the hope you shared: “%(words)s”"),
        Hope.Kind.DREAM: _("Tell me more about the dream you shared: “%(words)s”"),
        Hope.Kind.WORRY: _("Tell me more about the worry you shared: “%(words)s”"),
    }
    return texts[hope.kind] % {"words": quoted}


def respond_to_hope(
    hope: Hope,
    user: User,
    *,
    reply: str = "",
    body: str = "",
    target_month: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[HopeResponse | None, bool]:
    """The partner's one response, and whether it made today's conversation ("Tell me
    more" asks it as today's question, unless today's was already answered: then it
    waits in the couple's own questions). (None, False) if a response existed already."""
    if hope.author_id == user.pk or hope.shared_at is None:
        raise FeelingsError(_("Only your partner's shared items can be answered."))
    couple = hope.couple
    if not couple.is_active:
        raise FeelingsError(_("This couple has ended."))
    if not (reply or body.strip()):
        raise FeelingsError(_("Pick a response or write a few words."))
    if reply == HopeResponse.Reply.WITH_YOU and not hope.is_worry:
        raise FeelingsError(_("That response is for a worry."))
    if reply == HopeResponse.Reply.MAKE and hope.is_worry:
        raise FeelingsError(_("That response is for a hope or a dream."))
    on_today = False
    question = (
        practices.todays_question(couple, today) if reply == HopeResponse.Reply.MORE else None
    )
    try:
        with transaction.atomic():
            if question is not None:
                # The question's row lock first, as answering and swapping take it: every
                # write below bumps the couple's version (its row lock), and taking the two
                # the other way round would deadlock with a partner answering right now.
                DailyQuestion.objects.select_for_update().filter(pk=question.pk).first()
            response = HopeResponse.objects.create(
                couple=couple,
                hope=hope,
                author=user,
                reply=reply,
                body=body,
                target_month=target_month if reply == HopeResponse.Reply.MAKE else None,
            )
            if reply == HopeResponse.Reply.MORE:
                prompt = Prompt.objects.create(
                    text=tell_me_more_text(hope)[:300],
                    tip=Tip.FEELINGS,
                    depth=Prompt.Depth.DEEP,
                    couple=couple,
                    author=user,
                )
                response.prompt = prompt
                response.save(update_fields=["prompt"])
                try:
                    with transaction.atomic():
                        practices.pick_question(question, prompt)
                    on_today = True
                except practices.PracticeError:
                    on_today = False
    except IntegrityError:
        return None, False
    return response, on_today


# --- The monthly closeness check-in ----------------------------------------------------


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def answer_closeness(couple: Couple, user: User, month: dt.date, ratings: dict) -> bool:
    """Save this month's answers once. Returns False if they were already in: answers
    stay as given, so nobody changes theirs after seeing the other's."""
    if not couple.is_active:
        raise FeelingsError(_("This couple has ended."))
    if set(ratings) != set(closeness.KEYS) or not all(
        isinstance(v, int) and 1 <= v <= 5 for v in ratings.values()
    ):
        raise FeelingsError(_("Rate every statement from 1 to 5."))
    try:
        with transaction.atomic():
            ClosenessAnswer.objects.create(couple=couple, user=user, month=month, ratings=ratings)
    except IntegrityError:
        return False
    return True


def closeness_view(couple: Couple, user: User, month: dt.date) -> dict:
    """What `user` may see of the month: their answers; the partner's only once both
    answered (then side by side, with one question for the widest difference)."""
    answers = {a.user_id: a for a in ClosenessAnswer.objects.filter(couple=couple, month=month)}
    mine = answers.get(user.pk)
    theirs = next((a for uid, a in answers.items() if uid != user.pk), None)
    revealed = mine is not None and theirs is not None
    rows, suggestion = [], None
    if mine is not None:
        widest = -1
        for statement in closeness.STATEMENTS:
            a = mine.ratings.get(statement.key)
            b = theirs.ratings.get(statement.key) if revealed else None
            rows.append({"statement": statement, "mine": a, "theirs": b})
            if revealed and a is not None and b is not None and abs(a - b) > widest:
                widest, suggestion = abs(a - b), statement
    return {
        "mine": mine,
        "partner_answered": theirs is not None,
        "revealed": revealed,
        "rows": rows,
        "suggestion": suggestion,
    }
