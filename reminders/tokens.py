"""Signed links in reminder emails: unsubscribe (one kind of email) and pause for a week.

They work without login or cookies, so the token itself is the proof: it names the user
and the kind, is signed with SECRET_KEY under a salt of its own (an unsubscribe token
cannot pause, nor the other way round), and expires.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing

UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=90)
PAUSE_MAX_AGE = dt.timedelta(days=30)
_SALTS = {"unsubscribe": "reminders.unsubscribe", "pause": "reminders.pause"}
_MAX_AGES = {"unsubscribe": UNSUBSCRIBE_MAX_AGE, "pause": PAUSE_MAX_AGE}


class BadToken(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LinkClaim:
    user_id: int
    kind: str


def make_token(purpose: str, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=_SALTS[purpose])


def read_token(purpose: str, token: str) -> LinkClaim:
    try:
        data = signing.loads(token, salt=_SALTS[purpose], max_age=_MAX_AGES[purpose])
    except signing.SignatureExpired as exc:
        raise BadToken("expired") from exc
    except signing.BadSignature as exc:
        raise BadToken("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or "k" not in data:
        raise BadToken("invalid")
    return LinkClaim(user_id=data["u"], kind=str(data["k"]))
