from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.access import couple_required, couple_view, current_access
from couples.links import site_url

from .. import services
from ..calendar import ics_for_dates
from ..forms import DateNightEditForm, DateNightForm, ReflectionForm
from ..fragments import cached_fragment
from ..models import CalendarFeed, DateIdea, DateNight

PAGE_SIZE = 20


def _get_date(request: HttpRequest, pk: int) -> DateNight:
    date_night = (
        DateNight.objects.select_related("created_by", "idea")
        .filter(couple=request.access.couple, pk=pk)
        .first()
    )
    if date_night is None:
        raise Http404("No such date night.")
    return date_night


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@couple_view
@require_GET
def date_list(request: HttpRequest) -> HttpResponse:
    couple = request.access.couple
    now = timezone.now()
    upcoming = (
        DateNight.objects.filter(couple=couple, status=DateNight.Status.PLANNED, starts_at__gt=now)
        .select_related("created_by")
        .order_by("starts_at")
    )
    past = (
        DateNight.objects.filter(couple=couple)
        .exclude(status=DateNight.Status.PLANNED, starts_at__gt=now)
        .select_related("created_by")
        .order_by("-starts_at")
    )
    # The past dates come from the cache while the couple has not changed, and until the
    # next planned date starts (it joins them then); the few upcoming ones, with their
    # "in 3 days", are fresh on every visit.
    upcoming = list(upcoming)
    page_number = request.GET.get("page", "")
    past_html = cached_fragment(
        request,
        "practices/dates/past.html",
        lambda: {"past": Paginator(past, PAGE_SIZE).get_page(page_number)},
        page_number,
        until=upcoming[0].starts_at if upcoming else None,
    )
    return render(
        request,
        "practices/dates/list.html",
        {"access": request.access, "upcoming": upcoming, "past_html": past_html},
    )


@sensitive_post_parameters()
@couple_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    idea = None
    if idea_id := request.GET.get("idea", "").strip():
        idea = DateIdea.objects.filter(pk=idea_id).first() if idea_id.isdigit() else None
    initial = {"timezone": request.user.timezone}
    if idea is not None:
        initial |= {"title": idea.shown_title, "idea": idea, "notes": idea.shown_description}
    elif title := request.GET.get("title", "").strip():
        # A plan started elsewhere ("Let's make it happen" on a shared dream).
        initial["title"] = title[:120]
    form = DateNightForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            date_night = services.plan_date(
                request.access.couple, request.user, **form.date_fields()
            )
        except services.PracticeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your date night is planned."))
            return redirect("practices:date", pk=date_night.pk)
    return render(
        request, "practices/dates/form.html", {"form": form, "idea": idea, "access": request.access}
    )


@couple_view
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    date_night = _get_date(request, pk)
    reflections = {r.user_id: r for r in date_night.reflections.all()}
    mine = reflections.get(request.user.pk)
    started = date_night.starts_at <= timezone.now()
    return render(
        request,
        "practices/dates/detail.html",
        {
            "access": request.access,
            "date": date_night,
            "my_time": date_night.starts_at.astimezone(request.user.tzinfo),
            "same_zone": date_night.timezone == request.user.timezone,
            "started": started,
            "my_reflection": mine,
            "partner_reflection": reflections.get(getattr(request.access.partner, "pk", None)),
            "reflection_form": ReflectionForm(
                initial={"rating": mine.rating, "body": mine.body} if mine else None
            ),
            "can_reflect": request.access.writable
            and started
            and date_night.status != DateNight.Status.CANCELLED,
        },
    )


@sensitive_post_parameters()
@couple_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    date_night = _get_date(request, pk)
    # A POST goes on, so that someone whose date was cancelled while they were typing
    # sees why their change cannot be saved and keeps what they typed.
    if request.method == "GET" and date_night.status != DateNight.Status.PLANNED:
        messages.info(request, _("Only planned dates can change."))
        return redirect("practices:date", pk=date_night.pk)
    local = date_night.starts_at.astimezone(ZoneInfo(date_night.timezone))
    form = DateNightEditForm(
        request.POST or None,
        initial={
            "title": date_night.title,
            "day": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "timezone": date_night.timezone,
            "place": date_night.place,
            "notes": date_night.notes,
            "idea": date_night.idea,
            "version": date_night.updated_at.isoformat(),
        },
    )
    changed = False
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_date(date_night, form.cleaned_data["version"], **form.date_fields())
        except services.DateChanged:
            # Show the date as it is now next to what they typed, which stays in the form.
            # The form now carries the new version, so saving again is a deliberate choice.
            date_night, changed = _get_date(request, pk), True
            data = request.POST.copy()
            data["version"] = date_night.updated_at.isoformat()
            form = DateNightEditForm(data)
        else:
            messages.success(request, _("Your date night is updated."))
            return redirect("practices:date", pk=date_night.pk)
    return render(
        request,
        "practices/dates/form.html",
        {
            "form": form,
            "date": date_night,
            "changed": changed,
            "still_planned": date_night.status == DateNight.Status.PLANNED,
            "access": request.access,
        },
    )


@couple_required
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    date_night = _get_date(request, pk)
    status = request.POST.get("status", "")
    if status not in DateNight.Status.values:
        messages.error(request, _("That is not something a date can become."))
        return redirect("practices:date", pk=date_night.pk)
    try:
        services.set_date_status(date_night, status)
    except services.PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            {
                "done": _("Marked as done. How was it? Leave a reflection below."),
                "cancelled": _("The date is cancelled."),
                "planned": _("The date is back on."),
            }[status],
        )
    return redirect("practices:date", pk=date_night.pk)


@sensitive_post_parameters()
@couple_required
@require_POST
def reflect(request: HttpRequest, pk: int) -> HttpResponse:
    date_night = _get_date(request, pk)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how it was, from “Wonderful” to “Not our best”."))
        return redirect("practices:date", pk=date_night.pk)
    try:
        services.reflect_on_date(
            date_night, request.user, form.cleaned_data["rating"], form.cleaned_data["body"].strip()
        )
    except services.PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your reflection is saved."))
    return redirect("practices:date", pk=date_night.pk)


@couple_view
@require_GET
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    date_night = _get_date(request, pk)
    return _ics_response(ics_for_dates([date_night]), f"date-night-{date_night.pk}.ics")


@couple_required
@require_GET
def ideas(request: HttpRequest) -> HttpResponse:
    tag = request.GET.get("tag", "")
    ideas = DateIdea.objects.all()
    if tag in DateIdea.TAGS:
        ideas = ideas.filter(**{tag: True})
    else:
        tag = ""
    return render(
        request,
        "practices/dates/ideas.html",
        {"access": request.access, "ideas": ideas, "tag": tag, "tags": DateIdea.TAGS},
    )


@couple_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The address is shown once, in the answer to the POST that makes it: only its hash
    is stored, and it is never kept in the session or behind a redirect."""
    feed_url = None
    if request.method == "POST":
        feed_url = site_url("practices:feed", services.new_calendar_feed(request.user))
    return render(
        request,
        "practices/dates/calendar.html",
        {
            "access": request.access,
            "feed_url": feed_url,
            "has_feed": feed_url is not None
            or CalendarFeed.objects.filter(user=request.user).exists(),
        },
    )


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar feed: the secret in the URL is the only key (calendar apps
    cannot log in). Lists the planned dates of the subscriber's current couple."""
    found = services.find_calendar_feed(token)
    if found is None:
        raise Http404("No such calendar.")
    owner = found.user
    access = current_access(owner) if owner.is_active else None
    dates = []
    if access is not None and access.couple.is_active:
        dates = DateNight.objects.filter(
            couple=access.couple,
            status__in=[DateNight.Status.PLANNED, DateNight.Status.DONE],
            starts_at__gte=timezone.now() - dt.timedelta(days=60),
        ).order_by("starts_at")
    return _ics_response(ics_for_dates(dates), "kindling.ics")
