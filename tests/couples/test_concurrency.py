"""Accepting must happen once even when two requests race. Needs real row locks and two
connections, so it runs on PostgreSQL (CI sets DATABASE_URL) and is skipped on SQLite."""

import datetime as dt
import threading

import pytest
from django.db import connection

from couples import services
from couples.models import Invitation, Membership
from tests.conftest import postgres_only
from tests.factories import UserFactory

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Run each call in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_people_accepting_one_invitation_at_once_make_one_member():
    alice, bob, charlie = UserFactory(), UserFactory(), UserFactory()
    invitation, _ = services.invite_by_link(alice)
    for _ in range(5):
        outcomes = race(
            lambda: services.accept_invitation(invitation.pk, bob),
            lambda: services.accept_invitation(invitation.pk, charlie),
        )
        errors = [o for o in outcomes if isinstance(o, services.InvitationError)]
        assert len(errors) == 1, outcomes
        assert Membership.objects.filter(couple=invitation.couple).count() == 2
        invitation.refresh_from_db()
        assert invitation.accepted_by in (bob, charlie)
        # reset for another round
        Membership.objects.filter(couple=invitation.couple, seat=2).delete()
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=None, accepted_by=None)


def test_two_invitations_to_one_couple_accepted_at_once_make_one_member():
    alice, bob, charlie = UserFactory(), UserFactory(), UserFactory()
    first, _ = services.invite_by_link(alice)
    second, _ = services.invite_by_link(alice)
    outcomes = race(
        lambda: services.accept_invitation(first.pk, bob),
        lambda: services.accept_invitation(second.pk, charlie),
    )
    assert sum(isinstance(o, services.InvitationError) for o in outcomes) == 1, outcomes
    assert Membership.objects.filter(couple=first.couple).count() == 2
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 1


def test_one_person_accepting_two_couples_at_once_joins_one():
    for _ in range(5):
        alice, carol, bob = UserFactory(), UserFactory(), UserFactory()
        to_alice, _ = services.invite_by_link(alice)
        to_carol, _ = services.invite_by_link(carol)
        outcomes = race(
            lambda: services.accept_invitation(to_alice.pk, bob),  # noqa: B023
            lambda: services.accept_invitation(to_carol.pk, bob),  # noqa: B023
        )
        assert sum(isinstance(o, services.InvitationError) for o in outcomes) == 1, outcomes
        assert Membership.objects.filter(user=bob, active=True).count() == 1
        # Neither inviter lost their couple to the race.
        sizes = sorted(
            Membership.objects.filter(couple=invitation.couple_id).count()
            for invitation in (to_alice, to_carol)
        )
        assert sizes == [1, 2]


def test_two_invitation_emails_racing_for_the_last_one_of_the_hour_send_one(time_machine):
    # Mid-hour, so the race never straddles the hourly window's edge (the clock still runs).
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC), tick=True)
    alice = UserFactory()
    for number in range(4):
        services.revoke_invitation(services.invite_by_email(alice, f"p{number}@example.com"))
    outcomes = race(
        lambda: services.invite_by_email(alice, "bob@example.com"),
        lambda: services.invite_by_email(alice, "carol@example.com"),
    )
    errors = [o for o in outcomes if isinstance(o, services.InvitationError)]
    assert len(errors) == 1, outcomes
    assert "five invitations in the past hour" in str(errors[0])
    assert Invitation.objects.filter(inviter=alice).count() == 5
