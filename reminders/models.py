from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Nudge(models.Model):
    """The outbox and the log: one row per email Kindling means to send.

    The unique constraint is what makes "exactly once" hold: whoever creates the row for
    (user, kind, slot, object) first wins, and a send task must claim the row
    (pending -> sending) before it may send.
    """

    class Kind(models.TextChoices):
        NUDGE = "nudge", "Nudge"
        NOTE = "note", "Note alert"
        DATE = "date", "Date reminder"
        DIGEST = "digest", "Weekly digest"
        NOTICE = "notice", "Account notice"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges"
    )
    kind = models.CharField(max_length=8, choices=Kind)
    tip = models.CharField(max_length=16, blank=True)
    template_key = models.CharField(max_length=40, blank=True)
    slot = models.DateTimeField(help_text="The UTC instant this email was due.")
    object_id = models.PositiveBigIntegerField(
        default=0, help_text="The note or date night it is about; 0 when none."
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "slot", "object_id"], name="nudge_once_per_slot"
            ),
        ]
        indexes = [
            # sweep_stuck_nudges: status = sending AND claimed_at < cutoff;
            # requeue_pending_nudges: status = pending AND created_at < cutoff
            models.Index(
                fields=["status", "claimed_at"],
                name="nudge_unsettled_idx",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
            # choose_tip / choose_template: a user's recent nudges, newest first
            models.Index(fields=["user", "kind", "-slot"], name="nudge_user_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for user {self.user_id} at {self.slot:%Y-%m-%d %H:%M}"
