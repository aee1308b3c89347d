from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from couples.language import WEEKDAYS
from practices.tips import Tip

from . import schedule

DEFAULT_DAYS = [0, 2, 4]  # Monday, Wednesday, Friday
DEFAULT_SEND_TIME = dt.time(19, 0)
LEAD_HOURS = [
    (1, gettext_lazy("1 hour")),
    (3, gettext_lazy("3 hours")),
    (12, gettext_lazy("12 hours")),
    (24, gettext_lazy("1 day")),
    (48, gettext_lazy("2 days")),
]
# "Nudges on Mondays and Fridays": a weekday as it reads when it repeats.
WEEKDAYS_PLURAL = {
    0: gettext_lazy("Mondays"),
    1: gettext_lazy("Tuesdays"),
    2: gettext_lazy("Wednesdays"),
    3: gettext_lazy("Thursdays"),
    4: gettext_lazy("Fridays"),
    5: gettext_lazy("Saturdays"),
    6: gettext_lazy("Sundays"),
}


def default_days() -> list[int]:
    return list(DEFAULT_DAYS)


def default_tips() -> list[str]:
    return list(Tip.values)


class ReminderPreference(models.Model):
    """What one person wants to hear from Kindling, and when their next nudge is due.

    `next_nudge_at` is the next slot at which the dispatcher has something to decide for
    this person: a nudge day, or Sunday for the digest. Whoever changes what the schedule
    depends on (the settings, a pause, the person's zone) calls `reschedule()` before
    saving, and the dispatcher moves it on each time it handles a slot; `save()` itself
    does nothing behind the caller's back.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    nudges_enabled = models.BooleanField(gettext_lazy("send me nudges"), default=True)
    days = models.JSONField(gettext_lazy("on these days"), default=default_days)
    send_time = models.TimeField(gettext_lazy("at this time"), default=DEFAULT_SEND_TIME)
    tips = models.JSONField(gettext_lazy("about these tips"), default=default_tips)
    paused_until = models.DateField(
        "paused until", null=True, blank=True, help_text="Nudges and digests resume on this day."
    )
    note_alerts = models.BooleanField(gettext_lazy("tell me when a note arrives"), default=True)
    # Off by default: email is the least private way we reach anyone (providers, shared
    # inboxes, lock-screen previews), so the alert only says that a note is waiting.
    note_text_in_email = models.BooleanField(
        gettext_lazy("include the note's text in the email"), default=False
    )
    date_reminders = models.BooleanField(
        gettext_lazy("remind me before a date night"), default=True
    )
    date_lead_hours = models.PositiveSmallIntegerField(
        gettext_lazy("how long before"), choices=LEAD_HOURS, default=24
    )
    digest_enabled = models.BooleanField(
        gettext_lazy("send me a weekly digest on Sunday"), default=True
    )
    checkin_alerts = models.BooleanField(
        gettext_lazy("tell me when my partner's check-in asks for something"), default=True
    )
    thinking_alerts = models.BooleanField(
        gettext_lazy("tell me when my partner is thinking of me"), default=True
    )
    weekly_checkin = models.BooleanField(
        gettext_lazy("invite me to our weekly check-in"), default=True
    )
    monthly_checkin = models.BooleanField(
        gettext_lazy("tell me when the month's closeness check-in opens"), default=True
    )
    # Per kind, "email", "push" or "both"; a kind not named here follows PUSH_DEFAULTS.
    # Push only ever applies once the person has turned it on for a device.
    channels = models.JSONField("channels per kind of message", default=dict, blank=True)
    next_nudge_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # dispatch_due: next_nudge_at <= now, oldest first
            models.Index(
                fields=["next_nudge_at"],
                name="pref_next_nudge_idx",
                condition=models.Q(next_nudge_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder preferences of user {self.user_id}"

    def reschedule(self, now: dt.datetime | None = None) -> dt.datetime | None:
        """Set `next_nudge_at` to the next slot the settings give after `now`. It only
        changes the instance: the caller saves it, with its own changes."""
        self.next_nudge_at = self.compute_next(now or timezone.now())
        return self.next_nudge_at

    def schedule_days(self) -> set[int]:
        days = set(self.days) if self.nudges_enabled and self.tips else set()
        if self.digest_enabled:
            days.add(schedule.SUNDAY)
        return days

    def paused_on(self, day: dt.date) -> bool:
        return self.paused_until is not None and day < self.paused_until

    def compute_next(self, after: dt.datetime) -> dt.datetime | None:
        zone = self.user.tzinfo
        if self.paused_until is not None:
            # Nothing to decide while paused: jump to the day the pause ends.
            after = max(after, schedule.local_start(self.paused_until, zone) - dt.timedelta(0, 1))
        return schedule.next_slot(after, self.schedule_days(), self.send_time, zone)

    def wants(self, kind: str) -> bool:
        return {
            Nudge.Kind.NUDGE: self.nudges_enabled,
            Nudge.Kind.NOTE: self.note_alerts,
            Nudge.Kind.DATE: self.date_reminders,
            Nudge.Kind.DIGEST: self.digest_enabled,
            Nudge.Kind.CHECKIN: self.checkin_alerts,
            Nudge.Kind.THINKING: self.thinking_alerts,
            Nudge.Kind.WEEKLY: self.weekly_checkin,
            Nudge.Kind.MONTHLY: self.monthly_checkin,
        }.get(kind, True)

    def summary(self) -> str:
        """One line for the settings page: what arrives when."""
        if self.paused_until is not None:
            day = date_format(self.paused_until, _("l j F"))
            return _("Nudges are paused until %(day)s.") % {"day": day}
        if not (self.nudges_enabled and self.days and self.tips):
            return _("Nudges are off.")
        names = [str(WEEKDAYS_PLURAL[day]) for day, __ in WEEKDAYS if day in self.days]
        listed = names[0]
        if len(names) > 1:
            listed = _("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}
        return _("Nudges on %(days)s at %(time)s (%(zone)s).") % {
            "days": listed,
            "time": f"{self.send_time:%H:%M}",
            "zone": self.user.timezone,
        }


class Nudge(models.Model):
    """The outbox and the log: one row per message Kindling means to send, by email or
    by push.

    The unique constraint is what makes "exactly once" hold: whoever creates the row for
    (user, kind, slot, object, channel) first wins, and a send task must claim the row
    (pending -> sending) before it may send. A claim is a lease: `claim_token` names the
    task holding it and `lease_until` says how long it holds it unless renewed.
    """

    class Kind(models.TextChoices):
        NUDGE = "nudge", gettext_lazy("Nudge")
        NOTE = "note", gettext_lazy("Note alert")
        DATE = "date", gettext_lazy("Date reminder")
        DIGEST = "digest", gettext_lazy("Weekly digest")
        NOTICE = "notice", gettext_lazy("Account notice")
        INVITE = "invite", gettext_lazy("Invitation")
        CHECKIN = "checkin", gettext_lazy("Check-in alert")
        THINKING = "thinking", gettext_lazy("Thinking of you")
        WEEKLY = "weekly", gettext_lazy("Weekly check-in invitation")
        MONTHLY = "monthly", gettext_lazy("Monthly check-in reminder")

    class Channel(models.TextChoices):
        EMAIL = "email", gettext_lazy("Email")
        PUSH = "push", gettext_lazy("Push notification")

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    # The recipient; for an invitation, the inviter (the email goes to the address on
    # the invitation, who may have no account yet).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges"
    )
    kind = models.CharField(max_length=8, choices=Kind)
    # A push row goes to every device the person has turned on; an email row to their
    # address. Each is its own row, so each channel is sent exactly once.
    channel = models.CharField(max_length=5, choices=Channel, default=Channel.EMAIL)
    tip = models.CharField(max_length=16, blank=True)
    template_key = models.CharField(max_length=40, blank=True)
    slot = models.DateTimeField(
        help_text="The UTC instant this email was due (for a date reminder: the date's start)."
    )
    object_id = models.PositiveBigIntegerField(
        default=0, help_text="The note or date night it is about; 0 when none."
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(
        default=timezone.now,
        help_text="When a send task was last asked for (or, for a retry, is due to run).",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="While sending: the claim lapses at this instant."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "slot", "object_id", "channel"],
                name="nudge_once_per_slot_and_channel",
            ),
        ]
        indexes = [
            # sweep_stuck: status = sending AND lease_until < now
            models.Index(
                fields=["lease_until"],
                name="nudge_lease_idx",
                condition=models.Q(status="sending"),
            ),
            # requeue_lost: status = pending AND queued_at < cutoff
            models.Index(
                fields=["queued_at"],
                name="nudge_pending_idx",
                condition=models.Q(status="pending"),
            ),
            # choose_content: a user's nudges, the last use of each tip and template
            models.Index(fields=["user", "kind", "-slot"], name="nudge_user_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for user {self.user_id} at {self.slot:%Y-%m-%d %H:%M}"


# What the emails of a kind are called in a sentence: "note alerts", "thinking-of-you
# alerts" (the footers and the unsubscribe pages).
KIND_PLURALS = {
    Nudge.Kind.NUDGE: gettext_lazy("nudges"),
    Nudge.Kind.NOTE: gettext_lazy("note alerts"),
    Nudge.Kind.DATE: gettext_lazy("date reminders"),
    Nudge.Kind.DIGEST: gettext_lazy("weekly digests"),
    Nudge.Kind.NOTICE: gettext_lazy("account notices"),
    Nudge.Kind.INVITE: gettext_lazy("invitations"),
    Nudge.Kind.CHECKIN: gettext_lazy("check-in alerts"),
    Nudge.Kind.THINKING: gettext_lazy("thinking-of-you alerts"),
    Nudge.Kind.WEEKLY: gettext_lazy("weekly check-in invitations"),
    Nudge.Kind.MONTHLY: gettext_lazy("monthly check-in reminders"),
}


def kind_plural(kind: str) -> str:
    return str(KIND_PLURALS[Nudge.Kind(kind)])


# The preference switch that the unsubscribe link of each kind of email turns off.
UNSUBSCRIBE_FIELDS = {
    Nudge.Kind.NUDGE: "nudges_enabled",
    Nudge.Kind.NOTE: "note_alerts",
    Nudge.Kind.DATE: "date_reminders",
    Nudge.Kind.DIGEST: "digest_enabled",
    Nudge.Kind.CHECKIN: "checkin_alerts",
    Nudge.Kind.MONTHLY: "monthly_checkin",
    Nudge.Kind.WEEKLY: "weekly_checkin",
    Nudge.Kind.THINKING: "thinking_alerts",
}


# Kinds a person may also (or only) get as a push notification, and the channels each
# uses until they choose: what a partner does arrives at once; the digest is a read.
PUSH_DEFAULTS = {
    Nudge.Kind.NUDGE: "both",
    Nudge.Kind.NOTE: "both",
    Nudge.Kind.DATE: "both",
    Nudge.Kind.DIGEST: "email",
    Nudge.Kind.CHECKIN: "both",
    Nudge.Kind.THINKING: "both",
    Nudge.Kind.WEEKLY: "both",
    Nudge.Kind.MONTHLY: "both",
}
CHANNEL_CHOICES = [
    ("both", gettext_lazy("Email and push")),
    ("push", gettext_lazy("Push only")),
    ("email", gettext_lazy("Email only")),
]


def channels_for(pref: ReminderPreference | None, kind: str) -> str:
    """ "email", "push" or "both" for this kind of message."""
    if kind not in PUSH_DEFAULTS:
        return "email"
    chosen = (pref.channels or {}).get(kind) if pref is not None else None
    return chosen if chosen in {"email", "push", "both"} else PUSH_DEFAULTS[kind]


def guess_device_name(user_agent: str) -> str:
    """A name a person recognises in their list of devices ("Firefox on Android")."""
    browsers = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome")]
    browsers += [("CriOS/", "Chrome"), ("FxiOS/", "Firefox"), ("Safari/", "Safari")]
    systems = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad")]
    systems += [("Windows", "Windows"), ("Mac OS X", "Mac"), ("CrOS", "ChromeOS")]
    systems += [("Linux", "Linux")]
    browser = next((name for mark, name in browsers if mark in user_agent), _("A browser"))
    system = next((name for mark, name in systems if mark in user_agent), "")
    if not system:
        return browser
    return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}


class PushSubscription(models.Model):
    """One device (a browser profile) where a person turned on push notifications: the
    push service's endpoint and the keys the browser gave us to encrypt for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=64)
    device_name = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.device_name or 'A device'} of user {self.user_id}"

    def info(self) -> dict:
        """The subscription as the browser gave it, for pywebpush."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
