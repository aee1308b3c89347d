"""What an operator watches: the outbox's backlog and when the periodic jobs last ran.

The last runs are kept in the cache (the database cache on a one-box install, Redis
otherwise), one small write per run: cheap, shared by every process, and nothing to
migrate. A cache flush forgets them until the next run, a minute later at most for the
dispatcher; the metrics say "never" meanwhile (no timestamp line), which is honest.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import Nudge

JOBS = {
    "dispatcher": "reminders.tasks.dispatch_due: queues the due reminders (every minute)",
    "sweeper": "reminders.tasks.sweep_stuck_nudges: hands back lapsed claims",
}
KEY = "kindling:last-run:{}"
KEEP_SECONDS = 30 * 24 * 60 * 60


def mark_run(job: str, when: dt.datetime | None = None) -> None:
    cache.set(KEY.format(job), (when or timezone.now()).timestamp(), KEEP_SECONDS)


def last_runs() -> dict[str, float | None]:
    found = cache.get_many([KEY.format(job) for job in JOBS])
    return {job: found.get(KEY.format(job)) for job in JOBS}


def outbox() -> dict[str, float]:
    """Pending and sending counts and the oldest pending email's age, in one query."""
    row = Nudge.objects.filter(status__in=[Nudge.Status.PENDING, Nudge.Status.SENDING]).aggregate(
        pending=Count("pk", filter=Q(status=Nudge.Status.PENDING)),
        sending=Count("pk", filter=Q(status=Nudge.Status.SENDING)),
        oldest=Min("created_at", filter=Q(status=Nudge.Status.PENDING)),
    )
    now = timezone.now()
    age = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
    return {"pending": row["pending"], "sending": row["sending"], "oldest_pending_age": age}


def metrics_text(now: dt.datetime | None = None) -> str:
    """Prometheus's plain text format."""
    now = now or timezone.now()
    box = outbox()
    lines = [
        "# HELP kindling_outbox_pending Emails in the outbox waiting to be sent.",
        "# TYPE kindling_outbox_pending gauge",
        f"kindling_outbox_pending {box['pending']}",
        "# HELP kindling_outbox_sending Emails claimed by a send task right now.",
        "# TYPE kindling_outbox_sending gauge",
        f"kindling_outbox_sending {box['sending']}",
        "# HELP kindling_outbox_oldest_pending_age_seconds How long the oldest pending "
        "email has waited (0 when none).",
        "# TYPE kindling_outbox_oldest_pending_age_seconds gauge",
        f"kindling_outbox_oldest_pending_age_seconds {box['oldest_pending_age']:.1f}",
    ]
    for job, when in last_runs().items():
        what = JOBS[job]
        lines += [
            f"# HELP kindling_{job}_last_run_timestamp_seconds Last run of {what}.",
            f"# TYPE kindling_{job}_last_run_timestamp_seconds gauge",
        ]
        if when is not None:
            lines.append(f"kindling_{job}_last_run_timestamp_seconds {when:.3f}")
            lines.append(f"kindling_{job}_last_run_age_seconds {now.timestamp() - when:.1f}")
    return "\n".join(lines) + "\n"
