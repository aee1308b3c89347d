from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext, gettext_lazy

from couples.models import Couple

from .wheel import CORE_CHOICES, WORD_CHOICES

LINE_MAX_LENGTH = 500
REPLY_MAX_LENGTH = 500
HOPE_MAX_LENGTH = 1000


class Visibility(models.TextChoices):
    SHARED = "shared", gettext_lazy("Share with my partner")
    PRIVATE = "private", gettext_lazy("Just for me")


class CheckIn(models.Model):
    """One feelings check-in. A private one is a journal entry: only its author ever sees
    it, and every query that serves the partner filters on `visibility`."""

    class WouldLike(models.TextChoices):
        LISTENED = "listened", gettext_lazy("to be listened to")
        HUG = "hug", gettext_lazy("a hug")
        SPACE = "space", gettext_lazy("some space")
        HAND = "hand", gettext_lazy("a hand with something")
        CELEBRATE = "celebrate", gettext_lazy("celebrate with me")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    core = models.CharField(max_length=12, choices=CORE_CHOICES)
    feeling = models.CharField(max_length=20, choices=WORD_CHOICES)
    intensity = models.PositiveSmallIntegerField()
    line = models.TextField(max_length=LINE_MAX_LENGTH, blank=True)
    would_like = models.CharField(max_length=12, choices=WouldLike, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility, default=Visibility.SHARED)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(intensity__gte=1, intensity__lte=5), name="intensity_1_to_5"
            ),
        ]
        indexes = [
            # home card, history and weather: a couple's check-ins, newest first
            models.Index(fields=["couple", "-created_at"], name="checkin_couple_recent_idx"),
        ]

    def __str__(self) -> str:
        # Never the feeling or the line: this shows in the admin.
        return f"Check-in {self.pk}"

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class CheckInResponse(models.Model):
    """The partner's answer to a shared check-in: one tap or a short reply, exactly one."""

    class Reply(models.TextChoices):
        HEAR = "hear", gettext_lazy("I hear you")
        TALK = "talk", gettext_lazy("Want to talk tonight?")
        HUG = "hug", gettext_lazy("Sending a hug")
        HAPPY = "happy", gettext_lazy("So happy for you")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="+")
    # One-to-one: the database itself keeps a double submit or two tabs to one response.
    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="response")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_responses"
    )
    reply = models.CharField(max_length=8, choices=Reply, blank=True)
    body = models.TextField(max_length=REPLY_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Response to check-in {self.checkin_id}"


class Hope(models.Model):
    """A hope, a dream or a worry. A private draft until its author shares it."""

    class Kind(models.TextChoices):
        HOPE = "hope", gettext_lazy("Hope")
        DREAM = "dream", gettext_lazy("Dream")
        WORRY = "worry", gettext_lazy("Worry")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="hopes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hopes"
    )
    kind = models.CharField(max_length=8, choices=Kind)
    body = models.TextField(max_length=HOPE_MAX_LENGTH)
    shared_at = models.DateTimeField(null=True, blank=True)
    # "We did it" for a hope or dream, "feels lighter now" for a worry.
    settled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            # the hopes page: a couple's items, newest first
            models.Index(fields=["couple", "-created_at"], name="hope_couple_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_worry(self) -> bool:
        return self.kind == self.Kind.WORRY

    @property
    def settled_label(self) -> str:
        return gettext("Feels lighter now") if self.is_worry else gettext("We did it")


class HopeResponse(models.Model):
    class Reply(models.TextChoices):
        MORE = "more", gettext_lazy("Tell me more")
        MAKE = "make", gettext_lazy("Let's make it happen")
        WITH_YOU = "with_you", gettext_lazy("I'm with you")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="+")
    hope = models.OneToOneField(Hope, on_delete=models.CASCADE, related_name="response")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hope_responses"
    )
    reply = models.CharField(max_length=8, choices=Reply, blank=True)
    body = models.TextField(max_length=REPLY_MAX_LENGTH, blank=True)
    target_month = models.DateField(null=True, blank=True, help_text="The first of the month.")
    # "Tell me more": the couple's own prompt it put on today's conversation.
    prompt = models.ForeignKey(
        "practices.Prompt", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Response to {self.hope_id}"


class ClosenessAnswer(models.Model):
    """One person's answers to one month's closeness check-in. Private until both partners
    of the couple have answered that month; never summed into a score."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="closeness")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="closeness_answers"
    )
    month = models.DateField(help_text="The first day of the month, in the couple's zone.")
    ratings = models.JSONField(help_text="statement key -> 1..5")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "user", "month"], name="one_closeness_answer_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Closeness check-in of user {self.user_id} for {self.month:%Y-%m}"
