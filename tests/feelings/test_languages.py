"""Feelings, rituals and our week in German and Spanish: the wheel's words, sentences
built as one message, and messages from Python all follow the person's language."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from feelings import services as feelings
from ourweek import services as ourweek

pytestmark = pytest.mark.django_db


def speak(user, language: str) -> None:
    """The person's own language (Settings), which every page they see is in."""
    user.language = language
    user.save(update_fields=["language"])


NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.mark.parametrize(
    ("language", "sentence", "wheel"),
    [
        ("de", "Bob fühlt sich voller Heimweh, 3 von 5: Long day.", "Erschöpft"),
        ("es", "Bob se siente con nostalgia de casa, 3 de 5: Long day.", "Agotado/a"),
    ],
)
def test_a_check_in_reads_as_one_sentence_in_the_language(
    couple, alice, bob, alice_client, language, sentence, wheel
):
    speak(alice, language)
    feelings.check_in(couple, bob, feeling="homesick", intensity=3, line="Long day.")
    page = alice_client.get(reverse("feelings:history")).text
    assert sentence in page
    start = alice_client.get(reverse("feelings:checkin")).text
    assert wheel in start


def test_the_week_page_and_its_timer_speak_german(couple, alice, alice_client):
    speak(alice, "de")
    week = ourweek.start_week(couple)
    week.step = 3
    week.save()
    page = alice_client.get(reverse("ourweek:week", args=[week.pk]))
    assert "Schritt 3 von 5: Was mich beschäftigt" in page.text
    assert 'data-paused="Pausiert. Lasst euch Zeit."' in page.text


def test_a_step_too_far_is_explained_in_spanish(couple, alice, alice_client):
    speak(alice, "es")
    week = ourweek.start_week(couple)
    response = alice_client.post(reverse("ourweek:step", args=[week.pk, 3]), {"action": "next"})
    page = alice_client.get(response["Location"]).text
    assert "Paso a paso: ahora toca el paso 1, aprecio. No se guardó nada." in page
