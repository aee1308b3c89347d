"""`make run`'s three processes: Django's development server first, then the Celery worker and
beat once it listens, all in one terminal; Ctrl-C stops them all within GRACE_SECONDS.

    python -m config.dev_processes PORT

Standard library only, so it starts in a blink. Each process runs in its own process group,
so a Ctrl-C reaches it from here, once, whether it came from a terminal or from `kill -INT`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# Whatever is still running this long after Ctrl-C is killed.
GRACE_SECONDS = 2.5
COLOURS = ["36", "33", "35", "32"]
# One worker on one machine: nobody to gossip, mingle or exchange heartbeats with.
QUIET = ["--without-gossip", "--without-mingle", "--without-heartbeat"]


@dataclass
class Spec:
    name: str
    argv: list[str]
    # runserver takes SIGINT as a KeyboardInterrupt and beat as a shutdown.
    stop_signal: signal.Signals = signal.SIGINT
    grace: float = GRACE_SECONDS


def processes(port: int) -> tuple[Spec, list[Spec]]:
    """The web server, and what starts once it listens.

    The worker's solo pool runs tasks in its main process: no pool children to stop on
    Ctrl-C (a prefork pool's children die on SIGTERM with ERROR lines), and an email the
    console backend prints shows as plain text under `worker`. It gets SIGQUIT, Celery's
    cold shutdown, and a second later SIGKILL: on the filesystem broker the worker only
    notices a shutdown between two 2-second polls. Work cut short is safe either way: a
    batch's rows go back to pending (sweep_stuck_nudges) and a send task lost on the way
    is handed to a new one (requeue_lost_nudges)."""
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "config"]
    return Spec("web", [python, "manage.py", "runserver", f"127.0.0.1:{port}"]), [
        Spec(
            "worker",
            [*celery, "worker", "--pool", "solo", "--loglevel", "INFO", *QUIET],
            stop_signal=signal.SIGQUIT,
            grace=1.0,
        ),
        Spec("beat", [*celery, "beat", "--loglevel", "INFO"]),
    ]


class Runner:
    def __init__(self, out: Callable[[str], None] = print, colour: bool = False) -> None:
        self.running: dict[str, tuple[Spec, subprocess.Popen]] = {}
        self.stopping = threading.Event()
        self.exit_code = 0
        self._out = out
        self._colours: dict[str, str] | None = {} if colour else None
        self._lock = threading.Lock()
        self._readers: list[threading.Thread] = []

    def say(self, name: str, line: str) -> None:
        label = f"{name:<6} |"
        if self._colours is not None:
            colour = self._colours.setdefault(name, COLOURS[len(self._colours) % len(COLOURS)])
            label = f"\033[{colour}m{label}\033[0m"
        with self._lock:
            self._out(f"{label} {line}")

    def start(self, spec: Spec, env: dict[str, str]) -> None:
        if self.stopping.is_set():
            return
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            spec.argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[spec.name] = (spec, process)
        reader = threading.Thread(target=self._relay, args=(spec.name, process), daemon=True)
        reader.start()
        self._readers.append(reader)

    def _relay(self, name: str, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            self.say(name, raw.decode(errors="replace").rstrip())
        code = process.wait()
        if not self.stopping.is_set():
            # One process ending on its own ends the others: half a Kindling is confusing.
            self.say("system", f"{name} exited with code {code}; stopping the others")
            self.exit_code = code or 1
            self.stopping.set()

    def wait_until_listening(self, port: int, web: str, timeout: float = 120) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.stopping.is_set():
            with socket.socket() as probe:
                probe.settimeout(0.2)
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return True
            if self.running[web][1].poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        """Each process group its stop signal, then SIGKILL to whatever outlives its grace."""
        self.stopping.set()
        pressed = time.monotonic()
        for spec, process in self.running.values():
            _signal_group(process, spec.stop_signal)
        for name, (spec, process) in self.running.items():
            try:
                process.wait(timeout=max(0.0, pressed + spec.grace - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
                self.say("system", f"{name} killed after {spec.grace:g}s")
        for reader in self._readers:
            reader.join(timeout=1)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def serve(runner: Runner, web: Spec, others: list[Spec], port: int, env: dict[str, str]) -> int:
    """Until Ctrl-C (`runner.stopping`) or until one process ends on its own."""
    runner.start(web, env)
    if runner.wait_until_listening(port, web.name):
        for spec in others:
            runner.start(spec, env)
    while not runner.stopping.wait(0.2):
        pass
    runner.stop()
    return runner.exit_code


def main(argv: list[str]) -> int:
    port = int(argv[0]) if argv else 8000
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # Celery warns at every start when run as root (containers, CI); there is no other user.
    env.setdefault("PYTHONWARNINGS", "ignore:You're running the worker with superuser")
    runner = Runner(out=lambda line: print(line, flush=True), colour=sys.stdout.isatty())

    def interrupted(signum, frame) -> None:
        if not runner.stopping.is_set():
            runner.say("system", "stopping")
            runner.stopping.set()

    # The processes run in their own sessions, so a closed terminal (SIGHUP) must stop
    # them from here too, or they would outlive it.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)
    web, others = processes(port)
    return serve(runner, web, others, port, env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
