"""The time-zone list: canonical zones only, grouped by region, a sensible first guess,
and any valid zone name still accepted."""

from html.parser import HTMLParser
from importlib import resources

import pytest
from django.urls import reverse

from couples.models import Couple, User
from couples.timezones import (
    COUNTRY_ZONES,
    REGIONS,
    canonical_name,
    offered_timezones,
    timezone_choices,
)
from tests.factories import link

pytestmark = pytest.mark.django_db

ALIASES = ["Europe/Kiev", "Etc/GMT+5", "Mexico/BajaNorte", "Etc/Zulu", "Asia/Calcutta"]
ALIASES += ["US/Eastern", "GMT", "EST5EDT", "Europe/Uzhgorod"]


class ZoneSelect(HTMLParser):
    """The options of the page's time-zone select: (optgroup, value, label, selected)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.options: list[list] = []
        self.attrs: dict[str, str] | None = None
        self._inside = self._group = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "select" and attrs.get("name") == "timezone":
            self._inside, self.attrs = True, attrs
        elif self._inside and tag == "optgroup":
            self._group = attrs["label"]
        elif self._inside and tag == "option":
            self.options.append([self._group, attrs["value"], "", "selected" in attrs])

    def handle_endtag(self, tag):
        if tag == "select":
            self._inside = None
        elif tag == "optgroup":
            self._group = None

    def handle_data(self, data):
        if self._inside and self.options and not self.options[-1][2]:
            self.options[-1][2] = data.strip()

    @property
    def values(self) -> list[str]:
        return [value for _, value, _, _ in self.options]

    @property
    def selected(self) -> list[str]:
        return [value for _, value, _, chosen in self.options if chosen]


def offered_values() -> list[str]:
    values = []
    for value, label in timezone_choices():
        values += [zone for zone, _ in label] if isinstance(label, list) else [value]
    return values


def test_the_list_names_each_zone_once_by_its_modern_name():
    values = offered_values()
    assert len(values) == len(set(values)) == len(offered_timezones())
    for alias in ALIASES:
        assert alias not in values, alias
    for zone in ["Europe/Kyiv", "Asia/Kolkata", "America/Tijuana", "America/New_York", "UTC"]:
        assert zone in values, zone
    # No two offered names are the same clock under two names.
    zoneinfo = resources.files("tzdata") / "zoneinfo"
    files = [(zoneinfo / ("Etc/UTC" if v == "UTC" else v)).read_bytes() for v in values]
    assert len(set(files)) == len(files)


def test_every_alias_leads_to_an_offered_zone_with_the_same_clock():
    zoneinfo = resources.files("tzdata") / "zoneinfo"
    assert canonical_name("Europe/Kiev") == "Europe/Kyiv"
    assert canonical_name("Etc/Zulu") == "UTC"
    assert canonical_name("Mexico/BajaNorte") == "America/Tijuana"
    for name in ["Europe/Kiev", "Asia/Calcutta", "US/Eastern", "Europe/Oslo"]:
        zone = canonical_name(name)
        assert zone in offered_timezones()
        assert (zoneinfo / name).read_bytes() == (zoneinfo / zone).read_bytes()


def test_the_sign_up_form_groups_the_zones_by_region(client):
    select = ZoneSelect(client.get("/accounts/signup/").text)
    groups = list(dict.fromkeys(group for group, *_ in select.options if group))
    assert groups == list(REGIONS)
    assert select.options[0][:3] == [None, "UTC", "UTC"]
    by_value = {value: (group, label) for group, value, label, _ in select.options}
    assert by_value["Europe/Kyiv"] == ("Europe", "Kyiv")
    assert by_value["America/Argentina/Buenos_Aires"] == ("America", "Buenos Aires, Argentina")
    assert by_value["Pacific/Auckland"] == ("Pacific", "Auckland")
    europe = [label for group, _, label, _ in select.options if group == "Europe"]
    assert europe == sorted(europe)
    for alias in ALIASES:
        assert alias not in by_value, alias


@pytest.mark.parametrize(
    ("languages", "zone"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "Europe/Berlin"),
        ("en-GB,en;q=0.9", "Europe/London"),
        ("es-ES", "Europe/Madrid"),
        ("en-US,en;q=0.5", "America/New_York"),
        ("fr;q=0.5, en-NZ", "Pacific/Auckland"),
        ("uk", "Europe/Kyiv"),
        ("zh-Hant-TW", "Asia/Taipei"),
        ("en-GB;q=0, de-CH", "Europe/Zurich"),
        ("nb-NO", "Europe/Berlin"),  # Oslo keeps Berlin's clock, and is listed as Berlin
        ("es-419,es;q=0.9", "UTC"),
        ("tlh", "UTC"),
        ("", "UTC"),
    ],
)
def test_without_javascript_the_zone_is_guessed_from_the_browser_languages(client, languages, zone):
    page = client.get("/accounts/signup/", headers={"accept-language": languages}).text
    select = ZoneSelect(page)
    assert select.selected == [zone]
    # The browser's own clock may still correct the guess (kindling.js).
    assert "data-guess-timezone" in select.attrs


def test_every_country_guess_is_an_offered_zone():
    for country, zone in COUNTRY_ZONES.items():
        assert canonical_name(zone) in offered_timezones(), country


def test_a_form_sent_back_with_an_error_keeps_the_chosen_zone(client):
    page = client.post(
        "/accounts/signup/",
        {"email": "not an email", "display_name": "Dana", "timezone": "Asia/Tokyo"},
        headers={"accept-language": "de-DE"},
    ).text
    select = ZoneSelect(page)
    assert select.selected == ["Asia/Tokyo"]
    # Chosen, not guessed: the browser leaves it alone.
    assert "data-guess-timezone" not in select.attrs


SIGNUP = {
    "email": "dana@example.com",
    "password1": "a-long-enough-pw",
    "password2": "a-long-enough-pw",
    "display_name": "Dana",
}


def test_an_alias_posted_at_sign_up_is_accepted_as_its_zone(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "timezone": "Europe/Kiev"})
    assert response.status_code == 302
    assert User.objects.get(email="dana@example.com").timezone == "Europe/Kyiv"


@pytest.mark.parametrize(
    ("posted", "stored"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Etc/Zulu", "UTC"),
        ("Mexico/BajaNorte", "America/Tijuana"),
        # A real zone with no offered name of its own is kept as it is.
        ("Etc/GMT+5", "Etc/GMT+5"),
    ],
)
def test_profile_and_couple_forms_accept_any_valid_zone_name(
    alice, bob, alice_client, posted, stored
):
    couple = link(alice, bob)
    response = alice_client.post(
        reverse("couples:settings"), {"display_name": "Alice", "timezone": posted}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.timezone == stored
    response = alice_client.post(reverse("couples:couple"), {"name": "Us", "timezone": posted})
    assert response.status_code == 302
    assert Couple.objects.get(pk=couple.pk).timezone == stored


@pytest.mark.parametrize(
    ("stored", "selected"),
    [("Europe/Kiev", "Europe/Kyiv"), ("Etc/GMT+5", "Etc/GMT+5"), ("Europe/Oslo", "Europe/Berlin")],
)
def test_a_zone_saved_before_it_left_the_list_is_still_the_one_selected(
    alice, alice_client, stored, selected
):
    User.objects.filter(pk=alice.pk).update(timezone=stored)
    select = ZoneSelect(alice_client.get(reverse("couples:settings")).text)
    assert select.selected == [selected]
    response = alice_client.post(
        reverse("couples:settings"), {"display_name": "Alice", "timezone": selected}
    )
    assert response.status_code == 302


def test_every_time_zone_field_offers_the_same_grouped_list(couple, alice_client, client):
    pages = [
        (client, "/accounts/signup/"),
        (alice_client, reverse("couples:settings")),
        (alice_client, reverse("couples:couple")),
        (alice_client, reverse("reminders:settings")),
        (alice_client, reverse("practices:date_new")),
    ]
    expected = ZoneSelect(client.get("/accounts/signup/").text).values
    assert "Europe/Kyiv" in expected
    for page_client, path in pages:
        select = ZoneSelect(page_client.get(path).text)
        assert select.values == expected, path
        assert {group for group, *_ in select.options} == {None, *REGIONS}, path


def test_only_a_guessed_zone_carries_the_aliases_for_the_browser(client, alice_client):
    guessing = client.get("/accounts/signup/").text
    assert 'data-aliases="Europe/Kiev Europe/Uzhgorod Europe/Zaporozhye"' in guessing
    assert "data-aliases" not in alice_client.get(reverse("couples:settings")).text
