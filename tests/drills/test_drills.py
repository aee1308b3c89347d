"""Fault drills: real Celery workers and beats, PostgreSQL and Redis instances of their
own, and an SMTP sink, with a few hundred people in couples. Each drill counts what
arrives by Message-ID (stable per outbox row), so a duplicate is a repeated id and a lost
email a missing one. The drills run side by side, each on its own database, to stay
within a few minutes; the table of figures is printed at the end of the run."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reminders.outbox import SETTLE_EVERY
from tests.smtp_sink import SmtpSink

from .harness import (
    RESULTS,
    ROOT,
    Install,
    Outcome,
    OwnPostgres,
    OwnRedis,
    status,
    wait_until,
)

pytestmark = pytest.mark.drill

RECOVERY = dt.timedelta(minutes=3).total_seconds()


@dataclass
class Lab:
    folder: Path
    postgres: OwnPostgres
    redis: OwnRedis
    _redis_dbs: list[int] = field(default_factory=lambda: list(range(1, 16)))

    def install(self, name: str, sink: SmtpSink, **env) -> Install:
        database = f"drill_{name}"
        self.postgres.execute(f"CREATE DATABASE {database} TEMPLATE drill_template")
        return Install(
            name,
            self.folder,
            self.postgres.url(database),
            self.redis.url(self._redis_dbs.pop(0)),
            sink,
            **env,
        )


def migrate(database_url: str, folder: Path) -> None:
    env = {"DATABASE_URL": database_url, "KINDLING_VAR_DIR": str(folder / "var"), "PATH": ""}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)  # fmt: skip


def kill_worker(lab: Lab) -> Outcome:
    """kill -9 of the worker a third of the way through a batch; a fresh worker starts
    at once, as a supervisor would. Production lease and sweep."""
    due = 300
    with SmtpSink(keep=False) as sink:
        sink.delay = 0.03  # long enough to land the kill mid-batch
        install = lab.install("kill", sink)
        try:
            install.seed(due, -30, -30)
            worker = install.worker()
            install.beat()
            # Off a settle group's boundary, so the kill leaves emails sent but unsettled.
            assert wait_until(lambda: len(sink.ids) >= due // 3 + 10, 120), install.logs()
            install.kill(worker)
            killed_at = time.time()
            install.worker()
            wait_until(lambda: len(sink.ids) >= due, RECOVERY + 20)
            time.sleep(2)
            assert install.statuses() == {"sent": due}, install.logs()
            return Outcome.count("kill -9 of the worker mid-batch", due, sink, killed_at)
        finally:
            install.stop_all()


def slow_smtp(lab: Lab) -> Outcome:
    """A mail server taking 1 s per email, a 6 s lease and a sweep every 2 s: the batch
    outlasts its lease many times over, and a second worker waits for anything swept."""
    due = 40
    with SmtpSink(keep=False) as sink:
        sink.delay = 1.0
        install = lab.install("slow", sink, KINDLING_LEASE_SECONDS=6, KINDLING_SWEEP_SECONDS=2)
        try:
            install.seed(due, -30, -30)
            started = time.time()
            install.worker()
            install.worker()
            install.beat()
            assert wait_until(lambda: len(sink.ids) >= due, 150), install.logs()
            time.sleep(8)  # anything handed over twice would arrive by now
            assert install.statuses() == {"sent": due}, install.logs()
            return Outcome.count("slow SMTP (1 s per email, 6 s lease)", due, sink, started)
        finally:
            install.stop_all()


def two_beats(lab: Lab) -> Outcome:
    """Two beats dispatching every 2 s for 60 s while people come due over 50 s."""
    due = 200
    with SmtpSink(keep=False) as sink:
        install = lab.install("beats", sink)
        try:
            last_due = time.time() + 50  # seeding reads its clock a moment later: a bit early
            install.seed(due, 5, 50)
            install.worker()
            install.worker()
            install.beat(0)
            install.beat(1)
            time.sleep(60)
            assert wait_until(lambda: len(sink.ids) >= due, 60), install.logs()
            time.sleep(2)
            assert install.statuses() == {"sent": due}, install.logs()
            return Outcome.count("two beats for 60 s", due, sink, last_due)
        finally:
            install.stop_all()


def smtp_down(lab: Lab) -> Outcome:
    """The mail server is down for the first 60 s after everyone came due."""
    due = 200
    with SmtpSink(keep=False) as sink:
        sink.stop()
        install = lab.install("smtp", sink)
        try:
            install.seed(due, -5, -5)
            install.worker()
            install.beat()
            time.sleep(60)
            sink.start()
            back_at = time.time()
            assert wait_until(lambda: len(sink.ids) >= due, RECOVERY), install.logs()
            time.sleep(2)
            assert install.statuses() == {"sent": due}, install.logs()
            return Outcome.count("SMTP down for 60 s", due, sink, back_at)
        finally:
            install.stop_all()


def redis_then_postgres(lab: Lab) -> Outcome:
    """Redis stops for 60 s while people come due (pages still answer, /healthz says
    503), then PostgreSQL restarts; more people come due after that."""
    early, late = 120, 80
    postgres, redis = OwnPostgres(), OwnRedis()
    with SmtpSink(keep=False) as sink:
        install = None
        try:
            postgres.execute("CREATE DATABASE drill_restarts")
            migrate(postgres.url("drill_restarts"), lab.folder)
            install = Install("restarts", lab.folder, postgres.url("drill_restarts"),
                              redis.url(0), sink)  # fmt: skip
            seeded_at = time.time()
            install.seed(early, 30, 60)
            install.seed(late, 125, 135)
            install.worker()
            install.beat()
            site = install.web()
            time.sleep(max(0.0, seeded_at + 20 - time.time()))
            redis.stop()
            time.sleep(20)
            pages = {path: status(site + path) for path in ("/", "/accounts/login/", "/healthz")}
            time.sleep(40)
            redis.start()
            back_at = time.time()
            time.sleep(15)
            postgres.stop()
            time.sleep(5)
            postgres.start()
            assert pages == {"/": 200, "/accounts/login/": 200, "/healthz": 503}, pages
            assert status(site + "/healthz") == 200
            wait_until(lambda: len(sink.ids) >= early + late, RECOVERY)
            time.sleep(2)
            assert install.statuses() == {"sent": early + late}, install.logs()
            return Outcome.count(
                "Redis down 60 s, then PostgreSQL restarted", early + late, sink, back_at
            )
        finally:
            if install is not None:
                install.stop_all()
            redis.close()
            postgres.close()


DRILLS = {
    "kill_worker": kill_worker,
    "slow_smtp": slow_smtp,
    "two_beats": two_beats,
    "smtp_down": smtp_down,
    "redis_then_postgres": redis_then_postgres,
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Future]:
    folder = Path(tempfile.mkdtemp(prefix="kindling-drills-"))
    postgres, redis = OwnPostgres(), OwnRedis()
    try:
        postgres.execute("CREATE DATABASE drill_template")
        migrate(postgres.url("drill_template"), folder)
        lab = Lab(folder, postgres, redis)
        with ThreadPoolExecutor(len(DRILLS)) as pool:
            futures = {name: pool.submit(drill, lab) for name, drill in DRILLS.items()}
        for future in futures.values():
            if future.exception() is None:
                RESULTS.append(future.result())
        yield futures
    finally:
        redis.close()
        postgres.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("name", DRILLS)
def test_drill(name, outcomes):
    outcome = outcomes[name].result()
    assert outcome.lost == 0, outcome
    assert outcome.delivered == outcome.due, outcome
    if name == "kill_worker":
        assert outcome.duplicates <= SETTLE_EVERY, outcome
        assert outcome.settle_seconds <= RECOVERY, outcome
    elif name == "smtp_down":
        assert outcome.settle_seconds <= RECOVERY, outcome
    else:
        assert outcome.duplicates == 0, outcome
    if name == "redis_then_postgres":
        assert outcome.settle_seconds <= RECOVERY, outcome
