"""What the drills run on. Their own PostgreSQL and Redis instances, on free ports, which
they stop and restart (the machine's are shared with others and never touched); an SMTP
sink that counts by Message-ID; and, per drill, real Celery worker and beat processes
(and gunicorn where a drill looks at pages) against its own database."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.smtp_sink import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = "drill.example.org"
RESULTS: list[Outcome] = []  # printed as a table at the end of the run (conftest.py)


def tool(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def missing_tools() -> list[str]:
    return [name for name in ("initdb", "pg_ctl", "redis-server") if tool(name) is None]


def wait_until(check: Callable[[], bool], timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


class OwnPostgres:
    """A throwaway cluster in a temporary folder; initdb refuses root, so it runs as the
    postgres user when the tests run as root."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kindling-drill-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run(tool("initdb"), "-D", self.root / "data", "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")  # fmt: skip
        self.start()

    def _run(self, *args) -> None:
        command = [str(arg) for arg in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c max_connections=200")  # fmt: skip
        self._run(tool("pg_ctl"), "-D", self.root / "data", "-l", self.root / "log", "-w",
                  "-t", "60", "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        self._run(tool("pg_ctl"), "-D", self.root / "data", "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(sql)

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class OwnRedis:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kindling-drill-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [tool("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def answers() -> bool:
            try:
                return redis.Redis(port=self.port, socket_timeout=1).ping()
            except redis.RedisError:
                return False

        assert wait_until(answers, 20), "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Outcome:
    drill: str
    due: int
    delivered: int
    duplicates: int
    lost: int
    settle_seconds: float
    notes: str = ""

    @classmethod
    def count(cls, drill: str, due: int, sink: SmtpSink, since: float, notes: str = "") -> Outcome:
        delivered = len([key for key in sink.ids if key])
        return cls(
            drill=drill,
            due=due,
            delivered=delivered,
            duplicates=sum(sink.ids.values()) - delivered,
            lost=due - delivered,
            settle_seconds=round(sink.last_at - since, 1),
            notes=notes,
        )


class Install:
    """One drill's Kindling: a database, a Redis db, its processes and their logs."""

    def __init__(
        self, name: str, folder: Path, database_url: str, redis_url: str, sink: SmtpSink, **env
    ):
        self.name = name
        self.database_url = database_url
        self.folder = folder / name
        self.folder.mkdir(parents=True)
        self.processes: list[subprocess.Popen] = []
        self._logs: list = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "EMAIL_URL"}
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_SECRET_KEY="drill-" + "k" * 60,
            KINDLING_VAR_DIR=str(self.folder / "var"),
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            EMAIL_URL=f"smtp://127.0.0.1:{sink.port}?timeout=10",
            KINDLING_DISPATCH_SECONDS="2",
            SITE_URL=f"http://{SITE}",
            PYTHONUNBUFFERED="1",
            **{key: str(value) for key, value in env.items()},
        )
        import redis

        redis.Redis.from_url(redis_url).flushdb()

    def python(self, *args: str, timeout: float = 300) -> None:
        subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env, check=True,
                       capture_output=True, timeout=timeout)  # fmt: skip

    def seed(self, count: int, due_from: float, due_until: float) -> None:
        self.python("-m", "tests.drills.seed", str(count), str(due_from), str(due_until))

    def _start(self, log_name: str, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{log_name}.log", "a")  # noqa: SIM115 (closed in stop_all)
        self._logs.append(log)
        process = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=self.env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def worker(self) -> subprocess.Popen:
        n = sum(1 for path in self.folder.glob("worker-*.log"))
        return self._start(f"worker-{n}", "-m", "celery", "-A", "config", "worker",
                           "--concurrency", "1", "--without-gossip", "--without-mingle",
                           "--hostname", f"{self.name}-{n}@%h", "--loglevel", "INFO")  # fmt: skip

    def beat(self, n: int = 0) -> subprocess.Popen:
        return self._start(f"beat-{n}", "-m", "celery", "-A", "config", "beat",
                           "--schedule", str(self.folder / f"beat-{n}"), "--loglevel", "INFO")  # fmt: skip

    def web(self) -> str:
        port = free_port()
        self._start("web", "-m", "gunicorn", "config.wsgi", "--workers", "1",
                    "--bind", f"127.0.0.1:{port}", "--timeout", "30")  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: status(url + "/healthz") == 200, 60), self.logs()
        return url

    def kill(self, process: subprocess.Popen) -> None:
        """kill -9 of the process and its pool children, all at once."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def statuses(self) -> dict[str, int]:
        import psycopg

        with psycopg.connect(self.database_url) as connection:
            rows = connection.execute(
                "SELECT status, count(*) FROM reminders_nudge GROUP BY status"
            ).fetchall()
        return dict(rows)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-2500:]}" for path in self.folder.glob("*.log")
        )

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGQUIT)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for log in self._logs:
            log.close()


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (http on 127.0.0.1)
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0
