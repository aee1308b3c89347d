"""The language a person reads Kindling in: chosen in Settings, first guessed from the
browser at sign-up, and for signed-out visitors picked in the footer (a cookie)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import dates, formats, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

# (day, name), 0 = Monday as in date.weekday(); the names are Django's, in the active language.
WEEKDAYS = list(dates.WEEKDAYS.items())


def locale_week() -> list[tuple[int, str]]:
    """WEEKDAYS from the active language's first day of the week: Sunday for English,
    Monday for German and Spanish. (Django counts that day from 0 = Sunday.)"""
    first = (int(formats.get_format("FIRST_DAY_OF_WEEK")) - 1) % 7
    return WEEKDAYS[first:] + WEEKDAYS[:first]


def supported(code: str | None) -> str:
    """The language Kindling speaks that is closest to `code` ("de-AT" -> "de"), else the
    default."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def remember(response: HttpResponse, language: str) -> HttpResponse:
    """The language cookie, so the pages after logging out stay in the same language."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's language form: Django's set_language, which quietly ignores a code it
    does not know; here that is said. A signed-in person's choice is saved too, since
    their saved language would otherwise win on the next page."""
    code = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if code not in dict(settings.LANGUAGES):
        messages.error(request, _("We do not offer that language. Please pick one from the list."))
        back = request.POST.get("next") or request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "/"
        return redirect(back)
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    return i18n.set_language(request)
