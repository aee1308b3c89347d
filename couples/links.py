"""The site's address in every link Kindling hands out (emails, calendar files, feeds).

`SITE_URL` is the one source of truth: a link built from the request's host would send
someone who browsed at 127.0.0.1 to an address where they are not signed in.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def site_url(viewname: str, *args, **kwargs) -> str:
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))
