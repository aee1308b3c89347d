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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# The languages translated from English (English itself only rewords allauth).
TRANSLATED = ("de", "es")
# %(name)s, %s, %d and {name}: what a translation must keep, each as often as the original.
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}", re.IGNORECASE)


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
    return sorted(PLACEHOLDER.findall(text))


def problems(language: str) -> list[str]:
    """Every message of `language` that is untranslated, fuzzy, or drops or invents a
    placeholder, as one line each. Empty means the catalog is complete."""
    import polib

    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return [f"{language}: no catalog at {path.relative_to(ROOT)}"]
    found = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        name = f"{language}: {entry.msgid[:70]!r}"
        if "fuzzy" in entry.flags:
            found.append(f"{name} is marked fuzzy")
            continue
        if entry.msgid_plural:
            translations = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            originals = [entry.msgid, entry.msgid_plural]
        else:
            translations = [entry.msgstr]
            originals = [entry.msgid]
        if not all(t.strip() for t in translations):
            found.append(f"{name} is not translated")
            continue
        wanted = placeholders(originals[-1])
        for translation in translations:
            # A singular may spell "one" out instead of %(count)s; nothing else may go.
            have = placeholders(translation)
            extra = set(have) - set(placeholders(" ".join(originals)))
            missing = (
                set(wanted)
                - set(have)
                - ({"%(count)s", "%(counter)s"} if entry.msgid_plural else set())
            )
            if missing or extra:
                found.append(
                    f"{name}: placeholders {sorted(missing)} missing, {sorted(extra)} unknown"
                )
    return found


def extract() -> None:
    """makemessages for the translated languages, over Kindling's own code only."""
    ignore = [".venv", ".tools", "tests", "bench", "var", "node_modules", "static"]
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location=file"]
    command += [f"--locale={language}" for language in TRANSLATED]
    command += [f"--ignore={folder}" for folder in ignore]
    command += ["--extension=html,txt,py,js"]
    subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 (our own argv)


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
