"""The nudge catalog: original templates, thirty per tip, loaded from
`content/nudges.json`, and the rules that pick one for a person.

Picking is pure (no queries): the dispatcher fetches, once per batch, when each person
last heard about each tip and template, and what boosts apply, then calls `choose`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.urls import reverse

from practices import translated
from practices.tips import Tip

CONTENT = Path(__file__).resolve().parent / "content" / "nudges.json"
# Translations: content/<language>/nudges.json (see practices/translated.py).
SHIPPED = translated.Shipped(
    CONTENT.parent, CONTENT.name, ("subject", "preheader", "paragraphs", "action_label")
)
translated.register("nudges", SHIPPED)

# Where each template's one action leads.
ACTION_URLS = {
    "write_note": "practices:note_new",
    "answer_question": "practices:question",
    "plan_date": "practices:date_new",
    "browse_ideas": "practices:ideas",
    "open_home": "practices:home",
    "feelings_checkin": "feelings:checkin",
    "share_hope": "feelings:hopes",
    "rituals": "rituals:rituals",
    "learn_together": "rituals:learn",
}

# A boosted tip goes ahead of the rotation, unless the person heard about it this recently:
# a boost that never goes away (a couple who rarely plan dates) must not crowd out the
# other tips.
BOOST_COOLDOWN = dt.timedelta(days=7)


@dataclass(frozen=True)
class Template:
    key: str
    tip: str
    subject: str
    preheader: str
    paragraphs: tuple[str, ...]
    action: str
    action_label: str

    def render(self, *, name: str, partner: str) -> dict:
        """The words to send, in the active language (the recipient's, in the worker)."""
        fill = {"name": name, "partner": partner}
        words = translated.item("nudges", self.key)
        return {
            "subject": words.get("subject", self.subject).format(**fill),
            "preheader": words.get("preheader", self.preheader),
            "paragraphs": [p.format(**fill) for p in words.get("paragraphs", self.paragraphs)],
            "action_label": words.get("action_label", self.action_label),
        }


@cache
def templates() -> dict[str, Template]:
    raw = json.loads(CONTENT.read_text(encoding="utf-8"))
    return {
        item["key"]: Template(
            key=item["key"],
            tip=item["tip"],
            subject=item["subject"],
            preheader=item["preheader"],
            paragraphs=tuple(item["paragraphs"]),
            action=item["action"],
            action_label=item["action_label"],
        )
        for item in raw
    }


@cache
def templates_by_tip() -> dict[str, list[Template]]:
    grouped: dict[str, list[Template]] = {tip: [] for tip in Tip.values}
    for template in templates().values():
        grouped[template.tip].append(template)
    return grouped


@cache
def action_path(action: str) -> str:
    return reverse(ACTION_URLS[action])


@dataclass
class History:
    """When one person last got each tip and each template, from their nudge log."""

    tip_last: dict[str, dt.datetime]
    template_last: dict[str, dt.datetime]

    @classmethod
    def empty(cls) -> History:
        return cls({}, {})

    def add(self, tip: str, template_key: str, slot: dt.datetime) -> None:
        if tip and (tip not in self.tip_last or self.tip_last[tip] < slot):
            self.tip_last[tip] = slot
        if template_key and (
            template_key not in self.template_last or self.template_last[template_key] < slot
        ):
            self.template_last[template_key] = slot


NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def choose_tip(
    chosen: list[str], history: History, boosts: set[str], slot: dt.datetime
) -> str | None:
    """The least recently nudged of the person's tips, with boosted tips going first."""
    tips = [tip for tip in Tip.values if tip in chosen]
    if not tips:
        return None
    fresh_boosts = [
        tip
        for tip in tips
        if tip in boosts and history.tip_last.get(tip, NEVER) <= slot - BOOST_COOLDOWN
    ]
    pool = fresh_boosts or tips
    # min() keeps the first of equals, so ties go in the tips' fixed order.
    return min(pool, key=lambda tip: history.tip_last.get(tip, NEVER))


def choose_template(tip: str, history: History, user_id: int) -> Template:
    """The tip's least recently used template: none repeats until all the others were
    used. Never-used ones come in an order that starts at a different place for each
    person, so two partners rarely get the same email on the same day."""
    options = templates_by_tip()[tip]
    start = user_id % len(options)
    rotated = options[start:] + options[:start]
    return min(rotated, key=lambda t: history.template_last.get(t.key, NEVER))


def choose(
    chosen: list[str], history: History, boosts: set[str], slot: dt.datetime, user_id: int
) -> Template | None:
    tip = choose_tip(chosen, history, boosts, slot)
    if tip is None:
        return None
    template = choose_template(tip, history, user_id)
    history.add(tip, template.key, slot)
    return template
