"""Our week: a couple's weekly time, and the record of each week's check-in.

What is said out loud during the check-in (step 3, one thing on my mind) is never
stored: only the lines people choose to write down below live here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import dates
from django.utils.timezone import now
from django.utils.translation import gettext, gettext_lazy

from couples.models import Couple
from practices.tips import Tip

LINE_MAX_LENGTH = 300
DEFAULT_WEEKDAY = 6  # Sunday
DEFAULT_TIME = dt.time(19, 0)
DEFAULT_SPEAK_MINUTES = 5
MIN_SPEAK_MINUTES, MAX_SPEAK_MINUTES = 1, 60
# Django's weekday names (0 = Monday), in the active language.
WEEKDAYS = list(dates.WEEKDAYS.items())


class WeeklyTime(models.Model):
    """When a couple meets for their week: a weekday and a local time in the couple's
    home zone. Either partner may move it; the last move is shown to both."""

    couple = models.OneToOneField(Couple, on_delete=models.CASCADE, related_name="weekly_time")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS, default=DEFAULT_WEEKDAY)
    at = models.TimeField(default=DEFAULT_TIME)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    # The next invitation instant (UTC). reminders keeps it (it owns the DST-safe slot
    # arithmetic, reminders/schedule.py) when the time changes and after each invitation.
    invite_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            # reminders.weekly.queue_invitations: invite_at <= now
            models.Index(
                fields=["invite_at"],
                name="weekly_invite_idx",
                condition=models.Q(invite_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="weekly_weekday_0_6"
            ),
        ]

    def __str__(self) -> str:
        return f"Weekly time of couple {self.couple_id}"

    def label(self) -> str:
        return gettext("%(weekday)s %(time)s") % {
            "weekday": dict(WEEKDAYS)[self.weekday],
            "time": f"{self.at:%H:%M}",
        }


class Week(models.Model):
    """One week's check-in. `starts_on` is the Monday of its week in the couple's zone,
    so a couple has at most one per week, however late they start it."""

    class Step(models.IntegerChoices):
        APPRECIATIONS = 1, gettext_lazy("Appreciations")
        WENT_WELL = 2, gettext_lazy("What went well")
        ON_MY_MIND = 3, gettext_lazy("One thing on my mind")
        FEEL_LOVED = 4, gettext_lazy("What would make you feel loved this week?")
        TIME_TOGETHER = 5, gettext_lazy("Time together")
        DONE = 6, gettext_lazy("Finished")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="weeks")
    starts_on = models.DateField()
    step = models.PositiveSmallIntegerField(choices=Step, default=Step.APPRECIATIONS)
    speak_minutes = models.PositiveSmallIntegerField(
        default=DEFAULT_SPEAK_MINUTES,
        validators=[MinValueValidator(MIN_SPEAK_MINUTES), MaxValueValidator(MAX_SPEAK_MINUTES)],
    )
    started_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The user ids of who took part, written once when the week is finished.
    took_part = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["couple", "starts_on"], name="one_check_in_per_week"),
            models.CheckConstraint(
                condition=models.Q(step__gte=1, step__lte=6), name="week_step_1_6"
            ),
            models.CheckConstraint(
                condition=models.Q(speak_minutes__gte=1, speak_minutes__lte=60),
                name="week_speak_minutes_1_60",
            ),
        ]

    def __str__(self) -> str:
        return f"Week of {self.starts_on} for couple {self.couple_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Line(models.Model):
    """One line a partner chose to write down during the check-in."""

    class Kind(models.TextChoices):
        APPRECIATION = "appreciation", gettext_lazy("Appreciation")
        WENT_WELL = "went_well", gettext_lazy("What went well")
        TAKEAWAY = "takeaway", gettext_lazy("Takeaway")

    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="lines")
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_lines"
    )
    kind = models.CharField(max_length=12, choices=Kind)
    body = models.CharField(max_length=LINE_MAX_LENGTH)
    saved_as_note = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "author", "kind"], name="one_line_each"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} in week {self.week_id}"


class Wish(models.Model):
    """What would make the writer feel loved this week. Their partner sees it on the
    home page all week and may tick it done; done, it counts for the tip the writer chose."""

    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="wishes")
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_wishes"
    )
    body = models.CharField(max_length=LINE_MAX_LENGTH)
    tip = models.CharField(max_length=16, choices=Tip)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "author"], name="one_wish_each"),
        ]
        indexes = [
            # the balance: a couple's wishes done in a window
            models.Index(fields=["couple", "done_at"], name="wish_done_idx"),
        ]

    def __str__(self) -> str:
        return f"Wish {self.pk} in week {self.week_id}"
