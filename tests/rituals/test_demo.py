"""`make demo` shows a couple with chosen rituals, a few weeks of moments and a finished
learn-together item kept as a memory."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from couples.models import User
from rituals.models import Choice, LearnItem, Moment
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_couple_has_rituals_moments_and_a_memory(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    sam = User.objects.get(email="sam@example.com")
    couple = sam.memberships.get().couple
    assert Choice.objects.filter(couple=couple, status="ours").count() == 3
    assert Choice.objects.filter(couple=couple, status="proposed").count() == 1
    days = set(Moment.objects.filter(couple=couple).values_list("day", flat=True))
    assert len(days) >= 7 and (max(days) - min(days)).days >= 14
    done = LearnItem.objects.get(couple=couple, status="done")
    assert done.reflections.exists()
    page = client_for(sam).get(reverse("rituals:rituals")).text
    assert "Our rituals" in page and "Proposed by River" in page
