"""The shipped library: the prompts and date ideas in `content/`, put into the database
by `manage.py load_content` (run by `make run`, `make demo` and the compose `migrate`
service), not by a migration, so that new and corrected items reach existing installs too.

Every item carries a permanent key. Loading a catalog adds the items the database lacks
and corrects the ones whose shipped words changed, in place: a corrected prompt keeps its
primary key, so past daily questions, favourites and planned dates still point at it.
It never touches what a couple wrote (their prompts have no key), never deletes, and
leaves `active` alone (staff may switch a prompt off).

A catalog is applied only when its file differs from the release last loaded, so loading
again changes nothing. Each row remembers a digest of the words it was last shipped with,
so an edit staff made in the admin stays until a release corrects that very item. A file
older than the loaded release is refused: rolling the code back must not undo corrections.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone

from .models import DateIdea, Prompt, ShippedRelease
from .translated import Shipped

CONTENT = Path(__file__).resolve().parent / "content"

# What practices/translated.py translates, with the columns' limits.
PROMPTS_SHIPPED = Shipped(
    CONTENT, "prompts.json", ("text",), (("text", Prompt._meta.get_field("text").max_length),)
)
IDEAS_SHIPPED = Shipped(
    CONTENT,
    "date_ideas.json",
    ("title", "description"),
    tuple((name, DateIdea._meta.get_field(name).max_length) for name in ("title", "description")),
)


@dataclass(frozen=True)
class Catalog:
    name: str
    filename: str
    shipped: Callable[[], models.QuerySet]
    # How a row loaded before items had keys is recognised (see `_apply`).
    match_field: str
    values: Callable[[dict], dict]


def _prompt_values(item: dict) -> dict:
    return {
        "text": item["text"],
        "tip": item["tip"],
        "depth": item["depth"],
        "occasion": item.get("occasion", ""),
        "kind": item.get("kind", ""),
    }


def _idea_values(item: dict) -> dict:
    unknown = set(item["tags"]) - set(DateIdea.TAGS)
    if unknown:
        raise ValueError(f"Date idea {item['key']} has unknown tags: {sorted(unknown)}")
    tags = {tag: tag in item["tags"] for tag in DateIdea.TAGS}
    return {"title": item["title"], "description": item["description"], "tip": item["tip"]} | tags


# Tags added after the first release enter an item's digest only where they are set: adding
# a tag to the catalog then leaves the digest of every item without it as it was, so a
# staff edit to such an item stays (see above) instead of being undone by the new column.
LATER_TAGS = ("new_to_us", "occasion", "kind")


def _digest_values(values: dict) -> dict:
    return {name: value for name, value in values.items() if name not in LATER_TAGS or value}


CATALOGS = (
    Catalog(
        "prompts",
        "prompts.json",
        lambda: Prompt.objects.filter(couple__isnull=True),
        "text",
        _prompt_values,
    ),
    Catalog("date ideas", "date_ideas.json", DateIdea.objects.all, "title", _idea_values),
)


@dataclass
class Report:
    catalog: str
    version: int
    previous: int
    added: int = 0
    corrected: int = 0
    recognised: int = 0
    refused: bool = False

    def __str__(self) -> str:
        if self.refused:
            return (
                f"{self.catalog}: not loaded; this database has version {self.previous}, "
                f"newer than the file's {self.version}"
            )
        if self.previous == self.version and not (self.added or self.corrected):
            return f"{self.catalog}: version {self.version} already loaded"
        return (
            f"{self.catalog}: version {self.version} loaded ({self.added} added, "
            f"{self.corrected} corrected, {self.recognised} recognised from before keys)"
        )


def load_content(content_dir: Path = CONTENT, *, force: bool = False) -> list[Report]:
    """Bring the database up to the shipped files. `force` applies a file even when it
    is unchanged or older than the release recorded (to repair a library by hand)."""
    return [_load(catalog, content_dir / catalog.filename, force) for catalog in CATALOGS]


def _load(catalog: Catalog, path: Path, force: bool) -> Report:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["items"]
    digest = _digest({"version": data["version"], "items": items})
    ShippedRelease.objects.get_or_create(catalog=catalog.name)
    with transaction.atomic():
        # The row lock makes two loads at once (two deploys) queue up: the second finds
        # the release already loaded.
        release = ShippedRelease.objects.select_for_update().get(catalog=catalog.name)
        report = Report(catalog.name, data["version"], release.version)
        if not force:
            if data["version"] < release.version:
                report.refused = True
                return report
            if digest == release.digest:
                return report
        _apply(catalog, items, report)
        release.version, release.digest, release.loaded_at = data["version"], digest, timezone.now()
        release.save()
    return report


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _apply(catalog: Catalog, items: list[dict], report: Report) -> None:
    keys = [item["key"] for item in items]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{catalog.name}: a key appears twice")
    rows = list(catalog.shipped())
    by_key = {row.shipped_key: row for row in rows if row.shipped_key}
    # Databases set up before items had keys hold the same items without one.
    unkeyed = {getattr(row, catalog.match_field): row for row in rows if not row.shipped_key}
    model = catalog.shipped().model
    new, changed = [], {}
    fields = {"shipped_key", "shipped_digest"}
    for item in items:
        values = catalog.values(item)
        shipped_digest = _digest(_digest_values(values))
        row = by_key.get(item["key"])
        if row is None:
            row = unkeyed.pop(values[catalog.match_field], None)
            if row is None:
                new.append(model(shipped_key=item["key"], shipped_digest=shipped_digest, **values))
                continue
            row.shipped_key = item["key"]
            report.recognised += 1
        elif row.shipped_digest == shipped_digest:
            continue  # shipped as before: leave it, staff edits included
        differs = {name: value for name, value in values.items() if getattr(row, name) != value}
        for name, value in differs.items():
            setattr(row, name, value)
        report.corrected += bool(differs)
        row.shipped_digest = shipped_digest
        fields |= differs.keys()
        changed[row.pk] = row
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed.values(), sorted(fields), batch_size=200)
    report.added = len(new)


# Catalogs shipped by the apps built on practices (rituals, ...), each with its own folder.
# Each app adds its own from AppConfig.ready, so practices never imports them;
# `manage.py load_content` and the test fixtures load them after the catalogs above.
ADDED: dict[str, tuple[Catalog, Path]] = {}


def add_catalog(catalog: Catalog, folder: Path) -> None:
    ADDED[catalog.name] = (catalog, folder)


def load_added_content(*, force: bool = False) -> list[Report]:
    return [_load(catalog, folder / catalog.filename, force) for catalog, folder in ADDED.values()]
