from zoneinfo import ZoneInfo

from django.utils import timezone, translation


class UserTimezoneMiddleware:
    """Show every time in the signed-in person's own zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(ZoneInfo(user.timezone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # Nothing after the response (a test, the next request on this thread)
            # inherits this person's zone.
            timezone.deactivate()


class UserLanguageMiddleware:
    """Speak the signed-in person's own language, whatever their browser asks for.

    Runs after LocaleMiddleware (which picked a language from the cookie or the
    Accept-Language header, still what signed-out visitors get) and after
    AuthenticationMiddleware (which found the person)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
