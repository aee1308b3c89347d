"""Our feelings wheel: seven core feelings, each with eight finer words, pleasant and hard
ones alike. Naming a feeling precisely is half of what helps, so the finer word is what a
check-in records; the core gives it a colour on the history page's weather strip.

Each colour carries white text at a contrast of at least 4.5:1 (tests/feelings pin it),
so a cell or a badge reads in light and dark themes alike. The labels are translated with
the context "feeling", so "Close" or "content" never takes a button's or a page's wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Core:
    key: str
    label: str | Promise
    colour: str
    pleasant: bool
    words: tuple[tuple[str, str | Promise], ...]

    @property
    def word_keys(self) -> set[str]:
        return {key for key, _ in self.words}

    def __reduce__(self):
        # Pickled as a reference to the wheel: the home card's cached data holds the
        # cores, and unpickling 60 lazy translations on every visit cost a third of it.
        return (core, (self.key,))


def core(key: str) -> Core:
    return CORES[key]


CORES: dict[str, Core] = {
    core.key: core
    for core in (
        Core(
            "glad",
            pgettext_lazy("feeling", "Glad"),
            "#8a4b00",
            True,
            (
                ("cheerful", pgettext_lazy("feeling", "cheerful")),
                ("delighted", pgettext_lazy("feeling", "delighted")),
                ("proud", pgettext_lazy("feeling", "proud")),
                ("excited", pgettext_lazy("feeling", "excited")),
                ("playful", pgettext_lazy("feeling", "playful")),
                ("grateful", pgettext_lazy("feeling", "grateful")),
                ("amused", pgettext_lazy("feeling", "amused")),
                ("lighthearted", pgettext_lazy("feeling", "light-hearted")),
            ),
        ),
        Core(
            "calm",
            pgettext_lazy("feeling", "Calm"),
            "#1c6b56",
            True,
            (
                ("relaxed", pgettext_lazy("feeling", "relaxed")),
                ("content", pgettext_lazy("feeling", "content")),
                ("hopeful", pgettext_lazy("feeling", "hopeful")),
                ("rested", pgettext_lazy("feeling", "rested")),
                ("settled", pgettext_lazy("feeling", "settled")),
                ("at_ease", pgettext_lazy("feeling", "at ease")),
                ("thoughtful", pgettext_lazy("feeling", "thoughtful")),
                ("steady", pgettext_lazy("feeling", "steady")),
            ),
        ),
        Core(
            "close",
            pgettext_lazy("feeling", "Close"),
            "#a8285f",
            True,
            (
                ("loved", pgettext_lazy("feeling", "loved")),
                ("tender", pgettext_lazy("feeling", "tender")),
                ("connected", pgettext_lazy("feeling", "connected")),
                ("cared_for", pgettext_lazy("feeling", "cared for")),
                ("affectionate", pgettext_lazy("feeling", "affectionate")),
                ("trusting", pgettext_lazy("feeling", "trusting")),
                ("appreciated", pgettext_lazy("feeling", "appreciated")),
                ("safe", pgettext_lazy("feeling", "safe")),
            ),
        ),
        Core(
            "uneasy",
            pgettext_lazy("feeling", "Uneasy"),
            "#6243b0",
            False,
            (
                ("anxious", pgettext_lazy("feeling", "anxious")),
                ("nervous", pgettext_lazy("feeling", "nervous")),
                ("unsettled", pgettext_lazy("feeling", "unsettled")),
                ("overwhelmed", pgettext_lazy("feeling", "overwhelmed")),
                ("insecure", pgettext_lazy("feeling", "insecure")),
                ("stressed", pgettext_lazy("feeling", "stressed")),
                ("restless", pgettext_lazy("feeling", "restless")),
                ("unsure", pgettext_lazy("feeling", "unsure")),
            ),
        ),
        Core(
            "low",
            pgettext_lazy("feeling", "Low"),
            "#2b5a99",
            False,
            (
                ("sad", pgettext_lazy("feeling", "sad")),
                ("lonely", pgettext_lazy("feeling", "lonely")),
                ("disappointed", pgettext_lazy("feeling", "disappointed")),
                ("hurt", pgettext_lazy("feeling", "hurt")),
                ("homesick", pgettext_lazy("feeling", "homesick")),
                ("left_out", pgettext_lazy("feeling", "left out")),
                ("gloomy", pgettext_lazy("feeling", "gloomy")),
                ("tearful", pgettext_lazy("feeling", "tearful")),
            ),
        ),
        Core(
            "cross",
            pgettext_lazy("feeling", "Cross"),
            "#a8281f",
            False,
            (
                ("irritated", pgettext_lazy("feeling", "irritated")),
                ("annoyed", pgettext_lazy("feeling", "annoyed")),
                ("resentful", pgettext_lazy("feeling", "resentful")),
                ("impatient", pgettext_lazy("feeling", "impatient")),
                ("grumpy", pgettext_lazy("feeling", "grumpy")),
                ("fed_up", pgettext_lazy("feeling", "fed up")),
                ("jealous", pgettext_lazy("feeling", "jealous")),
                ("tense", pgettext_lazy("feeling", "tense")),
            ),
        ),
        Core(
            "drained",
            pgettext_lazy("feeling", "Drained"),
            "#56616b",
            False,
            (
                ("tired", pgettext_lazy("feeling", "tired")),
                ("worn_out", pgettext_lazy("feeling", "worn out")),
                ("numb", pgettext_lazy("feeling", "numb")),
                ("flat", pgettext_lazy("feeling", "flat")),
                ("bored", pgettext_lazy("feeling", "bored")),
                ("foggy", pgettext_lazy("feeling", "foggy")),
                ("stretched_thin", pgettext_lazy("feeling", "stretched thin")),
                ("sleepy", pgettext_lazy("feeling", "sleepy")),
            ),
        ),
    )
}

WORDS: dict[str, tuple[str | Promise, Core]] = {
    key: (label, core) for core in CORES.values() for key, label in core.words
}

CORE_CHOICES = [(core.key, core.label) for core in CORES.values()]
WORD_CHOICES = [(key, label) for key, (label, _) in WORDS.items()]


def word_label(key: str) -> str:
    """The word in the active language (a plain string: exports and emails use it too)."""
    return str(WORDS[key][0]) if key in WORDS else key
