"""Prompt packs: a set of daily-question prompts in a JSON file, so staff can share
prompts between installs and a community can pass packs around.

A pack has the shape of the shipped `content/prompts.json` (which is itself a valid pack):

    {"about": "...", "version": 1, "items": [
        {"key": "spring-01", "text": "...", "tip": "talk", "depth": "light",
         "occasion": "new_year", "kind": "love_map"}]}

`occasion` and `kind` are optional. `check_pack` is the one schema: the content test runs
it over the shipped file, and `import_pack` runs it before writing anything, so a pack
with a single bad item is refused whole.

Importing adds the prompts the library lacks, by key. A prompt already there under the
same key is left as it is when its words match; a pack prompt (one not shipped with
Kindling) whose words changed is corrected in place, so a newer version of a pack fixes
its typos. The shipped library is never changed by a pack, and a prompt whose words
match one already in the library is skipped. Importing the same pack twice changes nothing.
A couple's own prompts are never exported and never touched.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction

from .models import Prompt
from .tips import Tip

SHIPPED = Path(__file__).resolve().parent / "content" / "prompts.json"

KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
KEY_MAX_LENGTH = Prompt._meta.get_field("shipped_key").max_length
TEXT_MIN_LENGTH = 12
TEXT_MAX_LENGTH = Prompt._meta.get_field("text").max_length
REQUIRED = {"key", "text", "tip", "depth"}
OPTIONAL = {"occasion", "kind"}
MAX_ITEMS = 2000
FIELDS = ("text", "tip", "depth", "occasion", "kind")


class PackError(Exception):
    """The pack is not valid; `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("This pack was not imported:\n" + "\n".join(problems))


_PUNCTUATION = str.maketrans(
    {char: " " for char in string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014\u2026"}
)


def normalise(text: str) -> str:
    """The words alone: lower case, punctuation and repeated spaces gone. Two prompts
    with the same normalised text are the same prompt."""
    return " ".join(text.lower().translate(_PUNCTUATION).split())


def check_items(items) -> list[str]:
    """Everything wrong with a list of prompt items (empty when it is fine)."""
    if not isinstance(items, list) or not items:
        return ["'items' must be a non-empty list of prompts."]
    if len(items) > MAX_ITEMS:
        return [f"A pack holds at most {MAX_ITEMS} prompts; this one has {len(items)}."]
    problems: list[str] = []
    keys: set[str] = set()
    texts: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"Item {number} is not an object.")
            continue
        where = f"Item {number}"
        if isinstance(item.get("key"), str):
            where = f"Item {number} ({item['key'][:KEY_MAX_LENGTH]})"
        if missing := REQUIRED - item.keys():
            problems.append(f"{where} lacks {', '.join(sorted(missing))}.")
            continue
        if unknown := item.keys() - REQUIRED - OPTIONAL:
            problems.append(f"{where} has unknown fields: {', '.join(sorted(unknown))}.")
        values = {name: item.get(name, "") for name in REQUIRED | OPTIONAL}
        if not all(isinstance(value, str) for value in values.values()):
            problems.append(f"{where}: every field must be text.")
            continue
        key, text = values["key"], values["text"].strip()
        if not KEY.match(key) or len(key) > KEY_MAX_LENGTH:
            problems.append(
                f"{where}: the key must be lower-case letters, digits and dashes, "
                f"at most {KEY_MAX_LENGTH} characters."
            )
        elif key in keys:
            problems.append(f"{where}: the key {key} appears twice.")
        keys.add(key)
        if not TEXT_MIN_LENGTH <= len(text) <= TEXT_MAX_LENGTH:
            problems.append(
                f"{where}: the text must be {TEXT_MIN_LENGTH} to {TEXT_MAX_LENGTH} characters."
            )
        if text != values["text"] or "  " in text or "{" in text or "}" in text:
            problems.append(f"{where}: the text has stray spaces or braces.")
        for name, allowed in (
            ("tip", Tip.values),
            ("depth", Prompt.Depth.values),
            ("occasion", ["", *Prompt.Occasion.values]),
            ("kind", ["", *Prompt.Kind.values]),
        ):
            if values[name] not in allowed:
                known = ", ".join(value for value in allowed if value)
                problems.append(f"{where}: unknown {name} '{values[name][:30]}' (known: {known}).")
        same = normalise(text)
        if same in texts:
            problems.append(f"{where} says the same as {texts[same]}.")
        texts.setdefault(same, key)
    return problems


def check_pack(data) -> list[dict]:
    """The pack's items, or PackError with every problem found."""
    if not isinstance(data, dict):
        raise PackError(["A pack is a JSON object with 'version' and 'items'."])
    problems = []
    if unknown := data.keys() - {"about", "version", "items"}:
        problems.append(f"Unknown fields at the top: {', '.join(sorted(unknown))}.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("'version' must be a whole number from 1.")
    if not isinstance(data.get("about", ""), str):
        problems.append("'about' must be text.")
    problems += check_items(data.get("items"))
    if problems:
        raise PackError(problems)
    return data["items"]


def parse(raw: str | bytes):
    """A pack file's JSON, or PackError when it is not JSON at all."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise PackError([f"This is not valid JSON: {error}"]) from None


# --- Export ----------------------------------------------------------------------------


def key_for(prompt: Prompt) -> str:
    """A shipped or imported prompt keeps its key. One staff added by hand gets a key
    from its words, the same at every export and on every install."""
    if prompt.shipped_key:
        return prompt.shipped_key
    return "staff-" + hashlib.sha256(normalise(prompt.text).encode()).hexdigest()[:12]


def export_pack(prompts, about: str = "", version: int = 1) -> dict:
    """The library prompts among `prompts` as a pack. A couple's own are left out."""
    items = []
    for prompt in prompts.filter(couple__isnull=True).order_by("pk"):
        item = {"key": key_for(prompt), "text": prompt.text, "tip": prompt.tip}
        item["depth"] = prompt.depth
        item |= {
            name: getattr(prompt, name) for name in ("occasion", "kind") if getattr(prompt, name)
        }
        items.append(item)
    return {"about": about, "version": version, "items": items}


def dump(pack: dict) -> str:
    return json.dumps(pack, ensure_ascii=False, indent=2) + "\n"


# --- Import ----------------------------------------------------------------------------


@dataclass
class ImportReport:
    added: int = 0
    corrected: int = 0
    unchanged: int = 0
    duplicates: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.corrected} corrected, {self.unchanged} already there, "
            f"{self.duplicates} skipped as the same words as a prompt in the library"
        )


def shipped_keys() -> set[str]:
    return {item["key"] for item in json.loads(SHIPPED.read_text(encoding="utf-8"))["items"]}


def import_pack(data) -> ImportReport:
    items = check_pack(data)
    try:
        return _import(items)
    except IntegrityError:
        # Someone imported the same pack at the same moment and added a key first: now it
        # is there, and a second pass finds it so.
        return _import(items)


def _import(items: list[dict]) -> ImportReport:
    report = ImportReport()
    protected = shipped_keys()
    with transaction.atomic():
        library = {
            prompt.shipped_key: prompt
            for prompt in Prompt.objects.select_for_update().filter(
                couple__isnull=True, shipped_key__in=[item["key"] for item in items]
            )
        }
        words = {
            normalise(text): key
            for key, text in Prompt.objects.filter(couple__isnull=True).values_list(
                "shipped_key", "text"
            )
        }
        new, changed = [], []
        for item in items:
            values = {name: item.get(name, "") for name in FIELDS}
            row = library.get(item["key"])
            if row is not None:
                differs = {
                    name: value for name, value in values.items() if getattr(row, name) != value
                }
                if not differs or item["key"] in protected:
                    report.unchanged += 1
                    continue
                for name, value in differs.items():
                    setattr(row, name, value)
                changed.append(row)
                continue
            if normalise(values["text"]) in words:
                report.duplicates += 1
                continue
            words[normalise(values["text"])] = item["key"]
            new.append(Prompt(shipped_key=item["key"], **values))
        Prompt.objects.bulk_create(new)
        Prompt.objects.bulk_update(changed, list(FIELDS))
    report.added, report.corrected = len(new), len(changed)
    return report
