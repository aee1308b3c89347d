"""Signals the apps built on couples hook into, so that couples never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that ends a couple, with `couple` and `ended_at`.
# reminders queues the neutral notice to both partners from it.
couple_ended = Signal()

# Sent inside the transaction that creates an invitation to be emailed, with
# `invitation`. reminders queues the email from it (see reminders.invitations).
invitation_created = Signal()
