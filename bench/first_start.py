"""How long a newcomer waits for the first page of `make run`, and how quickly Ctrl-C stops it.

    python3 bench/first_start.py [--repo PATH] [--starts N] [--keep] [--verbose]

1. Clones the repository's committed HEAD into a temporary folder (nothing installed there:
   no `.tools`, no `.venv`, no database), so the package caches are the only thing warm.
2. Runs `make run PORT=<a free port>` there in its own process group, as a terminal would,
   with the embedded defaults (DATABASE_URL, REDIS_URL and EMAIL_URL are left out).
3. Prints when each phase ended, from the lines `make run` prints and from the port:
   uv (the tool itself), install (`uv sync`), migrate (every command before the processes
   start), until the web server listens, and until /accounts/signup/ answers 200.
4. Waits for the Celery worker and beat to be up, sends SIGINT to the process group (what
   Ctrl-C does) and measures until every process `make run` started has exited.
5. Starts again in the same clone (`--starts`, default 2: the second start finds the work of
   the first done), then removes the clone (unless `--keep`).

Prints PASS or FAIL for the targets: the first start's first 200 within 30 s, every stop
within 3 s, and no ERROR, Traceback, stdout-as-warning or broker warning line in the
terminal. Exits 1 on FAIL. Only the standard library: a fresh machine runs it with its
own python3 before anything is installed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PAGE = "/accounts/signup/"
FIRST_PAGE_TARGET = 30.0
STOP_TARGET = 3.0
START_TIMEOUT = 180.0
STOP_TIMEOUT = 20.0

# Where one phase ends and the next begins, as `make run` prints it. A phase whose line
# never shows (uv already there, nothing to install) took no time.
LINE_MARKERS = [
    ("uv", re.compile(r"\buv\S* sync\b")),
    ("install", re.compile(r"manage\.py migrate\b")),
    ("migrate", re.compile(r"Kindling is starting")),
]
WORKER_READY = re.compile(r"celery@\S+ ready")
BEAT_READY = re.compile(r"beat: Starting")
# Lines a newcomer should never have to read past.
NOISE = {
    "error": re.compile(r"\bERROR\b|Traceback|CRITICAL"),
    "stdout as a log record": re.compile(r"WARNING/(ForkPoolWorker|MainProcess)"),
    "broker hostname warning": re.compile(r"No hostname was supplied"),
}
SCRUBBED = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "VIRTUAL_ENV", "SITE_URL", "PORT")


@dataclass
class Start:
    number: int
    phases: dict[str, float | None] = field(default_factory=dict)
    first_200: float | None = None
    worker_ready: float | None = None
    beat_ready: float | None = None
    stop_seconds: float | None = None
    killed: list[str] = field(default_factory=list)
    noise: dict[str, list[str]] = field(default_factory=dict)
    problem: str | None = None


class Terminal:
    """What `make run` prints, each line with the moment it arrived."""

    def __init__(self, stream, echo: bool) -> None:
        self.lines: list[tuple[float, str]] = []
        self._echo = echo
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for raw in stream:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append((time.monotonic(), line))
            if self._echo:
                print(f"    | {line}", flush=True)

    def first(self, pattern: re.Pattern) -> float | None:
        return next((at for at, line in list(self.lines) if pattern.search(line)), None)

    def close(self) -> None:
        self._thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listens(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def answers_200(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{FIRST_PAGE}", timeout=5) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _proc_stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a live process, or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def descendants(root: int) -> set[tuple[int, str]]:
    """Every process under root, as (pid, start time) so a reused pid is not mistaken."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _proc_stat(int(entry.name))):
            children.setdefault(stat[0], []).append((int(entry.name), stat[2]))
    found: set[tuple[int, str]] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found


def alive(process: tuple[int, str]) -> bool:
    stat = _proc_stat(process[0])
    return stat is not None and stat[2] == process[1] and stat[1] != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
    except OSError:
        return f"pid {pid}"


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    env = {key: value for key, value in env.items() if not key.startswith(("KINDLING_", "DJANGO_"))}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def run_once(clone: Path, number: int, verbose: bool) -> Start:
    start = Start(number)
    port = free_port()
    began = time.monotonic()
    make = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a shell gives a job
    )
    terminal = Terminal(make.stdout, verbose)
    started: set[tuple[int, str]] = set()
    web_listens = None
    try:
        while time.monotonic() - began < START_TIMEOUT:
            started |= descendants(make.pid)
            if make.poll() is not None:
                start.problem = f"make run exited with {make.returncode} before it was stopped"
                break
            if web_listens is None and listens(port):
                web_listens = time.monotonic()
            if web_listens and start.first_200 is None and answers_200(port):
                start.first_200 = time.monotonic() - began
            start.worker_ready = terminal.first(WORKER_READY)
            start.beat_ready = terminal.first(BEAT_READY)
            if start.first_200 and start.worker_ready and start.beat_ready:
                break
            time.sleep(0.1)
        else:
            start.problem = f"not up within {START_TIMEOUT:.0f}s"

        boundaries = [(name, terminal.first(marker)) for name, marker in LINE_MARKERS]
        boundaries.append(("web listens", web_listens))
        previous = began
        for name, at in boundaries:
            start.phases[name] = None if at is None else at - previous
            previous = at or previous
        start.phases["first 200"] = (
            None if start.first_200 is None else began + start.first_200 - previous
        )
        start.worker_ready = start.worker_ready and start.worker_ready - began
        start.beat_ready = start.beat_ready and start.beat_ready - began
        time.sleep(1)  # a moment of idling, as after a page or two
    finally:
        started |= descendants(make.pid)
        start.stop_seconds, start.killed = stop(make, started)
        terminal.close()
    for name, pattern in NOISE.items():
        start.noise[name] = [line for _, line in terminal.lines if pattern.search(line)]
    (clone / "var").mkdir(exist_ok=True)
    (clone / "var" / f"first-start-{number}.log").write_text(
        "\n".join(f"{at - began:7.2f}  {line}" for at, line in terminal.lines) + "\n"
    )
    return start


def stop(make: subprocess.Popen, started: set[tuple[int, str]]) -> tuple[float, list[str]]:
    """Ctrl-C: SIGINT to the whole process group, then wait for every process to go."""
    pressed = time.monotonic()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(make.pid, signal.SIGINT)
    while time.monotonic() - pressed < STOP_TIMEOUT:
        if make.poll() is not None and not any(alive(process) for process in started):
            return time.monotonic() - pressed, []
        time.sleep(0.05)
    left = [process for process in started if alive(process)]
    names = [command_line(pid) for pid, _ in left]
    for pid, _ in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    make.kill()
    make.wait()
    return time.monotonic() - pressed, names


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s"


def report(starts: list[Start]) -> int:
    failures: list[str] = []
    for start in starts:
        print(f"\nstart {start.number}:")
        for name, value in start.phases.items():
            print(f"  {name:<12} {seconds(value):>7}")
        print(f"  {'= first 200':<12} {seconds(start.first_200):>7}   ({FIRST_PAGE})")
        print(
            f"  worker ready at {seconds(start.worker_ready)}, beat at {seconds(start.beat_ready)}"
        )
        print(f"  Ctrl-C: everything stopped in {seconds(start.stop_seconds)}")
        if start.problem:
            failures.append(f"start {start.number}: {start.problem}")
        if start.killed:
            failures.append(f"start {start.number}: still running, killed: {start.killed}")
        if start.stop_seconds is not None and start.stop_seconds > STOP_TARGET:
            failures.append(f"start {start.number}: stopping took {start.stop_seconds:.1f}s")
        for name, lines in start.noise.items():
            if lines:
                failures.append(f"start {start.number}: {len(lines)} {name} line(s): {lines[:3]}")
    first = starts[0].first_200
    if first is None or first > FIRST_PAGE_TARGET:
        failures.append(f"first start: first 200 after {seconds(first)}")
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for failure in failures:
        print(f"FAIL {failure}")
    if not failures:
        print(
            f"PASS: first 200 within {FIRST_PAGE_TARGET:.0f}s, every stop within "
            f"{STOP_TARGET:.0f}s, a quiet terminal"
        )
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", default=str(ROOT), help="repository to clone (its HEAD)")
    parser.add_argument("--starts", type=int, default=2, help="starts in the same clone")
    parser.add_argument("--keep", action="store_true", help="keep the clone and its logs")
    parser.add_argument("--verbose", action="store_true", help="echo what make run prints")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="kindling-first-start-"))
    clone = workdir / "kindling"
    try:
        began = time.monotonic()
        subprocess.run(["git", "clone", "-q", args.repo, str(clone)], check=True)
        commit = subprocess.run(
            ["git", "log", "-1", "--format=%h %s"], cwd=clone, capture_output=True, text=True
        ).stdout.strip()
        print(f"cloned {commit[:70]} in {time.monotonic() - began:.1f}s")
        uv = shutil.which("uv")
        print(f"uv on PATH: {uv or 'none (make installs it into .tools)'}")
        starts = [run_once(clone, number, args.verbose) for number in range(1, args.starts + 1)]
        return report(starts)
    finally:
        if args.keep:
            print(f"kept {clone} (logs in var/first-start-*.log)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
