"""The installable app: the web app manifest, the service worker (served from the site
root, so its scope is the whole site) and the page it shows with no network.

The service worker's script is a template: the URLs it caches and the pages it keeps
come from here, and its cache names carry a version made from the shell's contents, so
a changed stylesheet or script replaces the old shell on the next visit."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Colours of static/css/kindling.css: the ember accent and the cream page.
THEME_COLOUR = "#c4502c"
BACKGROUND_COLOUR = "#fdf8f4"
SHELL_FILES = [
    "vendor/bootstrap/bootstrap.min.css",
    "css/kindling.css",
    "js/theme.js",
    "js/kindling.js",
    "js/pwa.js",
    "img/favicon.svg",
    "img/icons.svg",
    "img/icon-192.png",
    "img/icon-maskable-192.png",
]
# The last notes read stay readable offline, beside the last-seen home page.
OFFLINE_NOTES = 20


def _icon(name: str, size: int, purpose: str) -> dict:
    return {"src": static(name), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}


@login_not_required
@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    home = reverse("practices:home")
    data = {
        "id": home,
        "name": "Kindling",
        "short_name": "Kindling",
        "description": _("Small, warm habits for the two of you."),
        "lang": get_language(),
        "start_url": home,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            _icon("img/icon-192.png", 192, "any"),
            _icon("img/icon-512.png", 512, "any"),
            _icon("img/icon-maskable-192.png", 192, "maskable"),
            _icon("img/icon-maskable-512.png", 512, "maskable"),
        ],
        "shortcuts": [
            {
                "name": _("Write a note"),
                "url": reverse("practices:note_new"),
                "icons": [_icon("img/icon-192.png", 192, "any")],
            },
            {
                "name": _("Today's question"),
                "url": reverse("practices:question"),
                "icons": [_icon("img/icon-192.png", 192, "any")],
            },
        ],
    }
    response = JsonResponse(data)
    response["Content-Type"] = "application/manifest+json"
    return response


@lru_cache(maxsize=1)
def shell_version() -> str:
    """Changes whenever a shell file or the worker's own script does."""
    digest = hashlib.sha256(render_to_string("reminders/sw.js", {"config": ""}).encode())
    for name in SHELL_FILES:
        path = finders.find(name)
        digest.update(name.encode())
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    note = reverse("practices:note", args=[0]).replace("0", r"\d+", 1)
    config = {
        "version": shell_version(),
        "shell": [static(name) for name in SHELL_FILES] + [reverse("offline")],
        "static": static(""),
        "offline": reverse("offline"),
        "home": reverse("practices:home"),
        "notePattern": f"^{note}$",
        "keepNotes": OFFLINE_NOTES,
        "logout": reverse("account_logout"),
        "icon": static("img/icon-192.png"),
        # In the language of the page that installs or updates the worker.
        "text": {
            "offline": _("You are offline."),
            "offlineCopy": _(
                "You are offline. This is the copy saved on this device on {saved}, "
                "so it may not be up to date."
            ),
        },
    }
    script = render_to_string("reminders/sw.js", {"config": json.dumps(config)})
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on each visit; no cache keeps an old one alive.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Cached by the service worker at install: the same for everyone, so it names no one."""
    return render(request, "reminders/offline.html")
