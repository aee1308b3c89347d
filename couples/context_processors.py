from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import current_access


def kindling(request: HttpRequest) -> dict:
    """`access` for templates: the signed-in user's active couple, looked up only if a
    template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"access": None}
    if hasattr(request, "access"):
        return {"access": request.access}
    return {"access": SimpleLazyObject(lambda: current_access(user))}
