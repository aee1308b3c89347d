"""Operations on reminder preferences that views, signals and tasks share."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from couples.models import User

from .models import UNSUBSCRIBE_FIELDS, ReminderPreference
from .tokens import LinkClaim

PAUSE_WEEK = dt.timedelta(days=7)
MAX_PAUSE = dt.timedelta(days=366)


def ensure_preference(user: User) -> ReminderPreference:
    """The user's preferences, created with the defaults if they have none yet."""
    pref = ReminderPreference.objects.filter(user=user).first()
    if pref is not None:
        return pref
    fresh = ReminderPreference(user=user)
    fresh.reschedule()
    with transaction.atomic():
        pref, _ = ReminderPreference.objects.get_or_create(
            user=user, defaults={"next_nudge_at": fresh.next_nudge_at}
        )
    return pref


def local_today(user: User) -> dt.date:
    return timezone.localdate(timezone=user.tzinfo)


def pause(pref: ReminderPreference, until: dt.date) -> None:
    """Hold nudges and digests until `until` (local), when they resume by themselves."""
    pref.paused_until = until
    pref.reschedule()
    pref.save(update_fields=["paused_until", "next_nudge_at", "updated_at"])


def pause_for_a_week(pref: ReminderPreference) -> dt.date:
    until = local_today(pref.user) + PAUSE_WEEK
    pause(pref, until)
    return until


def resume(pref: ReminderPreference) -> None:
    pref.paused_until = None
    pref.reschedule()
    pref.save(update_fields=["paused_until", "next_nudge_at", "updated_at"])


def unsubscribe(claim: LinkClaim, *, everything: bool = False) -> ReminderPreference | None:
    """Turn off the kind of email a signed link names (or every reminder email)."""
    pref = ReminderPreference.objects.select_related("user").filter(user_id=claim.user_id).first()
    if pref is None or claim.kind not in UNSUBSCRIBE_FIELDS:
        return None
    fields = list(UNSUBSCRIBE_FIELDS.values()) if everything else [UNSUBSCRIBE_FIELDS[claim.kind]]
    for field in fields:
        setattr(pref, field, False)
    pref.reschedule()
    pref.save(update_fields=[*fields, "next_nudge_at", "updated_at"])
    return pref


def reschedule_for(user: User) -> None:
    """The user's zone changed: their next slot moves with it."""
    pref = ReminderPreference.objects.filter(user=user).first()
    # A slot already due is left to the dispatcher, which reads the new zone itself.
    if pref is not None and (pref.next_nudge_at is None or pref.next_nudge_at > timezone.now()):
        pref.user = user
        pref.reschedule()
        pref.save(update_fields=["next_nudge_at", "updated_at"])


def tips_kept_by(couple) -> set[str]:
    """The tips the couple's current members keep in their settings (one query); the
    daily question asks about these first (practices.hub.kept_tips)."""
    kept: set[str] = set()
    for tips in ReminderPreference.objects.filter(
        user__memberships__couple=couple, user__memberships__active=True
    ).values_list("tips", flat=True):
        kept.update(tips or [])
    return kept
