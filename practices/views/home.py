from __future__ import annotations

import datetime as dt
import logging
import pickle

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from couples import pending, versions
from couples.access import current_access
from couples.models import Couple

from .. import hub, services, stats
from ..models import DateNight, GratitudeNote
from ..tips import TIPS

JAR_MIN_AGE = dt.timedelta(days=30)
JAR_CACHE_SECONDS = 24 * 60 * 60
HOME_CACHE_SECONDS = 10 * 60
# Cards whose data function returned something pickle refuses: computed on every visit.
_UNCACHEABLE_CARDS: set[str] = set()

log = logging.getLogger(__name__)


@login_not_required
@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("practices:home")
    return render(request, "practices/landing.html", {"tips": TIPS.values()})


def gratitude_jar(request: HttpRequest, couple: Couple, today: dt.date) -> GratitudeNote | None:
    """A note the user received at least 30 days ago, a different one each day.

    The day's pick (a note id, never its text) is remembered in the cache, so later visits
    that day cost one small query instead of a count and an offset scan.
    """
    key = f"gratitude-jar:{request.user.pk}:{couple.pk}:{today.isoformat()}"
    picked = cache.get(key)
    notes = GratitudeNote.objects.filter(couple=couple, recipient=request.user)
    if picked is not None:
        note = notes.select_related("author").filter(pk=picked).first()
        if note is not None:
            return note
    old_notes = notes.filter(delivered_at__lte=timezone.now() - JAR_MIN_AGE)
    count = old_notes.count()
    if not count:
        return None
    note = old_notes.select_related("author").order_by("pk")[today.toordinal() % count]
    cache.set(key, note.pk, JAR_CACHE_SECONDS)
    return note


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = current_access(request.user)
    if access is None or access.partner is None:
        archives = Couple.objects.filter(
            memberships__user=request.user, status=Couple.Status.ENDED
        ).order_by("-ended_at")
        return render(
            request,
            "practices/onboarding.html",
            {
                "access": access,
                "archives": archives,
                "pending_invitation": pending.acceptable(request),
            },
        )
    request.access = access
    couple = access.couple
    today = couple.local_today()
    summary = versions.cached(
        request,
        access,
        "home",
        lambda: home_summary(request, access, today),
        timeout=HOME_CACHE_SECONDS,
    )
    cards = [
        {"template": card.template, "data": data, "name": card.name}
        for card, data in _card_data(request, access, today, summary["cards"])
    ]
    return render(
        request,
        "practices/home.html",
        {
            "access": access,
            "couple": couple,
            "today": today,
            "days_together": couple.days_together(today),
            "anniversary": couple.next_anniversary(today),
            **summary,
            "cards": cards,
        },
    )


def home_summary(request: HttpRequest, access, today: dt.date) -> versions.CachedUntil:
    """What the couple home shows that only a write by either partner (or the day turning)
    changes: kept in the cache under the couple's version (couples/versions.py).

    Good for HOME_CACHE_SECONDS at most, since the 30-day balance slides with the clock,
    and never past the next planned date's start, when it stops being the next one."""
    couple = access.couple
    now = timezone.now()
    question = services.todays_question(couple, today)
    answered_by = set(question.answers.values_list("user_id", flat=True))
    cards = {}
    for card in hub.home_cards():
        if card.name in _UNCACHEABLE_CARDS:
            continue
        data = card.data(request, access, today, now)
        try:
            pickle.dumps(data)
        except Exception:  # whatever the card returned, pickle cannot keep it
            _UNCACHEABLE_CARDS.add(card.name)
            log.warning("home card %s returns data that cannot be cached", card.name)
            continue
        cards[card.name] = data
    next_date = (
        DateNight.objects.filter(couple=couple, status=DateNight.Status.PLANNED, starts_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    summary = {
        "question": question,
        "i_answered": access.me.pk in answered_by,
        "partner_answered": access.partner.pk in answered_by,
        "next_date": next_date,
        "jar_note": gratitude_jar(request, couple, today),
        "balance": stats.balance(couple, now - dt.timedelta(days=30), now),
        "cards": cards,
    }
    return versions.CachedUntil(summary, next_date.starts_at if next_date else None)


def _card_data(request, access, today, cached_cards):
    """(card, data) for the cards to show, in order: from the cached summary, or computed
    now for a card whose data cannot be pickled."""
    now = timezone.now()
    for card in hub.home_cards():
        if card.name in cached_cards:
            data = cached_cards[card.name]
        else:
            data = card.data(request, access, today, now)
        if data is not None:
            yield card, data
