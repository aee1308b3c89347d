"""Rituals of connection, the warm-touch plan, "thinking of you" and learning together.

Every row a partner's action changes carries the couple directly, so the couple's pages
(and the per-couple cache version watching couple foreign keys) see it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy

from couples.models import Couple
from practices import translated
from practices.tips import Tip

TITLE_MAX_LENGTH = 120
WHY_MAX_LENGTH = 200
REFLECTION_MAX_LENGTH = 1000
THINKING_PER_DAY = 3
PLAN_WEEKS = 4
PLAN_MOMENTS_A_WEEK = 3


class Ritual(models.Model):
    """A small ritual. `couple` is empty for the shipped list (rituals/content) and set
    for a couple's own, which only that couple ever sees."""

    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    why = models.CharField(max_length=WHY_MAX_LENGTH, blank=True)
    tip = models.CharField(max_length=16, choices=Tip, default=Tip.PHYSICAL)
    couple = models.ForeignKey(
        Couple, on_delete=models.CASCADE, null=True, blank=True, related_name="own_rituals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rituals_written",
    )
    # The permanent key of a shipped ritual (see practices.library); empty for a couple's own.
    shipped_key = models.CharField(max_length=60, blank=True, editable=False)
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipped_key"], condition=~models.Q(shipped_key=""), name="ritual_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Ritual {self.pk}"  # not the title: a couple's own is theirs

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (a couple's own ritual stays as written)."""
        return translated.text("rituals", self.shipped_key, "title", self.title)

    @property
    def shown_why(self) -> str:
        return translated.text("rituals", self.shipped_key, "why", self.why)


class Choice(models.Model):
    """A ritual one partner proposed to the couple. It becomes theirs ("ours") only when
    the other partner accepts; either can retire it, and propose it again later."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", gettext_lazy("Proposed")
        OURS = "ours", gettext_lazy("Ours")
        RETIRED = "retired", gettext_lazy("Retired")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="ritual_choices")
    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="choices")
    status = models.CharField(max_length=8, choices=Status, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "ritual"], name="ritual_chosen_once"),
        ]

    def __str__(self) -> str:
        return f"Ritual {self.ritual_id} of couple {self.couple_id}: {self.status}"


class Moment(models.Model):
    """ "We did it": one per ritual, day and couple, whoever tapped and however often.
    The tip is kept on the row, so the balance needs no join and a moment still counts
    after the ritual it came from is gone."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="ritual_moments")
    ritual = models.ForeignKey(
        Ritual, on_delete=models.SET_NULL, null=True, blank=True, related_name="moments"
    )
    day = models.DateField(help_text="The day in the couple's home time zone.")
    tip = models.CharField(max_length=16, choices=Tip, default=Tip.PHYSICAL)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "ritual", "day"], name="one_moment_a_day"),
        ]
        indexes = [
            # the balance and the weekly view: a couple's moments in a time range
            models.Index(fields=["couple", "created_at"], name="moment_couple_time_idx"),
        ]

    def __str__(self) -> str:
        return f"Moment of ritual {self.ritual_id} on {self.day}"


class WarmTouchPlan(models.Model):
    """Four weeks of three unhurried moments of warm touch a week, opt-in by both.
    Either partner can stop it at any time, without a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", gettext_lazy("Proposed")
        ACTIVE = "active", gettext_lazy("Active")
        STOPPED = "stopped", gettext_lazy("Stopped")
        DECLINED = "declined", gettext_lazy("Declined")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="warm_touch_plans")
    status = models.CharField(max_length=8, choices=Status, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=now)
    starts_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Who stopped it is not shown to the partner; it is kept so each sees "you stopped
    # it" or "the plan ended", nothing more.
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="one_open_warm_touch_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"Warm-touch plan {self.pk}: {self.status}"

    @property
    def ends_on(self) -> dt.date | None:
        """The first day after the four weeks."""
        return self.starts_on + dt.timedelta(weeks=PLAN_WEEKS) if self.starts_on else None

    def week(self, today: dt.date) -> int | None:
        """1 to 4 while the plan runs, else None."""
        if self.status != self.Status.ACTIVE or not self.starts_on:
            return None
        if not self.starts_on <= today < self.ends_on:
            return None
        return (today - self.starts_on).days // 7 + 1


class WarmMoment(models.Model):
    """A moment of warm touch during the plan: one a day at most, counted for the couple."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="warm_moments")
    plan = models.ForeignKey(WarmTouchPlan, on_delete=models.CASCADE, related_name="moments")
    day = models.DateField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "day"], name="one_warm_moment_a_day"),
        ]

    def __str__(self) -> str:
        return f"Warm moment of plan {self.plan_id} on {self.day}"


class ThinkingOfYou(models.Model):
    """One tap: "Sam is thinking of you". At most three a day per sender, held by the
    database: the `number` of the day's signal (1 to 3) is unique per sender and day."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="thinking_signals")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thinking_sent"
    )
    # Kept, without its addressee, if the recipient deletes their account: the sender's.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="thinking_received",
    )
    day = models.DateField(help_text="The day in the sender's time zone.")
    number = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "day", "number"], name="thinking_numbered_once"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=THINKING_PER_DAY),
                name="thinking_three_a_day",
            ),
        ]
        indexes = [
            # the home card: what reached the recipient recently
            models.Index(fields=["recipient", "-sent_at"], name="thinking_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"Thinking of you {self.pk}"


class LearnItem(models.Model):
    """Something to learn or try together: a language, a dance, a recipe, a trail."""

    class Status(models.TextChoices):
        SOMEDAY = "someday", gettext_lazy("Someday")
        STARTED = "started", gettext_lazy("Started")
        DONE = "done", gettext_lazy("Done")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="learn_items")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    status = models.CharField(max_length=8, choices=Status, default=Status.SOMEDAY)
    target_month = models.DateField(
        null=True, blank=True, help_text="The first day of the month you aim for."
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["status", "target_month", "pk"]
        indexes = [
            # the balance: a couple's items finished in a time range
            models.Index(fields=["couple", "done_at"], name="learn_couple_done_idx"),
        ]

    def __str__(self) -> str:
        return f"Learn-together item {self.pk}"


class LearnReflection(models.Model):
    """What one partner remembers of a finished item: it turns the item into a memory."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="learn_reflections")
    item = models.ForeignKey(LearnItem, on_delete=models.CASCADE, related_name="reflections")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learn_reflections"
    )
    body = models.TextField(max_length=REFLECTION_MAX_LENGTH)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="one_learn_reflection_each"),
        ]

    def __str__(self) -> str:
        return f"Reflection {self.pk} on item {self.item_id}"
