"""Domain operations on couples: every view, task and test goes through these."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .limits import Limit
from .models import Couple, Invitation, Membership, User
from .signals import couple_ended, invitation_created

log = logging.getLogger(__name__)

# No 0/O, 1/I/L or 5/S: a code read aloud or copied from a phone survives the trip.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
CODE_LENGTH = 8
WRONG_CODES = Limit("pairing-code-failures", 5, 15 * 60)

# Invitation emails go to people who have not agreed to hear from us: few of them, and
# never to one address again and again. Sharing a link sends nothing, so only the cap
# on open invitations applies to it.
INVITATION_EMAIL_LIMITS = [
    (
        Limit("invitation-emails-hour", 5, 60 * 60),
        gettext_lazy(
            "You have sent five invitations in the past hour, so this one was not sent. "
            "Please try again later, or share a link instead."
        ),
    ),
    (
        Limit("invitation-emails-day", 20, 24 * 60 * 60),
        gettext_lazy(
            "You have sent twenty invitations today, so this one was not sent. "
            "Please try again tomorrow, or share a link instead."
        ),
    ),
]
INVITATIONS_TO_ONE_ADDRESS = Limit("invitation-emails-address", 3, 24 * 60 * 60)
MAX_OPEN_INVITATIONS = 5


class InvitationError(Exception):
    """A user-facing reason why an invitation cannot be created or accepted."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def active_membership(user: User) -> Membership | None:
    return (
        Membership.objects.select_related("couple")
        .filter(user=user, active=True)
        .only("seat", "couple")
        .first()
    )


def active_couple(user: User) -> Couple | None:
    membership = active_membership(user)
    return membership.couple if membership else None


def ensure_couple(user: User, **profile) -> Couple:
    """The user's active couple, starting one (with a free seat, and `profile` fields)
    if they have none."""
    with transaction.atomic():
        couple = active_couple(user)
        if couple is not None:
            return couple
        couple = Couple.objects.create(**{"timezone": user.timezone, **profile})
        Membership.objects.create(couple=couple, user=user, seat=1)
        return couple


def _check_can_invite(inviter: User) -> Couple:
    couple = ensure_couple(inviter)
    if couple.is_complete:
        raise InvitationError(_("You are already linked with a partner."))
    return couple


def _check_open_invitations(couple: Couple) -> None:
    open_links = couple.invitations.open().filter(kind=Invitation.Kind.LINK)
    if open_links.count() >= MAX_OPEN_INVITATIONS:
        raise InvitationError(
            ngettext(
                "You have %(count)d open invitation. Withdraw it below before making another.",
                "You have %(count)d open invitations. Withdraw one below before making another.",
                MAX_OPEN_INVITATIONS,
            )
            % {"count": MAX_OPEN_INVITATIONS}
        )


def _new_link_invitation(inviter: User, couple: Couple, email: str) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        couple=couple,
        inviter=inviter,
        kind=Invitation.Kind.LINK,
        email=email,
        token_hash=hash_token(token),
        expires_at=timezone.now() + dt.timedelta(days=settings.KINDLING_INVITATION_LINK_DAYS),
    )
    return invitation, token


def invite_by_link(inviter: User) -> tuple[Invitation, str]:
    """Create a 7-day, single-use link for the inviter to share. Returns it with the raw
    token, which is never stored and so can only be shown now."""
    couple = _check_can_invite(inviter)
    _check_open_invitations(couple)
    return _new_link_invitation(inviter, couple, "")


def invite_by_email(inviter: User, email: str) -> Invitation:
    """Create a 7-day, single-use link invitation and have the outbox email it.

    The request neither sends the email nor keeps the link: the token made here is
    thrown away, and the email's renderer mints the real one as it sends
    (`issue_emailed_link`). So the raw token exists only in the email, never in the
    database or the broker, and until the email goes out no link works at all.
    """
    if email.lower() == inviter.email.lower():
        raise InvitationError(_("That is your own email address. Enter your partner's instead."))
    couple = _check_can_invite(inviter)
    _check_open_invitations(couple)
    for limit, refusal in INVITATION_EMAIL_LIMITS:
        if not limit.take(inviter.pk):
            raise InvitationError(str(refusal))
    if not INVITATIONS_TO_ONE_ADDRESS.take(email.lower()):
        raise InvitationError(
            _(
                "That address has had three invitations today, so this one was not sent. "
                "Please try again tomorrow, or share a link instead."
            )
        )
    with transaction.atomic():
        invitation, _token = _new_link_invitation(inviter, couple, email)
        invitation_created.send(sender=Invitation, invitation=invitation)
    return invitation


def issue_emailed_link(invitation_id: int) -> tuple[Invitation, str] | None:
    """Give an emailed invitation a fresh token, for the email about to be sent, if it
    is still open. A retried email gets a new token and the earlier one stops working:
    usually the earlier email never left, and if it did (a worker died just after
    sending it), the newer email holds the link that works."""
    token = secrets.token_urlsafe(32)
    issued = (
        Invitation.objects.open()
        .filter(pk=invitation_id, kind=Invitation.Kind.LINK, couple__status=Couple.Status.ACTIVE)
        .exclude(email="")
        .update(token_hash=hash_token(token))
    )
    if issued != 1:
        return None
    return Invitation.objects.select_related("inviter").get(pk=invitation_id), token


def create_pairing_code(inviter: User) -> Invitation:
    """A short code for two people side by side; any earlier open code is withdrawn."""
    couple = _check_can_invite(inviter)
    now = timezone.now()
    Invitation.objects.open().filter(inviter=inviter, kind=Invitation.Kind.CODE).update(
        revoked_at=now
    )
    expires_at = now + dt.timedelta(minutes=settings.KINDLING_PAIRING_CODE_MINUTES)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return Invitation.objects.create(
                    couple=couple,
                    inviter=inviter,
                    kind=Invitation.Kind.CODE,
                    code=code,
                    expires_at=expires_at,
                )
        except IntegrityError:  # an old code came up again; draw another
            continue


def find_link_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("couple", "inviter")
        .filter(kind=Invitation.Kind.LINK, token_hash=hash_token(token))
        .first()
    )


def invitation_problem(invitation: Invitation, user: User | None) -> str | None:
    """Why this invitation cannot be accepted (by this user), or None if it can."""
    if invitation.accepted_at is not None:
        if user is not None and invitation.accepted_by_id == user.pk:
            return _("You have already accepted this invitation.")
        return _("This invitation has already been used. Ask your partner for a new one.")
    if invitation.revoked_at is not None or not invitation.couple.is_active:
        return _("This invitation was withdrawn. Ask your partner for a new one.")
    if invitation.is_expired:
        return _("This invitation has expired. Ask your partner for a new one.")
    if user is None:
        return None
    if invitation.inviter_id == user.pk:
        return _("This is your own invitation. Share it with your partner instead.")
    mine = active_couple(user)
    if mine is not None and mine.pk != invitation.couple_id and mine.is_complete:
        return _("You are already linked with a partner, so you cannot join another couple.")
    if invitation.couple.is_complete:
        return _("This couple already has two partners.")
    return None


@transaction.atomic
def accept_invitation(invitation_id: int, user: User) -> Couple:
    """Link `user` into the invitation's couple, exactly once.

    The invitation and its couple are locked, so two people accepting one invitation, or
    two invitations to one couple accepted at once, queue up here; the seat constraint
    on Membership is the backstop if anything slips past the checks.
    """
    # Lock the couple before the invitation: every acceptance takes the locks in this
    # order, so two of them queue up instead of deadlocking.
    couple_id = Invitation.objects.values_list("couple_id", flat=True).get(pk=invitation_id)
    couple = Couple.objects.select_for_update().get(pk=couple_id)
    invitation = (
        Invitation.objects.select_for_update().select_related("inviter").get(pk=invitation_id)
    )
    invitation.couple = couple
    if problem := invitation_problem(invitation, user):
        raise InvitationError(problem)

    # Someone who started a couple of their own while waiting leaves that empty one. It is
    # locked and counted again: a partner may have joined it since the check above, and a
    # couple of two must never be deleted here.
    mine = active_couple(user)
    if mine is not None:
        mine = Couple.objects.select_for_update().get(pk=mine.pk)
        if mine.memberships.count() > 1:
            raise InvitationError(_("You are already linked with a partner."))
        mine.delete()
    try:
        with transaction.atomic():
            Membership.objects.create(couple=couple, user=user, seat=2)
    except IntegrityError as exc:
        # Lost a race: either a third person took the seat, or this person joined
        # another couple a moment ago. Say which.
        if Membership.objects.filter(user=user, active=True).exists():
            raise InvitationError(_("You are already linked with a partner.")) from exc
        raise InvitationError(_("This couple already has two partners.")) from exc

    now = timezone.now()
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=now, accepted_by=user
    )
    if claimed != 1:  # cannot happen while the row is locked; refuse rather than guess
        raise InvitationError(_("This invitation has already been used."))
    couple.invitations.open().exclude(pk=invitation.pk).update(revoked_at=now)
    log.info("couple %s linked", couple.pk)
    return couple


def pairing_attempts_left(user: User) -> int:
    return WRONG_CODES.left(user.pk)


def redeem_pairing_code(raw_code: str, user: User) -> Couple:
    """Accept the invitation behind a pairing code; at most five codes tried per user per
    fifteen minutes, so the code space cannot be walked."""
    # Counted before the lookup, not after a miss: requests sent side by side cannot all
    # slip through while one attempt is left.
    if not WRONG_CODES.take(user.pk):
        raise InvitationError(
            _("Too many codes that did not match. Please wait 15 minutes and try again.")
        )
    code = normalize_code(raw_code)
    invitation = (
        Invitation.objects.filter(kind=Invitation.Kind.CODE, code=code).only("pk").first()
        if len(code) == CODE_LENGTH
        else None
    )
    if invitation is None:
        raise InvitationError(
            _(
                "That code does not match any invitation. Check it with your partner; "
                "codes look like ABCD-EFGH."
            )
        )
    return accept_invitation(invitation.pk, user)


def revoke_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def end_couple(couple: Couple) -> bool:
    """End the couple: memberships close, open invitations are withdrawn, and both
    partners get one neutral email. Returns False if it had already ended."""
    with transaction.atomic():
        now = timezone.now()
        if (
            Couple.objects.filter(pk=couple.pk, status=Couple.Status.ACTIVE).update(
                status=Couple.Status.ENDED, ended_at=now
            )
            != 1
        ):
            return False  # the other partner got there first
        Membership.objects.filter(couple=couple, active=True).update(active=False)
        couple.invitations.open().update(revoked_at=now)
        couple_ended.send(sender=Couple, couple=couple, ended_at=now)
    couple.status, couple.ended_at = Couple.Status.ENDED, now
    return True


def purge_ended_couples(now: dt.datetime | None = None) -> int:
    """Delete the shared content of couples whose read-only archive has run out."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.KINDLING_ARCHIVE_DAYS)
    expired = Couple.objects.filter(status=Couple.Status.ENDED, ended_at__lt=cutoff)
    count = 0
    for couple in expired.iterator():
        couple.delete()
        count += 1
    return count
