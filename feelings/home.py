"""The feelings card on the couple home: the way into a check-in (one tap on a core
feeling), each partner's latest shared check-in of today, and the response to it."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from couples.access import CoupleAccess

from . import services
from .models import CheckInResponse
from .wheel import CORES


class _Replies(tuple):
    """The one-tap replies, pickled as a reference (their labels are lazy translations,
    slow to unpickle on every visit to the cached home page)."""

    def __reduce__(self):
        return (replies, ())


REPLIES = _Replies(CheckInResponse.Reply.choices)


def replies() -> _Replies:
    return REPLIES


def card_data(request: HttpRequest, access: CoupleAccess, today: dt.date, now: dt.datetime) -> dict:
    # Plain data only (lists, model rows): the home page caches it under the couple's
    # version, and a form or a dict view would make it compute the card on every visit.
    latest = services.todays_latest(access.couple, today)
    mine = latest.get(access.me.pk)
    theirs = latest.get(access.partner.pk)
    return {
        "cores": list(CORES.values()),
        "mine": mine,
        "theirs": theirs,
        "theirs_response": getattr(theirs, "response", None) if theirs else None,
        "mine_response": getattr(mine, "response", None) if mine else None,
        "replies": REPLIES,
        "writable": access.writable,
    }
