from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import health, services
from .forms import PauseForm, ReminderPreferenceForm
from .models import UNSUBSCRIBE_FIELDS, ReminderPreference, kind_plural
from .tokens import BadToken, LinkClaim, read_token

BAD_LINK = {
    "expired": gettext_lazy(
        "This link has expired, so nothing was changed. You can change your reminder "
        "emails on the settings page after logging in."
    ),
    "invalid": gettext_lazy(
        "This link is not valid (it may have been cut short), so nothing was changed. "
        "You can change your reminder emails on the settings page after logging in."
    ),
}


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    pref = services.ensure_preference(request.user)
    form = ReminderPreferenceForm(request.POST or None, instance=pref, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your reminder settings are saved."))
            return redirect("reminders:settings")
        # Nothing was saved: put back what is stored, so the page tells the truth.
        pref.refresh_from_db()
    return render(
        request,
        "reminders/settings.html",
        {
            "form": form,
            "pref": pref,
            "pause_form": PauseForm(today=services.local_today(request.user)),
        },
    )


def _paused_message(until) -> str:
    day = date_format(until, _("l j F"))
    return _("Nudges are paused. They start again on %(day)s.") % {"day": day}


@require_POST
def pause_mine(request: HttpRequest) -> HttpResponse:
    pref = services.ensure_preference(request.user)
    action = request.POST.get("action")
    if action == "week":
        until = services.pause_for_a_week(pref)
        messages.success(request, _paused_message(until))
    elif action == "resume":
        services.resume(pref)
        messages.success(request, _("Welcome back. Nudges are on again."))
    else:
        pause_form = PauseForm(request.POST, today=services.local_today(request.user))
        if not pause_form.is_valid():
            form = ReminderPreferenceForm(instance=pref, user=request.user)
            return render(
                request,
                "reminders/settings.html",
                {"form": form, "pref": pref, "pause_form": pause_form},
                status=400,
            )
        until = pause_form.cleaned_data["until"]
        services.pause(pref, until)
        messages.success(request, _paused_message(until))
    return redirect("reminders:settings")


# Like the invitation links: a link that is not ours is 404, one that was ours is 410.
BAD_LINK_STATUS = {"invalid": 404, "expired": 410}


def _claim_or_problem(purpose: str, token: str) -> tuple[LinkClaim | None, str]:
    try:
        claim = read_token(purpose, token)
    except BadToken as exc:
        return None, exc.reason
    if not ReminderPreference.objects.filter(user_id=claim.user_id).exists():
        return None, "invalid"
    return claim, ""


def _link_problem(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "reminders/link_problem.html",
        {"problem": BAD_LINK[reason]},
        status=BAD_LINK_STATUS[reason],
    )


# The one-click unsubscribe (RFC 8058): mail clients POST here without cookies, so the
# signed token is the only proof, and the view reads neither the session nor a CSRF token.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    claim, problem = _claim_or_problem("unsubscribe", token)
    if claim is None or claim.kind not in UNSUBSCRIBE_FIELDS:
        return _link_problem(request, problem or "invalid")
    label = kind_plural(claim.kind)
    if request.method == "POST":
        everything = request.POST.get("scope") == "all"
        services.unsubscribe(claim, everything=everything)
        return render(
            request, "reminders/unsubscribed.html", {"label": label, "everything": everything}
        )
    return render(request, "reminders/unsubscribe.html", {"label": label})


@login_not_required
@require_http_methods(["GET", "POST"])
def pause_link(request: HttpRequest, token: str) -> HttpResponse:
    claim, problem = _claim_or_problem("pause", token)
    if claim is None:
        return _link_problem(request, problem)
    if request.method == "POST":
        pref = ReminderPreference.objects.select_related("user").get(user_id=claim.user_id)
        until = services.pause_for_a_week(pref)
        return render(request, "reminders/paused.html", {"until": until})
    return render(request, "reminders/pause.html")


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """For operators: the outbox backlog and the periodic jobs' last runs, as plain text
    in Prometheus's format. Staff see it when logged in; a scraper sends
    `Authorization: Bearer $KINDLING_METRICS_TOKEN`. Everyone else gets a 404."""
    token = settings.KINDLING_METRICS_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    by_token = bool(token) and hmac.compare_digest(sent.encode(), token.encode())
    if not by_token and not (request.user.is_authenticated and request.user.is_staff):
        raise Http404("No such page.")
    return HttpResponse(
        health.metrics_text(), content_type="text/plain; version=0.0.4; charset=utf-8"
    )
