"""Secrets that travel in URLs stay out of the logs.

A calendar feed address, an invitation link, an unsubscribe or pause link: each is the
only key to what it opens, and each ends up in access logs and "Not Found" warnings.
Both gunicorn's access log (config/gunicorn.py) and Django's console handler log those
paths with the secret part replaced.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"

# The secret segment after each prefix; an all-digit segment is a database id
# (/invite/12/withdraw/), not a secret.
_SECRET_SEGMENT = re.compile(
    r"(?P<prefix>/(?:calendar|invite|reminders/unsubscribe|reminders/pause)/)"
    r"(?!\d+(?:/|$))(?P<secret>[^/?#\s\"']+?)(?=\.ics|/|[\s?#\"']|$)"
)


def redact(text: str) -> str:
    return _SECRET_SEGMENT.sub(lambda m: m["prefix"] + REDACTED, text)


class RedactingLogger(Logger):
    """gunicorn's logger, with the secret part of each logged URL replaced (the request
    line, the path, the referrer, and any header or environ value a format may use)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}


class RedactSecretsFilter(logging.Filter):
    """For Django's own log records ("Not Found: /calendar/....ics")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
