"""Prompt packs: `manage.py export_pack` / `import_pack` and the admin action share one
format, the shape of the shipped prompts.json. Importing a pack twice changes nothing; a
bad pack is refused whole with a clear message; the shipped library and a couple's own
prompts are never touched."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from practices.library import CONTENT
from practices.models import Prompt
from practices.packs import PackError, check_pack, import_pack
from tests.factories import staff_member

pytestmark = pytest.mark.django_db


def pack(*items: dict, version: int = 1) -> dict:
    return {"about": "Questions for a long winter", "version": version, "items": list(items)}


WINTER = [
    {
        "key": "winter-01",
        "text": "Which winter smell takes you straight back to childhood?",
        "tip": "feelings",
        "depth": "light",
    },
    {
        "key": "winter-02",
        "text": "Guess, then tell: what is your partner's perfect snowy-day plan? Then share yours.",
        "tip": "quality_time",
        "depth": "medium",
        "kind": "love_map",
    },
    {
        "key": "winter-03",
        "text": "What helps you through the darkest weeks of the year?",
        "tip": "feelings",
        "depth": "deep",
        "occasion": "hard_week",
    },
]


def library() -> list[dict]:
    return list(Prompt.objects.order_by("pk").values())


def write(tmp_path, data, name="pack.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run_import(path) -> str:
    out = StringIO()
    call_command("import_pack", str(path), stdout=out)
    return out.getvalue()


def test_the_shipped_library_is_itself_a_valid_pack():
    data = json.loads((CONTENT / "prompts.json").read_text())
    assert len(check_pack(data)) == len(data["items"])


def test_importing_a_pack_adds_its_prompts_to_the_library(tmp_path):
    out = run_import(write(tmp_path, pack(*WINTER)))
    assert "3 added, 0 corrected, 0 already there" in out
    added = Prompt.objects.get(shipped_key="winter-02")
    assert (added.couple, added.tip, added.depth, added.kind) == (
        None,
        "quality_time",
        "medium",
        "love_map",
    )
    assert Prompt.objects.get(shipped_key="winter-03").occasion == "hard_week"


def test_importing_the_same_pack_twice_changes_nothing(tmp_path):
    path = write(tmp_path, pack(*WINTER))
    run_import(path)
    before = library()
    with CaptureQueriesContext(connection) as queries:
        out = run_import(path)
    assert "0 added, 0 corrected, 3 already there" in out
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert library() == before


def test_a_newer_version_of_a_pack_corrects_its_prompts_in_place(tmp_path):
    run_import(write(tmp_path, pack(*WINTER)))
    first = Prompt.objects.get(shipped_key="winter-01")
    corrected = [dict(WINTER[0], text="Which winter smell takes you straight back home?")]
    out = run_import(write(tmp_path, pack(*corrected, *WINTER[1:], version=2)))
    assert "0 added, 1 corrected, 2 already there" in out
    first.refresh_from_db()
    assert first.text == "Which winter smell takes you straight back home?"


def test_a_pack_never_changes_the_shipped_library(tmp_path):
    shipped = Prompt.objects.get(shipped_key="talk-01")
    before = library()
    rewording = {"key": "talk-01", "text": "A pack's other words for it?", "tip": "talk"}
    out = run_import(write(tmp_path, pack(dict(rewording, depth="light"))))
    assert "0 added, 0 corrected, 1 already there" in out
    shipped.refresh_from_db()
    assert shipped.text != "A pack's other words for it?"
    assert library() == before


def test_a_prompt_with_the_same_words_as_one_in_the_library_is_skipped(tmp_path):
    shipped = Prompt.objects.get(shipped_key="talk-01")
    # The same words, shouted and punctuated differently, under another key.
    echo = {"key": "echo-01", "text": shipped.text.upper().replace(",", "") + "!!", "tip": "talk"}
    out = run_import(write(tmp_path, pack(dict(echo, depth="light"))))
    assert "0 added, 0 corrected, 0 already there, 1 skipped" in out
    assert not Prompt.objects.filter(shipped_key="echo-01").exists()


def test_a_couples_own_prompts_are_neither_exported_nor_touched(tmp_path, couple, alice):
    own = Prompt.objects.create(
        text="Our private question about the lake?", tip="talk", couple=couple, author=alice
    )
    out = StringIO()
    call_command("export_pack", "--tip", "talk", stdout=out)
    assert "private question" not in out.getvalue()
    twin = {"key": "lake-01", "text": own.text, "tip": "talk", "depth": "light"}
    run_import(write(tmp_path, pack(twin)))
    added = Prompt.objects.get(shipped_key="lake-01")
    assert added.couple is None and added.pk != own.pk
    own.refresh_from_db()
    assert (own.couple, own.shipped_key) == (couple, "")


BAD_PACKS = [
    ("{not json", "not valid JSON"),
    ("[]", "a JSON object"),
    (pack(), "'items' must be a non-empty list"),
    ({"version": 1, "items": WINTER, "extra": 1}, "Unknown fields at the top: extra"),
    (dict(pack(*WINTER), version="1"), "'version' must be a whole number"),
    (pack(dict(WINTER[0], tip="cooking")), "unknown tip 'cooking'"),
    (pack(dict(WINTER[0], depth="bottomless")), "unknown depth 'bottomless'"),
    (pack(dict(WINTER[0], occasion="birthday")), "unknown occasion 'birthday'"),
    (pack(dict(WINTER[0], kind="quiz")), "unknown kind 'quiz'"),
    (pack(dict(WINTER[0], score=3)), "unknown fields: score"),
    (pack({"key": "winter-09", "tip": "talk"}), "lacks depth, text"),
    (pack(dict(WINTER[0], text="x" * 301)), "the text must be 12 to 300 characters"),
    (pack(dict(WINTER[0], text="Too short?")), "the text must be 12 to 300 characters"),
    (pack(dict(WINTER[0], text="Hello {partner}, what now?")), "stray spaces or braces"),
    (pack(dict(WINTER[0], key="Winter 01!")), "the key must be lower-case"),
    (pack(dict(WINTER[0], depth=3)), "every field must be text"),
    (pack(WINTER[0], dict(WINTER[1], key="winter-01")), "the key winter-01 appears twice"),
    (
        pack(
            WINTER[0],
            dict(WINTER[1], text="which WINTER smell takes you straight back to childhood"),
        ),
        "says the same as winter-01",
    ),
    (pack(*WINTER, "just a string"), "Item 4 is not an object"),
]


@pytest.mark.parametrize(("data", "message"), BAD_PACKS)
def test_a_bad_pack_is_refused_with_a_clear_message_and_nothing_saved(tmp_path, data, message):
    # The good items come first: a pack is refused whole, not saved up to its first fault.
    before = library()
    with pytest.raises(CommandError) as refused:
        run_import(write(tmp_path, data))
    assert "This pack was not imported" in str(refused.value)
    assert message in str(refused.value)
    assert library() == before


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "nowhere.json")


def test_the_service_refuses_a_bad_pack_before_writing(tmp_path):
    before = library()
    with pytest.raises(PackError) as refused:
        import_pack(pack(*WINTER, dict(WINTER[0], key="winter-04", tip="nope")))
    assert refused.value.problems == [
        "Item 4 (winter-04): unknown tip 'nope' (known: gratitude, talk, quality_time, "
        "feelings, physical).",
        "Item 4 (winter-04) says the same as winter-01.",
    ]
    assert library() == before


def test_export_then_import_elsewhere_round_trips(tmp_path):
    path = tmp_path / "talk.json"
    out = StringIO()
    call_command("export_pack", "--tip", "talk", "--depth", "deep", "-o", str(path), stdout=out)
    exported = json.loads(path.read_text())
    expected = Prompt.objects.filter(couple__isnull=True, tip="talk", depth="deep", active=True)
    keys = set(expected.values_list("shipped_key", flat=True))
    assert {item["key"] for item in exported["items"]} == keys
    assert f"{len(keys)} prompts written" in out.getvalue()
    # Here they are all already there...
    before = library()
    assert f"0 added, 0 corrected, {len(keys)} already there" in run_import(path)
    assert library() == before
    # ...and on an install that lacks them, they arrive with their keys and tags.
    Prompt.objects.filter(shipped_key__in=keys).delete()
    assert f"{len(keys)} added" in run_import(path)
    assert (
        set(Prompt.objects.filter(shipped_key__in=keys).values_list("shipped_key", flat=True))
        == keys
    )


def test_export_with_no_match_says_so():
    with pytest.raises(CommandError, match="No library prompts match"):
        call_command("export_pack", "--key", "no-such-key", stdout=StringIO())


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(staff_member(two_factor=True))
    return client


def test_the_admin_exports_selected_prompts_as_a_pack(tmp_path, staff_client, couple, alice):
    shipped = Prompt.objects.get(shipped_key="feelings-01")
    added_by_staff = Prompt.objects.create(text="A question staff wrote by hand?", tip="talk")
    own = Prompt.objects.create(
        text="Only ours, about the lake?", tip="talk", couple=couple, author=alice
    )
    response = staff_client.post(
        "/admin/practices/prompt/",
        {
            "action": "export_as_pack",
            "_selected_action": [shipped.pk, added_by_staff.pk, own.pk],
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    exported = json.loads(response.content)
    check_pack(exported)
    keys = [item["key"] for item in exported["items"]]
    assert keys[0] == "feelings-01"
    assert keys[1].startswith("staff-") and len(keys) == 2  # the couple's own is left out
    assert b"lake" not in response.content
    # The same export again gives the same keys, so importing it elsewhere twice is a no-op.
    again = staff_client.post(
        "/admin/practices/prompt/",
        {"action": "export_as_pack", "_selected_action": [shipped.pk, added_by_staff.pk]},
    )
    assert json.loads(again.content) == exported
    # Imported here, the hand-written one gains its key, and nothing else changes.
    out = run_import(write(tmp_path, exported))
    assert "0 added, 0 corrected, 1 already there, 1 skipped" in out
