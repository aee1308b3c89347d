"""This device: subscribing a browser, listing and removing devices, email or push per
kind; and the installable app's manifest, service worker and offline page."""

from __future__ import annotations

import json
import socket

import pytest
from django.test import Client
from django.urls import reverse

from couples.models import User
from reminders import privacy
from reminders.models import PushSubscription, ReminderPreference, guess_device_name
from tests.push_service import Device, PushService

pytestmark = pytest.mark.django_db

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def phone() -> Device:
    # Keys only: nothing is sent in these tests, so no service needs to run.
    return PushService().device("phone")


def subscribe(client: Client, body, **headers):
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        reverse("reminders:push_subscribe"), raw, content_type="application/json", **headers
    )


def public(phone: Device, endpoint: str = "https://fcm.googleapis.com/fcm/send/abc") -> dict:
    return {**phone.subscription(), "endpoint": endpoint}


def fake_dns(monkeypatch, address: str) -> None:
    """Push services' hosts resolve to `address`. Numeric addresses resolve as usual: the
    test's own Redis connection (127.0.0.1, torn down after the test) must still work."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host in ("127.0.0.1", "::1"):
            return real(host, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 443))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_a_browser_subscribes_and_gets_a_recognisable_name(alice, alice_client, phone, monkeypatch):
    fake_dns(monkeypatch, "142.250.1.1")
    response = subscribe(alice_client, public(phone), HTTP_USER_AGENT=ANDROID_CHROME)
    assert response.status_code == 201
    device = PushSubscription.objects.get(user=alice)
    assert (device.device_name, device.p256dh) == ("Chrome on Android", phone.p256dh)
    assert response.json() == {"id": device.pk, "device": "Chrome on Android"}


def test_a_browser_that_subscribes_again_for_someone_else_moves_to_them(
    alice, bob, alice_client, bob_client, phone, settings
):
    settings.PUSH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    subscribe(alice_client, phone.subscription())
    assert subscribe(bob_client, phone.subscription()).status_code == 201
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [bob.pk]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "That is not a push subscription."),
        (b"\xff\xfe", "That is not a push subscription."),
        ([1, 2], "That is not a push subscription."),
        ({"endpoint": "https://push.example.org/x"}, "That is not a push subscription."),
        ({"endpoint": 7, "keys": {}}, "endpoint is missing"),
        ("http", "must be an https address"),
        ("loopback", "must be on the public internet"),
        ("private", "must be on the public internet"),
        ("short key", "p256dh key has the wrong length"),
        ("no auth", "auth key is missing"),
        ("not base64", "is not base64url"),
        ("huge", "too long"),
    ],
)
def test_a_bad_subscription_is_refused_with_a_reason_and_nothing_saved(
    alice_client, phone, body, message, monkeypatch
):
    addresses = {"loopback": "127.0.0.1", "private": "10.1.2.3"}
    good = public(phone)
    shaped = {
        "http": {**good, "endpoint": "http://push.example.org/x"},
        "loopback": {**good, "endpoint": "https://localhost/x"},
        "private": {**good, "endpoint": "https://push.internal.example/x"},
        "short key": {**good, "keys": {**good["keys"], "p256dh": "AAAA"}},
        "no auth": {**good, "keys": {"p256dh": good["keys"]["p256dh"]}},
        "not base64": {**good, "keys": {**good["keys"], "auth": "!!!!"}},
        "huge": {**good, "padding": "x" * 5000},
    }
    address = addresses.get(body, "142.250.1.1") if isinstance(body, str) else "142.250.1.1"
    fake_dns(monkeypatch, address)
    response = subscribe(alice_client, shaped.get(body, body) if isinstance(body, str) else body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_loopback_endpoints_are_fine_while_debugging(alice_client, phone, settings):
    settings.DEBUG = True
    assert subscribe(alice_client, public(phone, "https://localhost:8443/x")).status_code == 201


def test_subscribing_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert subscribe(client, {"endpoint": "https://x.example"}).status_code == 403


def test_a_browser_turning_off_forgets_only_its_own_endpoint(alice, bob, alice_client, phone):
    mine = PushSubscription.objects.create(user=alice, endpoint="https://p.example/a", auth="a")
    theirs = PushSubscription.objects.create(user=bob, endpoint="https://p.example/b", auth="b")
    url = reverse("reminders:push_unsubscribe")
    for endpoint in (theirs.endpoint, mine.endpoint):
        alice_client.post(url, {"endpoint": endpoint}, content_type="application/json")
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [theirs.pk]
    bad = alice_client.post(url, b"[", content_type="application/json")
    assert bad.status_code == 400


def test_removing_a_device_of_someone_else_is_404_and_changes_nothing(alice, bob, alice_client):
    theirs = PushSubscription.objects.create(user=bob, endpoint="https://p.example/b", auth="b")
    response = alice_client.post(reverse("reminders:remove_device", args=[theirs.pk]))
    assert response.status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()


def test_removing_my_device_stops_its_notifications(alice, alice_client):
    mine = PushSubscription.objects.create(
        user=alice, endpoint="https://p.example/a", auth="a", device_name="Firefox on Linux"
    )
    response = alice_client.post(reverse("reminders:remove_device", args=[mine.pk]), follow=True)
    assert "Firefox on Linux will get no more notifications." in response.text
    assert not PushSubscription.objects.exists()


def test_the_settings_page_lists_my_devices_only_in_the_same_number_of_queries(
    couple, alice, bob, alice_client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PushSubscription.objects.create(user=bob, endpoint="https://p.example/b", device_name="Bobs")
    PushSubscription.objects.create(user=alice, endpoint="https://p.example/0", device_name="Mine")
    alice_client.get(reverse("reminders:settings"))  # the preference exists from here on
    with CaptureQueriesContext(connection) as one:
        page = alice_client.get(reverse("reminders:settings"))
    assert "Mine" in page.text and "Bobs" not in page.text
    assert "This device" in page.text
    for n in range(1, 6):
        PushSubscription.objects.create(user=alice, endpoint=f"https://p.example/{n}")
    with django_assert_num_queries(len(one.captured_queries)):
        alice_client.get(reverse("reminders:settings"))


def test_the_channels_are_saved_per_kind(alice, alice_client):
    data = {"nudge": "email", "note": "push", "date": "both", "digest": "both"}
    data |= {"checkin": "both", "thinking": "push", "weekly": "email", "monthly": "both"}
    response = alice_client.post(reverse("reminders:channels"), data)
    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=alice).channels == data


def test_the_defaults_are_push_and_email_for_what_a_partner_does_and_email_for_the_digest(
    alice, alice_client
):
    page = alice_client.get(reverse("reminders:settings")).text
    assert '<option value="email" selected>Email only</option>' in page  # the digest
    assert page.count('<option value="both" selected>') == 7


def test_device_names_follow_the_user_agent():
    assert guess_device_name(ANDROID_CHROME) == "Chrome on Android"
    iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Safari/604.1"
    assert guess_device_name(iphone) == "Safari on iPhone"
    assert guess_device_name("") == "A browser"


def test_export_names_my_devices_never_their_keys_and_not_my_partners(alice, bob):
    PushSubscription.objects.create(
        user=alice, endpoint="https://p.example/secret-a", p256dh="KEY", auth="AUTH",
        device_name="Chrome on Android",
    )  # fmt: skip
    PushSubscription.objects.create(user=bob, endpoint="https://p.example/b", device_name="Bobs")
    exported = privacy.export(alice)
    text = json.dumps(exported, default=str)
    assert [d["device_name"] for d in exported["push_devices"]] == ["Chrome on Android"]
    assert "secret-a" not in text and "KEY" not in text and "AUTH" not in text
    assert "Bobs" not in text


def test_deleting_an_account_removes_its_devices_and_keeps_the_partners(alice, bob):
    PushSubscription.objects.create(user=alice, endpoint="https://p.example/a")
    PushSubscription.objects.create(user=bob, endpoint="https://p.example/b")
    User.objects.filter(pk=alice.pk).delete()
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [bob.pk]


# --- The installable app ---------------------------------------------------------------


def test_the_manifest_makes_kindling_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/home/" and manifest["display"] == "standalone"
    assert (manifest["theme_color"], manifest["background_color"]) == ("#c4502c", "#fdf8f4")
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {(s, p) for s in ("192x192", "512x512") for p in ("any", "maskable")}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert [s["url"] for s in manifest["shortcuts"]] == ["/notes/new/", "/question/"]


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    config = json.loads(response.text.split("var CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["offline"] in config["shell"]
    assert config["keepNotes"] == 20 and config["home"] == "/home/"
    for url in config["shell"]:
        assert client.get(url).status_code == 200, url


def test_the_offline_page_names_no_one(alice_client, client):
    mine = alice_client.get("/offline/").text
    assert "You are offline" in mine
    assert "Alice" not in mine.split('<main id="main"')[1]
    assert client.get("/offline/").status_code == 200


def test_every_page_links_the_manifest_and_loads_the_app_script(alice_client):
    page = alice_client.get("/home/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "/static/js/pwa.js" in page
    assert "<!--offline-copy-->" in page


# The service worker, run in Node with the few browser objects it touches faked: what it
# opens, shows and drops.
SW_HARNESS = r"""
const vm = require("vm");
const fs = require("fs");
const source = fs.readFileSync(process.argv[2], "utf8");
const scenario = process.argv[3];
const log = [];
const listeners = {};
const subscription = { unsubscribe: () => { log.push("unsubscribed"); return Promise.resolve(true); } };
const self = {
  location: new URL("https://kindling.example/sw.js"),
  addEventListener: (name, fn) => { listeners[name] = fn; },
  skipWaiting: () => Promise.resolve(),
  registration: {
    showNotification: (title, options) => { log.push({ title, tag: options.tag, url: options.data.url }); return Promise.resolve(); },
    pushManager: { getSubscription: () => Promise.resolve(subscription) },
  },
  clients: {
    matchAll: () => Promise.resolve(scenario === "click-uncontrolled" ? [{
      url: "https://kindling.example/settings/",
      focus() { return Promise.resolve(this); },
      navigate() { log.push("navigate"); return Promise.reject(new TypeError("not controlled")); },
    }] : []),
    openWindow: (url) => { log.push({ opened: url }); return Promise.resolve(null); },
  },
};
const caches = { delete: () => { log.push("pages forgotten"); return Promise.resolve(true); } };
const context = { self, caches, URL, Headers: class {}, Response: class {}, Promise,
  fetch: () => { log.push("fetched"); return Promise.resolve("response"); } };
vm.runInNewContext(source, context);
function event(extra) {
  const waits = [];
  return Object.assign({ waitUntil: (p) => waits.push(p), respondWith: (p) => waits.push(p), waits }, extra);
}
async function main() {
  let e;
  if (scenario === "logout") {
    e = event({ request: { url: "https://kindling.example" + process.argv[4], method: "POST", mode: "same-origin" } });
    listeners.fetch(e);
  } else if (scenario.startsWith("click")) {
    e = event({ notification: { close() {}, data: { url: "https://kindling.example/notes/3/" } } });
    listeners.notificationclick(e);
  } else {
    const payload = JSON.parse(process.argv[4]);
    e = event({ data: { json: () => payload } });
    listeners.push(e);
  }
  await Promise.all(e.waits);
  console.log(JSON.stringify(log));
}
main();
"""


SW_CONFIG = {
    "version": "test",
    "shell": [],
    "static": "/static/",
    "offline": "/offline/",
    "home": "/home/",
    "notePattern": r"^/notes/\d+/$",
    "keepNotes": 20,
    "logout": "/accounts/logout/",
    "icon": "/static/img/icon-192.png",
    "text": {
        "offline": "You are offline.",
        "offlineCopy": "You are offline. This is the copy saved on this device on {saved}, "
        "so it may not be up to date.",
    },
}


@pytest.fixture
def service_worker(tmp_path):
    import shutil
    import subprocess

    from django.template.loader import render_to_string

    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node")
    script = tmp_path / "sw.js"
    script.write_text(render_to_string("reminders/sw.js", {"config": json.dumps(SW_CONFIG)}))
    harness = tmp_path / "harness.js"
    harness.write_text(SW_HARNESS)

    def run(scenario: str, arg: str = "") -> list:
        done = subprocess.run(
            [node, str(harness), str(script), scenario, arg],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        return json.loads(done.stdout)

    return run


@pytest.mark.parametrize(
    ("url", "opens"),
    [
        ("https://kindling.example/notes/3/?x=1", "https://kindling.example/notes/3/?x=1"),
        ("/feelings/7/", "https://kindling.example/feelings/7/"),
        ("x:.attacker.com/p", "/home/"),
        ("javascript:alert(1)", "/home/"),
        ("https://attacker.example/notes/3/", "/home/"),
        ("//attacker.example/", "/home/"),
    ],
)
def test_a_notification_opens_only_a_page_of_this_site(service_worker, url, opens):
    # The worker's CONFIG is the served one's shape (checked above), with fixed values.
    (shown,) = service_worker("push", json.dumps({"title": "Hi", "url": url, "tag": "kindling-1"}))
    assert shown["url"] == opens


def test_notifications_are_tagged_by_message_not_by_page(service_worker):
    same_page = {"title": "Hi", "url": "/home/"}
    first = service_worker("push", json.dumps({**same_page, "tag": "kindling-1"}))
    second = service_worker("push", json.dumps({**same_page, "tag": "kindling-2"}))
    assert [first[0]["tag"], second[0]["tag"]] == ["kindling-1", "kindling-2"]


def test_logging_out_forgets_the_pages_and_drops_the_push_subscription(service_worker):
    assert service_worker("logout", SW_CONFIG["logout"]) == [
        "pages forgotten", "unsubscribed", "fetched",
    ]  # fmt: skip


def test_a_tap_opens_a_window_when_the_open_one_cannot_be_navigated(service_worker):
    assert service_worker("click-uncontrolled") == [
        "navigate", {"opened": "https://kindling.example/notes/3/"},
    ]  # fmt: skip
    assert service_worker("click-none") == [{"opened": "https://kindling.example/notes/3/"}]
