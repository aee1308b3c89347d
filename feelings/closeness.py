"""The monthly closeness check-in: statements of our own wording about how reachable,
responsive and engaged each partner feels the other is, and a question to talk about
for each, used when that statement is where the two of you see things most differently."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    key: str
    text: str
    question: str


STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "reach_out",
        "When I reach out, my partner is there.",
        "When did you last reach for each other and find the other right there?",
    ),
    Statement(
        "easy_to_find",
        "I can get my partner's attention when I need it.",
        'What is the easiest way for each of you to say "I need you for a minute"?',
    ),
    Statement(
        "open_up",
        "I feel safe telling my partner what is really going on with me.",
        "What makes it easier, or harder, to say what is really going on?",
    ),
    Statement(
        "taken_seriously",
        "My partner takes my feelings seriously, even when they see things differently.",
        "Think of a time you felt truly heard by the other. What did they do?",
    ),
    Statement(
        "comfort",
        "When I am upset, my partner comforts me in a way that helps.",
        "When you are upset, what kind of comfort helps most: words, a hug, space, or a hand?",
    ),
    Statement(
        "counts",
        "I feel I matter to my partner.",
        "What small thing makes you feel you matter to the other?",
    ),
    Statement(
        "interested",
        "My partner is curious about my inner world: my hopes, worries and ideas.",
        "What is something on your mind lately that you would love the other to ask about?",
    ),
    Statement(
        "present",
        "When we are together, my partner is really with me.",
        "What helps you both feel present together, and what pulls you away?",
    ),
    Statement(
        "close",
        "I feel emotionally close to my partner these days.",
        "When did you feel closest this month, and what made that moment?",
    ),
    Statement(
        "repair",
        "After a disagreement, we find our way back to each other.",
        "After a difference, what helps you find each other again?",
    ),
)

KEYS = [statement.key for statement in STATEMENTS]
