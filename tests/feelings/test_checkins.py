"""The feelings check-in: two taps from home, private entries never reach the partner,
one response per check-in, and what the home card shows."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from feelings import services
from feelings.models import CheckIn, CheckInResponse
from feelings.wheel import CORES, WORDS
from practices import stats
from tests.factories import UserFactory, link

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


def check_in(client, core="uneasy", **data):
    fields = {"feeling": "anxious", "intensity": "4", "visibility": "shared"} | data
    return client.post(reverse("feelings:new", args=[core]), fields)


def test_the_wheel_has_seven_cores_of_eight_words_with_unique_keys():
    assert 6 <= len(CORES) <= 8
    assert all(8 <= len(core.words) <= 12 for core in CORES.values())
    assert len(WORDS) == sum(len(core.words) for core in CORES.values())
    assert {core.pleasant for core in CORES.values()} == {True, False}


def test_every_core_colour_carries_white_text_and_matches_the_stylesheet():
    def luminance(hex_colour):
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "kindling.css").read_text()
    for core in CORES.values():
        assert 1.05 / (luminance(core.colour) + 0.05) >= 4.5, core.key
        assert f".feel-{core.key} {{ --feel: {core.colour}; }}" in css


def test_home_links_each_core_to_its_finer_words(couple, alice_client):
    home = alice_client.get(reverse("practices:home")).text
    for key in CORES:
        assert reverse("feelings:new", args=[key]) in home
    page = alice_client.get(reverse("feelings:new", args=["uneasy"])).text
    assert "anxious" in page and "overwhelmed" in page
    assert "delighted" not in page  # another core's word


def test_a_shared_check_in_shows_on_both_homes_with_the_response(
    couple, alice, bob, alice_client, bob_client
):
    response = check_in(alice_client, line="Big meeting tomorrow", would_like="listened")
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.core, checkin.feeling, checkin.intensity) == ("uneasy", "anxious", 4)
    bobs_home = bob_client.get(reverse("practices:home")).text
    assert (
        "Alice feels anxious, 4 of 5: Big meeting tomorrow Would like: to be listened to."
        in " ".join(bobs_home.split())
    )
    bob_client.post(
        reverse("feelings:respond", args=[checkin.pk]), {"reply": "hear", "next": "home"}
    )
    assert CheckInResponse.objects.get().get_reply_display() == "I hear you"
    alices_home = alice_client.get(reverse("practices:home")).text
    assert "Bob answered: I hear you" in alices_home


def test_a_private_check_in_never_reaches_the_partner(couple, alice, alice_client, bob_client):
    check_in(alice_client, line="Only mine to read", visibility="private")
    checkin = CheckIn.objects.get()
    assert not checkin.is_shared
    for url in (
        reverse("practices:home"),
        reverse("feelings:history"),
    ):
        assert "Only mine to read" not in bob_client.get(url).text
    assert bob_client.get(reverse("feelings:detail", args=[checkin.pk])).status_code == 404
    answered = bob_client.post(reverse("feelings:respond", args=[checkin.pk]), {"reply": "hug"})
    assert answered.status_code == 404
    assert not CheckInResponse.objects.exists()
    assert "Only mine to read" in alice_client.get(reverse("feelings:history")).text


def test_the_visibility_chosen_last_is_the_default_next_time(couple, alice_client):
    form = alice_client.get(reverse("feelings:new", args=["calm"])).context["form"]
    assert form.initial["visibility"] == "shared"
    check_in(alice_client, visibility="private")
    form = alice_client.get(reverse("feelings:new", args=["calm"])).context["form"]
    assert form.initial["visibility"] == "private"


def test_a_check_in_that_asks_for_nothing_still_counts_for_feelings_and_a_response_for_talk(
    couple, alice, bob, alice_client, bob_client
):
    check_in(alice_client, core="glad", feeling="proud", intensity="3")
    check_in(alice_client, core="glad", feeling="proud", intensity="3", visibility="private")
    bob_client.post(
        reverse("feelings:respond", args=[CheckIn.objects.filter(visibility="shared").get().pk]),
        {"body": "Proud of you too"},
    )
    week = stats.balance(couple, NOON - dt.timedelta(days=1), NOON + dt.timedelta(minutes=1))
    assert week.checkins == 1  # the private one is not on the shared page
    assert week.checkin_responses == 1
    assert week.by_tip["feelings"] == 1 and week.by_tip["talk"] == 1
    assert "1 feelings check-in" in week.sentence()


def test_the_second_response_is_refused_and_the_first_stands(couple, alice, bob, bob_client):
    checkin = services.check_in(couple, alice, feeling="sad", intensity=2)
    url = reverse("feelings:respond", args=[checkin.pk])
    bob_client.post(url, {"reply": "hug"})
    bob_client.post(url, {"reply": "talk"})
    assert list(CheckInResponse.objects.values_list("reply", flat=True)) == ["hug"]
    assert services.respond_to_checkin(checkin, bob, reply="talk") is False


def test_nobody_answers_their_own_check_in(couple, alice, alice_client):
    checkin = services.check_in(couple, alice, feeling="sad", intensity=2)
    assert (
        alice_client.post(
            reverse("feelings:respond", args=[checkin.pk]), {"reply": "hug"}
        ).status_code
        == 404
    )
    with pytest.raises(services.FeelingsError):
        services.respond_to_checkin(checkin, alice, reply="hug")


def test_home_shows_only_todays_latest_shared_check_in(couple, alice, bob, bob_client):
    with time_machine.travel(NOON - dt.timedelta(days=1), tick=False):
        services.check_in(couple, alice, feeling="tired", intensity=2, line="Yesterday's line")
    services.check_in(couple, alice, feeling="hopeful", intensity=3, line="Earlier today")
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        services.check_in(couple, alice, feeling="excited", intensity=5, line="Latest today")
        services.check_in(
            couple, alice, feeling="numb", intensity=1, line="Secret", visibility="private"
        )
        page = bob_client.get(reverse("practices:home")).text
    assert "Latest today" in page
    assert "Earlier today" not in page and "Yesterday's line" not in page and "Secret" not in page


def test_history_lists_mine_and_the_partners_shared_newest_first_with_weather(
    couple, alice, bob, alice_client
):
    for days_ago, feeling, who, visibility in [
        (3, "sad", bob, "shared"),
        (2, "lonely", bob, "private"),
        (1, "proud", alice, "private"),
        (0, "calm" if False else "relaxed", alice, "shared"),
    ]:
        with time_machine.travel(NOON - dt.timedelta(days=days_ago), tick=False):
            services.check_in(couple, who, feeling=feeling, intensity=3, visibility=visibility)
    page = alice_client.get(reverse("feelings:history"))
    listed = [c.feeling for c in page.context["page"]]
    assert listed == ["relaxed", "proud", "sad"]
    alice_strip, bob_strip = page.context["strips"]
    assert [c["core"].key for c in alice_strip["cells"][-2:]] == ["glad", "calm"]
    assert bob_strip["cells"][-3]["core"] is None  # his private day stays blank for Alice
    assert bob_strip["cells"][-4]["core"].key == "low"
    assert "10 March: calm" in page.text  # the screen-reader text of a cell


def test_pages_do_not_grow_with_the_data(
    couple, alice, bob, alice_client, django_assert_max_num_queries
):
    for i in range(60):
        checkin = services.check_in(couple, (alice, bob)[i % 2], feeling="hopeful", intensity=3)
        services.respond_to_checkin(checkin, (bob, alice)[i % 2], reply="hear")
    for name, limit in [("feelings:history", 7), ("feelings:checkin", 4)]:
        with django_assert_max_num_queries(limit):
            assert alice_client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(5):
        assert alice_client.get(reverse("feelings:new", args=["calm"])).status_code == 200


def test_strangers_see_nothing_and_change_nothing(couple, alice):
    checkin = services.check_in(couple, alice, feeling="sad", intensity=2)
    charlie = UserFactory()
    link(charlie, UserFactory())
    from tests.conftest import client_for

    client = client_for(charlie)
    assert client.get(reverse("feelings:detail", args=[checkin.pk])).status_code == 404
    assert (
        client.post(reverse("feelings:respond", args=[checkin.pk]), {"reply": "hug"}).status_code
        == 404
    )
    assert not CheckInResponse.objects.exists()
    assert client.get(reverse("feelings:new", args=["nope"])).status_code == 404
