"""Invitation emails: queued when couples creates an invitation to be emailed (the
invitation_created signal), and rendered by the send task, which mints the link then
(couples.services.issue_emailed_link). The broker carries only the row's id, and the
database only a hash of the token, so the link exists in the email alone."""

from __future__ import annotations

from django.core.mail import EmailMessage

from couples.links import site_url
from couples.models import Invitation
from couples.services import issue_emailed_link

from .emails import make_message
from .models import Nudge
from .outbox import Batch, enqueue_send, renderer


def queue_invitation_email(invitation: Invitation) -> list[int]:
    """One email per invitation. The row belongs to the inviter: the person invited may
    have no account yet."""
    row = Nudge(
        user_id=invitation.inviter_id,
        kind=Nudge.Kind.INVITE,
        slot=invitation.created_at,
        object_id=invitation.pk,
    )
    Nudge.objects.bulk_create([row], ignore_conflicts=True)
    ids = list(
        Nudge.objects.filter(
            user_id=invitation.inviter_id,
            kind=Nudge.Kind.INVITE,
            object_id=invitation.pk,
            status=Nudge.Status.PENDING,
        ).values_list("pk", flat=True)
    )
    enqueue_send(ids)
    return ids


@renderer(Nudge.Kind.INVITE)
def render_invitation(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    issued = issue_emailed_link(nudge.object_id)
    # Withdrawn, accepted, expired, or the couple ended while the email waited.
    if issued is None or issued[0].inviter_id != nudge.user_id:
        return None
    invitation, token = issued
    return make_message(
        "invitation",
        {
            "inviter": invitation.inviter,
            "link": site_url("couples:invitation", token),
            "invitation": invitation,
        },
        to=invitation.email,
    )
