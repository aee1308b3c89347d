"""What a couple does with rituals, the warm-touch plan, "thinking of you" and the
learn-together list. Views, the demo and tests all go through these functions."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from couples.models import Couple, User

from .models import (
    THINKING_PER_DAY,
    Choice,
    LearnItem,
    LearnReflection,
    Moment,
    Ritual,
    ThinkingOfYou,
    WarmMoment,
    WarmTouchPlan,
)
from .signals import thinking_sent


class RitualError(Exception):
    """A user-facing reason why an action cannot be done."""


# --- Rituals of connection ------------------------------------------------------------


def rituals_for(couple: Couple) -> QuerySet[Ritual]:
    """The shipped list plus the couple's own rituals."""
    return Ritual.objects.filter(Q(couple__isnull=True) | Q(couple=couple))


def propose(couple: Couple, user: User, ritual: Ritual) -> Choice:
    """Either partner proposes a ritual; it is theirs only once the other accepts.
    A retired ritual can be proposed again."""
    if ritual.couple_id not in (None, couple.pk):
        raise RitualError(_("That ritual is not one you can choose."))
    with transaction.atomic():
        choice = Choice.objects.select_for_update().filter(couple=couple, ritual=ritual).first()
        if choice is None:
            try:
                with transaction.atomic():
                    return Choice.objects.create(couple=couple, ritual=ritual, proposed_by=user)
            except IntegrityError:  # the partner proposed it at the same moment
                raise RitualError(_("This ritual has just been proposed.")) from None
        if choice.status == Choice.Status.OURS:
            raise RitualError(_("This ritual is already one of yours."))
        if choice.status == Choice.Status.PROPOSED:
            raise RitualError(_("This ritual is already proposed."))
        choice.status, choice.proposed_by = Choice.Status.PROPOSED, user
        choice.proposed_at, choice.accepted_at, choice.retired_at = timezone.now(), None, None
        choice.save()
    return choice


def add_own(couple: Couple, user: User, title: str, why: str, tip: str) -> Choice:
    """A ritual the couple wrote themselves, proposed to the partner like any other."""
    with transaction.atomic():
        ritual = Ritual.objects.create(couple=couple, author=user, title=title, why=why, tip=tip)
        return propose(couple, user, ritual)


def accept(choice: Choice, user: User) -> None:
    """The partner who did not propose it says yes: the ritual becomes theirs."""
    now = timezone.now()
    accepted = (
        Choice.objects.filter(pk=choice.pk, status=Choice.Status.PROPOSED)
        .exclude(proposed_by=user)
        .update(status=Choice.Status.OURS, accepted_at=now)
    )
    if accepted != 1:
        raise RitualError(_("Only your partner's proposal, still open, can be accepted."))
    choice.status, choice.accepted_at = Choice.Status.OURS, now


def retire(choice: Choice) -> None:
    """Either partner may retire a ritual, decline a proposal or withdraw their own."""
    now = timezone.now()
    Choice.objects.filter(pk=choice.pk).exclude(status=Choice.Status.RETIRED).update(
        status=Choice.Status.RETIRED, retired_at=now
    )
    choice.status, choice.retired_at = Choice.Status.RETIRED, now


def mark_done(couple: Couple, user: User, ritual: Ritual, day: dt.date) -> tuple[Moment, bool]:
    """ "We did it": one moment per ritual and day for the couple. A second tap, or the
    partner tapping too, finds the moment already there (the unique constraint decides,
    even when both tap at the same instant)."""
    if not Choice.objects.filter(couple=couple, ritual=ritual, status=Choice.Status.OURS).exists():
        raise RitualError(_("Only a ritual you both chose can be marked as done."))
    try:
        with transaction.atomic():
            moment = Moment.objects.create(
                couple=couple, ritual=ritual, day=day, tip=ritual.tip, marked_by=user
            )
            return moment, True
    except IntegrityError:
        return Moment.objects.get(couple=couple, ritual=ritual, day=day), False


def chosen_with_today(couple: Couple, day: dt.date) -> QuerySet[Choice]:
    """Open proposals and the couple's rituals, each knowing if it was done on `day`."""
    done = Moment.objects.filter(couple=OuterRef("couple"), ritual=OuterRef("ritual"), day=day)
    return (
        Choice.objects.filter(
            couple=couple, status__in=[Choice.Status.PROPOSED, Choice.Status.OURS]
        )
        .select_related("ritual")
        .annotate(done_today=Exists(done))
        .order_by("proposed_at", "pk")
    )


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=7)


def moments_this_week(couple: Couple, today: dt.date) -> int:
    """Moments together since Monday: rituals done and warm-touch moments. Only what
    happened is counted; there is no tally of days without."""
    monday, next_monday = week_of(today)
    rituals = Moment.objects.filter(couple=couple, day__gte=monday, day__lt=next_monday)
    warm = WarmMoment.objects.filter(couple=couple, day__gte=monday, day__lt=next_monday)
    return rituals.count() + warm.count()


# --- The warm-touch plan --------------------------------------------------------------

# One short suggestion for each of the four weeks.
PLAN_SUGGESTIONS = [
    gettext_lazy("Start small: a hug that lasts until you both relax, with nowhere else to be."),
    gettext_lazy("Try a slow hand or shoulder rub while you talk about your day."),
    gettext_lazy(
        "Lie close for a few minutes before sleep or before getting up, phones out of reach."
    ),
    gettext_lazy(
        "Pick the warm moment you both liked best so far, and give it a little more time."
    ),
]


def open_plan(couple: Couple) -> WarmTouchPlan | None:
    return (
        WarmTouchPlan.objects.filter(
            couple=couple, status__in=[WarmTouchPlan.Status.PROPOSED, WarmTouchPlan.Status.ACTIVE]
        )
        .order_by("-proposed_at")
        .first()
    )


def latest_plan(couple: Couple) -> WarmTouchPlan | None:
    return WarmTouchPlan.objects.filter(couple=couple).order_by("-proposed_at", "-pk").first()


def propose_plan(couple: Couple, user: User) -> WarmTouchPlan:
    plan = open_plan(couple)
    if plan is not None and plan.ends_on and couple.local_today() >= plan.ends_on:
        # Four weeks are over: the plan simply finished; a new one can begin.
        WarmTouchPlan.objects.filter(pk=plan.pk).update(
            status=WarmTouchPlan.Status.STOPPED, ended_at=timezone.now()
        )
        plan = None
    if plan is not None:
        raise RitualError(_("A warm-touch plan is already open."))
    try:
        with transaction.atomic():
            return WarmTouchPlan.objects.create(couple=couple, proposed_by=user)
    except IntegrityError:  # the partner proposed one at the same moment
        raise RitualError(_("A warm-touch plan is already open.")) from None


def accept_plan(plan: WarmTouchPlan, user: User, today: dt.date) -> None:
    started = (
        WarmTouchPlan.objects.filter(pk=plan.pk, status=WarmTouchPlan.Status.PROPOSED)
        .exclude(proposed_by=user)
        .update(status=WarmTouchPlan.Status.ACTIVE, starts_on=today)
    )
    if started != 1:
        raise RitualError(_("Only your partner's proposal, still open, can be accepted."))
    plan.status, plan.starts_on = WarmTouchPlan.Status.ACTIVE, today


def stop_plan(plan: WarmTouchPlan, user: User) -> None:
    """Either partner stops (or declines) the plan at any time; no reason is asked."""
    status = (
        WarmTouchPlan.Status.DECLINED
        if plan.status == WarmTouchPlan.Status.PROPOSED
        else WarmTouchPlan.Status.STOPPED
    )
    WarmTouchPlan.objects.filter(
        pk=plan.pk, status__in=[WarmTouchPlan.Status.PROPOSED, WarmTouchPlan.Status.ACTIVE]
    ).update(status=status, ended_at=timezone.now(), ended_by=user)
    plan.status, plan.ended_by = status, user


def warm_moment(plan: WarmTouchPlan, user: User, today: dt.date) -> bool:
    """A warm moment today; False if one was already noted today."""
    if plan.week(today) is None:
        raise RitualError(_("The warm-touch plan is not running."))
    try:
        with transaction.atomic():
            WarmMoment.objects.create(couple=plan.couple, plan=plan, day=today, marked_by=user)
            return True
    except IntegrityError:
        return False


def plan_week_moments(plan: WarmTouchPlan, today: dt.date) -> int:
    week = plan.week(today)
    if week is None:
        return 0
    start = plan.starts_on + dt.timedelta(weeks=week - 1)
    return plan.moments.filter(day__gte=start, day__lt=start + dt.timedelta(weeks=1)).count()


def plan_suggestion(plan: WarmTouchPlan, today: dt.date) -> str | None:
    week = plan.week(today)
    return PLAN_SUGGESTIONS[week - 1] if week else None


# --- Thinking of you ------------------------------------------------------------------

THINKING_LIMIT_MESSAGE = gettext_lazy(
    "You have sent three today, which is plenty: they all arrived. Tomorrow you can send more."
)


def send_thinking(couple: Couple, sender: User, recipient: User) -> ThinkingOfYou:
    """One warm signal to the partner. Three a day per sender at most: each takes the
    day's next number, which the database keeps unique, so two taps at the same instant
    cannot both become the third."""
    now = timezone.now()
    day = timezone.localdate(now, sender.tzinfo)
    for _attempt in range(THINKING_PER_DAY):
        taken = ThinkingOfYou.objects.filter(sender=sender, day=day).count()
        if taken >= THINKING_PER_DAY:
            break
        try:
            with transaction.atomic():
                signal = ThinkingOfYou.objects.create(
                    couple=couple,
                    sender=sender,
                    recipient=recipient,
                    day=day,
                    number=taken + 1,
                    sent_at=now,
                )
                thinking_sent.send(sender=ThinkingOfYou, thinking=signal)
                return signal
        except IntegrityError:
            continue  # that number went a moment ago: count again
    raise RitualError(str(THINKING_LIMIT_MESSAGE))


def thinking_received(couple: Couple, user: User, now: dt.datetime) -> list[ThinkingOfYou]:
    """What reached `user` in the last day, newest first."""
    return list(
        ThinkingOfYou.objects.filter(
            couple=couple, recipient=user, sent_at__gt=now - dt.timedelta(days=1)
        ).order_by("-sent_at")[:THINKING_PER_DAY]
    )


# --- Learn together -------------------------------------------------------------------


def add_item(couple: Couple, user: User, title: str, target_month: dt.date | None) -> LearnItem:
    return LearnItem.objects.create(
        couple=couple, added_by=user, title=title, target_month=target_month
    )


def set_status(item: LearnItem, status: str) -> None:
    done_at = timezone.now() if status == LearnItem.Status.DONE else None
    if status == item.status:
        return
    LearnItem.objects.filter(pk=item.pk).update(status=status, done_at=done_at)
    item.status, item.done_at = status, done_at


def reflect(item: LearnItem, user: User, body: str) -> LearnReflection:
    """A finished item becomes a memory with each partner's reflection."""
    if item.status != LearnItem.Status.DONE:
        raise RitualError(_("Mark it as done first; then it can become a memory."))
    reflection, _created = LearnReflection.objects.update_or_create(
        item=item, user=user, defaults={"body": body, "couple_id": item.couple_id}
    )
    return reflection
