"""bench/push.py: its verdict (the floors it enforces), and one tiny run of the whole
thing (20 people, real workers, the fake push service and the SMTP sink) so it cannot rot.
The full benchmark takes minutes, so CI never runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench import push

ROOT = Path(__file__).resolve().parent.parent


def result(size: int, *, rate: float, base: float, memory: int) -> dict:
    return {
        "size": size,
        "queued": size,
        "pushes": size,
        "rejected": 0,
        "emails": size,
        "push_rows_sent": size,
        "email_rows_sent": size,
        "push_seconds": size / rate,
        "total_seconds": 2 * size / rate,
        "worker_peak_kib": memory,
        "dispatcher_peak_kib": memory,
        "baselines": [{"size": size, "delivered": size, "seconds": size / base}] * 2,
    }


def test_a_run_within_every_floor_passes(capsys):
    runs = [
        result(5000, rate=150, base=250, memory=100_000),
        result(20000, rate=140, base=250, memory=140_000),
    ]
    assert push.report(runs) == 0
    out = capsys.readouterr().out
    assert "FLOOR MISSED" not in out
    assert "worker peak memory: 20000 vs 5000 people = 1.40x" in out


def test_each_floor_is_enforced(capsys):
    runs = [
        result(5000, rate=100, base=250, memory=100_000),
        result(20000, rate=200, base=250, memory=160_000),
    ]
    assert push.report(runs) == 1
    out = capsys.readouterr().out
    assert "5000: 100/s is under half the baseline's 250/s" in out
    assert "worker peak memory grew 1.60x" in out


@pytest.mark.parametrize(
    ("key", "value"),
    [("pushes", 4999), ("rejected", 1), ("emails", 4999), ("push_rows_sent", 4999),
     ("email_rows_sent", 4999)],
)  # fmt: skip
def test_a_lost_or_refused_message_fails_the_run(capsys, key, value):
    run = result(5000, rate=200, base=250, memory=100_000)
    run[key] = value
    assert push.report([run]) == 1
    assert "FLOOR MISSED: 5000: " in capsys.readouterr().out


def test_a_baseline_push_the_service_refused_fails_the_run(capsys):
    run = result(5000, rate=200, base=250, memory=100_000)
    run["baselines"] = [{"size": 5000, "delivered": 4000, "seconds": 20}] * 2
    assert push.report([run]) == 1
    assert "the baseline's pushes were not all accepted" in capsys.readouterr().out


DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.real_worker
@pytest.mark.skipif(
    not (DATABASE_URL.startswith(("postgres://", "postgresql://")) and os.environ.get("REDIS_URL")),
    reason="needs PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...",
)
def test_twenty_people_go_through_the_whole_benchmark():
    # A database of its own, named for the benchmark: the benchmark empties it.
    url = urlsplit(DATABASE_URL)
    bench_url = url._replace(path=url.path.rstrip("/") + "_bench_push").geturl()
    # And a Redis database of its own: the real-worker tests run at the same time in other
    # pytest-xdist processes, and a worker of theirs would take this run's send tasks.
    redis = urlsplit(os.environ["REDIS_URL"])
    number = int(redis.path.strip("/") or 0)
    bench_redis = redis._replace(path=f"/{(number + 1) % 16}").geturl()
    run = subprocess.run(
        [sys.executable, "bench/push.py", "--sizes", "20", "--workers", "1"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": bench_url, "REDIS_URL": bench_redis},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = run.stdout
    assert "     20 " in out, run.stdout + run.stderr
    # At 20 people the rates are noise; what must hold is that everything arrived once.
    assert "pushes received" not in out, out
    assert "not all accepted" not in out, out
    if run.returncode:
        assert "under half the baseline" in out, out
