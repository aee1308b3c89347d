from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import dispatch, outbox

# Retries wait 30 s, 1, 2, 4, 8 then 15 minutes: far inside the broker's visibility
# timeout, so Redis never redelivers a task that is merely waiting. No task here is ever
# given a longer countdown or an ETA; this test holds it:
# tests/reminders/test_sending.py::test_no_task_is_ever_scheduled_beyond_the_brokers_visibility_timeout
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 15 * 60
MAX_RETRIES = 6


def retry_delay(retries: int) -> int:
    return min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2**retries)


@shared_task(bind=True, max_retries=MAX_RETRIES, name=outbox.SEND_TASK)
def send_nudges(self, nudge_ids: list[int]) -> None:
    last_try = self.request.retries >= MAX_RETRIES
    countdown = retry_delay(self.request.retries)
    retry_ids = outbox.deliver(
        nudge_ids, give_up=last_try, retry_in=dt.timedelta(seconds=countdown)
    )
    if retry_ids:
        raise self.retry(args=[retry_ids], countdown=countdown)


@shared_task
def dispatch_due() -> int:
    return dispatch.dispatch_due()


@shared_task
def sweep_stuck_nudges() -> None:
    stuck = outbox.sweep_stuck()
    if stuck:
        for chunk in outbox.chunks(stuck):
            send_nudges.delay(chunk)


@shared_task
def requeue_lost_nudges() -> int:
    return len(outbox.requeue_lost())


@shared_task
def queue_monthly_checkins() -> int:
    return len(dispatch.queue_monthly_checkins(timezone.now()))
