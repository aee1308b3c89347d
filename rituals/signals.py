"""Signals other apps hook into, so that rituals never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that records a "thinking of you", with `thinking` (a
# ThinkingOfYou). reminders queues the partner's email from it, if they want one.
thinking_sent = Signal()
