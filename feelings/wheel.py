"""Our feelings wheel: seven core feelings, each with eight finer words, pleasant and hard
ones alike. Naming a feeling precisely is half of what helps, so the finer word is what a
check-in records; the core gives it a colour on the history page's weather strip.

Each colour carries white text at a contrast of at least 4.5:1 (tests/feelings pin it),
so a cell or a badge reads in light and dark themes alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Core:
    key: str
    label: str
    colour: str
    pleasant: bool
    words: tuple[tuple[str, str], ...]

    @property
    def word_keys(self) -> set[str]:
        return {key for key, _ in self.words}


CORES: dict[str, Core] = {
    core.key: core
    for core in (
        Core(
            "glad",
            "Glad",
            "#8a4b00",
            True,
            (
                ("cheerful", "cheerful"),
                ("delighted", "delighted"),
                ("proud", "proud"),
                ("excited", "excited"),
                ("playful", "playful"),
                ("grateful", "grateful"),
                ("amused", "amused"),
                ("lighthearted", "light-hearted"),
            ),
        ),
        Core(
            "calm",
            "Calm",
            "#1c6b56",
            True,
            (
                ("relaxed", "relaxed"),
                ("content", "content"),
                ("hopeful", "hopeful"),
                ("rested", "rested"),
                ("settled", "settled"),
                ("at_ease", "at ease"),
                ("thoughtful", "thoughtful"),
                ("steady", "steady"),
            ),
        ),
        Core(
            "close",
            "Close",
            "#a8285f",
            True,
            (
                ("loved", "loved"),
                ("tender", "tender"),
                ("connected", "connected"),
                ("cared_for", "cared for"),
                ("affectionate", "affectionate"),
                ("trusting", "trusting"),
                ("appreciated", "appreciated"),
                ("safe", "safe"),
            ),
        ),
        Core(
            "uneasy",
            "Uneasy",
            "#6243b0",
            False,
            (
                ("anxious", "anxious"),
                ("nervous", "nervous"),
                ("unsettled", "unsettled"),
                ("overwhelmed", "overwhelmed"),
                ("insecure", "insecure"),
                ("stressed", "stressed"),
                ("restless", "restless"),
                ("unsure", "unsure"),
            ),
        ),
        Core(
            "low",
            "Low",
            "#2b5a99",
            False,
            (
                ("sad", "sad"),
                ("lonely", "lonely"),
                ("disappointed", "disappointed"),
                ("hurt", "hurt"),
                ("homesick", "homesick"),
                ("left_out", "left out"),
                ("gloomy", "gloomy"),
                ("tearful", "tearful"),
            ),
        ),
        Core(
            "cross",
            "Cross",
            "#a8281f",
            False,
            (
                ("irritated", "irritated"),
                ("annoyed", "annoyed"),
                ("resentful", "resentful"),
                ("impatient", "impatient"),
                ("grumpy", "grumpy"),
                ("fed_up", "fed up"),
                ("jealous", "jealous"),
                ("tense", "tense"),
            ),
        ),
        Core(
            "drained",
            "Drained",
            "#56616b",
            False,
            (
                ("tired", "tired"),
                ("worn_out", "worn out"),
                ("numb", "numb"),
                ("flat", "flat"),
                ("bored", "bored"),
                ("foggy", "foggy"),
                ("stretched_thin", "stretched thin"),
                ("sleepy", "sleepy"),
            ),
        ),
    )
}

WORDS: dict[str, tuple[str, Core]] = {
    key: (label, core) for core in CORES.values() for key, label in core.words
}

CORE_CHOICES = [(core.key, core.label) for core in CORES.values()]
WORD_CHOICES = [(key, label) for key, (label, _) in WORDS.items()]


def word_label(key: str) -> str:
    return WORDS[key][0] if key in WORDS else key
