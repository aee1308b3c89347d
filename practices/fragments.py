"""Parts of the couple's pages kept in the cache as HTML, under the couple's version
(couples/versions.py): any write either partner makes, and the day turning, is a miss.

Only parts that hold nothing per request go here: never a form (its CSRF token) and never
anything with the CSP nonce. The fragments are rendered without the request, so the
context processors do not run for them; they get `access` and what `context()` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from couples import versions

FRAGMENT_SECONDS = 60 * 60


def cached_fragment(
    request: HttpRequest,
    template: str,
    context: Callable[[], dict[str, Any]],
    *parts: Any,
    until: dt.datetime | None = None,
) -> SafeString:
    """`template` rendered with `access` and `context()`, from the cache when the couple
    has not changed since. `parts` tell apart the variants (a page number, a box);
    `until` is when the fragment goes out of date by itself, if it does."""
    access = request.access

    def render() -> versions.CachedUntil:
        html = render_to_string(template, {"access": access, **context()})
        return versions.CachedUntil(mark_safe(html), until)  # noqa: S308 - a template's own output

    # The language is part of the key: the partners may read Kindling in different ones.
    return versions.cached(
        request,
        access,
        template,
        render,
        access.writable,
        get_language(),
        *parts,
        timeout=FRAGMENT_SECONDS,
    )
