"""Kindling's translation catalogs, without GNU gettext on the machine.

    python -m config.messages compile   # every locale/*/LC_MESSAGES/django.po to its .mo
    python -m config.messages extract   # refresh the German and Spanish .po from the code
    python -m config.messages check     # untranslated, fuzzy or broken entries, if any

The .mo files are build output (gitignored): `make run`, `make test`, CI and the
Dockerfile compile them, and the test session does too when one is missing or stale.
`extract` needs xgettext (Debian's gettext package); compiling and checking need only polib.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# The languages translated from English (English itself only rewords allauth).
TRANSLATED = ("de", "es")
# %(name)s, %s, %d and {name}: what a translation must keep. Named ones may move and repeat;
# unnamed ones (%s, {}) are filled in order, so each must appear as often as in the original.
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}", re.IGNORECASE)
# Markup inside a sentence (an inline link, <strong>): a translation keeps the same tags.
TAG = re.compile(r"</?[a-z][a-z0-9]*", re.IGNORECASE)
# The number a plural is chosen by, which a singular may spell out ("one note", "eine Notiz"):
# blocktranslate's `count counter=...`, or what ngettext's callers name it.
COUNT_NAMES = {
    f"%({name}){kind}" for name in ("count", "counter", "n", "number", "total") for kind in "sd"
}


def catalogs() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def compile_all(force: bool = False) -> list[Path]:
    """Compile each catalog whose .mo is missing or older than its .po. The .mo is written
    beside and renamed into place, so parallel test workers never read half a file."""
    import polib

    written = []
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo-part")
        os.close(handle)
        polib.pofile(str(po_path)).save_as_mofile(temporary)
        os.replace(temporary, mo_path)
        written.append(mo_path)
    return written


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def _named(found: list[str]) -> set[str]:
    return {item for item in found if item.startswith("%(") or len(item) > 2}


def _unnamed(found: list[str]) -> Counter[str]:
    return Counter(item for item in found if not (item.startswith("%(") or len(item) > 2))


def _plural_count(catalog) -> int | None:
    found = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else None


def _compare(original: str, translation: str, *, singular_of: str | None = None) -> str:
    """What `translation` drops or invents against `original`, or "". A plural's singular
    form (`singular_of` is then the plural original) may leave the count out, and may use
    any placeholder of the plural."""
    have = placeholders(translation)
    wanted = placeholders(original)
    allowed = set(wanted)
    required = _named(wanted)
    unnamed_ok = _unnamed(have) == _unnamed(wanted)
    if singular_of is not None:
        plural = placeholders(singular_of)
        allowed |= set(plural)
        required = (required & _named(plural)) - COUNT_NAMES
        unnamed_ok = not (_unnamed(have) - _unnamed(plural))
    missing = sorted(required - set(have))
    unknown = sorted(set(have) - allowed)
    if not unnamed_ok:
        missing += [f"{item} x{count}" for item, count in sorted(_unnamed(wanted).items())]
    tags = sorted(TAG.findall(original.lower()))
    if sorted(TAG.findall(translation.lower())) != tags:
        return f"markup differs: the original has {tags or 'no tags'}"
    if missing or unknown:
        return f"placeholders {missing} missing, {unknown} unknown"
    return ""


def problems(language: str, path: Path | None = None) -> list[str]:
    """Every message of `language` (the catalog at `path`, by default the checked-in one)
    that is untranslated, fuzzy, drops or invents a placeholder or a tag, or lacks a plural
    form, as one line each. Empty means the catalog is complete."""
    import polib

    path = path or LOCALE / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return [f"{language}: no catalog at {path}"]
    catalog = polib.pofile(str(path))
    forms = _plural_count(catalog)
    found = []
    for entry in catalog:
        if entry.obsolete:
            continue
        where = f" ({entry.occurrences[0][0]})" if entry.occurrences else ""
        context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
        name = f"{language}: {context}{entry.msgid[:70]!r}{where}"
        if "fuzzy" in entry.flags:
            found.append(f"{name} is marked fuzzy")
            continue
        if entry.msgid_plural:
            translations = [entry.msgstr_plural.get(k, "") for k in range(forms or 0)]
            if forms is None:
                found.append(f"{name} is a plural, but the catalog has no Plural-Forms header")
                continue
            if any(k >= forms for k in entry.msgstr_plural):
                found.append(f"{name} has more plural forms than the {forms} of {language}")
                continue
        else:
            translations = [entry.msgstr]
        if not all(t.strip() for t in translations):
            found.append(f"{name} is not translated")
            continue
        for index, translation in enumerate(translations):
            if not entry.msgid_plural:
                problem = _compare(entry.msgid, translation)
            elif index == 0:
                problem = _compare(entry.msgid, translation, singular_of=entry.msgid_plural)
            else:
                problem = _compare(entry.msgid_plural, translation)
            if problem:
                form = f" (plural form {index})" if entry.msgid_plural else ""
                found.append(f"{name}{form}: {problem}")
    return found


def makemessages_command() -> list[str]:
    """makemessages for the translated languages, over Kindling's own code only: the one
    command that decides which messages a catalog must hold (tests/test_translations.py
    runs it on a copy of the code)."""
    ignore = [".venv", ".tools", "tests", "bench", "var", "node_modules", "static"]
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location=file"]
    command += [f"--locale={language}" for language in TRANSLATED]
    command += [f"--ignore={folder}" for folder in ignore]
    command += ["--extension=html,txt,py,js"]
    return command


def extract() -> None:
    """Refresh the German and Spanish catalogs from the code (needs xgettext)."""
    subprocess.run(makemessages_command(), cwd=ROOT, check=True)  # noqa: S603 (our own argv)


def main(argv: list[str]) -> int:
    verb = argv[0] if argv else "compile"
    if verb == "compile":
        for path in compile_all(force="--force" in argv):
            print(f"compiled {path.relative_to(ROOT)}")
        return 0
    if verb == "extract":
        extract()
        return 0
    if verb == "check":
        found = [line for language in TRANSLATED for line in problems(language)]
        print("\n".join(found) or "every message is translated")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
