from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from couples.models import Couple
from couples.timezones import validate_timezone

from . import translated
from .tips import Tip

NOTE_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 2000
REFLECTION_MAX_LENGTH = 1000
THANKS_MAX_LENGTH = 500
# Twelve hours: longer than any date, short enough to catch a timer nobody stopped.
PHONES_AWAY_MAX_MINUTES = 720
# A phones-away timer starts around a date: from an hour before it until twelve hours
# after it began (later, the minutes can still be written in by hand).
PHONES_AWAY_OPENS = dt.timedelta(hours=1)
PHONES_AWAY_CLOSES = dt.timedelta(minutes=PHONES_AWAY_MAX_MINUTES)


class Prompt(models.Model):
    """A question for the daily question. `couple` is empty for the shipped library and
    set for a couple's own prompts, which only that couple ever sees."""

    class Depth(models.TextChoices):
        LIGHT = "light", _("Light")
        MEDIUM = "medium", _("Medium")
        DEEP = "deep", _("Deep")

    class Occasion(models.TextChoices):
        """When a prompt fits especially well. The seasonal ones (see SEASONAL) come
        forward in their week; the others suit any day and are simply tagged."""

        ANNIVERSARY = "anniversary", _("Anniversary week")
        NEW_YEAR = "new_year", _("New year")
        HARD_WEEK = "hard_week", _("After a hard week")
        LONG_DISTANCE = "long_distance", _("Time apart")
        BIG_CHANGE = "big_change", _("A time of change")

    SEASONAL = (Occasion.ANNIVERSARY, Occasion.NEW_YEAR)

    class Kind(models.TextChoices):
        """A prompt's shape. Love maps: guess your partner's answer first, then tell
        your own (nobody keeps count of right guesses). Good news: something that went well."""

        LOVE_MAP = "love_map", _("Love maps")
        GOOD_NEWS = "good_news", _("Good news")

    text = models.CharField(max_length=300)
    tip = models.CharField(max_length=16, choices=Tip)
    depth = models.CharField(max_length=8, choices=Depth, default=Depth.LIGHT)
    occasion = models.CharField(max_length=16, choices=Occasion, blank=True)
    kind = models.CharField(max_length=12, choices=Kind, blank=True)
    couple = models.ForeignKey(
        Couple, on_delete=models.CASCADE, null=True, blank=True, related_name="own_prompts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prompts_written",
    )
    active = models.BooleanField(default=True, help_text=_("Inactive prompts are never asked."))
    # The permanent key of a shipped prompt in content/prompts.json (see library.py);
    # empty for a couple's own prompts and for those staff add.
    shipped_key = models.CharField(max_length=60, blank=True, editable=False)
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["tip", "depth", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipped_key"], condition=~models.Q(shipped_key=""), name="prompt_key_once"
            ),
        ]

    def __str__(self) -> str:
        # Not the text: a couple's own prompt is theirs, and this string shows in the admin
        # (delete confirmations list every related row by it).
        return f"Prompt {self.pk}"

    @property
    def shown_text(self) -> str:
        """The text in the reader's language (a couple's own prompt stays as written)."""
        return translated.text("prompts", self.shipped_key, "text", self.text)


class FavoritePrompt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorite_prompts"
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "prompt"], name="favorite_prompt_once"),
        ]

    def __str__(self) -> str:
        return f"Favourite {self.prompt_id} of user {self.user_id}"


class DailyQuestion(models.Model):
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="questions")
    # RESTRICT, not PROTECT: a couple's own prompt may go when the whole couple goes.
    # Empty only in an archive, once the partner who wrote the prompt deleted their account
    # (their words go; the question and the other partner's answer stay).
    prompt = models.ForeignKey(
        Prompt, on_delete=models.RESTRICT, null=True, related_name="questions"
    )
    day = models.DateField(help_text=_("The day in the couple's home time zone."))
    swapped = models.BooleanField(default=False)
    discussed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "day"], name="one_question_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.prompt_id}"


class Answer(models.Model):
    question = models.ForeignKey(DailyQuestion, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    body = models.TextField(max_length=ANSWER_MAX_LENGTH)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_answer_per_partner"),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} to question {self.question_id}"


class GratitudeNote(models.Model):
    class Reaction(models.TextChoices):
        HEART = "heart", _("Made my day")
        HUG = "hug", _("Sending a hug")
        SMILE = "smile", _("Smiling")
        TEARS = "tears", _("Happy tears")
        THANKS = "thanks", _("Thank you")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes_written"
    )
    # A deleted account takes the notes it wrote, not the ones its partner wrote to it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="notes_received",
    )
    body = models.TextField(max_length=NOTE_MAX_LENGTH)
    deliver_at = models.DateTimeField(default=now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    reaction = models.CharField(max_length=8, choices=Reaction, blank=True)
    reacted_at = models.DateTimeField(null=True, blank=True)
    # The recipient's few words back. One per note (they may reword it); thanked_at is
    # when it was first sent, so rewording does not count for gratitude a second time.
    thanks = models.TextField(max_length=THANKS_MAX_LENGTH, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # the author's home card: thank-yous to their notes, newest first
            models.Index(
                fields=["author", "-thanked_at"],
                name="note_thanked_idx",
                condition=models.Q(thanked_at__isnull=False),
            ),
            # inbox and unread count: recipient's arrived notes, newest first
            models.Index(fields=["recipient", "-delivered_at"], name="note_inbox_idx"),
            # deliver_scheduled_notes: not yet arrived AND deliver_at <= now
            models.Index(
                fields=["deliver_at"],
                name="note_waiting_idx",
                condition=models.Q(delivered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.pk} in {self.couple_id}"

    @property
    def is_delivered(self) -> bool:
        return self.delivered_at is not None


class DateIdea(models.Model):
    TAGS = {
        "at_home": _("At home"),
        "outdoors": _("Outdoors"),
        "learn_new": _("Learn something together"),
        "new_to_us": _("New to us"),
        "no_screens": _("No screens"),
        "free": _("Free"),
    }

    title = models.CharField(max_length=80, unique=True)
    description = models.TextField(max_length=600)
    tip = models.CharField(max_length=16, choices=Tip, default=Tip.QUALITY_TIME)
    at_home = models.BooleanField(default=False)
    outdoors = models.BooleanField(default=False)
    # Both of you come away knowing or able to do something you could not before.
    learn_new = models.BooleanField(_("learn something together"), default=False)
    # Something most couples have not done together yet: novelty is part of the point.
    new_to_us = models.BooleanField(_("new to us"), default=False)
    no_screens = models.BooleanField(default=False)
    free = models.BooleanField(default=False)
    # The permanent key of a shipped idea in content/date_ideas.json (see library.py).
    shipped_key = models.CharField(max_length=60, blank=True, editable=False)
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipped_key"], condition=~models.Q(shipped_key=""), name="idea_key_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        return translated.text("date ideas", self.shipped_key, "title", self.title)

    @property
    def shown_description(self) -> str:
        return translated.text("date ideas", self.shipped_key, "description", self.description)

    @property
    def tags(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label in self.TAGS.items() if getattr(self, key)]


class ShippedRelease(models.Model):
    """Which release of a shipped catalog (prompts, date ideas) this database holds."""

    catalog = models.CharField(max_length=20, unique=True)
    version = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.catalog} version {self.version}"


class DateNight(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="dates")
    # A shared plan that holds both partners' reflections: it outlives its planner's account.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="dates_planned",
    )
    title = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    place = models.CharField(max_length=200, blank=True)
    notes = models.TextField(max_length=2000, blank=True)
    idea = models.ForeignKey(
        DateIdea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PLANNED)
    # Phones away: set while a timer runs (one per date, whoever started it), and the
    # minutes recorded when they are back (see services.start_phones_away).
    phones_away_since = models.DateTimeField(null=True, blank=True)
    phones_away_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(PHONES_AWAY_MAX_MINUTES)],
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phones_away_minutes__gte=0)
                & models.Q(phones_away_minutes__lte=PHONES_AWAY_MAX_MINUTES),
                name="phones_away_0_to_720",
            ),
        ]
        indexes = [
            # dates list and "next date night": a couple's dates by start time
            models.Index(fields=["couple", "starts_at"], name="date_couple_start_idx"),
            # date reminders: planned dates starting soon
            models.Index(
                fields=["starts_at"],
                name="date_planned_idx",
                condition=models.Q(status="planned"),
            ),
        ]

    def __str__(self) -> str:
        # Not the title: this string shows in the admin, which never shows couple content.
        return f"Date night {self.pk}"

    def phones_away_can_start(self, at: dt.datetime | None = None) -> bool:
        at = at or now()
        return (
            self.status != self.Status.CANCELLED
            and self.starts_at - PHONES_AWAY_OPENS <= at <= self.starts_at + PHONES_AWAY_CLOSES
        )

    def phones_away_can_record(self, at: dt.datetime | None = None) -> bool:
        """Minutes can be written in by hand once the date's window opened, for good."""
        return self.status != self.Status.CANCELLED and self.starts_at - PHONES_AWAY_OPENS <= (
            at or now()
        )


class DateReflection(models.Model):
    date_night = models.ForeignKey(DateNight, on_delete=models.CASCADE, related_name="reflections")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    body = models.TextField(max_length=REFLECTION_MAX_LENGTH, blank=True)
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date_night", "user"], name="one_reflection_each"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Reflection on date {self.date_night_id} by user {self.user_id}"


class CalendarFeed(models.Model):
    """A private calendar subscription URL per user; regenerating it kills the old one.

    Only a SHA-256 of the URL's secret is kept (as for invitations): a database leak
    reveals no usable address, and the address is shown once, when it is made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
