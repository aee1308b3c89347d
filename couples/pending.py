"""The pending invitation: the one a person opened before they could accept it.

From an invitation link to a linked couple, a person may sign up, verify their email and
log in, each possibly in another tab or browser. The invitation is kept in the session of
the browser that opened the link and, once a verification email names the person, on the
person too, so that a verification link opened elsewhere still leads back to it.

Only the invitation's id is kept, never its token, and only after someone presented the
token: knowing an id alone accepts nothing.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import Invitation, User
from .services import invitation_problem

# Not "pending_invitation": sessions from before held the raw token under that key.
SESSION_KEY = "pending_invitation_id"


def remember(request: HttpRequest, invitation: Invitation) -> None:
    request.session[SESSION_KEY] = invitation.pk


def remember_for(user: User, request: HttpRequest) -> None:
    """Keep the browser's pending invitation on `user`, for their other browsers."""
    invitation_id = request.session.get(SESSION_KEY)
    if invitation_id is not None:
        User.objects.filter(pk=user.pk).update(pending_invitation_id=invitation_id)


def find(request: HttpRequest) -> Invitation | None:
    invitation_id = request.session.get(SESSION_KEY)
    user = request.user
    if invitation_id is None and user.is_authenticated:
        invitation_id = user.pending_invitation_id
    if invitation_id is None:
        return None
    return (
        Invitation.objects.select_related("couple", "inviter")
        .filter(kind=Invitation.Kind.LINK, pk=invitation_id)
        .first()
    )


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    user = request.user
    if user.is_authenticated and user.pending_invitation_id is not None:
        User.objects.filter(pk=user.pk).update(pending_invitation=None)
        user.pending_invitation_id = None


def acceptable(request: HttpRequest) -> Invitation | None:
    """The pending invitation if the signed-in person can still accept it."""
    invitation = find(request)
    if invitation is None or invitation_problem(invitation, request.user):
        return None
    return invitation
