"""Fault drills run only where PostgreSQL and Redis are the setup under test (.ci/run),
with the tools to start their own instances; elsewhere they skip and say why. They are
deselected from `make test` (pyproject's `-m "not drill"`); `pytest -m drill` runs them."""

from __future__ import annotations

import os

import pytest

from tests.conftest import ON_POSTGRES

from .harness import RESULTS, missing_tools


def pytest_collection_modifyitems(config, items):
    reason = None
    if not (ON_POSTGRES and os.environ.get("REDIS_URL")):
        reason = (
            "drills run on PostgreSQL and Redis (set DATABASE_URL=postgres://... and "
            "REDIS_URL=redis://..., as .ci/run does); they start their own instances of both"
        )
    elif missing := missing_tools():
        reason = f"drills need {', '.join(missing)} to start their own instances"
    if reason:
        for item in items:
            if item.get_closest_marker("drill"):
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    write = terminalreporter.write_line
    write("")
    write("| drill | due | delivered | duplicates | lost | seconds to settle |")
    write("| --- | ---: | ---: | ---: | ---: | ---: |")
    for outcome in RESULTS:
        write(
            f"| {outcome.drill} | {outcome.due} | {outcome.delivered} | {outcome.duplicates} "
            f"| {outcome.lost} | {outcome.settle_seconds:.0f} |"
        )
