"""Shipped content in the other languages: prompts, date ideas, rituals and nudges.

The English words live in the database (prompts, date ideas, rituals: see library.py) or in
a file (nudges). Each translation is a data file beside its English one, keyed by the
item's permanent key:

    practices/content/de/prompts.json   {"language": "de", "items": {"gratitude-01": {"text": ...}}}

Read once per process and looked up by key at display time, in the language active for the
request or the email. Adding a language is adding files (no migration, no table per
string), a couple's own prompts and rituals have no key and stay as written, and an item a
language lacks shows in English rather than not at all (tests/test_content_translations.py
keeps every shipped language complete).

Each app registers its files with `register`, from its AppConfig.ready, so practices never
imports the apps built on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class Shipped:
    """One shipped English file and the fields of its items that are translated.
    `limits` caps a field's length where a model column holds it."""

    folder: Path
    filename: str
    fields: tuple[str, ...]
    limits: tuple[tuple[str, int], ...] = ()

    def translation_path(self, language: str) -> Path:
        return self.folder / language / self.filename

    def english_items(self) -> dict[str, dict]:
        raw = json.loads((self.folder / self.filename).read_text(encoding="utf-8"))
        items = raw["items"] if isinstance(raw, dict) else raw
        return {item["key"]: item for item in items}


REGISTRY: dict[str, Shipped] = {}


def register(name: str, shipped: Shipped) -> None:
    REGISTRY[name] = shipped


def base_language(language: str | None = None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


@cache
def _items(name: str, language: str) -> dict[str, dict]:
    path = REGISTRY[name].translation_path(language)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["items"]


def item(name: str, key: str, language: str | None = None) -> dict:
    """An item's translated fields in the active language ({} for English, or none)."""
    language = base_language(language)
    if not key or language == settings.LANGUAGE_CODE:
        return {}
    return _items(name, language).get(key, {})


def text(name: str, key: str, field: str, english, language: str | None = None):
    """`english` in the active language, if the item has a key and a translation."""
    return item(name, key, language).get(field) or english
