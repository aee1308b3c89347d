from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import current_access


def kindling(request: HttpRequest) -> dict:
    """`access` (the signed-in user's active couple) for templates, looked up only if a
    template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"access": None}
    access = getattr(request, "access", None) or SimpleLazyObject(lambda: current_access(user))
    return {"access": access}
