"""Signals other apps hook into, so that practices never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that marks a note as arrived (now, or at its scheduled
# time), with `note`. reminders queues the partner's note alert from it.
note_delivered = Signal()
