"""Code and docs that send a reader to a test name one that exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"\b(tests/[\w/]+\.py)(?:::(\w+))?")
SOURCES = [
    "README.md",
    "DEVELOPERS.md",
    "Makefile",
    "config",
    "couples",
    "practices",
    "reminders",
    "feelings",
]


def files():
    for name in SOURCES:
        path = ROOT / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def test_every_test_named_in_code_or_docs_exists():
    missing = []
    for path in files():
        for line_no, line in enumerate(path.read_text().splitlines(), 1):
            for test_file, test_name in REFERENCE.findall(line):
                where = f"{path.relative_to(ROOT)}:{line_no}"
                target = ROOT / test_file
                if not target.is_file():
                    missing.append(f"{where}: {test_file}")
                elif test_name and f"def {test_name}(" not in target.read_text():
                    missing.append(f"{where}: {test_file}::{test_name}")
    assert not missing
