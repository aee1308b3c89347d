"""The date-idea library: at least 120 ideas in our own words, many of them about learning
something together away from screens, with "new to us" and "learn something together"
to browse by."""

import json

import pytest
from django.urls import reverse

from practices import library
from practices.library import CONTENT, load_content
from practices.models import DateIdea

pytestmark = pytest.mark.django_db

# Ideas shipped in the first release: their keys never change (planned dates and staff
# edits are matched by them).
FIRST_RELEASE_KEYS = {
    "slow-dance-in-the-kitchen",
    "ten-phrase-language-night",
    "beginner-pottery-class",
    "cook-a-cuisine-you-ve-never-tried",
    "learn-go-with-coins-on-paper",
    "paint-the-same-view",
}


def test_the_library_has_120_ideas_30_about_learning_together_and_keeps_its_keys():
    items = json.loads((CONTENT / "date_ideas.json").read_text())["items"]
    assert len(items) >= 120
    assert {item["key"] for item in items} >= FIRST_RELEASE_KEYS
    assert DateIdea.objects.count() == len(items)
    assert DateIdea.objects.filter(learn_new=True).count() >= 30
    assert DateIdea.objects.filter(learn_new=True, no_screens=True).count() >= 30
    assert DateIdea.objects.filter(new_to_us=True).count() >= 20


@pytest.mark.parametrize(
    ("tag", "label"), [("new_to_us", "New to us"), ("learn_new", "Learn something together")]
)
def test_ideas_filter_by_the_new_tags(
    couple, alice_client, tag, label, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        page = alice_client.get(reverse("practices:ideas"), {"tag": tag})
    ideas = list(page.context["ideas"])
    assert ideas and all(getattr(idea, tag) for idea in ideas)
    assert len(ideas) == DateIdea.objects.filter(**{tag: True}).count() < DateIdea.objects.count()
    assert f'href="?tag={tag}" aria-current="page">{label}</a>' in page.text
    assert label in [name for idea in ideas for _, name in idea.tags]


def test_a_new_tag_reaches_the_ideas_that_have_it_and_leaves_staff_edits_alone(tmp_path):
    data = json.loads((CONTENT / "date_ideas.json").read_text())
    before_the_tag = {
        **data,
        "version": 1,
        "items": [
            {**item, "tags": [tag for tag in item["tags"] if tag != "new_to_us"]}
            for item in data["items"]
        ],
    }
    (tmp_path / "prompts.json").write_text((CONTENT / "prompts.json").read_text())
    (tmp_path / "date_ideas.json").write_text(json.dumps(before_the_tag))
    load_content(tmp_path, force=True)
    assert not DateIdea.objects.filter(new_to_us=True).exists()
    # The digests as the first release recorded them, before the column existed.
    for item in before_the_tag["items"]:
        values = library._idea_values(item)
        del values["new_to_us"]
        DateIdea.objects.filter(shipped_key=item["key"]).update(
            shipped_digest=library._digest(values)
        )
    DateIdea.objects.filter(shipped_key="slow-dance-in-the-kitchen").update(
        title="Kitchen slow dance (staff wording)"
    )

    (tmp_path / "date_ideas.json").write_text(json.dumps({**data, "version": 3}))
    reports = load_content(tmp_path)

    assert DateIdea.objects.get(shipped_key="slow-dance-in-the-kitchen").title == (
        "Kitchen slow dance (staff wording)"
    )
    assert DateIdea.objects.get(shipped_key="beginner-pottery-class").new_to_us
    tagged = sum("new_to_us" in item["tags"] for item in data["items"])
    assert DateIdea.objects.filter(new_to_us=True).count() == tagged
    assert reports[1].corrected == tagged
