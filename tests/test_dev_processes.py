"""`make run`'s process runner (config/dev_processes.py), with small stand-in processes:
the web server first, the others once it listens, every line labelled, and Ctrl-C or one
process ending stops them all within the grace period."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from dataclasses import replace

from config import dev_processes
from config.dev_processes import Runner, Spec, serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


# A shell running these tests in the background (nohup, `&`) hands its children SIGINT
# ignored, and Python then leaves it ignored; in the terminal `make run` is meant for,
# Ctrl-C arrives as KeyboardInterrupt. The stand-in processes start the way they would there.
SIGINT_AS_IN_A_TERMINAL = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)"


def web_listening_after(port: int, delay: float) -> Spec:
    return Spec(
        "web",
        python(
            f"{SIGINT_AS_IN_A_TERMINAL}\n"
            "import socket, time\n"
            f"time.sleep({delay})\n"
            "server = socket.socket()\n"
            f"server.bind(('127.0.0.1', {port}))\n"
            "server.listen()\n"
            "print('listening', time.monotonic(), flush=True)\n"
            "time.sleep(60)\n"
        ),
    )


def idle(name: str, *, ignore_sigint: bool = False, exit_code: int | None = None) -> Spec:
    lines = [SIGINT_AS_IN_A_TERMINAL, "import signal, time"]
    if ignore_sigint:
        lines.append("signal.signal(signal.SIGINT, signal.SIG_IGN)")
    lines.append("print('started', time.monotonic(), flush=True)")
    lines.append(f"raise SystemExit({exit_code})" if exit_code is not None else "time.sleep(60)")
    return Spec(name, python("\n".join(lines)))


class Session:
    """serve() in a thread, as `make run` would run it, with what it printed."""

    def __init__(self, web: Spec, others: list[Spec], port: int) -> None:
        self.lines: list[str] = []
        self.runner = Runner(out=self.lines.append)
        self.code: int | None = None
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.thread = threading.Thread(
            target=lambda: setattr(self, "code", serve(self.runner, web, others, port, env))
        )
        self.thread.start()

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in list(self.lines) if text in line]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no line with {text!r} in {self.lines}")

    def ctrl_c(self) -> float:
        pressed = time.monotonic()
        self.runner.stopping.set()
        self.thread.join(timeout=20)
        return time.monotonic() - pressed

    def processes(self):
        return [process for _, process in self.runner.running.values()]


def moment(line: str) -> float:
    return float(line.rsplit(" ", 1)[1])


def test_the_others_start_only_once_the_web_server_listens():
    port = free_port()
    session = Session(web_listening_after(port, 1.0), [idle("worker"), idle("beat")], port)
    try:
        listening = moment(session.wait_for("web    | listening"))
        for name in ("worker", "beat"):
            assert moment(session.wait_for(f"{name:<6} | started")) > listening
    finally:
        session.ctrl_c()


def test_ctrl_c_stops_every_process():
    port = free_port()
    # A roomy grace period: what is tested is that each stops on Ctrl-C by itself, and a
    # busy CI machine can take a while to schedule three Python processes.
    roomy = {"grace": 15.0}
    web, others = replace(web_listening_after(port, 0), **roomy), [idle("worker"), idle("beat")]
    session = Session(web, [replace(spec, **roomy) for spec in others], port)
    session.wait_for("beat   | started")
    session.ctrl_c()
    assert all(process.poll() is not None for process in session.processes())
    assert session.code == 0
    # Each stopped on its own: one still running when the grace period ran out would be
    # killed and say so.
    assert not any("killed" in line for line in session.lines)


def test_a_process_that_ignores_ctrl_c_is_killed_after_the_grace_period():
    port = free_port()
    session = Session(web_listening_after(port, 0), [idle("worker", ignore_sigint=True)], port)
    session.wait_for("worker | started")
    took = session.ctrl_c()
    assert dev_processes.GRACE_SECONDS <= took < dev_processes.GRACE_SECONDS + 2
    assert all(process.poll() is not None for process in session.processes())
    assert session.wait_for(f"worker killed after {dev_processes.GRACE_SECONDS:g}s")


def test_one_process_ending_on_its_own_stops_the_others():
    port = free_port()
    session = Session(web_listening_after(port, 0), [idle("beat", exit_code=3)], port)
    session.thread.join(timeout=20)
    assert session.code == 3
    assert all(process.poll() is not None for process in session.processes())
    assert session.wait_for("beat exited with code 3; stopping the others")
