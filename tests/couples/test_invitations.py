import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from couples import services
from couples.models import Couple, Invitation, Membership
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def link_invitation(inviter):
    invitation, token = services.invite_by_link(inviter)
    return invitation, token, reverse("couples:invitation", args=[token])


def members_of(couple_or_id):
    pk = getattr(couple_or_id, "pk", couple_or_id)
    return sorted(Membership.objects.filter(couple_id=pk).values_list("user__email", flat=True))


def test_it_stores_only_a_hash_of_the_token(alice):
    invitation, token, _ = link_invitation(alice)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.token_hash == services.hash_token(token)
    assert len(token) >= 40


def test_both_partners_see_the_same_couple_home(alice, bob, alice_client):
    _, _, path = link_invitation(alice)
    client_for(bob).post(path)
    for client in (alice_client, client_for(bob)):
        page = client.get(reverse("practices:home"))
        assert "Alice &amp; Bob" in page.text


def test_it_rejects_a_reused_link(alice, bob, charlie):
    _, _, path = link_invitation(alice)
    client_for(bob).post(path)
    response = client_for(charlie).post(path)
    assert response.status_code == 410
    assert "already been used" in response.text
    assert not Membership.objects.filter(user=charlie).exists()


def test_it_rejects_an_expired_link(alice, bob):
    _, _, path = link_invitation(alice)
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        response = client_for(bob).post(path)
    assert response.status_code == 410
    assert "expired" in response.text
    assert not Membership.objects.filter(user=bob).exists()


def test_it_rejects_a_tampered_token(alice, bob):
    _, token, _ = link_invitation(alice)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client_for(bob).post(reverse("couples:invitation", args=[tampered]))
    assert response.status_code == 404
    assert "not valid" in response.text
    assert not Membership.objects.filter(user=bob).exists()


def test_it_rejects_a_withdrawn_link(alice, bob, alice_client):
    invitation, _, path = link_invitation(alice)
    alice_client.post(reverse("couples:revoke_invitation", args=[invitation.pk]))
    response = client_for(bob).post(path)
    assert response.status_code == 410
    assert "withdrawn" in response.text


def test_only_the_inviter_can_withdraw_an_invitation(alice, charlie_client):
    invitation, _, _ = link_invitation(alice)
    response = charlie_client.post(reverse("couples:revoke_invitation", args=[invitation.pk]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_it_rejects_accepting_your_own_invitation(alice, alice_client):
    _, _, path = link_invitation(alice)
    response = alice_client.post(path)
    assert response.status_code == 410
    assert "your own invitation" in response.text
    assert Membership.objects.filter(user=alice).count() == 1


def test_it_rejects_inviting_your_own_address(alice_client, mailoutbox):
    response = alice_client.post(
        reverse("couples:invite"), {"action": "email", "email": "ALICE@example.com"}, follow=True
    )
    assert "your own email address" in response.text
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_it_rejects_a_malformed_email(alice_client, mailoutbox):
    response = alice_client.post(
        reverse("couples:invite"), {"action": "email", "email": "not-an-address"}
    )
    assert "Enter a valid email address" in response.text
    assert not Invitation.objects.exists()


def test_it_rejects_joining_while_already_in_a_couple(alice, couple, charlie):
    invitation, _, path = link_invitation(charlie)
    response = client_for(alice).post(path)
    assert response.status_code == 410
    assert "already linked with a partner" in response.text
    assert members_of(couple) == ["alice@example.com", "bob@example.com"]
    assert Membership.objects.filter(user=alice, active=True).count() == 1
    # charlie, who invited her, is still on their own with the invitation open.
    assert members_of(invitation.couple) == ["charlie@example.com"]
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.accepted_by is None


def test_it_rejects_inviting_when_you_already_have_a_partner(couple, alice_client):
    response = alice_client.post(reverse("couples:invite"), {"action": "link"}, follow=True)
    assert "You and Bob already share a couple" in response.text
    with pytest.raises(services.InvitationError):
        services.invite_by_link(couple.members[0])
    with pytest.raises(services.InvitationError):
        services.create_pairing_code(couple.members[0])
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("page", ["couples:invite", "couples:join"])
def test_someone_already_linked_is_sent_home_from_invite_and_join_and_told_why(
    couple, alice_client, page
):
    response = alice_client.get(reverse(page))
    assert response.status_code == 302 and response["Location"] == reverse("practices:home")
    home = alice_client.get(response["Location"])
    assert "You and Bob already share a couple" in home.text
    assert "end it first in Settings" in home.text


def test_a_linked_person_posting_a_pairing_code_changes_nothing(couple, alice, charlie):
    invitation = services.create_pairing_code(charlie)
    response = client_for(alice).post(reverse("couples:join"), {"code": invitation.code})
    assert response["Location"] == reverse("practices:home")
    assert members_of(couple) == ["alice@example.com", "bob@example.com"]
    assert members_of(invitation.couple) == ["charlie@example.com"]
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_leaves_the_empty_couple_you_started(alice, bob):
    _, _, path = link_invitation(alice)
    services.invite_by_link(bob)  # bob had started inviting, too
    bobs_solo = services.active_couple(bob)
    client_for(bob).post(path)
    assert not Couple.objects.filter(pk=bobs_solo.pk).exists()
    assert services.active_couple(bob) == services.active_couple(alice)


def test_accepting_withdraws_the_couples_other_invitations(alice, bob, charlie):
    _, _, first = link_invitation(alice)
    _, _, second = link_invitation(alice)
    client_for(bob).post(first)
    response = client_for(charlie).post(second)
    assert response.status_code == 410
    assert not Membership.objects.filter(user=charlie).exists()


def test_pairing_code_links_two_people_side_by_side(alice, alice_client, bob):
    page = alice_client.post(reverse("couples:invite"), {"action": "code"}, follow=True)
    invitation = Invitation.objects.get(kind="code")
    assert invitation.display_code in page.text
    assert all(ch in services.CODE_ALPHABET for ch in invitation.code)
    assert len(invitation.code) == 8
    typed = f" {invitation.code[:4].lower()}-{invitation.code[4:]} "
    response = client_for(bob).post(reverse("couples:join"), {"code": typed}, follow=True)
    assert "You and Alice are linked" in response.text
    assert members_of(services.active_couple(alice)) == ["alice@example.com", "bob@example.com"]


def test_a_new_pairing_code_withdraws_the_old_one(alice, bob):
    old = services.create_pairing_code(alice)
    services.create_pairing_code(alice)
    response = client_for(bob).post(reverse("couples:join"), {"code": old.code})
    assert "withdrawn" in response.text
    assert not Membership.objects.filter(user=bob).exists()


def test_a_pairing_code_expires_after_an_hour(alice, bob):
    invitation = services.create_pairing_code(alice)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        response = client_for(bob).post(reverse("couples:join"), {"code": invitation.code})
    assert "expired" in response.text
    assert not Membership.objects.filter(user=bob).exists()


def test_five_wrong_codes_lock_you_out_for_fifteen_minutes(alice, bob, time_machine):
    # The limit counts in 15-minute windows on the clock: start at the beginning of one.
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    invitation = services.create_pairing_code(alice)
    join = reverse("couples:join")
    bob_client = client_for(bob)
    for attempt in range(5):
        response = bob_client.post(join, {"code": "WRNG-CODE"})
        assert "does not match" in response.text, attempt
    response = bob_client.post(join, {"code": invitation.code})
    assert "Too many codes" in response.text
    assert not Membership.objects.filter(user=bob).exists()

    # The limit is per person: someone else is not locked out by bob's mistakes.
    carol = UserFactory()
    response = client_for(carol).post(join, {"code": "WRNG-CODE"})
    assert "does not match" in response.text

    time_machine.shift(dt.timedelta(minutes=14, seconds=59))
    response = bob_client.post(join, {"code": invitation.code})
    assert "Too many codes" in response.text
    assert not Membership.objects.filter(user=bob).exists()

    time_machine.shift(dt.timedelta(seconds=2))
    assert services.pairing_attempts_left(bob) == 5
    response = bob_client.post(join, {"code": invitation.code}, follow=True)
    assert "You and Alice are linked" in response.text
    assert members_of(services.active_couple(alice)) == ["alice@example.com", "bob@example.com"]


def test_an_empty_code_gets_a_clear_message(bob_client):
    response = bob_client.post(reverse("couples:join"), {"code": ""})
    assert "This field is required" in response.text


def test_a_partner_who_is_not_signed_in_comes_back_to_the_invitation(alice, client, mailoutbox):
    _, _, path = link_invitation(alice)
    page = client.get(path)
    assert page.status_code == 200
    back = reverse("couples:pending_invitation")  # the secret never rides in `next`
    assert f"/accounts/signup/?next={back}" in page.text

    # Accepting needs an account; a POST without one is sent to log in.
    response = client.post(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.post(
        f"/accounts/signup/?next={back}",
        {
            "email": "bob@example.com",
            "password1": "a-long-enough-pw",
            "password2": "a-long-enough-pw",
            "display_name": "Bob",
            "timezone": "Pacific/Auckland",
            "next": back,
        },
    )
    confirm = re.search(r"(/accounts/confirm-email/[^/\s]+/)", mailoutbox[-1].body)
    response = client.post(confirm.group(1))
    assert response.status_code == 302
    assert response["Location"] == back
    response = client.post(back, follow=True)
    assert "You and Alice are linked" in response.text


def test_accepting_never_deletes_a_couple_of_two(alice, bob, charlie, monkeypatch):
    """If the person became linked after the friendly checks ran (another acceptance
    committed in between), accepting fails instead of dissolving that couple."""
    from tests.factories import link

    invitation, _ = services.invite_by_link(charlie)
    theirs = link(alice, bob)
    monkeypatch.setattr(services, "invitation_problem", lambda invitation, user: None)
    with pytest.raises(services.InvitationError, match="already linked"):
        services.accept_invitation(invitation.pk, bob)
    assert Couple.objects.filter(pk=theirs.pk).exists()
    assert members_of(theirs) == ["alice@example.com", "bob@example.com"]
