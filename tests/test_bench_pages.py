"""The page benchmark (bench/pages.py) is too slow for CI; this keeps its parts honest."""

from __future__ import annotations

import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.test import Client

from bench import pages


def test_percentile_interpolates_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0]
    assert pages.percentile(values, 0) == 1.0
    assert pages.percentile(values, 50) == 2.5
    assert pages.percentile(values, 100) == 4.0
    assert pages.percentile([7.0], 99) == 7.0
    assert math.isnan(pages.percentile([], 50))


MARKER = pages.HOME.marker


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (f"HTTP/1.1 200 OK\r\n\r\n<html>{MARKER}</html>".encode(), None),
        (
            b"HTTP/1.1 302 Found\r\nLocation: /accounts/login/?next=/home/\r\n\r\n",
            "HTTP 302 Location: /accounts/login/?next=/home/",
        ),
        (b"HTTP/1.1 200 OK\r\n\r\n<html>Log in</html>", "HTTP 200 but not the expected page"),
        (f"HTTP/1.1 200 OK\r\n\r\n<html>{MARKER}".encode(), "HTTP 200 but the page is cut short"),
        (b"", "no HTTP response: ''"),
    ],
)
def test_it_accepts_only_a_complete_200_of_the_expected_page(raw, problem):
    assert pages.check_response(raw, MARKER) == problem


def result(page: pages.Page, rps: float, errors: int = 0) -> pages.PageResult:
    return pages.PageResult(
        page, seconds=1.0, latencies_ms=[10.0], in_window=int(rps), errors=errors
    )


def test_the_report_holds_home_to_its_floor(capsys):
    others = [result(page, 80) for page in pages.PAGES[2:]]
    assert pages.report([result(pages.BASELINE, 100), result(pages.HOME, 40), *others])
    assert "PASS: the couple home served 40.0%" in capsys.readouterr().out
    assert not pages.report([result(pages.BASELINE, 100), result(pages.HOME, 39), *others])
    assert "FAIL: the couple home served 39.0%" in capsys.readouterr().out


def test_the_report_fails_on_any_failed_request(capsys):
    results = [result(page, 100) for page in pages.PAGES]
    results[-1].add_error("HTTP 500")
    assert not pages.report(results)
    assert "FAIL: 1 failed request(s) on /dates/" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_seeded_couple_opens_every_benchmarked_page():
    seeded = pages.seed_couple(days=20, date_nights=8)
    assert seeded.counts["notes"] == 20
    assert seeded.counts["questions"] == 21  # today and the 20 days before
    assert seeded.counts["date nights"] == 8
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = pages.login_session(seeded.user)
    for page in pages.PAGES:
        response = client.get(page.path)
        assert response.status_code == 200, page.path
        assert page.marker in response.text, page.path


class MarkerPage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"<html>{MARKER}</html>".encode()
        self.send_response(200 if self.path == "/ok/" else 500)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_load_generator_counts_answers_and_errors():
    server = ThreadingHTTPServer((pages.HOST, pages.free_port()), MarkerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ok, broken = pages.Page("ok", "/ok/", MARKER), pages.Page("broken", "/broken/", MARKER)
    try:
        plan = pages.LoadPlan(
            port=server.server_address[1],
            cookie="sessionid=x",
            pages=[ok, broken],
            seconds=0.2,
            concurrency=2,
            warmup=2,
            rounds=2,
        )
        good, bad = pages.run_load(plan)
    finally:
        server.shutdown()
        server.server_close()
    assert good.errors == 0 and good.in_window > 0 and good.rps > 0
    assert bad.errors > 0 and bad.error_samples[0] == "warm-up: HTTP 500"
    assert good.seconds == pytest.approx(0.2)


def timed(page: pages.Page, rps: float, p99: float) -> pages.PageResult:
    return pages.PageResult(page, seconds=1.0, latencies_ms=[p99] * 10, in_window=int(rps))


def test_at_concurrency_10_every_couple_page_needs_75_percent_and_a_p99_within_2x(capsys):
    def run(share: float, p99: float) -> bool:
        couple_pages = [timed(page, share, p99) for page in pages.PAGES[1:]]
        return pages.report([timed(pages.BASELINE, 100, 50.0), *couple_pages], 10)

    assert run(75, 100.0)
    out = capsys.readouterr().out
    assert "p90 ms" in out
    assert "PASS: /dates/ served 75.0% of the baseline's requests per second" in out
    assert not run(74, 100.0)
    assert "FAIL: /notes/ served 74.0%" in capsys.readouterr().out
    assert not run(80, 101.0)  # fast enough on average, but the tail is too long
    assert "p99 2.02x the baseline's (at most 2x)" in capsys.readouterr().out
    # At concurrency 4 only home's floor applies.
    assert pages.report([timed(pages.BASELINE, 100, 50.0), timed(pages.HOME, 50, 500.0)], 4)
