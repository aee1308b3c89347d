"""Phones away: during a date, either partner starts one timer on one screen, and a calm
page shows how long since; "we're back" records the minutes on the date."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.access import couple_required

from .. import services
from ..forms import PhonesAwayForm
from .dates import _get_date


@couple_required
@require_GET
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The one screen left on the table: the time since phones went away, and one button.
    Without JavaScript it shows when the time began; static/js/phones-away.js counts."""
    date_night = _get_date(request, pk)
    since = date_night.phones_away_since
    return render(
        request,
        "practices/dates/phones_away.html",
        {
            "access": request.access,
            "date": date_night,
            "since": since.astimezone(request.user.tzinfo) if since else None,
            "can_start": date_night.phones_away_can_start(),
        },
    )


@couple_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    date_night = _get_date(request, pk)
    try:
        services.start_phones_away(date_night)
    except services.PracticeError as exc:
        messages.error(request, str(exc))
        return redirect("practices:date", pk=date_night.pk)
    return redirect("practices:phones_away", pk=date_night.pk)


@couple_required
@require_POST
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    date_night = _get_date(request, pk)
    minutes = services.stop_phones_away(date_night)
    if minutes is None:
        messages.info(request, _("You are already back: the time is on the date."))
    else:
        messages.success(
            request,
            _("Welcome back. %(time)s with phones away, together.")
            % {"time": services.minutes_in_words(minutes)},
        )
    return redirect("practices:date", pk=date_night.pk)


@couple_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the minutes by hand: a timer nobody stopped, or one nobody started."""
    date_night = _get_date(request, pk)
    if request.method == "GET" and not date_night.phones_away_can_record():
        messages.info(
            request,
            _("This date was cancelled.")
            if date_night.status == date_night.Status.CANCELLED
            else _("Phones-away time can be added once the date is here."),
        )
        return redirect("practices:date", pk=date_night.pk)
    form = PhonesAwayForm(
        request.POST or None, initial={"minutes": date_night.phones_away_minutes or 0}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_phones_away_minutes(date_night, form.cleaned_data["minutes"])
        except services.PracticeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The phones-away time is saved."))
            return redirect("practices:date", pk=date_night.pk)
    return render(
        request,
        "practices/dates/phones_away_form.html",
        {"access": request.access, "date": date_night, "form": form},
        status=400 if form.errors else 200,
    )
