from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import current_access


def _unread_notes(user) -> int:
    from practices.models import GratitudeNote

    return GratitudeNote.objects.filter(
        recipient=user,
        delivered_at__isnull=False,
        read_at__isnull=True,
        couple__status="active",
    ).count()


def kindling(request: HttpRequest) -> dict:
    """`access` (the signed-in user's active couple) and `unread_notes` for templates,
    each looked up only if a template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"access": None, "unread_notes": 0}
    access = getattr(request, "access", None) or SimpleLazyObject(lambda: current_access(user))
    return {"access": access, "unread_notes": SimpleLazyObject(lambda: _unread_notes(user))}
