import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from couples.models import Couple, Membership
from reminders.models import Nudge
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_partners_edit_the_couple_profile(couple, bob_client):
    response = bob_client.post(
        reverse("couples:couple"),
        {"name": "Team Tea", "together_since": "2019-04-02", "timezone": "Pacific/Auckland"},
    )
    assert response.status_code == 302
    couple.refresh_from_db()
    assert (couple.name, couple.together_since, couple.timezone) == (
        "Team Tea",
        dt.date(2019, 4, 2),
        "Pacific/Auckland",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x" * 61}, "at most 60 characters"),
        ({"together_since": "2999-01-01"}, "in the future"),
        ({"together_since": "31/31/2020"}, "Enter a valid date"),
        ({"timezone": "Mars/Olympus_Mons"}, "is not a time zone we know"),
        ({"timezone": ""}, "This field is required"),
    ],
)
def test_bad_couple_profile_input_gets_a_message_and_saves_nothing(
    couple, alice_client, data, message
):
    valid = {"name": "Ours", "together_since": "2020-01-01", "timezone": "Europe/London"}
    before = Couple.objects.values().get(pk=couple.pk)
    response = alice_client.post(reverse("couples:couple"), {**valid, **data})
    assert response.status_code == 200
    assert message in response.text
    assert Couple.objects.values().get(pk=couple.pk) == before


def test_html_in_a_couple_name_is_shown_escaped(couple, alice_client):
    alice_client.post(
        reverse("couples:couple"),
        {"name": "<script>alert(1)</script>", "timezone": "Europe/London"},
    )
    page = alice_client.get(reverse("practices:home"))
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


@pytest.mark.parametrize(
    ("today", "since", "days", "anniversary"),
    [
        (dt.date(2026, 5, 20), dt.date(2023, 5, 10), 1106, "4-year anniversary"),
        # A leap day, in the couple's own time zone.
        (dt.date(2028, 2, 29), dt.date(2025, 2, 19), 1105, "4-year anniversary"),
        (dt.date(2028, 2, 29), dt.date(2024, 2, 29), 1461, "Happy anniversary: 4 years today"),
    ],
)
def test_home_counts_the_days_and_names_the_next_anniversary(
    couple, alice, time_machine, today, since, days, anniversary
):
    time_machine.move_to(dt.datetime.combine(today, dt.time(12), couple.tzinfo), tick=False)
    alice_client = client_for(alice)  # signed in at the frozen time
    couple.together_since = since
    couple.save()
    page = alice_client.get(reverse("practices:home"))
    assert f'<span class="stat">{days}</span> days together' in page.text
    assert anniversary in page.text


def test_profile_settings_validate_the_time_zone(alice, alice_client):
    response = alice_client.post(
        reverse("couples:settings"), {"display_name": "Al", "timezone": "Nowhere/Special"}
    )
    assert "is not a time zone we know" in response.text
    alice.refresh_from_db()
    assert (alice.display_name, alice.timezone) == ("Alice", "Europe/London")
    alice_client.post(
        reverse("couples:settings"), {"display_name": "Al", "timezone": "America/New_York"}
    )
    alice.refresh_from_db()
    assert (alice.display_name, alice.timezone) == ("Al", "America/New_York")


def test_profile_settings_refuse_a_blank_name(alice, alice_client):
    response = alice_client.post(
        reverse("couples:settings"), {"display_name": "   ", "timezone": "UTC"}
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_ending_needs_the_typed_confirmation(couple, alice_client, mailoutbox):
    response = alice_client.post(reverse("couples:end"), {"confirm": "yes"})
    assert "Type the word “end”" in response.text
    couple.refresh_from_db()
    assert couple.is_active
    assert mailoutbox == []


def test_ending_the_couple(
    couple, alice, bob, alice_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("couples:end"), {"confirm": " End "})
    assert response.status_code == 302
    couple.refresh_from_db()
    assert couple.status == Couple.Status.ENDED and couple.ended_at is not None
    assert not Membership.objects.filter(couple=couple, active=True).exists()

    # One neutral email each, naming nobody as the one who ended it.
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.com", "bob@example.com"]
    for message in mailoutbox:
        assert message.subject == "Your couple on Kindling has ended"
        assert "Alice ended" not in message.body and "Bob ended" not in message.body
        assert message.alternatives
    assert Nudge.objects.filter(kind="notice", status="sent").count() == 2

    # Both see the read-only archive; both can start again.
    for client in (alice_client, client_for(bob)):
        page = client.get(reverse("couples:archive", args=[couple.pk]))
        assert page.status_code == 200
        assert "readable here until" in page.text
        home = client.get(reverse("practices:home"))
        assert "Invite your partner" in home.text
    assert client_for(bob).post(reverse("couples:invite"), {"action": "code"}).status_code == 302


def test_ending_twice_sends_one_email_each(
    couple, alice_client, bob_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("couples:end"), {"confirm": "end"})
        bob_client.post(reverse("couples:end"), {"confirm": "end"})
    assert len(mailoutbox) == 2


def test_a_stranger_gets_404_for_an_archive(couple, charlie_client, alice_client):
    alice_client.post(reverse("couples:end"), {"confirm": "end"})
    response = charlie_client.get(reverse("couples:archive", args=[couple.pk]))
    assert response.status_code == 404
    assert "Alice" not in response.text


def test_purge_deletes_archives_after_thirty_days(couple):
    from couples.services import end_couple, purge_ended_couples

    end_couple(couple)
    assert purge_ended_couples() == 0
    assert purge_ended_couples(timezone.now() + dt.timedelta(days=31)) == 1
    assert not Couple.objects.filter(pk=couple.pk).exists()
    assert not Membership.objects.filter(couple_id=couple.pk).exists()


def test_a_user_without_a_couple_sees_what_to_do_next(charlie_client):
    page = charlie_client.get(reverse("practices:home"))
    assert "Invite your partner" in page.text
    assert "I have a code" in page.text


def test_a_partner_in_another_couple_cannot_edit_ours(couple, charlie):
    dave = UserFactory()
    from tests.factories import link

    theirs = link(charlie, dave)
    client_for(charlie).post(reverse("couples:couple"), {"name": "Hijacked", "timezone": "UTC"})
    couple.refresh_from_db()
    theirs.refresh_from_db()
    assert couple.name == "" and theirs.name == "Hijacked"


def test_someone_waiting_for_a_partner_can_fill_in_the_profile(charlie, time_machine):
    time_machine.move_to(dt.datetime(2029, 12, 31, 12, 0, tzinfo=dt.UTC), tick=False)
    charlie_client = client_for(charlie)
    response = charlie_client.post(
        reverse("couples:couple"), {"name": "", "together_since": "2030-01-01", "timezone": "UTC"}
    )
    assert "in the future" in response.text
    assert not Couple.objects.exists()
    charlie_client.post(
        reverse("couples:couple"),
        {"name": "Us", "together_since": "2021-05-01", "timezone": "Asia/Tokyo"},
    )
    couple = Couple.objects.get(memberships__user=charlie)
    assert (couple.name, couple.timezone) == ("Us", "Asia/Tokyo")
