from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import GratitudeNote


def _unread_notes(user) -> int:
    return GratitudeNote.objects.filter(
        recipient=user,
        delivered_at__isnull=False,
        read_at__isnull=True,
        couple__status="active",
    ).count()


def unread_notes(request: HttpRequest) -> dict:
    """`unread_notes` for the navigation badge, counted only if a template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notes": 0}
    return {"unread_notes": SimpleLazyObject(lambda: _unread_notes(user))}
