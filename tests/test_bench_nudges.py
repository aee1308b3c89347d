"""bench/nudges.py's verdict: the floors it enforces (the benchmark itself needs
PostgreSQL, Redis and minutes, so CI never runs it)."""

from __future__ import annotations

from bench import nudges


def result(size: int, *, rate: float, base: float, queries: int, memory: int) -> dict:
    return {
        "size": size,
        "queued": size,
        "received": size,
        "sent_rows": size,
        "seconds": size / rate,
        "dispatch_seconds": 1.0,
        "dispatch_queries": queries,
        "worker_queries": 0,
        "dispatcher_peak_kib": memory,
        "worker_peak_kib": memory,
        "baselines": [{"size": size, "seconds": size / base}] * 2,
    }


def test_a_run_within_every_floor_passes(capsys):
    runs = [
        result(5000, rate=150, base=250, queries=500, memory=100_000),
        result(20000, rate=140, base=250, queries=2000, memory=140_000),
    ]
    assert nudges.report(runs) == 0
    assert "FLOOR MISSED" not in capsys.readouterr().out


def test_each_floor_is_enforced(capsys):
    runs = [
        result(5000, rate=100, base=250, queries=5000 * 4, memory=100_000),
        result(20000, rate=200, base=250, queries=2000, memory=160_000),
    ]
    assert nudges.report(runs) == 1
    out = capsys.readouterr().out
    assert "5000: 100/s is under half the baseline's 250/s" in out
    assert "5000: 4.00 queries per nudge" in out
    assert "dispatcher_peak_kib: grew 1.60x" in out


def test_a_lost_email_fails_the_run(capsys):
    run = result(5000, rate=200, base=250, queries=500, memory=100_000)
    run["received"] = 4999
    assert nudges.report([run]) == 1
    assert "4999 received" in capsys.readouterr().out


def test_the_dispatch_only_run_must_queue_every_due_slot_within_20_seconds(capsys):
    def run(queued: int, seconds: float) -> int:
        result = {"people": 100_000, "queued": queued, "send_tasks": 50, "seconds": seconds,
                  "queries": 550, "peak_kib": 80_000}  # fmt: skip
        return nudges.dispatch_report(result, 25_000)

    assert run(25_000, 12.0) == 0
    assert "PASS: one minute's slots in 12.0 s" in capsys.readouterr().out
    assert run(25_000, 20.0) == 1
    assert "FLOOR MISSED: 20.0 s is not under 20 s" in capsys.readouterr().out
    assert run(24_999, 5.0) == 1
    assert "24999 queued, 25000 were due" in capsys.readouterr().out
