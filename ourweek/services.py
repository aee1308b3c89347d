"""Domain operations for our week: the weekly time, and each week's check-in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from couples.models import Couple, User
from practices import services as practices
from practices.models import DailyQuestion, DateIdea, DateNight, GratitudeNote

from .models import WEEKDAYS, Line, Week, WeeklyTime, Wish
from .signals import weekly_time_changed

# How long the "River moved our week" notice stays up, and a wish on the home page.
NOTICE_FOR = dt.timedelta(days=7)
WISH_SHOWN_FOR = dt.timedelta(days=7)
# The week's notes, reactions and questions offered as memory joggers in step 1.
MATERIAL_WINDOW = dt.timedelta(days=7)
MATERIAL_LIMIT = 8

LINE_STEPS = {
    Week.Step.APPRECIATIONS: Line.Kind.APPRECIATION,
    Week.Step.WENT_WELL: Line.Kind.WENT_WELL,
    Week.Step.ON_MY_MIND: Line.Kind.TAKEAWAY,
}


class WeekError(Exception):
    """A user-facing reason why an action cannot be done."""


# --- The weekly time --------------------------------------------------------------------


def shown_weekly_time(couple: Couple) -> WeeklyTime:
    """The couple's weekly time to show, without making a row just to look at it."""
    found = WeeklyTime.objects.select_related("changed_by").filter(couple=couple).first()
    return found or WeeklyTime(couple=couple)


def weekly_time(couple: Couple) -> WeeklyTime:
    """The couple's weekly time; Sunday 19:00 until someone moves it."""
    found = WeeklyTime.objects.select_related("changed_by").filter(couple=couple).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return WeeklyTime.objects.create(couple=couple)
    except IntegrityError:  # the partner (or the dispatcher) made it a moment ago
        return WeeklyTime.objects.select_related("changed_by").get(couple=couple)


def move_weekly_time(couple: Couple, user: User, weekday: int, at: dt.time) -> WeeklyTime:
    """Either partner moves the weekly time. Under the row's lock, so two moves at once
    end as one of them, whole: its day, its time, its author and its next invitation."""
    if not couple.is_active:
        raise WeekError(_("This couple has ended."))
    weekly_time(couple)
    with transaction.atomic():
        locked = WeeklyTime.objects.select_for_update().get(couple=couple)
        locked.weekday, locked.at = weekday, at.replace(second=0, microsecond=0)
        locked.changed_by, locked.changed_at = user, timezone.now()
        locked.save(update_fields=["weekday", "at", "changed_by", "changed_at"])
        weekly_time_changed.send(sender=WeeklyTime, weekly_time=locked)
    return locked


def next_meeting(when: WeeklyTime, zone, now: dt.datetime) -> dt.datetime:
    """The next local date and time of the weekly check-in, for people to read."""
    local_now = now.astimezone(zone)
    for offset in range(8):
        day = local_now.date() + dt.timedelta(days=offset)
        if day.weekday() == when.weekday:
            meeting = dt.datetime.combine(day, when.at, tzinfo=zone)
            if meeting > local_now:
                return meeting
    raise AssertionError("a weekday comes round within eight days")


def change_notice(when: WeeklyTime, viewer: User, now: dt.datetime) -> str:
    """ "River moved our week to Saturday 10:00", for both partners, for a week."""
    if when.changed_at is None or now - when.changed_at > NOTICE_FOR:
        return ""
    if when.changed_by_id == viewer.pk:
        return _("You moved our week to %(when)s.") % {"when": when.label()}
    if when.changed_by is not None:
        return _("%(name)s moved our week to %(when)s.") % {
            "name": when.changed_by.name,
            "when": when.label(),
        }
    return ""


# --- The week's check-in ------------------------------------------------------------------


def step_reminder(step: int) -> str:
    """Where the week is, for a tap on a later step than the one it is on."""
    return {
        Week.Step.APPRECIATIONS: _("One step at a time: you are on step 1, appreciations."),
        Week.Step.WENT_WELL: _("One step at a time: you are on step 2, what went well."),
        Week.Step.ON_MY_MIND: _("One step at a time: you are on step 3, one thing on my mind."),
        Week.Step.FEEL_LOVED: _(
            "One step at a time: you are on step 4, what would make you feel loved this week."
        ),
        Week.Step.TIME_TOGETHER: _("One step at a time: you are on step 5, time together."),
    }[step]


def _weekday(moment: dt.datetime, zone) -> str:
    return str(dict(WEEKDAYS)[moment.astimezone(zone).weekday()])


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def start_week(couple: Couple, today: dt.date | None = None) -> Week:
    """This week's check-in, the same for both partners; it may start any day."""
    starts_on = monday_of(today or couple.local_today())
    week = Week.objects.filter(couple=couple, starts_on=starts_on).first()
    if week is not None:
        return week
    if not couple.is_active:
        raise WeekError(_("This couple has ended."))
    try:
        with transaction.atomic():
            return Week.objects.create(couple=couple, starts_on=starts_on)
    except IntegrityError:  # the partner started it at the same moment
        return Week.objects.get(couple=couple, starts_on=starts_on)


def _open_week(week: Week, step: int) -> Week:
    """The week, locked, if `step` may be written to now: the current step or one
    already passed (a partner on another phone may still be typing), never a later one."""
    locked = Week.objects.select_for_update().get(pk=week.pk)
    if locked.is_finished:
        raise WeekError(_("This week is finished, so it stays as it is."))
    if step > locked.step:
        raise WeekError(step_reminder(locked.step))
    return locked


@dataclass
class Saved:
    written: list[User]
    kept: list[User]  # a partner who had already written their own line on their phone


def write_lines(week: Week, step: int, by: User, bodies: dict[User, str]) -> Saved:
    """Save each partner's line for a step. `by` may write the partner's line too (one
    phone held by two), but never over a line the partner wrote themselves."""
    kind = LINE_STEPS[step]
    saved = Saved([], [])
    with transaction.atomic():
        _open_week(week, step)
        existing = {line.author_id: line for line in Line.objects.filter(week=week, kind=kind)}
        for author, body in bodies.items():
            if not body:
                continue
            line = existing.get(author.pk)
            if line is not None and author.pk != by.pk:
                if line.body != body:
                    saved.kept.append(author)
                continue
            if line is None:
                Line.objects.create(
                    week=week, couple_id=week.couple_id, author=author, kind=kind, body=body
                )
            else:
                Line.objects.filter(pk=line.pk).update(body=body, updated_at=timezone.now())
            saved.written.append(author)
        Week.objects.filter(pk=week.pk).update(updated_at=timezone.now())
    return saved


def write_wishes(week: Week, by: User, wishes: dict[User, tuple[str, str]]) -> Saved:
    """Each partner's wish for the week, with the tip its writer says it fits."""
    saved = Saved([], [])
    with transaction.atomic():
        _open_week(week, Week.Step.FEEL_LOVED)
        existing = {wish.author_id: wish for wish in Wish.objects.filter(week=week)}
        for author, (body, tip) in wishes.items():
            if not body:
                continue
            wish = existing.get(author.pk)
            if wish is not None and author.pk != by.pk:
                if (wish.body, wish.tip) != (body, tip):
                    saved.kept.append(author)
                continue
            if wish is None:
                Wish.objects.create(
                    week=week, couple_id=week.couple_id, author=author, body=body, tip=tip
                )
            else:
                Wish.objects.filter(pk=wish.pk).update(
                    body=body, tip=tip, updated_at=timezone.now()
                )
            saved.written.append(author)
        Week.objects.filter(pk=week.pk).update(updated_at=timezone.now())
    return saved


def set_speak_minutes(week: Week, minutes: int) -> None:
    with transaction.atomic():
        _open_week(week, Week.Step.ON_MY_MIND)
        Week.objects.filter(pk=week.pk).update(speak_minutes=minutes, updated_at=timezone.now())
    week.speak_minutes = minutes


def move_on(week: Week, step: int) -> int:
    """Leave `step` for the next one (after writing, or skipping it). Only from the step
    the week is on: a tap on an old page, or both phones at once, moves it once."""
    if step >= Week.Step.TIME_TOGETHER:
        raise WeekError(_("This is the last step: finish the week when you are ready."))
    with transaction.atomic():
        locked = _open_week(week, step)
        if locked.step != step:
            return locked.step  # already moved on, by the other phone
        Week.objects.filter(pk=week.pk).update(step=step + 1, updated_at=timezone.now())
    week.step = step + 1
    return week.step


def finish_week(week: Week, user: User) -> bool:
    """Record the week, once. Returns False if it was already finished (by the other
    phone a moment ago, or a form posted again): then nothing changes."""
    with transaction.atomic():
        locked = Week.objects.select_for_update().get(pk=week.pk)
        if locked.is_finished:
            return False
        if locked.step < Week.Step.TIME_TOGETHER:
            skip = _("Skip the steps you want to leave out.")
            raise WeekError(f"{step_reminder(locked.step)} {skip}")
        took_part = {user.pk}
        took_part |= set(Line.objects.filter(week=week).values_list("author_id", flat=True))
        took_part |= set(Wish.objects.filter(week=week).values_list("author_id", flat=True))
        now = timezone.now()
        Week.objects.filter(pk=week.pk).update(
            finished_at=now,
            finished_by=user,
            step=Week.Step.DONE,
            took_part=sorted(took_part),
            updated_at=now,
        )
    week.finished_at, week.finished_by, week.step = now, user, Week.Step.DONE
    week.took_part = sorted(took_part)
    return True


def save_as_note(line: Line, user: User) -> GratitudeNote | None:
    """The writer's appreciation, sent to their partner as a gratitude note, once."""
    if line.author_id != user.pk or line.kind != Line.Kind.APPRECIATION:
        raise WeekError(_("Only your own appreciation can become your note."))
    with transaction.atomic():
        if Line.objects.filter(pk=line.pk, saved_as_note=False).update(saved_as_note=True) != 1:
            return None  # already sent
        try:
            return practices.write_note(line.week.couple, user, line.body)
        except practices.PracticeError as exc:
            raise WeekError(str(exc)) from exc


def tick_wish(wish: Wish, user: User) -> bool:
    """The partner the wish was for ticks it done. Returns False if it already was."""
    if wish.author_id == user.pk:
        raise WeekError(_("Your own wish is ticked by your partner, when they have done it."))
    return bool(
        Wish.objects.filter(pk=wish.pk, done_at__isnull=True).update(done_at=timezone.now())
    )


@dataclass(frozen=True)
class Reminder:
    """A memory jogger for step 1: a title and a link, never the content itself."""

    title: str
    url_name: str
    pk: int


def week_material(couple: Couple, user: User, end: dt.datetime) -> list[Reminder]:
    """The week's notes, reactions and questions you answered, as titles: three small
    queries, whatever the week held."""
    start = end - MATERIAL_WINDOW
    zone = couple.tzinfo
    found = []
    notes = (
        GratitudeNote.objects.filter(couple=couple, delivered_at__gte=start, delivered_at__lte=end)
        .select_related("author")
        .order_by("-delivered_at")[:MATERIAL_LIMIT]
    )
    for note in notes:
        found.append(
            Reminder(
                _("A note from %(name)s, %(weekday)s")
                % {"name": note.author.name, "weekday": _weekday(note.delivered_at, zone)},
                "note",
                note.pk,
            )
        )
    reacted = (
        GratitudeNote.objects.filter(couple=couple, reacted_at__gte=start, reacted_at__lte=end)
        .exclude(reaction="")
        .select_related("recipient")
        .order_by("-reacted_at")[:MATERIAL_LIMIT]
    )
    for note in reacted:
        reaction = note.get_reaction_display()
        if note.recipient:
            title = _("%(name)s reacted: %(reaction)s") % {
                "name": note.recipient.name,
                "reaction": reaction,
            }
        else:
            title = _("Someone reacted: %(reaction)s") % {"reaction": reaction}
        found.append(Reminder(title, "note", note.pk))
    questions = (
        DailyQuestion.objects.filter(
            couple=couple,
            prompt__isnull=False,
            answers__user=user,
            answers__created_at__gte=start,
            answers__created_at__lte=end,
        )
        .select_related("prompt")
        .order_by("-day")[:MATERIAL_LIMIT]
    )
    for question in questions:
        found.append(Reminder(question.prompt.shown_text, "question_detail", question.pk))
    return found


def date_ideas_for(week: Week, count: int = 3) -> list[DateIdea]:
    """Step 5's suggestions: `count` shipped date ideas the couple has never planned, a
    different few each week (each opens the date form filled in with it)."""
    planned = DateNight.objects.filter(couple_id=week.couple_id, idea__isnull=False)
    fresh = DateIdea.objects.exclude(pk__in=planned.values("idea_id")).order_by("pk")
    total = fresh.count()
    if not total:
        return []
    start = week.starts_on.toordinal() // 7 * count % total
    ideas = list(fresh[start : start + count])
    if len(ideas) < count:
        ideas += [idea for idea in fresh[: count - len(ideas)] if idea not in ideas]
    return ideas
