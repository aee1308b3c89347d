"""Journey: Kindling as an installed app. The browser finds it installable, the service
worker keeps the home page and the notes read for offline use (marked as copies), shows
the offline page for anything else, shows a push message as a notification that opens
the note, and forgets every kept page when its person logs out."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.factories import note

from .browser import needs_chromium

pytestmark = needs_chromium

COPY_NOTICE = "You are offline. This is the copy saved on this device"


def service_worker_ready(tab) -> None:
    tab.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    tab.page.wait_for_function("!!navigator.serviceWorker.controller")
    tab.reload()  # the page the worker was installed from did not pass through it


def kept_pages(tab) -> list[str]:
    return tab.page.evaluate(
        """() => caches.has("kindling-pages").then((has) => has
            ? caches.open("kindling-pages").then((c) => c.keys())
                .then((keys) => keys.map((k) => new URL(k.url).pathname))
            : [])"""
    )


def test_installable_offline_and_push(linked, couple, alice, bob):
    alice_tab, _ = linked
    page = alice_tab.page
    service_worker_ready(alice_tab)

    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's browser contexts are incognito ones, where Chromium installs nothing.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == []

    from_bob = note(couple, bob, "Thank you for the walk.")
    alice_tab.open(f"/notes/{from_bob.pk}/")
    assert sorted(kept_pages(alice_tab)) == ["/home/", f"/notes/{from_bob.pk}/"]

    page.context.set_offline(True)
    alice_tab.open("/home/", "offline-home")
    expect(page.get_by_text(COPY_NOTICE)).to_be_visible()
    alice_tab.open(f"/notes/{from_bob.pk}/", "offline-note")
    expect(page.get_by_text("Thank you for the walk.")).to_be_visible()
    expect(page.get_by_text(COPY_NOTICE)).to_be_visible()
    alice_tab.open("/dates/", "offline-page")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    page.context.set_offline(False)

    # A push message, as the browser's push service would hand it to the worker.
    page.context.grant_permissions(["notifications"], origin=alice_tab.base_url)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(300)
    (registration,) = [r for r in registrations if not r["isDeleted"]]
    payload = {"title": "A note from Bob", "body": "Open Kindling to read it.",
               "url": f"{alice_tab.base_url}/notes/{from_bob.pk}/"}  # fmt: skip
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": alice_tab.base_url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )
    shown = page.wait_for_function(
        """() => navigator.serviceWorker.ready
            .then((r) => r.getNotifications())
            .then((list) => list.length ? list.map((n) => [n.title, n.body, n.data.url]) : null)"""
    ).json_value()
    assert shown == [[payload["title"], payload["body"], payload["url"]]]

    # Logging out forgets every page kept on this device.
    alice_tab.nav("Settings")
    alice_tab.follow(alice_tab.button("Log out"))
    assert kept_pages(alice_tab) == []


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_this_device_section_asks_for_permission_only_after_a_click(linked, alice):
    alice_tab, _ = linked
    alice_tab.open("/reminders/", "this-device")
    section = alice_tab.page.get_by_role("region", name="This device")
    expect(section.get_by_text("Notifications are off for this device.")).to_be_visible()
    assert alice_tab.page.evaluate("Notification.permission") == "default"
    expect(
        section.get_by_role("button", name="Turn on notifications on this device")
    ).to_be_visible()
    expect(section.get_by_label("Note alert")).to_have_value("both")
    expect(section.get_by_label("Weekly digest")).to_have_value("email")
