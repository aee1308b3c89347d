"""Domain operations for the practices: notes, the daily question and date nights."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Max, Q, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from couples.models import Couple, User
from couples.services import hash_token

from . import hub
from .models import (
    PHONES_AWAY_MAX_MINUTES,
    Answer,
    CalendarFeed,
    DailyQuestion,
    DateNight,
    DateReflection,
    FavoritePrompt,
    GratitudeNote,
    Prompt,
)
from .signals import note_delivered

log = logging.getLogger(__name__)


class PracticeError(Exception):
    """A user-facing reason why an action cannot be done."""


# --- Gratitude notes ----------------------------------------------------------------


def write_note(
    couple: Couple, author: User, body: str, deliver_at: dt.datetime | None = None
) -> GratitudeNote:
    """A note to the author's partner, arriving now or at `deliver_at`."""
    recipient = couple.partner_of(author)
    if recipient is None or not couple.is_active:
        raise PracticeError(_("Notes need a linked partner."))
    now = timezone.now()
    with transaction.atomic():
        note = GratitudeNote.objects.create(
            couple=couple,
            author=author,
            recipient=recipient,
            body=body,
            deliver_at=deliver_at or now,
        )
        if note.deliver_at <= now:
            deliver_note(note)
    return note


def deliver_note(note: GratitudeNote) -> bool:
    """Mark the note arrived, once: whoever flips delivered_at first tells the partner."""
    now = timezone.now()
    with transaction.atomic():
        if (
            GratitudeNote.objects.filter(pk=note.pk, delivered_at__isnull=True).update(
                delivered_at=now
            )
            != 1
        ):
            return False  # already delivered by someone else
        note.delivered_at = now
        note_delivered.send(sender=GratitudeNote, note=note)
    return True


def deliver_due_notes(now: dt.datetime | None = None) -> int:
    """Deliver scheduled notes whose time has come (every minute, from beat)."""
    now = now or timezone.now()
    due = GratitudeNote.objects.filter(
        delivered_at__isnull=True,
        deliver_at__lte=now,
        couple__status=Couple.Status.ACTIVE,
    ).select_related("author", "recipient", "couple")
    return sum(deliver_note(note) for note in due[:500])


def reschedule_note(note: GratitudeNote, body: str, deliver_at: dt.datetime) -> None:
    """The author edits a note that has not arrived; if the new time is now or past,
    it arrives at once."""
    with transaction.atomic():
        updated = GratitudeNote.objects.filter(pk=note.pk, delivered_at__isnull=True).update(
            body=body, deliver_at=deliver_at, updated_at=timezone.now()
        )
        if updated != 1:
            raise PracticeError(_("This note has already arrived, so it can no longer change."))
        if deliver_at <= timezone.now():
            deliver_note(note)


def cancel_note(note: GratitudeNote) -> None:
    deleted, _per_model = GratitudeNote.objects.filter(
        pk=note.pk, delivered_at__isnull=True
    ).delete()
    if not deleted:
        raise PracticeError(_("This note has already arrived, so it can no longer be cancelled."))


def mark_read(note: GratitudeNote, user: User) -> None:
    if note.recipient_id == user.pk and note.read_at is None:
        note.read_at = timezone.now()
        GratitudeNote.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=note.read_at)


def react(note: GratitudeNote, user: User, reaction: str) -> None:
    if note.recipient_id != user.pk:
        raise PracticeError(_("Only the person a note was written to can react to it."))
    now = timezone.now()
    GratitudeNote.objects.filter(pk=note.pk).update(
        reaction=reaction, reacted_at=now, read_at=note.read_at or now
    )
    note.reaction, note.reacted_at = reaction, now


def thank_for_note(note: GratitudeNote, user: User, thanks: str) -> None:
    """The recipient answers a note with a few words; they may reword them later. The
    first thank-you's time stays, so rewording it counts once in the balance."""
    if note.recipient_id != user.pk or not note.is_delivered:
        raise PracticeError(_("Only the person a note was written to can thank for it."))
    now = timezone.now()
    with transaction.atomic():
        GratitudeNote.objects.filter(pk=note.pk, thanked_at__isnull=True).update(thanked_at=now)
        GratitudeNote.objects.filter(pk=note.pk).update(thanks=thanks, read_at=note.read_at or now)
    note.thanks, note.thanked_at = thanks, note.thanked_at or now


# --- The daily question ----------------------------------------------------------------


def prompts_for(couple: Couple):
    """The library plus the couple's own prompts."""
    return Prompt.objects.filter(Q(couple__isnull=True) | Q(couple=couple), active=True)


# A seasonal prompt comes forward in its window and waits, unasked, the rest of the year.
NEW_YEAR_DAYS = ((12, 29), (1, 4))  # from 29 December to 4 January
ANNIVERSARY_DAYS_BEFORE = 6  # the anniversary week ends on the day itself


def in_season(couple: Couple, today: dt.date) -> set[str]:
    """The seasonal occasions that fit `today` for this couple."""
    occasions = set()
    (first_month, first_day), (last_month, last_day) = NEW_YEAR_DAYS
    if today >= dt.date(today.year, first_month, first_day) or today <= dt.date(
        today.year, last_month, last_day
    ):
        occasions.add(Prompt.Occasion.NEW_YEAR)
    upcoming = couple.next_anniversary(today)
    if upcoming and (upcoming[0] - today).days <= ANNIVERSARY_DAYS_BEFORE:
        occasions.add(Prompt.Occasion.ANNIVERSARY)
    return occasions


def next_prompt(couple: Couple, exclude: int | None = None, today: dt.date | None = None) -> Prompt:
    """A prompt this couple has not had yet; once the library is used up, the one they
    had longest ago. So no prompt comes back while any other is still unasked.

    Among the unasked ones: a prompt for the week's occasion (their anniversary week, the
    new year) first, then the tips either partner keeps, then the other tips, and last the
    seasonal prompts whose time has not come. Within a rank the choice is random."""
    today = today or couple.local_today()
    candidates = prompts_for(couple)
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    # Not the empty links: NOT IN over a NULL would exclude every prompt.
    used = DailyQuestion.objects.filter(couple=couple, prompt__isnull=False).values("prompt_id")
    kept = hub.kept_tips(couple)
    seasonal = Q(occasion__in=Prompt.SEASONAL)
    rank = Case(
        When(Q(occasion__in=in_season(couple, today)) & Q(tip__in=kept), then=Value(0)),
        When(~seasonal & Q(tip__in=kept), then=Value(1)),
        When(~seasonal, then=Value(2)),
        default=Value(3),
    )
    prompt = candidates.exclude(pk__in=used).annotate(rank=rank).order_by("rank", "?").first()
    if prompt is None:
        prompt = (
            candidates.annotate(
                last_asked=Max("questions__day", filter=Q(questions__couple=couple))
            )
            .order_by("last_asked", "?")
            .first()
        )
    if prompt is None:
        raise PracticeError(_("There are no prompts to ask. Add one of your own."))
    return prompt


def todays_question(couple: Couple, today: dt.date | None = None) -> DailyQuestion:
    """Today's question, the same for both partners; the day turns in the couple's zone."""
    today = today or couple.local_today()
    question = (
        DailyQuestion.objects.select_related("prompt").filter(couple=couple, day=today).first()
    )
    if question is not None:
        return question
    if not couple.is_active:
        raise PracticeError(_("This couple has ended."))
    try:
        with transaction.atomic():
            return DailyQuestion.objects.create(
                couple=couple, day=today, prompt=next_prompt(couple, today=today)
            )
    except IntegrityError:  # the partner opened the page at the same moment
        return DailyQuestion.objects.select_related("prompt").get(couple=couple, day=today)


def _lock_question(question: DailyQuestion) -> DailyQuestion:
    """Take the question's row lock. Swapping, picking and answering all go through it,
    so each sees what the one before it did: nobody swaps a question that was answered a
    moment ago, and nobody's answer lands on a prompt they never saw."""
    return DailyQuestion.objects.select_for_update().get(pk=question.pk)


def _check_can_change(question: DailyQuestion, couple: Couple) -> None:
    if question.day != couple.local_today():
        raise PracticeError(_("Only today's question can change. Earlier ones stay as they were."))
    if question.answers.exists():
        raise PracticeError(_("Someone has already answered today's question, so it stays."))


def swap_question(question: DailyQuestion) -> DailyQuestion:
    """Either partner may swap today's question once, before anyone has answered."""
    with transaction.atomic():
        locked = _lock_question(question)
        if locked.swapped:
            raise PracticeError(_("Today's question has already been swapped once."))
        _check_can_change(locked, question.couple)
        prompt = next_prompt(question.couple, exclude=locked.prompt_id, today=locked.day)
        DailyQuestion.objects.filter(pk=locked.pk).update(prompt=prompt, swapped=True)
    question.prompt, question.swapped = prompt, True
    return question


def pick_question(question: DailyQuestion, prompt: Prompt) -> DailyQuestion:
    """Choose a particular prompt for today while nobody has answered."""
    if not prompts_for(question.couple).filter(pk=prompt.pk).exists():
        raise PracticeError(_("That prompt is not available."))
    with transaction.atomic():
        _check_can_change(_lock_question(question), question.couple)
        DailyQuestion.objects.filter(pk=question.pk).update(prompt=prompt)
    question.prompt = prompt
    return question


def answer_question(
    question: DailyQuestion, user: User, body: str, seen_prompt: int | None = None
) -> Answer:
    """Write or rewrite your answer. Once both have answered the answers are locked, so
    nobody edits theirs after reading the other's. `seen_prompt` is the prompt the writer
    was looking at: if the question was swapped since, the answer is refused rather than
    filed under a question they never read."""
    with transaction.atomic():
        locked = _lock_question(question)
        if seen_prompt is not None and locked.prompt_id != seen_prompt:
            raise PracticeError(
                _(
                    "Today's question changed while you were writing. Here is the new one; "
                    "what you wrote is still in the box."
                )
            )
        answers = {a.user_id: a for a in locked.answers.all()}
        mine = answers.get(user.pk)
        if mine is not None and len(answers) == 2:
            raise PracticeError(_("You have both answered, so the answers are settled."))
        if mine is None:
            return Answer.objects.create(question=question, user=user, body=body)
        mine.body = body
        mine.save(update_fields=["body", "updated_at"])
        return mine


def visible_answers(
    question: DailyQuestion, user: User
) -> tuple[Answer | None, Answer | None, bool]:
    """(mine, partner's, partner has answered). The partner's answer is only returned once
    `user` has answered: the reveal rule lives here, on the server."""
    answers = list(question.answers.all())
    mine = next((a for a in answers if a.user_id == user.pk), None)
    theirs = next((a for a in answers if a.user_id != user.pk), None)
    return mine, theirs if mine else None, theirs is not None


def mark_discussed(question: DailyQuestion) -> None:
    DailyQuestion.objects.filter(pk=question.pk, discussed_at__isnull=True).update(
        discussed_at=timezone.now()
    )


def toggle_favorite(user: User, prompt: Prompt) -> bool:
    """Returns True if the prompt is now a favourite."""
    deleted, _per_model = FavoritePrompt.objects.filter(user=user, prompt=prompt).delete()
    if deleted:
        return False
    FavoritePrompt.objects.get_or_create(user=user, prompt=prompt)
    return True


# --- Date nights -----------------------------------------------------------------------


def plan_date(couple: Couple, user: User, **fields) -> DateNight:
    if not couple.is_active:
        raise PracticeError(_("This couple has ended."))
    if fields["starts_at"] <= timezone.now():
        raise PracticeError(_("That time has already passed. Pick a time in the future."))
    return DateNight.objects.create(couple=couple, created_by=user, **fields)


class DateChanged(PracticeError):
    """The date was saved by someone else since the editor opened it."""


def edit_date(date_night: DateNight, seen_version: dt.datetime, **fields) -> None:
    """Save an edit only if the date is still as the editor saw it (`seen_version` is its
    `updated_at` then): when both partners edit at once, the second save is refused
    instead of quietly undoing the first."""
    if (
        DateNight.objects.filter(
            pk=date_night.pk, status=DateNight.Status.PLANNED, updated_at=seen_version
        ).update(**fields, updated_at=timezone.now())
        != 1
    ):
        raise DateChanged(_("This date changed while you were editing it."))


def set_date_status(date_night: DateNight, status: str) -> None:
    allowed = {
        DateNight.Status.CANCELLED: [DateNight.Status.PLANNED],
        DateNight.Status.DONE: [DateNight.Status.PLANNED],
        DateNight.Status.PLANNED: [DateNight.Status.CANCELLED],
    }[status]
    if status == DateNight.Status.DONE and date_night.starts_at > timezone.now():
        raise PracticeError(_("This date is still ahead of you. Mark it done afterwards."))
    if (
        DateNight.objects.filter(pk=date_night.pk, status__in=allowed).update(
            status=status, updated_at=timezone.now()
        )
        != 1
    ):
        raise PracticeError(_("This date has changed in the meantime. Have a look at it again."))
    date_night.status = status


def reflect_on_date(date_night: DateNight, user: User, rating: int, body: str) -> DateReflection:
    if date_night.status == DateNight.Status.CANCELLED:
        raise PracticeError(_("This date was cancelled."))
    if date_night.starts_at > timezone.now():
        raise PracticeError(_("Reflections open once the date has started."))
    reflection, _created = DateReflection.objects.update_or_create(
        date_night=date_night, user=user, defaults={"rating": rating, "body": body}
    )
    return reflection


# --- Phones away ------------------------------------------------------------------------

_LIVE = [DateNight.Status.PLANNED, DateNight.Status.DONE]


def start_phones_away(date_night: DateNight) -> dt.datetime:
    """Start the date's phones-away timer, or join the one already running: a second tap,
    or both partners tapping at once, makes one timer (the conditional update lets only
    the first through). Returns when it started."""
    now = timezone.now()
    if not date_night.phones_away_can_start(now):
        raise PracticeError(
            _("A phones-away time starts around the date itself, from an hour before it.")
        )
    DateNight.objects.filter(
        pk=date_night.pk, phones_away_since__isnull=True, status__in=_LIVE
    ).update(phones_away_since=now)
    since = DateNight.objects.filter(pk=date_night.pk).values_list("phones_away_since", flat=True)[
        0
    ]
    if since is None:  # cancelled in the meantime
        raise PracticeError(_("This date has changed in the meantime. Have a look at it again."))
    date_night.phones_away_since = since
    return since


def stop_phones_away(date_night: DateNight) -> int | None:
    """ "We're back": add the minutes since the timer started to the date's phones-away
    time (capped at 720) and stop it. Only the first of two taps adds them; the second
    finds no timer running and returns None."""
    since = date_night.phones_away_since
    if since is None:
        return None
    elapsed = max(int((timezone.now() - since).total_seconds() // 60), 0)
    # Only while the timer is still the one this person saw: a partner's "we're back" a
    # moment earlier has already cleared it, and the minutes are not added twice.
    stopped = DateNight.objects.filter(pk=date_night.pk, phones_away_since=since).update(
        phones_away_since=None,
        phones_away_minutes=Least(
            Coalesce(F("phones_away_minutes"), 0) + elapsed, PHONES_AWAY_MAX_MINUTES
        ),
    )
    if stopped != 1:
        return None
    total = DateNight.objects.filter(pk=date_night.pk).values_list(
        "phones_away_minutes", flat=True
    )[0]
    date_night.phones_away_since, date_night.phones_away_minutes = None, total
    return total


def set_phones_away_minutes(date_night: DateNight, minutes: int) -> None:
    """Write the phones-away time by hand (a forgotten timer, or one never started).
    It stops a timer still running: the minutes typed are the whole of it."""
    if not 0 <= minutes <= PHONES_AWAY_MAX_MINUTES:
        raise PracticeError(_("Phones-away time is between 0 and 720 minutes (12 hours)."))
    if date_night.status == DateNight.Status.CANCELLED:
        raise PracticeError(_("This date was cancelled."))
    if not date_night.phones_away_can_record():
        raise PracticeError(_("This date is still ahead of you. Add the time afterwards."))
    DateNight.objects.filter(pk=date_night.pk, status__in=_LIVE).update(
        phones_away_since=None, phones_away_minutes=minutes
    )
    date_night.phones_away_since, date_night.phones_away_minutes = None, minutes


def minutes_in_words(minutes: int) -> str:
    """ "1 hour and 5 minutes", "45 minutes", "2 hours"."""
    hours, rest = divmod(minutes, 60)
    in_minutes = ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest}
    if not hours:
        return in_minutes
    in_hours = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if not rest:
        return in_hours
    return _("%(hours)s and %(minutes)s") % {"hours": in_hours, "minutes": in_minutes}


def new_calendar_feed(user: User) -> str:
    """Make the person's private calendar address, or a new one in place of the old, and
    return its secret. Only its hash is stored, so this is the one time it is known."""
    token = secrets.token_urlsafe(24)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": hash_token(token), "created_at": timezone.now()}
    )
    return token


def find_calendar_feed(token: str) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first()
