"""The German and Spanish catalogs: complete, up to date with the code, and the ones Django
reads. `python -m config.messages check` prints the same problems from a terminal."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import polib
import pytest
from django.utils import translation

from config import messages

LANGUAGES = messages.TRANSLATED
COUNTS = (0, 1, 2, 5, 1_000_000)
needs_xgettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="extracting messages needs GNU gettext (apt-get install gettext)",
)


def catalog(language: str) -> polib.POFile:
    path = messages.LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"no {language} catalog: run `python -m config.messages extract`"
    return polib.pofile(str(path))


def key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def describe(missing: set[tuple[str, str, str]]) -> str:
    return "\n".join(f"  {msgid!r}" + (f" [{ctx}]" if ctx else "") for ctx, msgid, _ in missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    found = messages.problems(language)
    assert not found, f"{len(found)} problems in the {language} catalog:\n" + "\n".join(found)


@needs_xgettext
def test_the_catalogs_hold_every_message_in_the_code(tmp_path):
    """makemessages, the way `python -m config.messages extract` runs it, on a copy of the
    code and its catalogs: it finds no message the checked-in catalogs lack. (The copy,
    because makemessages writes into a `locale` folder beside the code it reads.)"""
    copy = tmp_path / "kindling"
    skip = shutil.ignore_patterns(
        ".git", ".venv", ".tools", "var", "node_modules", "__pycache__", ".*cache", "*.mo"
    )
    shutil.copytree(messages.ROOT, copy, ignore=skip)
    environment = {**os.environ, "KINDLING_VAR_DIR": str(tmp_path / "var")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        messages.makemessages_command(),
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        checked_in = {key(entry) for entry in catalog(language) if not entry.obsolete}
        extracted = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        in_code = {key(entry) for entry in extracted if not entry.obsolete}
        missing = in_code - checked_in
        assert not missing, (
            f"messages in the code that locale/{language} lacks ({len(missing)}): run "
            f"`python -m config.messages extract` and translate them:\n{describe(missing)}"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_reads_the_compiled_catalog(language):
    """The .mo matches the .po: each translation comes out of gettext as written."""
    po = catalog(language)
    entries = [e for e in po if e.translated() and not e.obsolete]
    assert entries
    # Which plural form a number takes, by the catalog's own rule (Spanish may have three).
    rule = re.search(r"plural=([^;]+)", po.metadata.get("Plural-Forms", "plural=n != 1"))
    form = gettext.c2py(rule.group(1))
    wrong = []
    with translation.override(language):
        for entry in entries:
            if entry.msgctxt:
                continue
            if entry.msgid_plural:
                got = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in COUNTS]
                wanted = [entry.msgstr_plural[form(n)] for n in COUNTS]
            else:
                got, wanted = translation.gettext(entry.msgid), entry.msgstr
            if got != wanted:
                wrong.append(f"  {entry.msgid!r}: {got!r}, not {wanted!r}")
    assert not wrong, f"stale or missing .mo for {language}:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("language", "word"), [("de", "Einstellungen"), ("es", "Ajustes"), ("en", "Settings")]
)
def test_the_settings_link_speaks_the_language(language, word):
    with translation.override(language):
        assert translation.gettext("Settings") == word


# --- the check itself, on a catalog made by hand -------------------------------------------

HAND_MADE = textwrap.dedent(
    """\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Language: de\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    #: practices/views.py
    msgid "Your note is with %(name)s."
    msgstr "Deine Notiz ist bei %(name)s."

    #: reminders/content.py
    msgid "Write to {partner} today"
    msgstr "Schreib {partner} heute"

    #: templates/home.html
    msgid "one note"
    msgid_plural "%(counter)s notes"
    msgstr[0] "eine Notiz"
    msgstr[1] "%(counter)s Notizen"

    #: templates/settings.html
    msgid "Read <a href=\\"%(url)s\\">the privacy page</a>."
    msgstr "Lies <a href=\\"%(url)s\\">die Datenschutzseite</a>."

    #: reminders/digest.py
    msgid "%(count)d day"
    msgid_plural "%(count)d days"
    msgstr[0] "ein Tag"
    msgstr[1] "%(count)d Tage"

    #: practices/services.py
    msgid "%s and %s, 100%% together"
    msgstr "%s und %s, 100%% zusammen"

    #: templates/untranslated.html
    msgid "Untranslated"
    msgstr ""

    #: templates/fuzzy.html
    #, fuzzy
    msgid "Fuzzy"
    msgstr "Flauschig"

    #: templates/dropped.html
    msgid "%(name)s wrote you a note"
    msgstr "Du hast eine Notiz bekommen"

    #: templates/invented.html
    msgid "Thinking of {partner}"
    msgstr "Ich denk an %(partner)s"

    #: templates/positional.html
    msgid "%s of %s"
    msgstr "%s"

    #: templates/plural-dropped.html
    msgid "%(name)s wrote one note"
    msgid_plural "%(name)s wrote %(counter)s notes"
    msgstr[0] "eine Notiz"
    msgstr[1] "%(name)s schrieb Notizen"

    #: templates/plural-missing.html
    msgid "one answer"
    msgid_plural "%(counter)s answers"
    msgstr[0] "eine Antwort"
    msgstr[1] ""

    #: templates/markup.html
    msgid "See <strong>today</strong>"
    msgstr "Sieh heute"

    #~ msgid "Obsolete"
    #~ msgstr ""
    """
)


def test_problems_catches_each_kind_of_broken_message(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(HAND_MADE)
    found = messages.problems("de", path)
    by_file = {}
    for line in found:
        place = line.split("(templates/")[1].split(".html)")[0]
        by_file.setdefault(place, []).append(line)
    assert sorted(by_file) == [
        "dropped",
        "fuzzy",
        "invented",
        "markup",
        "plural-dropped",
        "plural-missing",
        "positional",
        "untranslated",
    ], "\n".join(found)
    assert "is not translated" in by_file["untranslated"][0]
    assert "fuzzy" in by_file["fuzzy"][0]
    assert "['%(name)s'] missing" in by_file["dropped"][0]
    assert "['{partner}'] missing, ['%(partner)s'] unknown" in by_file["invented"][0]
    assert "%s x2" in by_file["positional"][0]
    # The singular may leave out the count, but not the name; the plural form drops the count.
    assert [line.split(": ", 2)[-1] for line in by_file["plural-dropped"]] == [
        "placeholders ['%(name)s'] missing, [] unknown",
        "placeholders ['%(counter)s'] missing, [] unknown",
    ]
    assert "is not translated" in by_file["plural-missing"][0]
    assert "markup differs" in by_file["markup"][0]


def test_problems_wants_every_plural_form_of_the_language(tmp_path):
    path = tmp_path / "django.po"
    valid = HAND_MADE.split("#: templates/untranslated.html")[0]
    plurals = ["de: 'one note' (templates/home.html)", "de: '%(count)d day' (reminders/digest.py)"]
    path.write_text(valid)
    assert messages.problems("de", path) == []
    path.write_text(valid.replace("nplurals=2", "nplurals=3"))
    assert messages.problems("de", path) == [f"{name} is not translated" for name in plurals]
    path.write_text(valid.replace('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n', ""))
    assert messages.problems("de", path) == [
        f"{name} is a plural, but the catalog has no Plural-Forms header" for name in plurals
    ]


def test_a_missing_catalog_is_a_problem(tmp_path):
    assert messages.problems("de", Path(tmp_path / "nowhere.po")) == [
        f"de: no catalog at {tmp_path / 'nowhere.po'}"
    ]
