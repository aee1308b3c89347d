"""The shipped rituals in content/rituals.json, loaded by `manage.py load_content` through
practices.library's machinery (keys, digests, release versions), which this app adds
its catalog to from AppConfig.ready."""

from __future__ import annotations

from pathlib import Path

from practices.library import Catalog
from practices.tips import Tip
from practices.translated import Shipped

from .models import Ritual

CONTENT = Path(__file__).resolve().parent / "content"


def _ritual_values(item: dict) -> dict:
    if item["tip"] not in Tip.values:
        raise ValueError(f"Ritual {item['key']} has an unknown tip: {item['tip']}")
    return {"title": item["title"], "why": item["why"], "tip": item["tip"]}


CATALOG = Catalog(
    "rituals",
    "rituals.json",
    lambda: Ritual.objects.filter(couple__isnull=True),
    "title",
    _ritual_values,
)

SHIPPED = Shipped(
    CONTENT,
    "rituals.json",
    ("title", "why"),
    tuple((name, Ritual._meta.get_field(name).max_length) for name in ("title", "why")),
)
