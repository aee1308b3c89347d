"""Signal receivers, connected in RemindersConfig.ready."""

from __future__ import annotations

from . import dispatch, invitations, outbox, services, weekly


def create_preferences(sender, request, email_address, **kwargs) -> None:
    """A verified address earns the default reminders (Mon/Wed/Fri at 19:00 local)."""
    services.ensure_preference(email_address.user)


def queue_note_alert(sender, note, **kwargs) -> None:
    dispatch.queue_note_alert(note)


def queue_couple_ended_notices(sender, couple, ended_at, **kwargs) -> None:
    outbox.queue_couple_ended_notices(couple, ended_at)


def queue_invitation_email(sender, invitation, **kwargs) -> None:
    invitations.queue_invitation_email(invitation)


def follow_time_zone(sender, instance, created, update_fields=None, **kwargs) -> None:
    # Logins save the user too (last_login); only a save that may change the zone counts.
    if created or (update_fields is not None and "timezone" not in update_fields):
        return
    services.reschedule_for(instance)


def queue_checkin_alert(sender, checkin, **kwargs) -> None:
    dispatch.queue_checkin_alert(checkin)


def reschedule_weekly_invitation(sender, weekly_time, **kwargs) -> None:
    weekly.reschedule(weekly_time)


def queue_thinking_alert(sender, thinking, **kwargs) -> None:
    dispatch.queue_thinking_alert(thinking)
