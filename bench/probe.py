"""Loaded into the benchmark's Celery workers (`-I bench.probe`): counts every SQL query
each worker process makes and records its peak memory, in files the benchmark reads."""

from __future__ import annotations

import os
from pathlib import Path

from celery.signals import task_postrun, worker_process_init, worker_ready

OUT = Path(os.environ.get("BENCH_PROBE_DIR", "."))
queries = 0


def _count(execute, sql, params, many, context):
    global queries
    queries += 1
    return execute(sql, params, many, context)


def peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


@worker_process_init.connect
def _install(**kwargs) -> None:
    from django.db import connection

    connection.execute_wrappers.append(_count)


@task_postrun.connect
def _record(**kwargs) -> None:
    (OUT / f"worker-{os.getpid()}.txt").write_text(f"{queries} {peak_rss_kib()}")


@worker_ready.connect
def _ready(**kwargs) -> None:
    (OUT / "ready").write_text("1")
