"""The apps depend on each other in one direction, layer by layer:

    couples <- practices <- the practices built on it (feelings, rituals, ourweek) <- reminders

Apps in the same layer do not import each other either. The way back is signals
(practices.signals, couples.signals) and the registries apps fill from AppConfig.ready
(couples.privacy, practices.hub). These tests read the source, so an import tucked inside
a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in the file, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            # `from . import tasks` imports the module reminders.tasks.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def app_files(app: str) -> list[Path]:
    """The app's own code. Management commands are entry points, like manage.py itself
    (make demo seeds every app), so they may reach any app."""
    return [
        p
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts and "management" not in p.parts
    ]


LAYERS = [["couples"], ["practices"], ["feelings", "rituals", "ourweek"], ["reminders"]]


def forbidden_pairs() -> list[tuple[str, str]]:
    """(app, other) for every installed app and every app in its layer or above."""
    present = [[app for app in layer if (ROOT / app).is_dir()] for layer in LAYERS]
    return [
        (app, other)
        for depth, layer in enumerate(present)
        for app in layer
        for above in present[depth:]
        for other in above
        if other != app
    ]


def test_every_app_of_ours_has_a_place_in_the_layers():
    ours = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert ours <= {app for layer in LAYERS for app in layer}


@pytest.mark.parametrize(("app", "above"), forbidden_pairs())
def test_an_app_imports_nothing_from_the_apps_built_on_it(app, above):
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m == above or m.startswith(f"{above}.")
        )
        for path in app_files(app)
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_the_reminders_modules_import_each_other_without_a_loop():
    modules = {
        "reminders." + path.stem: path
        for path in (ROOT / "reminders").glob("*.py")
        if path.stem != "__init__"
    }
    graph = {
        name: {m for m in imported_modules(path) if m in modules and m != name}
        for name, path in modules.items()
    }

    def loop_from(start: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for nxt in sorted(graph[start]):
            if nxt in seen:
                return (*seen[seen.index(nxt) :], nxt)
            if found := loop_from(nxt, (*seen, nxt)):
                return found
        return None

    loops = {name: loop for name in graph if (loop := loop_from(name, (name,)))}
    assert loops == {}
