"""Signals other apps hook into, so that feelings never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that saves a shared check-in asking for something (a hug,
# to be listened to...), with `checkin`. reminders queues the partner's alert from it.
checkin_asks = Signal()
