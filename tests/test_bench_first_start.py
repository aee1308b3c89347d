"""bench/first_start.py's verdict: the targets it enforces (the benchmark itself clones the
repository and runs `make run`, so CI never runs it)."""

from __future__ import annotations

import re

from bench import first_start
from bench.first_start import NOISE, Start


def start(number: int = 1, *, first_200: float = 8.0, stop: float = 1.1, **kwargs) -> Start:
    return Start(number, first_200=first_200, stop_seconds=stop, **kwargs)


def test_a_fast_start_and_stop_on_a_quiet_terminal_passes(capsys):
    assert first_start.report([start(), start(2, first_200=2.5)]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out
    assert "FAIL" not in out


def test_each_target_is_enforced(capsys):
    slow = start(first_200=31.0, stop=3.5, killed=["celery worker"])
    assert first_start.report([slow]) == 1
    out = capsys.readouterr().out
    assert "FAIL first start: first 200 after 31.0s" in out
    assert "FAIL start 1: stopping took 3.5s" in out
    assert "still running, killed: ['celery worker']" in out


def test_only_the_first_start_must_answer_within_the_target(capsys):
    assert first_start.report([start(), start(2, first_200=40.0)]) == 0


def test_a_start_that_never_came_up_fails(capsys):
    assert first_start.report([start(first_200=None, problem="not up within 180s")]) == 1
    assert "FAIL start 1: not up within 180s" in capsys.readouterr().out


def test_noise_in_the_terminal_fails(capsys):
    lines = [
        "worker | [2026-12-02 04:28:30,046: ERROR/MainProcess] Process 'ForkPoolWorker-2' "
        "pid:18339 exited with 'signal 15 (SIGTERM)'",
        "worker | [2026-12-02 04:28:24,901: WARNING/ForkPoolWorker-1] Subject: Hello",
        "beat   | 2026-12-02 04:28:25,704 WARNING kombu.connection No hostname was supplied.",
    ]
    noise = {
        name: [line for line in lines if pattern.search(line)] for name, pattern in NOISE.items()
    }
    assert all(noise.values())
    assert first_start.report([start(noise=noise)]) == 1
    out = capsys.readouterr().out
    for name in NOISE:
        assert re.search(rf"FAIL start 1: 1 {name} line", out)
