"""The date-idea library: at least 120 ideas in our own words, many of them about learning
something together away from screens, with "new to us" and "learn something together"
to browse by."""

import json

import pytest
from django.urls import reverse

from practices.library import CONTENT
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
