"""The monthly closeness check-in: statements of our own wording about how reachable,
responsive and engaged each partner feels the other is, and a question to talk about
for each, used when that statement is where the two of you see things most differently."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Statement:
    key: str
    text: str | Promise
    question: str | Promise


STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "reach_out",
        gettext_lazy("When I reach out, my partner is there."),
        gettext_lazy("When did you last reach for each other and find the other right there?"),
    ),
    Statement(
        "easy_to_find",
        gettext_lazy("I can get my partner's attention when I need it."),
        gettext_lazy('What is the easiest way for each of you to say "I need you for a minute"?'),
    ),
    Statement(
        "open_up",
        gettext_lazy("I feel safe telling my partner what is really going on with me."),
        gettext_lazy("What makes it easier, or harder, to say what is really going on?"),
    ),
    Statement(
        "taken_seriously",
        gettext_lazy(
            "My partner takes my feelings seriously, even when they see things differently."
        ),
        gettext_lazy("Think of a time you felt truly heard by the other. What did they do?"),
    ),
    Statement(
        "comfort",
        gettext_lazy("When I am upset, my partner comforts me in a way that helps."),
        gettext_lazy(
            "When you are upset, what kind of comfort helps most: words, a hug, space, or a hand?"
        ),
    ),
    Statement(
        "counts",
        gettext_lazy("I feel I matter to my partner."),
        gettext_lazy("What small thing makes you feel you matter to the other?"),
    ),
    Statement(
        "interested",
        gettext_lazy("My partner is curious about my inner world: my hopes, worries and ideas."),
        gettext_lazy(
            "What is something on your mind lately that you would love the other to ask about?"
        ),
    ),
    Statement(
        "present",
        gettext_lazy("When we are together, my partner is really with me."),
        gettext_lazy("What helps you both feel present together, and what pulls you away?"),
    ),
    Statement(
        "close",
        gettext_lazy("I feel emotionally close to my partner these days."),
        gettext_lazy("When did you feel closest this month, and what made that moment?"),
    ),
    Statement(
        "repair",
        gettext_lazy("After a disagreement, we find our way back to each other."),
        gettext_lazy("After a difference, what helps you find each other again?"),
    ),
)

KEYS = [statement.key for statement in STATEMENTS]
