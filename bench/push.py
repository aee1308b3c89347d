"""Push throughput: N people, each with one push device and an email address, all due in
the same minute, dispatched and sent by real Celery workers (push and email rows from the
same outbox) to a local fake push service over HTTPS and to the SMTP sink, against a
baseline that sends the same number of signed, encrypted push requests with pywebpush's
webpush() in a bare loop over one HTTP connection pool (one requests.Session), just before
and just after the pipeline (the two are averaged).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindling_bench_push \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/push.py

Prints pushes per second for both and their ratio (the pipeline's rate is taken from its
first push to its last, so any email it sends meanwhile weighs on it), and the worker's
peak memory at 5,000 and 20,000 people; exits non-zero if a floor is missed: at least 50%
of the baseline's rate, every push and every email delivered once, and the 20,000 run's
worker peak memory within 1.5x of the 5,000 run's. Each size runs in a fresh process.
The database is emptied first.

The fake push service (`--serve`) is lighter than tests/push_service.py, which decrypts
every message: it checks each new VAPID token once (signature, audience, expiry) and each
request's encoding and TTL, and counts. Both the pipeline and the baseline use the same
token signed once (the pipeline reuses its token for 11 hours, push.vapid_headers), so
the two send the same requests: only the encryption differs per message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

if __package__ in {None, ""}:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import nudges
from bench.nudges import ROOT, TIMEOUT, peak_rss_kib, setup_django, sink_count

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kindling_bench_push"
FLOOR_RATIO, MAX_MEMORY_GROWTH = 0.5, 1.5


# --- The fake push service ---------------------------------------------------------------


def serve(status: Path) -> None:
    """Count accepted pushes into `status` ("count first_at last_at rejected"); print the
    port, then the certificate's path, and serve until killed."""
    from tests.push_service import check_vapid, self_signed_certificate
    from tests.smtp_sink import free_port

    port = free_port()
    origin = f"https://127.0.0.1:{port}"
    folder = Path(tempfile.mkdtemp(prefix="bench-push-service-"))
    cert_path, key_path = self_signed_certificate(folder)
    lock = threading.Lock()
    state = {"count": 0, "first": 0.0, "last": 0.0, "rejected": 0}
    checked: set[str] = set()

    def accept(headers, body: bytes) -> int:
        authorization = headers.get("Authorization", "")
        try:
            if authorization not in checked:
                check_vapid(authorization, origin, None)
                checked.add(authorization)
            if headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in headers:
                raise ValueError("not aes128gcm, or no TTL")
            if len(body) < 86:  # salt, record size, key id length, key, and a tag at least
                raise ValueError("no encrypted body")
        except Exception:
            with lock:
                state["rejected"] += 1
            return 400
        now = time.time()
        with lock:
            state["count"] += 1
            state["first"] = state["first"] or now
            state["last"] = now
            status.write_text(
                f"{state['count']} {state['first']} {state['last']} {state['rejected']}"
            )
        return 201

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(accept(self.headers, body))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(port, flush=True)
    print(cert_path, flush=True)
    try:
        server.serve_forever()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def push_count(status: Path) -> tuple[int, float, float, int]:
    try:
        count, first, last, rejected = status.read_text().split()
    except (FileNotFoundError, ValueError):
        return 0, 0.0, 0.0, 0
    return int(count), float(first), float(last), int(rejected)


# --- Steps, each run in its own process ------------------------------------------------


def seed(size: int, push_port: int) -> None:
    """bench/nudges.py's people, each with one device on the fake push service. Every
    device gets the same keys (the fake does not decrypt; the sender encrypts anew for
    each message all the same)."""
    nudges.seed(size)
    from cryptography.hazmat.primitives.asymmetric import ec
    from django.db import connection

    from couples.models import User
    from reminders.models import PushSubscription
    from tests.push_service import Device

    key = Device("bench", "", ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
    PushSubscription.objects.bulk_create(
        (
            PushSubscription(
                user_id=pk,
                endpoint=f"https://127.0.0.1:{push_port}/push/{pk}",
                p256dh=key.p256dh,
                auth=key.auth_b64,
                device_name="Bench browser",
            )
            for pk in User.objects.order_by("pk").values_list("pk", flat=True).iterator()
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def run(size: int, smtp_port: int, smtp_status: Path, push_status: Path, workers: int) -> dict:
    """Dispatch here (as the beat task would) and let real workers send both channels."""
    setup_django(smtp_port)
    import redis

    from reminders.dispatch import dispatch_due
    from reminders.models import Nudge

    # No task left from a past run (only the broker's keys: the tests share this database).
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
        "celery", "push", "unacked", "unacked_index"
    )
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
        emails_before, _ = sink_count(smtp_status)
        pushes_before = push_count(push_status)[0]
        started = time.time()
        queued = dispatch_due()
        deadline = time.monotonic() + TIMEOUT
        first_push = None
        while time.monotonic() < deadline:
            pushed = push_count(push_status)[0] - pushes_before
            if pushed and first_push is None:
                first_push = time.time()  # within 20 ms of it
            if pushed >= size and sink_count(smtp_status)[0] - emails_before >= size:
                break
            time.sleep(0.02)
        time.sleep(1)  # let the last task finish writing its probe file
        emails, emails_last = sink_count(smtp_status)
        pushes, _, last_push, rejected = push_count(push_status)
    finally:
        worker.send_signal(signal.SIGQUIT)
        worker.wait(timeout=30)
    worker_peak = 0
    for probe in probe_dir.glob("worker-*.txt"):
        worker_peak = max(worker_peak, int(probe.read_text().split()[1]))
    shutil.rmtree(probe_dir, ignore_errors=True)
    sent = Nudge.objects.filter(status="sent")
    return {
        "size": size,
        "queued": queued,
        "pushes": pushes - pushes_before,
        "rejected": rejected,
        "emails": emails - emails_before,
        "push_rows_sent": sent.filter(channel="push").count(),
        "email_rows_sent": sent.filter(channel="email").count(),
        # From the first push: the dispatcher's first batch is queued before any push.
        "push_seconds": last_push - (first_push or last_push),
        "total_seconds": max(last_push, emails_last) - started,
        "worker_peak_kib": worker_peak,
        "dispatcher_peak_kib": peak_rss_kib(),
    }


def baseline(size: int, push_port: int) -> dict:
    """The same number of push messages, rendered beforehand by the same renderer (from
    unsaved rows) and sent with webpush() in a bare loop over one requests.Session, with
    the VAPID token signed once, as the pipeline does."""
    setup_django()
    import requests
    from pywebpush import webpush

    from couples.models import User
    from reminders import catalog, push
    from reminders.models import Nudge
    from reminders.outbox import Batch, render_push

    templates = list(catalog.templates().values())
    users = list(
        User.objects.select_related("reminder_preference")
        .prefetch_related("push_subscriptions")
        .order_by("pk")[:size]
    )
    rows = [
        Nudge(pk=n + 1, user=user, kind="nudge", channel="push", tip=t.tip,
              template_key=t.key, slot=dt.datetime.now(dt.UTC))
        for n, (user, t) in enumerate(zip(users, itertools.cycle(templates), strict=False))
    ]  # fmt: skip
    batch = Batch(rows)
    requests_ = []
    for row, user in zip(rows, users, strict=True):
        topic = f"kindling-{row.pk}"
        device = user.push_subscriptions.all()[0]
        requests_.append((device.info(), render_push(row, batch).payload(tag=topic), topic))
    headers = push.vapid_headers(requests_[0][0]["endpoint"])
    session = requests.Session()
    delivered = 0
    started = time.time()
    for info, data, topic in requests_:
        response = webpush(
            info, data, headers={**headers, "Topic": topic}, ttl=push.TIME_TO_LIVE,
            content_encoding="aes128gcm", requests_session=session,
        )  # fmt: skip
        delivered += response.status_code == 201
    seconds = time.time() - started
    session.close()
    return {"size": len(requests_), "delivered": delivered, "seconds": seconds}


# --- The whole benchmark -----------------------------------------------------------------


def child(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    args = parser.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/push.py runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("bench/push.py needs Redis for its workers: set REDIS_URL=redis://...")
    scratch = Path(tempfile.mkdtemp(prefix="bench-push-"))
    # VAPID keys are generated once into this var/ and shared by every step.
    os.environ["KINDLING_VAR_DIR"] = str(scratch / "var")
    os.environ["PUSH_ALLOWED_PRIVATE_HOSTS"] = "127.0.0.1"
    nudges.prepare_database()
    smtp_status, push_status = scratch / "sink-status", scratch / "push-status"
    sink = subprocess.Popen(
        [sys.executable, "-m", "tests.smtp_sink", str(smtp_status)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    service = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(push_status)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        smtp_port = sink.stdout.readline().strip()
        push_port = service.stdout.readline().strip()
        os.environ["REQUESTS_CA_BUNDLE"] = service.stdout.readline().strip()
        results = []
        for size in args.sizes:
            child("--seed", str(size), "--push-port", push_port)
            before = child("--baseline", str(size), "--push-port", push_port)
            result = child("--run", str(size), "--port", smtp_port, "--status", str(smtp_status),
                           "--push-status", str(push_status), "--workers", str(args.workers))  # fmt: skip
            after = child("--baseline", str(size), "--push-port", push_port)
            result["baselines"] = [before, after]
            results.append(result)
    finally:
        for process in (sink, service):
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)
    return report(results)


def report(results: list[dict]) -> int:
    failures = []
    print(f"{'people':>7} {'pushes/s':>8} {'webpush() loop/s (before, after)':>32} {'ratio':>6} "
          f"{'all sent in s':>13} {'worker MiB':>10}")  # fmt: skip
    for r in results:
        rate = r["pushes"] / max(r["push_seconds"], 1e-9)
        bases = [b["size"] / b["seconds"] for b in r["baselines"]]
        base = sum(bases) / len(bases)
        r.update(rate=rate, base=base)
        both = f"{base:.0f} ({bases[0]:.0f}, {bases[-1]:.0f})"
        print(f"{r['size']:>7} {rate:>8.0f} {both:>32} {rate / base:>6.2f} "
              f"{r['total_seconds']:>13.1f} {r['worker_peak_kib'] / 1024:>10.0f}")  # fmt: skip
        size = r["size"]
        counts = (r["pushes"], r["push_rows_sent"], r["emails"], r["email_rows_sent"])
        if counts != (size,) * 4 or r["rejected"]:
            failures.append(
                f"{size}: {r['pushes']} pushes received ({r['rejected']} rejected), "
                f"{r['push_rows_sent']} push rows sent, {r['emails']} emails received, "
                f"{r['email_rows_sent']} email rows sent"
            )
        if any(b["delivered"] != b["size"] for b in r["baselines"]):
            failures.append(f"{size}: the baseline's pushes were not all accepted")
        if rate < FLOOR_RATIO * base:
            failures.append(f"{size}: {rate:.0f}/s is under half the baseline's {base:.0f}/s")
    if len(results) >= 2:
        small, large = results[0], results[-1]
        growth = large["worker_peak_kib"] / small["worker_peak_kib"]
        print(f"worker peak memory: {large['size']} vs {small['size']} people = {growth:.2f}x")
        if growth > MAX_MEMORY_GROWTH:
            failures.append(f"worker peak memory grew {growth:.2f}x")
    for failure in failures:
        print("FLOOR MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    steps = {"--seed", "--run", "--baseline", "--serve"}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        step = argparse.ArgumentParser()
        step.add_argument("--seed", type=int)
        step.add_argument("--run", type=int)
        step.add_argument("--baseline", type=int)
        step.add_argument("--serve", type=Path)
        step.add_argument("--port", type=int)
        step.add_argument("--push-port", type=int)
        step.add_argument("--status", type=Path)
        step.add_argument("--push-status", type=Path)
        step.add_argument("--workers", type=int, default=2)
        a = step.parse_args()
        if a.serve:
            serve(a.serve)
        elif a.seed:
            seed(a.seed, a.push_port)
            print("{}")
        elif a.run:
            print(json.dumps(run(a.run, a.port, a.status, a.push_status, a.workers)))
        else:
            print(json.dumps(baseline(a.baseline, a.push_port)))
    else:
        sys.exit(main())
