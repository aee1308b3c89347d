"""Every limit holds across processes: gunicorn with 3 workers, once on the embedded
defaults (SQLite and the database cache) and once on PostgreSQL and Redis. Each attempt
is a real HTTP request; the access log names the worker that served it, and a limit only
counts as tested when its attempts were spread over more than one worker.

A new limit is one more line in LIMITS."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES
from tests.smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 3
WINDOW_EDGES = 15 * 60
EDGE_MARGIN = 120  # seconds; one limit's attempts take well under a minute


class Browser:
    """Cookies and CSRF like a browser, redirects reported rather than followed."""

    class _Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), self._Stay
        )

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode()
        except urllib.error.URLError:
            return 0, ""  # not listening (yet)

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 (http://127.0.0.1)

    def post(self, path: str, fields: dict[str, str], form_at: str = "") -> tuple[int, str]:
        _, page = self.get(form_at or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no form at {path}"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token[1], **fields}).encode()
        return self._open(urllib.request.Request(self.base + path, data=data))  # noqa: S310

    def log_in(self, email: str, password: str) -> None:
        status, _ = self.post("/accounts/login/", {"login": email, "password": password})
        assert status == 302, "could not log in"


@dataclass
class Site:
    url: str
    people: dict[str, str]
    access_log: Path
    clear_cache: Callable[[], None]

    def workers_since(self, offset: int) -> set[str]:
        lines = self.access_log.read_text()[offset:].splitlines()
        return {line.split()[0] for line in lines if " POST " in line}


@dataclass
class Limit:
    """`allowed` attempts pass; the next, made with the right answer where there is one,
    is refused."""

    allowed: int
    attempt: Callable[[Browser, Site, int], tuple[int, str]]
    refused: Callable[[int, str], bool]
    passed: Callable[[int, str], bool]
    # Attempts sent side by side. Sign-up's window is one minute and each sign-up hashes
    # a password for about a second: one after another, on a busy two-core machine, the
    # first would slide out of the window before the last arrived.
    at_once: int = 1


def wrong_code(browser: Browser, site: Site, n: int) -> tuple[int, str]:
    if n == 0:
        browser.log_in(site.people["joiner"], site.people["password"])
    code = site.people["code"] if n == 5 else f"ZZZZ-ZZZ{'2346789'[n]}"
    return browser.post("/join/", {"code": code})


def wrong_password(browser: Browser, site: Site, n: int) -> tuple[int, str]:
    password = site.people["password"] if n == 5 else f"not-it-{n}"
    return browser.post("/accounts/login/", {"login": site.people["signer"], "password": password})


def reset(browser: Browser, site: Site, n: int) -> tuple[int, str]:
    return browser.post("/accounts/password/reset/", {"email": site.people["signer"]})


def sign_up(browser: Browser, site: Site, n: int) -> tuple[int, str]:
    password = "a fine long passphrase"
    email = f"limits-new-{n}@example.com"
    fields = {"email": email, "password1": password, "password2": password}
    fields["display_name"] = f"New {n}"
    fields["timezone"] = "Europe/London"
    return Browser(site.url).post("/accounts/signup/", fields)


def invitation_email(browser: Browser, site: Site, n: int) -> tuple[int, str]:
    if n == 0:
        browser.log_in(site.people["host"], site.people["password"])
    answer = browser.post(
        "/invite/", {"action": "email", "email": f"limits-friend-{n}@example.com"}
    )
    # Withdrawn at once, so the cap on open invitations never speaks before the limit.
    _, page = browser.get("/invite/")
    for pk in re.findall(r'action="/invite/(\d+)/withdraw/"', page):
        browser.post(f"/invite/{pk}/withdraw/", {}, form_at="/invite/")
    return answer


LIMITS = [
    pytest.param(
        Limit(5, wrong_code, lambda s, body: "Too many codes" in body,
              lambda s, body: "does not match" in body),
        id="pairing-code",
    ),
    pytest.param(
        Limit(5, wrong_password, lambda s, body: "Too many failed login attempts" in body,
              lambda s, body: s == 200 and "do not match" in body),
        id="sign-in",
    ),
    pytest.param(
        Limit(3, reset, lambda s, body: s == 429, lambda s, body: s == 302),
        id="password-reset",
    ),
    pytest.param(
        Limit(20, sign_up, lambda s, body: s == 429, lambda s, body: s == 302, at_once=WORKERS),
        id="sign-up",
    ),
    pytest.param(
        Limit(5, invitation_email, lambda s, body: "five invitations in the past hour" in body,
              lambda s, body: s == 302),
        id="invitation-emails",
    ),
]  # fmt: skip


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module", params=["embedded", "postgres-redis"])
def site(request, tmp_path_factory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp(request.param)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="limits-" + "k" * 60,
        KINDLING_VAR_DIR=str(folder / "var"),
        EMAIL_URL="locmem://",
        SITE_URL="http://127.0.0.1",
    )
    if request.param == "embedded":
        database = folder / "db.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"
        run(env, "manage.py", "migrate", "--noinput")
        run(env, "manage.py", "createcachetable")

        def clear_cache() -> None:
            with sqlite3.connect(database) as db:
                db.execute("DELETE FROM kindling_cache")

    else:
        if not (ON_POSTGRES and os.environ.get("REDIS_URL")):
            pytest.skip("needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL")
        import redis
        from django.db import connection

        request.getfixturevalue("django_db_setup")  # the test database, migrated
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        )
        env["REDIS_URL"] = os.environ["REDIS_URL"]

        def clear_cache() -> None:
            # Only this site's keys: the test processes and the real worker share the db.
            client = redis.Redis.from_url(env["REDIS_URL"])
            keys = list(client.scan_iter("kindling:*"))
            if keys:
                client.delete(*keys)

    people = json.loads(run(env, "-m", "tests.limits_seed"))
    port = free_port()
    access_log = folder / "access.log"
    # --max-requests 1: a worker exits after each request and a fresh process (forked from
    # the preloaded app, so quickly) takes its place. Consecutive attempts never share a
    # process, so a per-process count would start again from zero each time; left to the
    # OS, one idle worker may take every attempt.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(WORKERS),
         "--max-requests", "1", "--preload", "--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
         "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while Browser(url).get("/healthz")[0] not in (200, 503):
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield Site(url, people, access_log, clear_cache)
    finally:
        server.terminate()
        server.wait(timeout=30)
        run(env, "-m", "tests.limits_seed", "--delete")


@pytest.mark.real_worker
@pytest.mark.django_db  # so that the test database exists for the PostgreSQL setup
@pytest.mark.parametrize("limit", LIMITS)
def test_a_limit_holds_across_web_workers(site, limit):
    # Limits count in windows aligned to the clock (every hour and day edge is a quarter-
    # hour edge too), and a real server's clock cannot be frozen: start well clear of one.
    to_edge = WINDOW_EDGES - time.time() % WINDOW_EDGES
    if to_edge < EDGE_MARGIN:
        time.sleep(to_edge + 1)
    site.clear_cache()
    browser = Browser(site.url)
    offset = site.access_log.stat().st_size if site.access_log.exists() else 0
    with ThreadPoolExecutor(limit.at_once) as pool:
        answers = pool.map(lambda n: limit.attempt(browser, site, n), range(limit.allowed))
        for n, (status, body) in enumerate(answers):
            assert limit.passed(status, body), f"attempt {n + 1} of {limit.allowed}: {status}"
    status, body = limit.attempt(browser, site, limit.allowed)
    assert limit.refused(status, body), f"attempt {limit.allowed + 1} was let through: {status}"
    assert len(site.workers_since(offset)) > 1, "every attempt went to one worker"
