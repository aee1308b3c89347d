"""What feelings exports for a person, and what it erases before their account goes.

The rule, here as on every page: a partner's private check-ins and draft hopes are never
theirs to see, and a partner's closeness answers only once both answered that month."""

from __future__ import annotations

from django.db.models import Q

from couples.models import User
from practices.models import DailyQuestion, Prompt

from .models import CheckIn, CheckInResponse, ClosenessAnswer, Hope, HopeResponse, Visibility
from .wheel import word_label

MODELS = {
    CheckIn: "exported: own check-ins (private ones too) and the partner's shared ones",
    CheckInResponse: "exported: with the check-in it answers",
    Hope: "exported: own hopes, dreams and worries (drafts too) and the partner's shared ones",
    HopeResponse: "exported: with the item it answers",
    ClosenessAnswer: "exported: own answers, and the partner's for months both answered",
}


def _response(response) -> dict | None:
    if response is None:
        return None
    return {
        "by": response.author.name,
        "reply": response.get_reply_display() if response.reply else "",
        "body": response.body,
        "at": response.created_at,
    }


def export(user: User) -> dict:
    couples = user.memberships.values_list("couple_id", flat=True)
    checkins = (
        CheckIn.objects.filter(couple__in=couples)
        .filter(Q(author=user) | Q(visibility=Visibility.SHARED))
        .select_related("author", "response__author")
        .order_by("created_at")
    )
    hopes = (
        Hope.objects.filter(couple__in=couples)
        .filter(Q(author=user) | Q(shared_at__isnull=False))
        .select_related("author", "response__author")
        .order_by("created_at")
    )
    answers = ClosenessAnswer.objects.filter(couple__in=couples).select_related("user")
    by_month: dict[tuple, list[ClosenessAnswer]] = {}
    for answer in answers.order_by("month"):
        by_month.setdefault((answer.couple_id, answer.month), []).append(answer)
    closeness = []
    for (_, month), pair in by_month.items():
        mine = next((a for a in pair if a.user_id == user.pk), None)
        if mine is None:
            continue
        closeness.append(
            {
                "month": month,
                "my_ratings": mine.ratings,
                # Revealed only when both answered, as on the page.
                "partner_ratings": next((a.ratings for a in pair if a.user_id != user.pk), None),
            }
        )
    return {
        "feelings_checkins": [
            {
                "by": c.author.name,
                "feeling": word_label(c.feeling),
                "core": c.core,
                "intensity": c.intensity,
                "line": c.line,
                "would_like": c.get_would_like_display() if c.would_like else "",
                "visibility": c.visibility,
                "at": c.created_at,
                "response": _response(getattr(c, "response", None)),
            }
            for c in checkins
        ],
        "hopes_dreams_worries": [
            {
                "by": h.author.name,
                "kind": h.kind,
                "body": h.body,
                "shared_at": h.shared_at,
                "settled_at": h.settled_at,
                "response": _response(getattr(h, "response", None)),
            }
            for h in hopes
        ],
        "closeness_checkins": closeness,
    }


def erase(user: User) -> None:
    """Everything the person wrote goes by cascade with the account, and with their
    check-ins and hopes the partner's responses to them. The one thing that would
    outlive them: a "Tell me more" question the partner asked, which quotes their words;
    it goes too, and the day it was asked stays, without it (as for their own prompts)."""
    quoting = Prompt.objects.filter(
        pk__in=HopeResponse.objects.filter(hope__author=user, prompt__isnull=False).values(
            "prompt_id"
        )
    )
    DailyQuestion.objects.filter(prompt__in=quoting).update(prompt=None)
    quoting.delete()
