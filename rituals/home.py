"""Where rituals plug into the couple home and the 30-day balance (practices.hub)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy, ngettext

from practices import hub

from . import services
from .models import Choice

# Each a single SELECT of (kind, tip, count). A moment counts for its ritual's tip (kept
# on the row); a warm-touch moment for staying close; a finished learn-together item for
# quality time. "Thinking of you" is never counted: it is a gift, not a score.
MOMENTS = hub.Counted(
    kind="moments",
    sql="""SELECT 'moments', tip, COUNT(*) FROM rituals_moment
            WHERE couple_id = %(couple)s AND created_at >= %(start)s AND created_at < %(end)s
            GROUP BY tip""",
    label=lambda n: (
        ngettext("%(count)s ritual moment", "%(count)s ritual moments", n) % {"count": n}
    ),
    line=gettext_lazy("Rituals you did together"),
)
WARM_TOUCH = hub.Counted(
    kind="warm_touch",
    sql="""SELECT 'warm_touch', %(tip_physical)s, COUNT(*) FROM rituals_warmmoment
            WHERE couple_id = %(couple)s AND created_at >= %(start)s AND created_at < %(end)s""",
    label=lambda n: (
        ngettext("%(count)s warm-touch moment", "%(count)s warm-touch moments", n) % {"count": n}
    ),
    line=gettext_lazy("Warm-touch moments"),
)
LEARNED = hub.Counted(
    kind="learned",
    sql="""SELECT 'learned', %(tip_quality_time)s, COUNT(*) FROM rituals_learnitem
            WHERE couple_id = %(couple)s AND done_at >= %(start)s AND done_at < %(end)s""",
    label=lambda n: (
        ngettext("%(count)s thing learned together", "%(count)s things learned together", n)
        % {"count": n}
    ),
    line=gettext_lazy("Things you learned together"),
)


def card(request, access, today: dt.date, now: dt.datetime) -> dict:
    """Today's rituals with "we did it", proposals waiting for this partner, and the
    partner's "thinking of you" signals of the last day. Two queries, however many."""
    choices = list(services.chosen_with_today(access.couple, today))
    return {
        "ours": [c for c in choices if c.status == Choice.Status.OURS],
        "waiting": [
            c
            for c in choices
            if c.status == Choice.Status.PROPOSED and c.proposed_by_id != access.me.pk
        ],
        "thinking": services.thinking_received(access.couple, access.me, now),
    }


def register() -> None:
    for counted in (MOMENTS, WARM_TOUCH, LEARNED):
        hub.count_in_balance(counted)
    hub.add_home_card(hub.HomeCard(name="rituals", template="rituals/home_card.html", data=card))
