"""Phones away: one timer per date whoever starts it, a calm screen with one button, the
minutes kept on the date (and correctable), and the month's time on the couple home."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from practices import services
from practices.models import DateNight
from tests.factories import UserFactory, date_night, link

pytestmark = pytest.mark.django_db

EVENING = dt.datetime(2027, 3, 10, 19, 0, tzinfo=dt.UTC)


@pytest.fixture
def evening():
    with time_machine.travel(EVENING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tonight(couple, alice, evening):
    return date_night(couple, alice, title="Dinner by the river", starts_at=EVENING)


def reload(date: DateNight) -> DateNight:
    return DateNight.objects.get(pk=date.pk)


def test_starting_twice_or_from_both_phones_makes_one_timer(tonight, alice_client, bob_client):
    alice_client.post(reverse("practices:phones_away_start", args=[tonight.pk]))
    started = reload(tonight).phones_away_since
    assert started == EVENING
    with time_machine.travel(EVENING + dt.timedelta(minutes=5), tick=False):
        response = bob_client.post(reverse("practices:phones_away_start", args=[tonight.pk]))
        alice_client.post(reverse("practices:phones_away_start", args=[tonight.pk]))
    assert response["Location"] == reverse("practices:phones_away", args=[tonight.pk])
    assert reload(tonight).phones_away_since == started


def test_we_are_back_records_the_minutes_once(tonight, alice_client, bob_client):
    services.start_phones_away(tonight)
    with time_machine.travel(EVENING + dt.timedelta(minutes=95, seconds=40), tick=False):
        response = bob_client.post(
            reverse("practices:phones_away_stop", args=[tonight.pk]), follow=True
        )
        assert "Welcome back. 1 hour and 35 minutes with phones away, together." in response.text
        again = alice_client.post(
            reverse("practices:phones_away_stop", args=[tonight.pk]), follow=True
        )
    assert "You are already back" in again.text
    tonight = reload(tonight)
    assert (tonight.phones_away_minutes, tonight.phones_away_since) == (95, None)
    assert "1 hour and 35 minutes" in again.text  # shown on the date's page


def test_a_second_time_away_adds_to_the_first_and_never_passes_twelve_hours(tonight):
    services.start_phones_away(tonight)
    with time_machine.travel(EVENING + dt.timedelta(minutes=30), tick=False):
        assert services.stop_phones_away(tonight) == 30
    with time_machine.travel(EVENING + dt.timedelta(hours=1), tick=False):
        services.start_phones_away(tonight)
    with time_machine.travel(EVENING + dt.timedelta(hours=30), tick=False):
        assert services.stop_phones_away(tonight) == 720


def test_the_screen_shows_the_start_time_and_one_button_without_javascript(
    tonight, bob_client, bob
):
    services.start_phones_away(tonight)
    page = bob_client.get(reverse("practices:phones_away", args=[tonight.pk])).text
    # In Bob's zone (Pacific/Auckland) 19:00 UTC is 08:00 the next morning.
    assert "Since <time" in page and ">08:00</time>" in page
    assert 'data-since="2027-03-11T08:00:00+13:00"' in page
    assert "js/phones-away.js" in page
    assert page.count("<button") == 1 and "We\u2019re back" in page
    assert 'class="bottom-nav' not in page and "<a " not in page


def test_the_timer_starts_only_around_the_date(evening, couple, alice, alice_client):
    later = date_night(couple, alice, starts_at=EVENING + dt.timedelta(hours=3))
    response = alice_client.post(
        reverse("practices:phones_away_start", args=[later.pk]), follow=True
    )
    assert "starts around the date itself" in response.text
    assert reload(later).phones_away_since is None
    soon = date_night(couple, alice, starts_at=EVENING + dt.timedelta(minutes=50))
    alice_client.post(reverse("practices:phones_away_start", args=[soon.pk]))
    assert reload(soon).phones_away_since == EVENING
    cancelled = date_night(couple, alice, starts_at=EVENING, status=DateNight.Status.CANCELLED)
    alice_client.post(reverse("practices:phones_away_start", args=[cancelled.pk]))
    assert reload(cancelled).phones_away_since is None


def test_a_forgotten_timer_is_corrected_by_hand(tonight, alice_client):
    services.start_phones_away(tonight)
    with time_machine.travel(EVENING + dt.timedelta(days=1), tick=False):
        page = alice_client.get(reverse("practices:phones_away_edit", args=[tonight.pk]))
        assert page.status_code == 200
        response = alice_client.post(
            reverse("practices:phones_away_edit", args=[tonight.pk]), {"minutes": "150"}
        )
    assert response["Location"] == reverse("practices:date", args=[tonight.pk])
    tonight = reload(tonight)
    assert (tonight.phones_away_minutes, tonight.phones_away_since) == (150, None)


@pytest.mark.parametrize("minutes", ["-1", "721", "3000"])
def test_out_of_range_minutes_are_refused_and_nothing_changes(tonight, alice_client, minutes):
    services.set_phones_away_minutes(tonight, 40)
    response = alice_client.post(
        reverse("practices:phones_away_edit", args=[tonight.pk]), {"minutes": minutes}
    )
    assert response.status_code == 400
    assert "Phones-away time is between 0 and 720 minutes (12 hours)." in response.text
    assert reload(tonight).phones_away_minutes == 40
    with pytest.raises(services.PracticeError):
        services.set_phones_away_minutes(tonight, int(minutes))


def test_minutes_wait_for_the_date_and_not_for_a_cancelled_one(
    evening, couple, alice, alice_client
):
    ahead = date_night(couple, alice, starts_at=EVENING + dt.timedelta(days=2))
    response = alice_client.post(
        reverse("practices:phones_away_edit", args=[ahead.pk]), {"minutes": "30"}
    )
    assert "still ahead of you" in response.text
    assert reload(ahead).phones_away_minutes is None
    assert (
        alice_client.get(reverse("practices:phones_away_edit", args=[ahead.pk])).status_code == 302
    )
    gone = date_night(couple, alice, starts_at=EVENING, status=DateNight.Status.CANCELLED)
    response = alice_client.post(
        reverse("practices:phones_away_edit", args=[gone.pk]), {"minutes": "30"}
    )
    assert "cancelled" in response.text and reload(gone).phones_away_minutes is None


def test_another_couples_date_is_a_404_and_stays_as_it_was(tonight):
    charlie, dana = UserFactory(), UserFactory()
    link(charlie, dana)
    from tests.conftest import client_for

    client = client_for(charlie)
    for name, method, data in [
        ("phones_away", "get", {}),
        ("phones_away_start", "post", {}),
        ("phones_away_stop", "post", {}),
        ("phones_away_edit", "post", {"minutes": "5"}),
    ]:
        response = getattr(client, method)(reverse(f"practices:{name}", args=[tonight.pk]), data)
        assert response.status_code == 404, name
    tonight = reload(tonight)
    assert (tonight.phones_away_since, tonight.phones_away_minutes) == (None, None)


def test_the_home_page_shows_this_months_phones_away_time(evening, couple, alice, alice_client):
    march = date_night(couple, alice, starts_at=EVENING - dt.timedelta(days=3))
    services.set_phones_away_minutes(march, 100)
    also_march = date_night(couple, alice, starts_at=EVENING - dt.timedelta(days=1))
    services.set_phones_away_minutes(also_march, 50)
    february = date_night(couple, alice, starts_at=EVENING - dt.timedelta(days=20))
    services.set_phones_away_minutes(february, 300)
    page = alice_client.get(reverse("practices:home")).text
    assert "This month, 2 hours and 30 minutes with phones away, together." in page


def test_the_home_page_offers_the_timer_when_a_date_starts(tonight, alice_client, bob_client):
    page = alice_client.get(reverse("practices:home")).text
    start = reverse("practices:phones_away_start", args=[tonight.pk])
    assert f'action="{start}"' in page and "This month" not in page
    services.start_phones_away(tonight)
    page = bob_client.get(reverse("practices:home")).text
    assert reverse("practices:phones_away", args=[tonight.pk]) in page
    assert f'action="{start}"' not in page


def test_a_couple_with_no_phones_away_time_sees_no_card(evening, couple, alice, alice_client):
    date_night(couple, alice, starts_at=EVENING - dt.timedelta(days=2))
    assert "Phones away" not in alice_client.get(reverse("practices:home")).text


def test_the_date_page_offers_the_timer_around_its_time(tonight, alice_client):
    page = alice_client.get(reverse("practices:date", args=[tonight.pk])).text
    assert "Start phones-away time" in page and "Add the time by hand" in page
    with time_machine.travel(EVENING - dt.timedelta(hours=2), tick=False):
        page = alice_client.get(reverse("practices:date", args=[tonight.pk])).text
    assert "Start phones-away time" not in page and "Phones away" not in page


def test_an_ended_couple_cannot_start_a_timer(tonight, couple, alice_client):
    from tests.factories import end

    end(couple)
    response = alice_client.post(reverse("practices:phones_away_start", args=[tonight.pk]))
    assert response.status_code == 404
    assert reload(tonight).phones_away_since is None


def test_phones_away_dates_count_for_quality_time_through_dates(tonight, couple):
    from practices import stats

    services.start_phones_away(tonight)
    result = stats.balance(couple, EVENING - dt.timedelta(days=1), EVENING + dt.timedelta(days=1))
    assert (result.dates, result.by_tip["quality_time"]) == (1, 1)
    assert timezone.now() == EVENING


def test_export_holds_the_phones_away_time_for_both_and_deletion_keeps_it(tonight, alice, bob):
    from couples import privacy as couples_privacy

    services.set_phones_away_minutes(tonight, 75)
    for person in (alice, bob):
        dates = couples_privacy.export_data(person)["dates"]
        assert [d["phones_away_minutes"] for d in dates] == [75]
    couples_privacy.delete_account(alice)
    assert DateNight.objects.get(pk=tonight.pk).phones_away_minutes == 75
