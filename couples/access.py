"""One place that decides who may see a couple. Every view that shows couple data goes
through here; non-members get a 404, never a 403, so a couple's existence stays private."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import Couple, Membership, User


@dataclass(frozen=True)
class CoupleAccess:
    couple: Couple
    me: User
    partner: User | None

    @property
    def writable(self) -> bool:
        """Ended couples are a read-only archive."""
        return self.couple.is_active


def _access(couple: Couple, user: User) -> CoupleAccess:
    return CoupleAccess(couple=couple, me=user, partner=couple.partner_of(user))


def current_access(user: User) -> CoupleAccess | None:
    """The user's active couple, if they have one (complete or still waiting)."""
    # Every couple page starts here, so it is one query: all seats of the couple in which
    # the user holds the active seat, with the couple and each partner.
    seats = list(
        Membership.objects.select_related("couple", "user")
        .filter(couple__memberships__user=user, couple__memberships__active=True)
        .order_by("seat")
    )
    if not seats:
        return None
    couple = seats[0].couple
    couple.members = [seat.user for seat in seats]  # fills the cached property
    return _access(couple, user)


def archive_access(request: HttpRequest, couple_id: UUID) -> CoupleAccess:
    """A couple the user belongs or belonged to, by id; 404 for everyone else."""
    membership = (
        Membership.objects.select_related("couple")
        .filter(user=request.user, couple_id=couple_id)
        .first()
    )
    if membership is None:
        raise Http404("No such couple.")
    return _access(membership.couple, request.user)


def couple_required(view):
    """For pages that need a linked couple: sets `request.access`. People who have no
    partner yet are sent to the home page, which shows them how to invite one; for object
    URLs they get a 404 like any other stranger."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        access = current_access(request.user)
        if access is None or access.partner is None:
            if kwargs:  # an object URL (a note, a date...): it does not exist for them
                raise Http404("No such page.")
            messages.info(request, _("This page opens once you are linked with a partner."))
            return redirect("practices:home")
        request.access = access
        return view(request, *args, **kwargs)

    return wrapper


def couple_view(view):
    """For pages that read a couple's content: the linked couple, or, when the URL carries
    a `couple_id`, one of the user's ended couples as a read-only archive (404 for anyone
    who was not a member). Sets `request.access`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, couple_id: UUID | None = None, **kwargs):
        if couple_id is None:
            return couple_required(view)(request, *args, **kwargs)
        request.access = archive_access(request, couple_id)
        return view(request, *args, **kwargs)

    return wrapper
