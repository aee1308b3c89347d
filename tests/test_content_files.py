"""Every shipped content file against its schema: unique keys, sensible lengths, tags from
the known sets, only placeholders that exist, no item saying the same as another (compared
without case, punctuation or spacing), and none of the words that shame, count or score.

These read the files, not the database, so a bad edit fails here before it ships."""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from pathlib import Path

import pytest

from practices.library import CONTENT
from practices.models import DateIdea, Prompt
from practices.packs import check_pack, normalise
from practices.tips import Tip
from reminders import catalog

PROMPTS = CONTENT / "prompts.json"
DATE_IDEAS = CONTENT / "date_ideas.json"
NUDGES = catalog.CONTENT

# Guilt, counting and scoring. Kindling never tells anyone what they did not do, never
# counts days, and a love-maps guess is never right or wrong.
GUILT = [
    "should have",
    "should've",
    "forgot",
    "forget",
    "missed",
    "never",
    "failed",
    "failure",
    "streak",
    "in a row",
    "behind",
    "neglect",
    "guilt",
    "ashamed",
    "shame",
    "days since",
    "it's been",
    "you haven't",
    "you have not",
    "you owe",
    "disappoint",
    "not enough",
    "score",
    "points",
    "wrong answer",
    "right answer",
    "lazy partner",
]
GUILT_PATTERN = re.compile(r"\b(" + "|".join(re.escape(word) for word in GUILT) + r")\b")
# Innocent neighbours: "never" about something new to try is an invitation, a dance
# class's missed steps are part of the fun, a choice has thinking behind it, and "no
# score" or "rather than counting points" turn scoring down.
INNOCENT = re.compile(
    r"\bnever (tried|cooked|heard|noticed|visited|played|made|seen|been able)\b"
    r"|\bmissed steps\b|\bthe thinking behind\b|\bno score\b|\brather than counting points\b"
)
PLACEHOLDERS = {"name", "partner"}


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def guilt_in(text: str) -> list[str]:
    return GUILT_PATTERN.findall(INNOCENT.sub("", text.lower().replace("\u2019", "'")))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def near_duplicates(texts: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of keys whose texts are the same once normalised."""
    seen: dict[str, str] = {}
    clashes = []
    for key, text in texts.items():
        same = normalise(text)
        if same in seen:
            clashes.append((seen[same], key))
        seen.setdefault(same, key)
    return clashes


# --- The helpers catch what they are meant to catch -------------------------------------


def test_the_comparison_catches_the_same_sentence_punctuated_differently():
    texts = {
        "a": "What made you smile today?",
        "b": "what made you  smile today!",
        "c": "What\u2019s made you smile, today\u2026",
        "d": "What's made you smile today",
        "e": "What made you laugh today?",
    }
    assert near_duplicates(texts) == [("a", "b"), ("c", "d")]


def test_the_guilt_list_catches_shaming_words_but_not_their_innocent_neighbours():
    assert guilt_in("You forgot to answer, and your streak is gone.") == ["forgot", "streak"]
    assert guilt_in("It\u2019s been a while") == ["it's been"]
    assert guilt_in("Guess, then tell. Nobody keeps score.") == ["score"]
    assert guilt_in("A lazy afternoon, a beehive, a dish you've never tried") == []
    assert guilt_in("You never try anything new") == ["never"]
    assert guilt_in("Which evening works, and what would you like?") == []


# --- Prompts ------------------------------------------------------------------------------


def test_prompts_pass_the_pack_schema_with_unique_keys_and_no_near_duplicates():
    # The same check a community pack goes through (practices/packs.py): required fields,
    # known tip, depth, occasion and kind, key format, length, no braces, no repeats.
    items = check_pack(load(PROMPTS))
    assert len({item["key"] for item in items}) == len(items)
    assert near_duplicates({item["key"]: item["text"] for item in items}) == []


def test_a_year_of_prompts_at_least_75_per_tip_at_every_depth():
    items = load(PROMPTS)["items"]
    assert len(items) >= 400
    per_tip = Counter(item["tip"] for item in items)
    assert set(per_tip) == set(Tip.values)
    assert min(per_tip.values()) >= 75, per_tip
    for tip in Tip.values:
        depths = Counter(item["depth"] for item in items if item["tip"] == tip)
        assert set(depths) == set(Prompt.Depth.values), tip
        assert min(depths.values()) >= 15, (tip, depths)


def test_every_occasion_and_kind_has_prompts_across_the_tips():
    items = load(PROMPTS)["items"]
    for occasion in Prompt.Occasion.values:
        tips = {item["tip"] for item in items if item.get("occasion") == occasion}
        assert len(tips) >= 4, occasion
    # A seasonal week asks one prompt a day: enough for the week in every tip's mix.
    for occasion in Prompt.SEASONAL:
        assert sum(item.get("occasion") == occasion for item in items) >= 10, occasion
    love_maps = [item for item in items if item.get("kind") == "love_map"]
    good_news = [item for item in items if item.get("kind") == "good_news"]
    assert len(love_maps) >= 20 and len(good_news) >= 12
    # Love maps: guess your partner's answer, then tell your own. No right or wrong.
    for item in love_maps:
        assert item["text"].startswith("Guess, then tell:"), item["key"]
        assert "Then " in item["text"], item["key"]
    for item in good_news:
        assert "good news" in item["text"].lower(), item["key"]


def test_prompts_are_questions_and_use_no_guilt_words():
    for item in load(PROMPTS)["items"]:
        # A question; a love map adds "Then tell yours." after it.
        assert "?" in item["text"], item["key"]
        assert guilt_in(item["text"]) == [], (item["key"], guilt_in(item["text"]))


def test_prompt_keys_are_stable_and_follow_the_tip():
    prefix = {tip: tip.replace("_", "-") for tip in Tip.values}
    for item in load(PROMPTS)["items"]:
        assert re.fullmatch(rf"{prefix[item['tip']]}-\d\d+", item["key"]), item["key"]


# --- Nudges -------------------------------------------------------------------------------


NUDGE_FIELDS = {"key", "tip", "subject", "preheader", "paragraphs", "action", "action_label"}


def test_nudges_have_unique_keys_known_fields_tips_and_actions():
    items = load(NUDGES)
    keys = [item["key"] for item in items]
    assert len(set(keys)) == len(keys), [key for key, n in Counter(keys).items() if n > 1]
    for item in items:
        assert set(item) == NUDGE_FIELDS, item.get("key")
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", item["key"]), item["key"]
        assert item["tip"] in Tip.values, item["key"]
        assert item["action"] in catalog.ACTION_URLS, item["key"]


def test_thirty_nudges_per_tip():
    per_tip = Counter(item["tip"] for item in load(NUDGES))
    for tip in Tip.values:
        assert per_tip[tip] >= 30, (tip, per_tip[tip])


def test_nudge_lengths_fit_an_inbox():
    for item in load(NUDGES):
        key = item["key"]
        assert 8 <= len(item["subject"]) <= 60, key
        assert 10 <= len(item["preheader"]) <= 110, key
        assert 2 <= len(item["paragraphs"]) <= 3, key
        for paragraph in item["paragraphs"]:
            assert 30 <= len(paragraph) <= 320, key
        assert 4 <= len(item["action_label"]) <= 30, key


def test_nudges_use_only_placeholders_that_exist():
    for item in load(NUDGES):
        for text in [item["subject"], item["preheader"], *item["paragraphs"]]:
            assert placeholders(text) <= PLACEHOLDERS, (item["key"], text)
        # The preheader and button are shown as written, never filled in.
        assert placeholders(item["preheader"] + item["action_label"]) == set(), item["key"]


def test_each_nudge_ends_with_one_concrete_thing_to_do():
    # After the first paragraph (why) comes the invitation, and no nudge reports on the
    # partner.
    report = re.compile(
        r"\{partner\}('s)? (has|hasn't|has not|did not|didn't|wasn't|answered|wrote|skipped|"
        r"replied|opened|stopped|usually|always)\b"
    )
    verbs = re.compile(
        r"\b(write|tell|ask|plan|pick|choose|send|share|say|offer|open|answer|take|put|"
        r"think|look|agree|talk|browse|jot|name|scroll|try|give|leave|dig|mark|invite|"
        r"greet|sit|start|set|mention|find|bring|cook|go|make|spend|keep|let|notice|"
        r"listen|play|read|walk|watch|hug|dance|stay|turn|suggest|thank|pause)\b"
    )
    for item in load(NUDGES):
        last = item["paragraphs"][-1]
        assert not report.search(" ".join(item["paragraphs"])), item["key"]
        assert verbs.search(" ".join(item["paragraphs"][1:]).lower()), item["key"]
        assert last.endswith((".", "?", "!", "'")), item["key"]


def test_no_two_nudges_say_the_same():
    items = load(NUDGES)
    for field in ("subject", "preheader"):
        assert near_duplicates({item["key"]: item[field] for item in items}) == [], field
    paragraphs = {
        f"{item['key']}#{n}": text for item in items for n, text in enumerate(item["paragraphs"])
    }
    assert near_duplicates(paragraphs) == []


def test_nudges_use_no_guilt_words():
    for item in load(NUDGES):
        text = " ".join([item["subject"], item["preheader"], *item["paragraphs"]])
        assert guilt_in(text) == [], (item["key"], guilt_in(text))


# --- Date ideas ---------------------------------------------------------------------------


def test_date_ideas_have_unique_keys_known_tags_and_fitting_lengths():
    items = load(DATE_IDEAS)["items"]
    keys = [item["key"] for item in items]
    assert len(set(keys)) == len(keys)
    title_max = DateIdea._meta.get_field("title").max_length
    description_max = DateIdea._meta.get_field("description").max_length
    for item in items:
        key = item["key"]
        assert {"key", "title", "description", "tags", "tip"} <= set(item), key
        assert item["tip"] in Tip.values, key
        assert set(item["tags"]) <= set(DateIdea.TAGS), key
        assert 3 <= len(item["title"]) <= title_max, key
        assert 30 <= len(item["description"]) <= description_max, key
        assert placeholders(item["title"] + item["description"]) == set(), key


def test_date_ideas_say_different_things_without_guilt_words():
    items = load(DATE_IDEAS)["items"]
    for field in ("title", "description"):
        assert near_duplicates({item["key"]: item[field] for item in items}) == [], field
    for item in items:
        text = f"{item['title']} {item['description']}"
        assert guilt_in(text) == [], (item["key"], guilt_in(text))


@pytest.mark.parametrize("path", [PROMPTS, DATE_IDEAS])
def test_each_library_file_has_a_version_and_says_what_it_is(path):
    data = load(path)
    assert isinstance(data["version"], int) and data["version"] >= 1
    assert data["about"]
