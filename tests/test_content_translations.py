"""The shipped content in every language Kindling speaks: each translation file complete
against its English one (every key, every field, the same placeholders and paragraph
counts, within the columns' limits), not a copy of the English, with no two prompts
saying the same; and the reader's language is the one they see, on the page and by email.
"""

from __future__ import annotations

import json
import string

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from practices import translated
from practices.models import DailyQuestion, DateIdea, Prompt
from practices.packs import normalise
from reminders import catalog
from rituals.models import Ritual

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
FILES = sorted(translated.REGISTRY)
# A word or name may rightly read the same in two languages ("Karaoke", "Picknick"?), a
# whole library may not: more than this share of identical fields means a copy.
SAME_AS_ENGLISH_AT_MOST = 0.03


def placeholders(text: str) -> list[str]:
    return sorted(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)


def translation_of(name: str, language: str) -> dict:
    path = translated.REGISTRY[name].translation_path(language)
    assert path.exists(), f"{path} is missing"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["language"] == language
    return raw["items"]


def test_every_shipped_file_is_registered():
    assert set(FILES) == {"prompts", "date ideas", "rituals", "nudges"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", FILES)
def test_a_translation_has_every_item_and_field_and_keeps_the_placeholders(name, language):
    shipped = translated.REGISTRY[name]
    english = shipped.english_items()
    items = translation_of(name, language)
    assert sorted(set(english) - set(items)) == [], "untranslated items"
    assert sorted(set(items) - set(english)) == [], "items the English file does not have"
    limits = dict(shipped.limits)
    problems = []
    for key, item in items.items():
        for field in shipped.fields:
            original, words = english[key][field], item.get(field)
            if isinstance(original, list):
                if not isinstance(words, list) or len(words) != len(original):
                    problems.append(f"{key}.{field}: {len(original)} paragraphs in English")
                    continue
                pairs = list(zip(original, words, strict=True))
            else:
                pairs = [(original, words)]
            for before, after in pairs:
                if not isinstance(after, str) or not after.strip():
                    problems.append(f"{key}.{field} is empty")
                elif placeholders(before) != placeholders(after):
                    problems.append(
                        f"{key}.{field}: {placeholders(after)} for {placeholders(before)}"
                    )
                elif field in limits and len(after) > limits[field]:
                    problems.append(f"{key}.{field} is longer than {limits[field]} characters")
        if set(item) - set(shipped.fields):
            problems.append(f"{key}: fields {sorted(set(item) - set(shipped.fields))} unknown")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", FILES)
def test_a_translation_is_not_the_english_copied(name, language):
    shipped = translated.REGISTRY[name]
    english = shipped.english_items()
    items = translation_of(name, language)
    fields = [
        (english[key][field], item[field])
        for key, item in items.items()
        for field in shipped.fields
    ]
    same = [before for before, after in fields if before == after]
    assert len(same) <= SAME_AS_ENGLISH_AT_MOST * len(fields), same[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_translated_prompts_say_the_same(language):
    seen: dict[str, str] = {}
    clashes = []
    for key, item in translation_of("prompts", language).items():
        words = normalise(item["text"])
        if words in seen:
            clashes.append((seen[words], key))
        seen[words] = key
    assert clashes == []


# --- What a reader sees -----------------------------------------------------------------


def german(name: str, key: str) -> dict:
    return translation_of(name, "de")[key]


@pytest.mark.django_db
def test_each_partner_reads_the_shared_question_in_their_own_language(
    couple, bob, alice_client, bob_client
):
    bob.language = "de"
    bob.save(update_fields=["language"])
    english = alice_client.get(reverse("practices:question"))
    question = DailyQuestion.objects.get()
    words = german("prompts", question.prompt.shipped_key)["text"]
    in_german = bob_client.get(reverse("practices:question"))
    assert escape(question.prompt.text) in english.text and escape(words) not in english.text
    assert escape(words) in in_german.text and escape(question.prompt.text) not in in_german.text
    assert DailyQuestion.objects.count() == 1  # one question for both, shown two ways


@pytest.mark.django_db
def test_a_couples_own_prompt_stays_as_written_in_every_language(couple):
    own = Prompt.objects.create(
        couple=couple, text="What did the sea sound like that night?", tip="talk"
    )
    for language in LANGUAGES:
        with translation.override(language):
            assert own.shown_text == own.text


@pytest.mark.django_db
def test_shipped_prompts_ideas_and_rituals_show_in_the_active_language():
    prompt = Prompt.objects.filter(couple__isnull=True).exclude(shipped_key="").first()
    idea = DateIdea.objects.exclude(shipped_key="").first()
    ritual = Ritual.objects.filter(couple__isnull=True).exclude(shipped_key="").first()
    with translation.override("de"):
        assert prompt.shown_text == german("prompts", prompt.shipped_key)["text"]
        assert idea.shown_title == german("date ideas", idea.shipped_key)["title"]
        assert idea.shown_description == german("date ideas", idea.shipped_key)["description"]
        assert ritual.shown_title == german("rituals", ritual.shipped_key)["title"]
        assert ritual.shown_why == german("rituals", ritual.shipped_key)["why"]
    with translation.override("en"):
        assert (prompt.shown_text, idea.shown_title, ritual.shown_title) == (
            prompt.text,
            idea.title,
            ritual.title,
        )


def test_a_nudge_is_written_in_the_active_language_with_the_names_filled_in():
    template = catalog.templates()["gratitude-01"]
    with translation.override("de"):
        words = template.render(name="River", partner="Sam")
    expected = german("nudges", "gratitude-01")
    assert words["subject"] == expected["subject"].format(name="River", partner="Sam")
    assert words["paragraphs"] == [
        p.format(name="River", partner="Sam") for p in expected["paragraphs"]
    ]
    assert words["action_label"] == expected["action_label"]
    with translation.override("en"):
        assert template.render(name="River", partner="Sam")["subject"] == template.subject.format(
            name="River", partner="Sam"
        )


def test_a_language_without_a_file_falls_back_to_english():
    template = catalog.templates()["gratitude-01"]
    with translation.override("fr"):
        assert template.render(name="A", partner="B")["subject"] == template.subject.format(
            name="A", partner="B"
        )


@pytest.mark.django_db
def test_the_question_library_lists_shipped_prompts_in_german(couple, alice, alice_client):
    url = reverse("practices:prompts")
    english = alice_client.get(url).text
    listed = [
        prompt
        for prompt in Prompt.objects.filter(couple__isnull=True).exclude(shipped_key="")
        if escape(prompt.text) in english
    ]
    alice.language = "de"  # in Settings: the next page is in German, none cached in English
    alice.save(update_fields=["language"])
    in_german = alice_client.get(url).text
    assert listed
    for prompt in listed:
        words = german("prompts", prompt.shipped_key)["text"]
        assert escape(words) in in_german and escape(prompt.text) not in in_german
