"""Light on a phone: the couple home's page weight, measured by the browser's own
Performance API, with static files served as production serves them (collected with
hashed names, Brotli and gzip twins, immutable cache headers), and no layout shift while
it loads."""

from __future__ import annotations

import re
import threading
import urllib.request

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connections
from django.test import override_settings

FIRST_VISIT_BUDGET = 120 * 1024  # bytes over the wire: HTML and every static file
SECOND_VISIT_BUDGET = 20 * 1024  # static files come from the browser's cache
LAYOUT_SHIFT_BUDGET = 0.05

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TRANSFERRED = """() => {
    const navigation = performance.getEntriesByType("navigation")[0];
    const resources = performance.getEntriesByType("resource");
    return {
        html: navigation.transferSize,
        total: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
        files: resources.map((r) => [r.name, r.transferSize]),
    };
}"""

LAYOUT_SHIFT = """() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) sum += entry.value;
        }
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(sum), 1000);
})"""


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """collectstatic as the Dockerfile runs it, once for the module."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def viewport() -> str:
    return "phone"


@pytest.fixture
def site(collected_static, settings, transactional_db):
    """The app served through WhiteNoise with the collected files (pytest-django's
    live_server serves static files itself, uncompressed and uncached)."""
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = PRODUCTION_STATIC
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    shared = {}
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            conn.inc_thread_sharing()
            shared[conn.alias] = conn
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, connections_override=shared)
    server.set_app(WSGIHandler())  # its WhiteNoise reads the settings above
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SITE_URL = url
    with urllib.request.urlopen(url + "/", timeout=60) as warm:  # noqa: S310 - our own http server; the first request imports the app
        assert warm.status == 200
    yield url
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    for conn in shared.values():
        conn.dec_thread_sharing()


def test_the_couple_home_is_light_on_a_phone_and_does_not_shift(linked):
    alice, _ = linked  # signed in with a cookie: the home page is her first visit
    alice.page.wait_for_load_state("networkidle")
    first = alice.page.evaluate(TRANSFERRED)
    css = [name for name, _ in first["files"] if ".css" in name]
    assert css and all(re.search(r"\.[0-9a-f]{12}\.css$", name) for name in css), first
    assert first["total"] <= FIRST_VISIT_BUDGET, first
    shift = alice.page.evaluate(LAYOUT_SHIFT)
    assert shift < LAYOUT_SHIFT_BUDGET, shift

    alice.nav("Notes")
    alice.nav("Home")
    alice.page.wait_for_load_state("networkidle")
    second = alice.page.evaluate(TRANSFERRED)
    assert second["total"] <= SECOND_VISIT_BUDGET, second
    assert second["total"] - second["html"] < 1024, second  # static files from the cache
