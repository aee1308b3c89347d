"""`manage.py load_content`: the shipped prompts and date ideas reach every install, new
and corrected ones included, and nothing a couple wrote is touched."""

import datetime as dt
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices import services
from practices.library import CONTENT, load_content
from practices.models import (
    Answer,
    DailyQuestion,
    DateIdea,
    DateNight,
    FavoritePrompt,
    Prompt,
    ShippedRelease,
)
from tests.factories import date_night

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Prompt, DateIdea, ShippedRelease, DailyQuestion, Answer, FavoritePrompt)
    }


@pytest.fixture
def release(tmp_path) -> Path:
    """A copy of the shipped files, to change as a new release would."""
    for path in CONTENT.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def edit_release(folder: Path, filename: str, change) -> None:
    data = json.loads((folder / filename).read_text())
    change(data)
    (folder / filename).write_text(json.dumps(data))


def shipped_version(filename: str) -> int:
    return json.loads((CONTENT / filename).read_text())["version"]


def item(data: dict, key: str) -> dict:
    return next(entry for entry in data["items"] if entry["key"] == key)


def test_the_shipped_files_are_loaded_with_their_keys():
    shipped = json.loads((CONTENT / "prompts.json").read_text())["items"]
    keys = set(Prompt.objects.filter(couple=None).values_list("shipped_key", flat=True))
    assert keys == {entry["key"] for entry in shipped}
    ideas = json.loads((CONTENT / "date_ideas.json").read_text())["items"]
    assert DateIdea.objects.exclude(shipped_key="").count() == len(ideas)


def test_loading_again_changes_nothing(couple, alice):
    question = services.todays_question(couple)
    services.answer_question(question, alice, "The lake, always.")
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        reports = load_content()
    assert [str(report) for report in reports] == [
        f"prompts: version {shipped_version('prompts.json')} already loaded",
        f"date ideas: version {shipped_version('date_ideas.json')} already loaded",
    ]
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert snapshot() == before


def test_a_release_adds_and_corrects_in_place_and_leaves_couples_alone(release, couple, alice, bob):
    asked = Prompt.objects.get(shipped_key="gratitude-01")
    question = DailyQuestion.objects.create(couple=couple, day=dt.date(2026, 5, 1), prompt=asked)
    Answer.objects.create(question=question, user=alice, body="The soup you made.")
    FavoritePrompt.objects.create(user=bob, prompt=asked)
    # A couple's own prompt with the very words of a shipped one stays theirs.
    own = Prompt.objects.create(text=asked.text, tip="talk", couple=couple, author=alice)
    idea = DateIdea.objects.get(shipped_key="slow-dance-in-the-kitchen")
    planned = date_night(couple, alice, idea=idea)
    before = snapshot()

    def correct_prompts(data):
        data["version"] = 2
        item(data, "gratitude-01")["text"] = "This past week, what small thing made your day?"
        data["items"].append(
            {
                "key": "talk-99",
                "text": "What would you like more of?",
                "tip": "talk",
                "depth": "light",
            }
        )

    def correct_ideas(data):
        data["version"] = 2
        item(data, "slow-dance-in-the-kitchen")["tags"] = ["at_home", "free"]

    edit_release(release, "prompts.json", correct_prompts)
    edit_release(release, "date_ideas.json", correct_ideas)
    reports = load_content(release)

    assert [str(report) for report in reports] == [
        "prompts: version 2 loaded (1 added, 1 corrected, 0 recognised from before keys)",
        "date ideas: version 2 loaded (0 added, 1 corrected, 0 recognised from before keys)",
    ]
    asked.refresh_from_db()
    assert asked.text == "This past week, what small thing made your day?"
    assert DailyQuestion.objects.get().prompt_id == asked.pk
    assert FavoritePrompt.objects.get().prompt_id == asked.pk
    assert Prompt.objects.get(shipped_key="talk-99").couple is None
    idea.refresh_from_db()
    assert (idea.at_home, idea.no_screens, idea.free) == (True, False, True)
    assert DateNight.objects.get(pk=planned.pk).idea_id == idea.pk
    after = snapshot()
    for name in ("DailyQuestion", "Answer", "FavoritePrompt"):
        assert after[name] == before[name], name
    assert Prompt.objects.filter(pk=own.pk).values().get() == next(
        row for row in before["Prompt"] if row["id"] == own.pk
    )
    # And once more: nothing left to do.
    assert "already loaded" in str(load_content(release)[0])
    assert snapshot() == after


def test_staff_edits_stay_until_a_release_corrects_that_item(release):
    switched_off = Prompt.objects.get(shipped_key="talk-01")
    reworded = Prompt.objects.get(shipped_key="talk-02")
    Prompt.objects.filter(pk=switched_off.pk).update(active=False)
    Prompt.objects.filter(pk=reworded.pk).update(text="Our own wording, for our server.")
    edit_release(release, "prompts.json", lambda data: data.update(version=2))
    load_content(release)
    switched_off.refresh_from_db()
    reworded.refresh_from_db()
    assert not switched_off.active
    assert reworded.text == "Our own wording, for our server."

    def correct(data):
        data["version"] = 3
        item(data, "talk-01")["text"] = "A corrected question?"

    edit_release(release, "prompts.json", correct)
    load_content(release)
    switched_off.refresh_from_db()
    assert (switched_off.text, switched_off.active) == ("A corrected question?", False)


def test_an_older_file_never_undoes_a_newer_release(release):
    ShippedRelease.objects.filter(catalog="prompts").update(version=5)
    edit_release(release, "prompts.json", lambda data: item(data, "talk-01").update(text="Old"))
    before = snapshot()
    err = StringIO()
    call_command("load_content", content_dir=release, stdout=StringIO(), stderr=err)
    file_version = shipped_version("prompts.json")
    assert (
        f"prompts: not loaded; this database has version 5, newer than the file's {file_version}"
        in (err.getvalue())
    )
    assert snapshot() == before


def test_a_database_loaded_before_keys_existed_is_recognised_not_duplicated(couple):
    shipped = Prompt.objects.get(shipped_key="feelings-01")
    own = Prompt.objects.create(
        text=shipped.text, tip=shipped.tip, depth=shipped.depth, couple=couple
    )
    Prompt.objects.update(shipped_key="", shipped_digest="")
    DateIdea.objects.update(shipped_key="", shipped_digest="")
    ShippedRelease.objects.all().delete()
    before = {row["id"]: row["text"] for row in Prompt.objects.values("id", "text")}
    reports = load_content()
    assert (reports[0].added, reports[0].recognised) == (0, len(before) - 1)
    assert (reports[1].added, reports[1].recognised) == (0, DateIdea.objects.count())
    after = {row["id"]: row["text"] for row in Prompt.objects.values("id", "text")}
    assert after == before
    assert list(Prompt.objects.filter(shipped_key="")) == [own]
    assert Prompt.objects.get(shipped_key="feelings-01") == shipped


def test_the_command_says_what_it_did():
    out = StringIO()
    call_command("load_content", stdout=out)
    assert out.getvalue().splitlines() == [
        f"prompts: version {shipped_version('prompts.json')} already loaded",
        f"date ideas: version {shipped_version('date_ideas.json')} already loaded",
        # Catalogs other apps add (practices.library.add_catalog) come after practices' own.
        "rituals: version 1 already loaded",
    ]


def test_a_release_tags_a_prompt_in_place_and_keeps_staff_edits_elsewhere(release, couple):
    tagged = Prompt.objects.get(shipped_key="talk-01")
    question = DailyQuestion.objects.create(couple=couple, day=dt.date(2026, 5, 1), prompt=tagged)
    reworded = Prompt.objects.get(shipped_key="talk-02")
    Prompt.objects.filter(pk=reworded.pk).update(text="Our own wording, for our server.")

    def tag(data):
        data["version"] += 1
        item(data, "talk-01").update(occasion="hard_week", kind="good_news")

    edit_release(release, "prompts.json", tag)
    assert "(0 added, 1 corrected" in str(load_content(release)[0])
    tagged.refresh_from_db()
    assert (tagged.occasion, tagged.kind) == ("hard_week", "good_news")
    assert DailyQuestion.objects.get(pk=question.pk).prompt_id == tagged.pk
    reworded.refresh_from_db()
    assert reworded.text == "Our own wording, for our server."
