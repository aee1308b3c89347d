"""A send task that is killed for real: `python -m tests.reminders.killed_worker N ID...`
delivers the rows with SETTLE_EVERY = 2 and SIGKILLs its own process as the Nth email is
handed to the mail server, so no `finally`, no handler and no atexit runs after that."""

from __future__ import annotations

import os
import signal
import sys

from django.core.mail.backends.locmem import EmailBackend


class DiesOnNthEmail(EmailBackend):
    accepted = 0
    die_on = 0

    def send_messages(self, messages):
        if DiesOnNthEmail.accepted + 1 == DiesOnNthEmail.die_on:
            os.kill(os.getpid(), signal.SIGKILL)
        DiesOnNthEmail.accepted += len(messages)
        return super().send_messages(messages)


def main(die_on: int, ids: list[int]) -> None:
    import django

    django.setup()
    from django.test.utils import override_settings

    from reminders import outbox

    DiesOnNthEmail.die_on = die_on
    outbox.SETTLE_EVERY = 2
    with override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.DiesOnNthEmail"}}):
        outbox.deliver(ids)


if __name__ == "__main__":
    main(int(sys.argv[1]), [int(arg) for arg in sys.argv[2:]])
