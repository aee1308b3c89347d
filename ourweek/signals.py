"""Signals reminders hooks into, so that ourweek never imports it."""

from django.dispatch import Signal

# Sent inside the transaction that moves a couple's weekly time, with `weekly_time`
# (locked, as saved). reminders sets its next invitation instant from it.
weekly_time_changed = Signal()
