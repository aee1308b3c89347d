"""What rituals export for a person, and what it erases before their account goes."""

from __future__ import annotations

from django.db.models import Prefetch

from couples.models import User

from .models import (
    Choice,
    LearnItem,
    LearnReflection,
    Moment,
    Ritual,
    ThinkingOfYou,
    WarmMoment,
    WarmTouchPlan,
)

# Every rituals model that points at a person or a couple, and how it is treated.
MODELS = {
    Ritual: "exported: rituals the person wrote; erased with the account",
    Choice: "exported: the rituals of the person's couples; kept, without the proposer",
    Moment: "exported: the couple's moments; kept, without who tapped",
    WarmTouchPlan: "exported: the couple's plans; kept, without who proposed or stopped",
    WarmMoment: "exported: with the plans; kept, without who tapped",
    ThinkingOfYou: "exported: when signals were sent and received; erased with the sender",
    LearnItem: "exported: the couple's list; kept, without who added an item",
    LearnReflection: "exported: own reflections and the partner's; own erased",
}


def export(user: User) -> dict:
    couples = user.memberships.values_list("couple_id", flat=True)
    items = (
        LearnItem.objects.filter(couple__in=couples)
        .prefetch_related(
            Prefetch("reflections", queryset=LearnReflection.objects.select_related("user"))
        )
        .order_by("created_at")
    )
    plans = WarmTouchPlan.objects.filter(couple__in=couples).prefetch_related("moments")
    return {
        "rituals_written": list(
            Ritual.objects.filter(author=user).values("title", "why", "tip", "created_at")
        ),
        "rituals": [
            {
                "ritual": c.ritual.title,
                "status": c.status,
                "proposed_at": c.proposed_at,
                "accepted_at": c.accepted_at,
                "retired_at": c.retired_at,
            }
            for c in Choice.objects.filter(couple__in=couples).select_related("ritual")
        ],
        "ritual_moments": [
            {"day": m.day, "ritual": m.ritual.title if m.ritual else None, "tip": m.tip}
            for m in Moment.objects.filter(couple__in=couples)
            .select_related("ritual")
            .order_by("day")
        ],
        "warm_touch_plans": [
            {
                "status": p.status,
                "proposed_at": p.proposed_at,
                "starts_on": p.starts_on,
                "ended_at": p.ended_at,
                "moments": sorted(m.day for m in p.moments.all()),
            }
            for p in plans
        ],
        # Only when: a signal carries no words.
        "thinking_of_you_sent": list(
            ThinkingOfYou.objects.filter(sender=user).values_list("sent_at", flat=True)
        ),
        "thinking_of_you_received": list(
            ThinkingOfYou.objects.filter(recipient=user).values_list("sent_at", flat=True)
        ),
        "learn_together": [
            {
                "title": item.title,
                "status": item.status,
                "target_month": item.target_month,
                "done_at": item.done_at,
                "reflections": [
                    {"by": r.user.name, "body": r.body} for r in item.reflections.all()
                ],
            }
            for item in items
        ],
    }


def erase(user: User) -> None:
    """The rituals the person wrote go (the moments stay, counted, without them); their
    reflections and signals go by cascade with the account. What the couple chose and did
    together stays for the partner, without the person's name on it."""
    Ritual.objects.filter(author=user).delete()
