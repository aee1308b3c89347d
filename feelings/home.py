"""The feelings card on the couple home: the way into a check-in (one tap on a core
feeling), each partner's latest shared check-in of today, and the response to it."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from couples.access import CoupleAccess

from . import services
from .forms import ResponseForm
from .wheel import CORES


def card_data(request: HttpRequest, access: CoupleAccess, today: dt.date, now: dt.datetime) -> dict:
    latest = services.todays_latest(access.couple, today)
    mine = latest.get(access.me.pk)
    theirs = latest.get(access.partner.pk)
    return {
        "cores": CORES.values(),
        "mine": mine,
        "theirs": theirs,
        "theirs_response": getattr(theirs, "response", None) if theirs else None,
        "mine_response": getattr(mine, "response", None) if mine else None,
        "reply_form": ResponseForm(),
        "writable": access.writable,
    }
