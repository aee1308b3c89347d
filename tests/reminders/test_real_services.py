"""A real Celery worker and beat, as subprocesses, send a nudge to an SMTP sink on
127.0.0.1: once on PostgreSQL and Redis (when DATABASE_URL and REDIS_URL point at them),
once on the embedded defaults that `make run` uses (SQLite and the filesystem:// broker).
Each is bounded in time and always stops its processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import ON_POSTGRES
from tests.smtp_sink import SmtpSink

from .realworld import RECIPIENTS, seed

pytestmark = pytest.mark.real_worker

ROOT = Path(__file__).resolve().parents[2]
ARRIVAL_TIMEOUT = 60


def base_env(tmp_path: Path, sink: SmtpSink) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "EMAIL_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        KINDLING_VAR_DIR=str(tmp_path / "var"),
        CELERY_FILESYSTEM_DIR=str(tmp_path / "broker"),
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        KINDLING_DISPATCH_SECONDS="2",
        SITE_URL="https://kindling.example.org",
        PYTHONUNBUFFERED="1",
    )
    return env


def celery(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.Popen:
    log = open(tmp_path / f"{args[0]}.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(processes: list[subprocess.Popen]) -> None:
    # SIGQUIT is Celery's cold shutdown: the work is done, so there is no need to wait
    # for a warm one (several seconds with a process pool).
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def run_worker_and_beat(tmp_path: Path, env: dict[str, str], sink: SmtpSink) -> None:
    processes = [
        celery(tmp_path, env, "worker", "--concurrency", "1", "--without-gossip", "--without-mingle"),
        celery(tmp_path, env, "beat", "--schedule", str(tmp_path / "beat-schedule")),
    ]  # fmt: skip
    try:
        arrived = sink.wait_for(len(RECIPIENTS), ARRIVAL_TIMEOUT)
        logs = "\n".join(path.read_text()[-3000:] for path in tmp_path.glob("*.log"))
        assert arrived, f"no nudge within {ARRIVAL_TIMEOUT}s; logs:\n{logs}"
        time.sleep(1)  # anything sent twice would arrive now
    finally:
        stop(processes)
    assert sorted(message["To"] for message in sink.messages) == RECIPIENTS
    for message in sink.messages:
        assert message["List-Unsubscribe"].startswith("<https://kindling.example.org/reminders/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.is_multipart()


@pytest.mark.skipif(
    not (ON_POSTGRES and os.environ.get("REDIS_URL")),
    reason="needs PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...",
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_and_beat_on_redis_and_postgres_deliver_a_nudge(tmp_path):
    import redis

    from reminders.models import Nudge

    # No task left from a past run (only the broker's keys: other test processes keep
    # their cache in this database).
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
        "celery", "push", "unacked", "unacked_index"
    )
    seed()
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}"
        f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
        f"/{settings_dict['NAME']}"
    )
    with SmtpSink() as sink:
        env = base_env(tmp_path, sink)
        env.update(DATABASE_URL=database_url, REDIS_URL=os.environ["REDIS_URL"])
        run_worker_and_beat(tmp_path, env, sink)
    assert set(Nudge.objects.values_list("status", flat=True)) == {"sent"}
    assert Nudge.objects.count() == len(RECIPIENTS)


def test_a_worker_and_beat_on_the_embedded_defaults_deliver_a_nudge(tmp_path):
    with SmtpSink() as sink:
        env = base_env(tmp_path, sink)
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
        for command in (["manage.py", "migrate", "--noinput"], ["-m", "tests.reminders.realworld"]):
            subprocess.run(
                [sys.executable, *command], cwd=ROOT, env=env, check=True, timeout=120,
                capture_output=True,
            )  # fmt: skip
        run_worker_and_beat(tmp_path, env, sink)


def test_a_worker_and_beat_deliver_a_nudge_by_push_and_by_email_exactly_once_each(tmp_path):
    from config.vapid import generate_keys
    from tests.push_service import PushService

    private, public = generate_keys()
    with SmtpSink() as sink, PushService(expected_key=public) as service:
        devices = [service.device(f"phone-{n}") for n in range(len(RECIPIENTS))]
        env = base_env(tmp_path, sink)
        env.update(
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            VAPID_PRIVATE_KEY=private,
            VAPID_PUBLIC_KEY=public,
            VAPID_SUBJECT="mailto:hello@kindling.example.org",
            REQUESTS_CA_BUNDLE=str(service.cert_path),
        )
        seeding = [
            ["manage.py", "migrate", "--noinput"],
            ["-m", "tests.reminders.realworld", json.dumps([d.subscription() for d in devices])],
        ]
        for command in seeding:
            subprocess.run(
                [sys.executable, *command], cwd=ROOT, env=env, check=True, timeout=120,
                capture_output=True,
            )  # fmt: skip
        run_worker_and_beat(tmp_path, env, sink)
        assert service.wait_for(len(devices), ARRIVAL_TIMEOUT)
        time.sleep(1)  # anything pushed twice would arrive now
    assert service.rejected == []
    assert sorted(name for name, _ in service.received) == [d.name for d in devices]
    for _, payload in service.received:
        assert set(payload) == {"title", "body", "url", "tag"}
        assert payload["url"].startswith("https://kindling.example.org/")
