"""A local SMTP sink (aiosmtpd) on 127.0.0.1 for the real-service tests, the drills and
the nudge benchmark. In-process: `with SmtpSink() as sink: ... sink.messages`; it counts
what arrives by Message-ID (`sink.ids`), can answer slowly (`sink.delay`, seconds per
email) and can go down and come back on the same port (`sink.stop()`, `sink.start()`).
As a process
(`python -m tests.smtp_sink STATUS_FILE`), it prints its port and keeps writing
"<count> <time of the last message>" to STATUS_FILE, for a benchmark to watch."""

from __future__ import annotations

import asyncio
import email
import os
import socket
import sys
import threading
import time
from collections import Counter
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    # The OS picks the port; it stays free for the moment between close and listen.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    def __init__(self, *, keep: bool = True):
        self.keep = keep
        self.messages: list[Message] = []
        self.ids: Counter[str] = Counter()
        self.count = 0
        self.last_at = 0.0
        self.delay = 0.0
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content)
        with self._lock:
            self.count += 1
            self.last_at = time.time()
            self.ids[message.get("Message-ID", "")] += 1
            if self.keep:
                self.messages.append(message)
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count >= count:
                return True
            time.sleep(0.1)
        return self.count >= count


def main(status_path: str) -> None:
    with SmtpSink(keep=False) as sink:
        print(sink.port, flush=True)
        written = None
        while True:
            state = f"{sink.count} {sink.last_at:.6f}"
            if state != written:
                with open(status_path + ".tmp", "w") as status:
                    status.write(state)
                os.replace(status_path + ".tmp", status_path)
                written = state
            time.sleep(0.05)


if __name__ == "__main__":
    main(sys.argv[1])
