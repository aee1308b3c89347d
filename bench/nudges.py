"""Nudge throughput: N people due in the same minute, dispatched and sent by real Celery
workers over Redis to an SMTP sink (aiosmtpd) on 127.0.0.1, against a baseline that
sends the same number of pre-rendered messages in a bare loop over one SMTP connection
to the same sink, just before and just after the pipeline (the two are averaged).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindling_bench_rem \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/nudges.py

Prints emails per second for both and their ratio, SQL queries per nudge (dispatcher and
workers together), the dispatch time, and peak memory at 5,000 and 20,000 people; exits
non-zero if a floor is missed: at least 50% of the baseline's rate, at most 3 queries per
nudge, and the 20,000 run's peak memory within 1.5x of the 5,000 run's. Each size runs in
a fresh process so peak memory is its own. The database is emptied first.

    DATABASE_URL=postgres://... .venv/bin/python bench/nudges.py --dispatch-only

The dispatcher alone, no Redis and no sending: 100,000 people (`--people`), a quarter of
them (`--due`) due in the same minute, the rest later in the week, as at the busiest minute
when everyone's evening reminder falls on one hour of one wide band of time zones. Prints
the time to claim and queue that minute's slots (the rows are written; the send tasks are
only counted), which must stay under 20 seconds, and the queries it took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kindling_bench_rem"
FLOOR_RATIO, MAX_QUERIES, MAX_MEMORY_GROWTH = 0.5, 3.0, 1.5
DISPATCH_PEOPLE, DISPATCH_DUE_SHARE, MAX_DISPATCH_SECONDS = 100_000, 0.25, 20.0
TIMEOUT = 600


def setup_django(port: int | None = None) -> None:
    if port is not None:
        os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def sink_count(status: Path) -> tuple[int, float]:
    try:
        count, last = status.read_text().split()
    except (FileNotFoundError, ValueError):
        return 0, 0.0
    return int(count), float(last)


# --- Steps, each run in its own process ------------------------------------------------


def seed(size: int, due: int | None = None) -> None:
    """`size` verified people in linked couples, all due now, or only the first `due` of
    them (the others at some hour later in the week)."""
    setup_django()
    from allauth.account.models import EmailAddress
    from django.db import connection
    from django.utils import timezone

    from couples.models import Couple, Membership, User
    from reminders.models import ReminderPreference

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE couples_user, couples_couple CASCADE")
    zones = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]
    users = User.objects.bulk_create(
        (
            User(
                email=f"bench{n}@example.com",
                display_name=f"Person {n}",
                password="!",  # noqa: S106 (unusable, and no time spent hashing)
                timezone=zones[n % len(zones)],
            )
            for n in range(size)
        ),
        batch_size=5000,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users),
        batch_size=5000,
    )
    couples = Couple.objects.bulk_create((Couple() for _ in range(size // 2)), batch_size=5000)
    Membership.objects.bulk_create(
        (
            Membership(couple=couples[n // 2], user=user, seat=n % 2 + 1)
            for n, user in enumerate(users)
        ),
        batch_size=5000,
    )
    now = timezone.now().replace(second=0, microsecond=0)
    due = size if due is None else due
    ReminderPreference.objects.bulk_create(
        (
            ReminderPreference(
                user=user,
                days=list(range(7)),
                digest_enabled=False,
                next_nudge_at=now if n < due else now + dt.timedelta(hours=1 + n % 160),
            )
            for n, user in enumerate(users)
        ),
        batch_size=5000,
    )
    # Fresh statistics now, so autovacuum does not wake up in the middle of the timed run.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def run(size: int, port: int, status: Path, workers: int) -> dict:
    """Dispatch here (as the beat task would) and let real workers send."""
    setup_django(port)
    import redis
    from django.db import connection

    from reminders.dispatch import dispatch_due
    from reminders.models import Nudge

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    probe_dir = Path(tempfile.mkdtemp(prefix="bench-probe-"))
    env = {**os.environ, "BENCH_PROBE_DIR": str(probe_dir), "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-I", "bench.probe",
         "--concurrency", str(workers), "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel", "WARNING"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (probe_dir / "ready").exists():
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the Celery worker did not start")
            time.sleep(0.2)
        before, _ = sink_count(status)
        dispatch_queries = 0

        def count(execute, sql, params, many, context):
            nonlocal dispatch_queries
            dispatch_queries += 1
            return execute(sql, params, many, context)

        started = time.time()
        with connection.execute_wrapper(count):
            queued = dispatch_due()
        dispatch_seconds = time.time() - started
        deadline = time.monotonic() + TIMEOUT
        while (sink_count(status)[0] - before) < queued and time.monotonic() < deadline:
            time.sleep(0.1)
        count_now, last_at = sink_count(status)
        time.sleep(1)  # let the last task finish writing its probe file
    finally:
        worker.send_signal(signal.SIGQUIT)
        worker.wait(timeout=30)
    received = count_now - before
    worker_queries, worker_peak = 0, 0
    for probe in probe_dir.glob("worker-*.txt"):
        queries, peak = map(int, probe.read_text().split())
        worker_queries += queries
        worker_peak = max(worker_peak, peak)
    shutil.rmtree(probe_dir, ignore_errors=True)
    return {
        "size": size,
        "queued": queued,
        "received": received,
        "sent_rows": Nudge.objects.filter(status="sent").count(),
        "seconds": last_at - started,
        "dispatch_seconds": dispatch_seconds,
        "dispatch_queries": dispatch_queries,
        "worker_queries": worker_queries,
        "dispatcher_peak_kib": peak_rss_kib(),
        "worker_peak_kib": worker_peak,
    }


def dispatch_only(size: int) -> dict:
    """The dispatcher's minute, as beat runs it, with the send tasks counted, not sent."""
    setup_django()
    from django.db import connection

    from reminders import dispatch
    from reminders.outbox import chunks

    tasks = []
    dispatch.enqueue_send = lambda ids: tasks.extend(chunks(list(ids)))
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        queued = dispatch.dispatch_due()
    return {
        "people": size,
        "queued": queued,
        "send_tasks": len(tasks),
        "seconds": time.perf_counter() - started,
        "queries": queries,
        "peak_kib": peak_rss_kib(),
    }


def dispatch_report(result: dict, due: int) -> int:
    seconds = result["seconds"]
    print(
        f"{result['people']:,} people, {due:,} due this minute: claimed and queued "
        f"{result['queued']:,} emails in {result['send_tasks']} send tasks in {seconds:.2f} s "
        f"({result['queued'] / seconds:,.0f} a second), {result['queries']} queries, "
        f"peak memory {result['peak_kib'] / 1024:.0f} MiB"
    )
    if result["queued"] != due:
        print(f"FLOOR MISSED: {result['queued']} queued, {due} were due")
        return 1
    if seconds >= MAX_DISPATCH_SECONDS:
        print(f"FLOOR MISSED: {seconds:.1f} s is not under {MAX_DISPATCH_SECONDS:g} s")
        return 1
    print(f"PASS: one minute's slots in {seconds:.1f} s (under {MAX_DISPATCH_SECONDS:g} s)")
    return 0


def baseline(size: int, port: int) -> dict:
    """The same number of nudge emails, rendered beforehand by the same renderer (from
    unsaved rows, so it can run before the pipeline too), sent in a bare loop."""
    setup_django(port)
    from django.core import mail

    from couples.models import User
    from reminders import catalog
    from reminders.models import Nudge
    from reminders.outbox import RENDERERS, Batch

    templates = list(catalog.templates().values())
    users = User.objects.select_related("reminder_preference").order_by("pk")[:size]
    nudges = [
        Nudge(user=user, kind="nudge", tip=t.tip, template_key=t.key, slot=dt.datetime.now(dt.UTC))
        for user, t in zip(users, itertools.cycle(templates), strict=False)
    ]
    batch = Batch(nudges)
    messages = [RENDERERS[nudge.kind](nudge, batch) for nudge in nudges]
    connection = mail.mailers.default
    connection.open()
    started = time.time()
    for message in messages:
        connection.send_messages([message])
    seconds = time.time() - started
    connection.close()
    return {"size": len(messages), "seconds": seconds}


# --- The whole benchmark -----------------------------------------------------------------


def child(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare_database() -> None:
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--dispatch-only", action="store_true", help="time the dispatcher alone, no sending"
    )
    parser.add_argument("--people", type=int, default=DISPATCH_PEOPLE)
    parser.add_argument("--due", type=int, help="due this minute (default: a quarter)")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/nudges.py runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if args.dispatch_only:
        due = args.due if args.due is not None else int(args.people * DISPATCH_DUE_SHARE)
        scratch = Path(tempfile.mkdtemp(prefix="bench-nudges-"))
        os.environ["KINDLING_VAR_DIR"] = str(scratch / "var")
        try:
            prepare_database()
            child("--seed", str(args.people), "--due", str(due))
            return dispatch_report(child("--dispatch", str(args.people)), due)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("bench/nudges.py needs Redis for its workers: set REDIS_URL=redis://...")
    scratch = Path(tempfile.mkdtemp(prefix="bench-nudges-"))
    os.environ["KINDLING_VAR_DIR"] = str(scratch / "var")
    prepare_database()

    status = scratch / "sink-status"
    sink = subprocess.Popen(
        [sys.executable, "-m", "tests.smtp_sink", str(status)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        port = sink.stdout.readline().strip()
        results = []
        for size in args.sizes:
            child("--seed", str(size))
            # The baseline runs just before and just after the pipeline, and the two are
            # averaged, so other work on the machine weighs on both sides alike.
            before = child("--baseline", str(size), "--port", port)
            result = child("--run", str(size), "--port", port, "--status", str(status),
                           "--workers", str(args.workers))  # fmt: skip
            after = child("--baseline", str(size), "--port", port)
            result["baselines"] = [before, after]
            results.append(result)
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)
    return report(results)


def report(results: list[dict]) -> int:
    failures = []
    print(f"{'people':>7} {'pipeline/s':>10} {'baseline/s (before, after)':>26} {'ratio':>6} {'queries/nudge':>13} "
          f"{'dispatch s':>10} {'dispatcher MiB':>14} {'worker MiB':>10}")  # fmt: skip
    for r in results:
        rate = r["received"] / r["seconds"]
        bases = [b["size"] / b["seconds"] for b in r["baselines"]]
        base = sum(bases) / len(bases)
        per_nudge = (r["dispatch_queries"] + r["worker_queries"]) / max(r["queued"], 1)
        r.update(rate=rate, base=base, per_nudge=per_nudge)
        both = f"{base:.0f} ({bases[0]:.0f}, {bases[-1]:.0f})"
        print(f"{r['size']:>7} {rate:>10.0f} {both:>26} {rate / base:>6.2f} {per_nudge:>13.3f} "
              f"{r['dispatch_seconds']:>10.2f} {r['dispatcher_peak_kib'] / 1024:>14.0f} "
              f"{r['worker_peak_kib'] / 1024:>10.0f}")  # fmt: skip
        if r["received"] != r["size"] or r["sent_rows"] != r["size"]:
            failures.append(f"{r['size']}: {r['received']} received, {r['sent_rows']} rows sent")
        if rate < FLOOR_RATIO * base:
            failures.append(f"{r['size']}: {rate:.0f}/s is under half the baseline's {base:.0f}/s")
        if per_nudge > MAX_QUERIES:
            failures.append(f"{r['size']}: {per_nudge:.2f} queries per nudge")
    if len(results) >= 2:
        small, large = results[0], results[-1]
        for key in ("dispatcher_peak_kib", "worker_peak_kib"):
            growth = large[key] / small[key]
            print(f"{key.removesuffix('_kib').replace('_', ' ')}: "
                  f"{large['size']} vs {small['size']} people = {growth:.2f}x")  # fmt: skip
            if growth > MAX_MEMORY_GROWTH:
                failures.append(f"{key}: grew {growth:.2f}x")
    for failure in failures:
        print("FLOOR MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in {"--seed", "--run", "--baseline", "--dispatch"}:
        step = argparse.ArgumentParser()
        step.add_argument("--seed", type=int)
        step.add_argument("--run", type=int)
        step.add_argument("--baseline", type=int)
        step.add_argument("--port", type=int)
        step.add_argument("--status", type=Path)
        step.add_argument("--workers", type=int, default=2)
        step.add_argument("--due", type=int)
        step.add_argument("--dispatch", type=int)
        a = step.parse_args()
        if a.seed:
            seed(a.seed, a.due)
            print("{}")
        elif a.dispatch:
            print(json.dumps(dispatch_only(a.dispatch)))
        elif a.run:
            print(json.dumps(run(a.run, a.port, a.status, a.workers)))
        else:
            print(json.dumps(baseline(a.baseline, a.port)))
    else:
        sys.exit(main())
