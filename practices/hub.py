"""Where the practices built on this app plug into the couple's shared pages.

Feelings check-ins, rituals and the weekly check-in live in their own apps, above
practices in the layering (couples <- practices <- those apps <- reminders). Practices
never imports them; each registers here from its AppConfig.ready, the way each app
registers its privacy module with couples:

- `count_in_balance` adds one SQL SELECT to the 30-day balance (home page and weekly
  digest), so the whole balance stays one query however many practices there are;
- `add_home_card` adds a card to the couple home, rendered from the app's own template
  with the data its function returns (None hides the card).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from couples.access import CoupleAccess


@dataclass(frozen=True)
class Counted:
    """One kind of thing the balance counts.

    `sql` is a single SELECT that yields rows of (kind, tip, count) for one couple in
    [start, end). It may use the parameters %(couple)s, %(start)s and %(end)s, every tip
    as %(tip_<key>)s (for example %(tip_physical)s), and its own `params`, whose names must
    not clash with anyone else's. `label(n)` names n of them in a sentence ("2 check-ins");
    `line` names them in the digest ("Feelings check-ins").
    """

    kind: str
    sql: str
    label: Callable[[int], str]
    line: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HomeCard:
    """A card on the couple home. `data(request, access, today, now)` returns what the
    template needs (available to it as `card.data`), or None to leave the card out."""

    name: str
    template: str
    data: Callable[[HttpRequest, CoupleAccess, dt.date, dt.datetime], Any]
    order: int = 100


BALANCE: dict[str, Counted] = {}
HOME_CARDS: dict[str, HomeCard] = {}


def count_in_balance(counted: Counted) -> None:
    taken = {
        name for other in BALANCE.values() if other.kind != counted.kind for name in other.params
    }
    if clash := taken & set(counted.params):
        raise ValueError(f"balance parameters already taken: {sorted(clash)}")
    BALANCE[counted.kind] = counted


def add_home_card(card: HomeCard) -> None:
    HOME_CARDS[card.name] = card


def home_cards() -> list[HomeCard]:
    return sorted(HOME_CARDS.values(), key=lambda card: (card.order, card.name))


# --- The tips a couple keeps ------------------------------------------------------------
# Each partner ticks tips in their reminder settings, which live in reminders, above
# practices. reminders registers a function here that returns the tips a couple's members
# keep, and the daily question asks about those first (see services.next_prompt).

TIP_SOURCES: dict[str, Callable[[Any], Iterable[str]]] = {}


def keep_tips_from(name: str, source: Callable[[Any], Iterable[str]]) -> None:
    TIP_SOURCES[name] = source


def kept_tips(couple) -> set[str]:
    """The tips either partner keeps; every tip when nobody has chosen (or nobody can)."""
    from .tips import Tip

    kept = {tip for source in TIP_SOURCES.values() for tip in source(couple)}
    return (kept & set(Tip.values)) or set(Tip.values)
