"""How fast the couple's everyday pages are, against a trivial logged-in page.

    .venv/bin/python bench/pages.py [--seconds N] [--concurrency 4,10]   (or `make bench-pages`)

1. (Re)creates a PostgreSQL database (`--database-url`, default `kindling_bench_pages` on
   127.0.0.1), migrates it and seeds one linked couple holding a year of content.
2. Serves the app with gunicorn, 2 sync workers, on 127.0.0.1 (a free port in 8200-8299).
3. From a second process, loads each page at a fixed concurrency for a bounded time, after a
   warm-up, logged in as one partner; every response must be a 200 showing the expected page.
   By default it does so twice, at concurrency 4 and then 10, against the same server.
4. Prints, for each concurrency, requests per second, p50/p90/p95/p99 and each page's ratio
   to the baseline, `/couple/end/` (session, user, one query, a small form), and PASS/FAIL
   lines: at every concurrency the couple home must reach at least 40% of the baseline's
   requests per second; at concurrency 10 (the target, issue 16) home, notes, question and
   dates must each reach 75% of it, with a p99 at most twice the baseline's.

Exits 1 on any failed request or when a page misses its floor. Django is only imported
once the environment points it at the bench database, so importing this module is cheap
(the smoke test in tests/test_bench_pages.py does).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import multiprocessing
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from couples.models import Couple, User

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kindling_bench_pages"
PORTS = range(8200, 8300)
WORKERS = 2
HOME_FLOOR = 0.40
TARGET_CONCURRENCY = 10
TARGET_SHARE = 0.75  # of the baseline's requests per second, for every couple page
TARGET_P99 = 2.0  # times the baseline's p99
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    marker: str  # only the expected page has it; a login page or an error page does not


# /join/ used to be the baseline; it now sends a linked partner home.
BASELINE = Page("baseline /couple/end/", "/couple/end/", "<title>End the couple · Kindling</title>")
HOME = Page("home", "/home/", "<title>Home · Kindling</title>")
PAGES = [
    BASELINE,
    HOME,
    Page("notes inbox", "/notes/", "<title>Notes · Kindling</title>"),
    Page("question", "/question/", "<title>Today's question · Kindling</title>"),
    Page("dates list", "/dates/", "<title>Date nights · Kindling</title>"),
]


# --- Figures -------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile, interpolating between the two nearest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class PageResult:
    page: Page
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    in_window: int = 0  # successful responses that arrived within the timed windows
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def rps(self) -> float:
        return self.in_window / self.seconds if self.seconds else 0.0

    def p(self, pct: float) -> float:
        return percentile(self.latencies_ms, pct)

    def add_error(self, problem: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(problem)


# --- Seeding (needs Django set up) ---------------------------------------------------------

NOTE_BODIES = [
    "Thank you for making tea before I even asked this morning.",
    "I loved how you laughed at my terrible joke at dinner.",
    "You handled a hard day with so much patience. I noticed.",
    "Thanks for the walk tonight. I needed that quiet time with you.",
    "The playlist you made for the drive was perfect.",
    "I appreciate you taking care of the washing up all week.",
]
ANSWER_BODIES = [
    "Probably the slow Sunday mornings, no rush, just us.",
    "I would love to learn to cook something from your grandmother's recipes.",
    "Honestly, I worry about work more than I say. Talking helps.",
    "The evening we got lost and found that tiny café.",
    "When you squeeze my hand in a crowd, I feel at home.",
]
OWN_PROMPTS = [
    "Which trip should we plan for next summer?",
    "What is a small habit of mine you secretly love?",
    "What should we stop doing on weeknights?",
    "Which friend would you like us to see more often?",
    "What did you want to be when you were ten?",
]
UPCOMING_DATES = 3


@dataclass
class Seeded:
    user: User  # the partner the benchmark logs in as
    partner: User
    couple: Couple
    counts: dict[str, int]


def seed_couple(days: int = 365, date_nights: int = 100) -> Seeded:
    """One linked couple with `days` days of content: a note a day (alternating authors,
    older ones read, a third of those with a reaction), a question a day with both answers
    (every third talked about) plus today's with only the partner's answer, `date_nights`
    dates spread over the period (the last few upcoming, every sixth past one cancelled,
    the others done with both reflections), own prompts and favourites."""
    from allauth.account.models import EmailAddress
    from django.db import transaction
    from django.utils import timezone

    from couples.models import Couple, Membership, User
    from practices.models import (
        Answer,
        DailyQuestion,
        DateIdea,
        DateNight,
        DateReflection,
        FavoritePrompt,
        GratitudeNote,
        Prompt,
    )
    from practices.tips import Tip

    rng = random.Random(3)  # the same data on every run
    now = timezone.now()
    with transaction.atomic():
        people = []
        for email, name, zone in [
            ("sam@bench.example", "Sam", "Europe/London"),
            ("river@bench.example", "River", "Europe/Berlin"),
        ]:
            person = User(email=email, display_name=name, timezone=zone)
            person.set_unusable_password()  # nobody signs in with a password: see login_session
            person.save()
            EmailAddress.objects.create(user=person, email=email, primary=True, verified=True)
            people.append(person)
        sam, river = people
        couple = Couple.objects.create(
            together_since=now.date() - dt.timedelta(days=4 * 365 + 20),
            timezone="Europe/London",
        )
        Membership.objects.create(couple=couple, user=sam, seat=1)
        Membership.objects.create(couple=couple, user=river, seat=2)

        notes = []
        for i in range(days):
            author, recipient = (river, sam) if i % 2 == 0 else (sam, river)
            when = now - dt.timedelta(days=i, hours=rng.randint(0, 12))
            read = i >= 6  # the last few days' notes are still unread
            notes.append(
                GratitudeNote(
                    couple=couple,
                    author=author,
                    recipient=recipient,
                    body=rng.choice(NOTE_BODIES),
                    deliver_at=when,
                    delivered_at=when,
                    created_at=when,
                    read_at=when + dt.timedelta(hours=1) if read else None,
                    reaction=rng.choice(GratitudeNote.Reaction.values) if read and i % 3 else "",
                    reacted_at=when + dt.timedelta(hours=1) if read and i % 3 else None,
                )
            )
        GratitudeNote.objects.bulk_create(notes)

        own_prompts = Prompt.objects.bulk_create(
            Prompt(text=text, tip=Tip.values[i % len(Tip.values)], couple=couple)
            for i, text in enumerate(OWN_PROMPTS)
        )
        prompts = list(Prompt.objects.filter(couple__isnull=True, active=True)) + own_prompts
        rng.shuffle(prompts)  # the library is ordered by tip: mix the tips across the year
        FavoritePrompt.objects.bulk_create(
            FavoritePrompt(user=person, prompt=prompt)
            for person in people
            for prompt in rng.sample(prompts, 4)
        )

        today = couple.local_today()
        questions = DailyQuestion.objects.bulk_create(
            DailyQuestion(
                couple=couple,
                day=today - dt.timedelta(days=i),
                prompt=prompts[i % len(prompts)],
                discussed_at=now - dt.timedelta(days=i, hours=-1) if i % 3 == 0 and i else None,
                created_at=now - dt.timedelta(days=i),
            )
            for i in range(days + 1)  # today and each of the `days` days before it
        )
        answers = []
        for i, question in enumerate(questions):
            # Today only the partner has answered: the page shows the form, home says so.
            for person in (river,) if i == 0 else (sam, river):
                answers.append(
                    Answer(
                        question=question,
                        user=person,
                        body=rng.choice(ANSWER_BODIES),
                        created_at=now - dt.timedelta(days=i, hours=-rng.randint(0, 2)),
                    )
                )
        Answer.objects.bulk_create(answers)

        ideas = list(DateIdea.objects.all())
        dates = []
        past_dates = date_nights - UPCOMING_DATES
        for i in range(date_nights):
            if i < UPCOMING_DATES:
                starts_at, status = now + dt.timedelta(days=3 + 7 * i), DateNight.Status.PLANNED
            else:
                days_ago = (i - UPCOMING_DATES + 1) * days / max(past_dates, 1)
                starts_at = now - dt.timedelta(days=days_ago)
                cancelled = i % 6 == 0
                status = DateNight.Status.CANCELLED if cancelled else DateNight.Status.DONE
            idea = ideas[i % len(ideas)] if ideas and i % 4 else None
            dates.append(
                DateNight(
                    couple=couple,
                    created_by=people[i % 2],
                    title=idea.title if idea else f"Dinner at our place #{i}",
                    idea=idea,
                    starts_at=starts_at,
                    timezone=people[i % 2].timezone,
                    place="Home" if i % 2 else "The park by the river",
                    status=status,
                    created_at=min(now, starts_at) - dt.timedelta(days=5),
                )
            )
        dates = DateNight.objects.bulk_create(dates)
        reflections = DateReflection.objects.bulk_create(
            DateReflection(
                date_night=date_night,
                user=person,
                rating=rng.randint(3, 5),
                body="Let's do this again.",
            )
            for date_night in dates
            if date_night.status == DateNight.Status.DONE
            for person in people
        )

    return Seeded(
        user=sam,
        partner=river,
        couple=couple,
        counts={
            "notes": len(notes),
            "questions": len(questions),
            "answers": len(answers),
            "date nights": len(dates),
            "reflections": len(reflections),
            "own prompts": len(own_prompts),
        },
    )


def login_session(user: User) -> str:
    """A signed-in session for `user`, as django.contrib.auth.login would store it; returns
    the session cookie's value."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


# --- Database and server -------------------------------------------------------------------


def recreate_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    # A guard against a typo that would drop a real database.
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must say bench")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        conn = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as exc:
        raise SystemExit(f"cannot reach PostgreSQL: {exc}") from None
    with conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_environment(database_url: str, var_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # the cache is the database's, as on a one-box install
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{port}",
        DATABASE_URL=database_url,
        KINDLING_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(
    database_url: str, env: dict[str, str], days: int, date_nights: int
) -> tuple[Seeded, str]:
    """Migrates and seeds the bench database from this process, with the server's settings;
    returns what was seeded and the session cookie's value for `Seeded.user`."""
    os.environ.pop("REDIS_URL", None)
    os.environ.update(env)
    import django
    from django.core.management import call_command
    from django.db import connections

    recreate_database(database_url)
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_content", verbosity=0)
    seeded = seed_couple(days, date_nights)
    session_key = login_session(seeded.user)
    with connections["default"].cursor() as cursor:
        # Fresh statistics for the planner now, rather than autovacuum's in mid-run.
        cursor.execute("VACUUM ANALYZE")
    connections.close_all()
    return seeded, session_key


def free_port(ports: range = PORTS) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {ports.start}-{ports.stop - 1}")


def start_server(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--workers={WORKERS}",
        f"--bind={HOST}:{port}",
        "--log-level=warning",
    ]
    with log_path.open("wb") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_ready(server: subprocess.Popen, port: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop; its workers go with it
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- Load (runs in a second process) -------------------------------------------------------


def check_response(raw: bytes, marker: str) -> str | None:
    """None for a complete 200 showing the expected page, else what is wrong."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return f"no HTTP response: {status_line[:60]!r}"
    if parts[1] != "200":
        location = next(
            (line for line in head.split(b"\r\n") if line.lower().startswith(b"location:")), b""
        )
        return f"HTTP {parts[1]} {location.decode('latin-1')}".strip()
    if marker.encode() not in body:
        return "HTTP 200 but not the expected page"
    if b"</html>" not in body:
        return "HTTP 200 but the page is cut short"
    return None


async def fetch(port: int, request: bytes, marker: str) -> tuple[float, str | None]:
    """One request on its own connection (sync workers close it after each response):
    (latency in ms, problem or None)."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(30):
            reader, writer = await asyncio.open_connection(HOST, port)
            try:
                writer.write(request)
                await writer.drain()
                raw = await reader.read()
            finally:
                writer.close()
        problem = check_response(raw, marker)
    except (OSError, TimeoutError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    return (time.perf_counter() - started) * 1000, problem


def request_bytes(page: Page, port: int, cookie: str) -> bytes:
    return (
        f"GET {page.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: {cookie}\r\n"
        "User-Agent: kindling-bench\r\nConnection: close\r\n\r\n"
    ).encode()


async def warm_up(port: int, request: bytes, result: PageResult, requests: int, concurrency: int):
    """Both workers import, compile templates and open their database connection."""
    for start in range(0, requests, concurrency):
        batch = min(concurrency, requests - start)
        for _, problem in await asyncio.gather(
            *(fetch(port, request, result.page.marker) for _ in range(batch))
        ):
            if problem:
                result.add_error(f"warm-up: {problem}")


async def measure(
    port: int, request: bytes, result: PageResult, seconds: float, concurrency: int
) -> None:
    """`concurrency` clients, each sending its next request as soon as the last one is
    answered, for `seconds`; adds to `result`. Throughput counts the responses that came
    within the window: the tail that ends after it is checked and timed but not counted,
    since the server is no longer fully busy then, and that would favour fast pages."""
    started = time.perf_counter()
    deadline = started + seconds

    async def client() -> None:
        while time.perf_counter() < deadline:
            latency, problem = await fetch(port, request, result.page.marker)
            if problem:
                result.add_error(problem)
                continue
            result.latencies_ms.append(latency)
            if time.perf_counter() <= deadline:
                result.in_window += 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.seconds += seconds


@dataclass(frozen=True)
class LoadPlan:
    port: int
    cookie: str
    pages: list[Page]
    seconds: float  # per page, in all
    concurrency: int
    warmup: int  # requests per page before timing
    rounds: int


def run_load(plan: LoadPlan) -> list[PageResult]:
    """Each page gets `plan.seconds` in all, split into `plan.rounds` slices taken in turn
    (each round starting one page further along), so a burst of other work on the machine
    falls on every page alike instead of on whichever page happened to run then."""
    pages = plan.pages

    async def all_pages() -> list[PageResult]:
        requests = {page: request_bytes(page, plan.port, plan.cookie) for page in pages}
        results = {page: PageResult(page) for page in pages}
        for page in pages:
            await warm_up(plan.port, requests[page], results[page], plan.warmup, plan.concurrency)
        for round_ in range(plan.rounds):
            shift = round_ % len(pages)
            for page in pages[shift:] + pages[:shift]:
                await measure(
                    plan.port,
                    requests[page],
                    results[page],
                    plan.seconds / plan.rounds,
                    plan.concurrency,
                )
        return list(results.values())

    return asyncio.run(all_pages())


def _load_process_main(plan: LoadPlan, send: Connection) -> None:
    send.send(run_load(plan))
    send.close()


def load_from_second_process(plan: LoadPlan) -> list[PageResult]:
    """Runs the load in a fresh interpreter, which shares nothing with Django or the
    server, and returns its results; the process is gone when this returns or raises."""
    spawn = multiprocessing.get_context("spawn")
    receive, send = spawn.Pipe(duplex=False)
    process = spawn.Process(target=_load_process_main, args=(plan, send), name="bench-load")
    process.start()
    send.close()  # ours: without it, recv() would wait forever if the child died
    # Far more than a healthy run needs; a server that stops answering cannot hold us.
    budget = 2 * plan.seconds * len(plan.pages) + 120
    try:
        if not receive.poll(budget):
            raise RuntimeError(f"the load did not finish within {budget:.0f} s")
        return receive.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"the load process failed (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.terminate()
        process.join()


# --- Report --------------------------------------------------------------------------------


def report(results: list[PageResult], concurrency: int | None = None) -> bool:
    """Prints the table and the floors' verdicts; True when everything passed. At the
    target concurrency every couple page must also reach TARGET_SHARE of the baseline's
    requests per second with a p99 within TARGET_P99 times the baseline's."""
    baseline = next(r for r in results if r.page == BASELINE)
    if concurrency is not None:
        print(f"concurrency {concurrency}:")
    print(
        f"{'page':<17} {'path':<12} {'requests':>8} {'rps':>8} {'p50 ms':>8} {'p90 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>6} {'vs baseline':>11}"
    )
    for r in results:
        ratio = r.rps / baseline.rps if baseline.rps else 0.0
        print(
            f"{r.page.name:<17} {r.page.path:<12} {r.requests:>8} {r.rps:>8.1f} {r.p(50):>8.1f} "
            f"{r.p(90):>8.1f} {r.p(95):>8.1f} {r.p(99):>8.1f} {r.errors:>6} {ratio:>10.0%}"
        )
    ok = True
    for r in results:
        if r.errors:
            ok = False
            print(f"FAIL: {r.errors} failed request(s) on {r.page.path}, for example:")
            for sample in r.error_samples:
                print(f"  {sample}")
    home = next(r for r in results if r.page == HOME)
    ratio = home.rps / baseline.rps if baseline.rps else 0.0
    verdict = "PASS" if ratio >= HOME_FLOOR else "FAIL"
    ok = ok and verdict == "PASS"
    print(
        f"{verdict}: the couple home served {ratio:.1%} of the baseline's requests per second "
        f"(floor {HOME_FLOOR:.0%})"
    )
    if concurrency == TARGET_CONCURRENCY:
        for r in results:
            if r.page == BASELINE:
                continue
            share = r.rps / baseline.rps if baseline.rps else 0.0
            tail = r.p(99) / baseline.p(99) if baseline.p(99) else math.inf
            passed = share >= TARGET_SHARE and tail <= TARGET_P99
            ok = ok and passed
            print(
                f"{'PASS' if passed else 'FAIL'}: {r.page.path} served {share:.1%} of the "
                f"baseline's requests per second (target {TARGET_SHARE:.0%}), p99 "
                f"{tail:.2f}x the baseline's (at most {TARGET_P99:g}x)"
            )
    return ok


def load_average() -> str:
    """Other work on the machine skews every figure; this says how busy it was."""
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="measured time per page")
    parser.add_argument(
        "--concurrency",
        default=f"4,{TARGET_CONCURRENCY}",
        help="requests in flight; a comma-separated list runs each in turn",
    )
    parser.add_argument("--warmup", type=int, default=20, help="requests per page before timing")
    parser.add_argument("--rounds", type=int, default=10, help="slices each page's time is cut in")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--ports",
        default=f"{PORTS.start}-{PORTS.stop - 1}",
        help="range to pick the server's port from",
    )
    args = parser.parse_args(argv)
    levels = [int(level) for level in str(args.concurrency).split(",") if level.strip()]
    first, _, last = args.ports.partition("-")
    # A plain `kill` must stop the server too: turn it into an exit that runs `finally`.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    with tempfile.TemporaryDirectory(prefix="kindling-bench-") as tmp:
        port = free_port(range(int(first), int(last or first) + 1))
        env = server_environment(args.database_url, Path(tmp), port)
        started = time.perf_counter()
        seeded, session_key = prepare(args.database_url, env, days=365, date_nights=100)
        cookie = f"sessionid={session_key}"
        print(
            f"Kindling page benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, "
            f"{platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}"
        )
        print(
            "seeded in {:.1f} s: {}".format(
                time.perf_counter() - started,
                ", ".join(f"{n} {what}" for what, n in seeded.counts.items()),
            )
        )
        pool = "psycopg pool" if env.get("DATABASE_POOL") == "1" else "persistent connections"
        print(
            f"gunicorn, {WORKERS} sync workers, PostgreSQL {urlsplit(args.database_url).path[1:]} "
            f"({pool}), database cache, "
            f"http://{HOST}:{port}; concurrency {', '.join(map(str, levels))}, "
            f"{args.seconds:g} s per page "
            f"in {args.rounds} rounds, after {args.warmup} warm-up requests, "
            f"logged in as {seeded.user.email}"
        )
        server = start_server(port, env, Path(tmp) / "gunicorn.log")
        try:
            wait_until_ready(server, port)
            print(f"load average (1, 5, 15 min) before the run: {load_average()}")
            runs = []
            for level in levels:
                runs.append(
                    load_from_second_process(
                        LoadPlan(
                            port=port,
                            cookie=cookie,
                            pages=PAGES,
                            seconds=args.seconds,
                            concurrency=level,
                            warmup=args.warmup,
                            rounds=args.rounds,
                        )
                    )
                )
        except Exception:
            print((Path(tmp) / "gunicorn.log").read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            stop_server(server)
    print(f"load average (1, 5, 15 min) after the run: {load_average()}")
    ok = True
    for level, results in zip(levels, runs, strict=True):
        print()
        ok = report(results, level) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; the server and the load process are stopped", file=sys.stderr)
        sys.exit(130)
