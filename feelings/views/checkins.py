from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.access import couple_required

from .. import services
from ..forms import CheckInForm, ResponseForm
from ..models import CheckIn
from ..wheel import CORES, Core

PAGE_SIZE = 20
WEATHER_DAYS = 30


def _get_core(key: str) -> Core:
    core = CORES.get(key)
    if core is None:
        raise Http404("No such feeling.")
    return core


def _get_checkin(request: HttpRequest, pk: int) -> CheckIn:
    """A check-in the user may see: theirs, or their partner's shared one."""
    checkin = (
        services.visible_checkins(request.access.couple, request.user)
        .select_related("author", "response", "response__author")
        .filter(pk=pk)
        .first()
    )
    if checkin is None:
        raise Http404("No such check-in.")
    return checkin


@couple_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feelings/start.html", {"access": request.access, "cores": CORES.values()}
    )


@couple_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, core: str) -> HttpResponse:
    core = _get_core(core)
    initial = {"visibility": services.default_visibility(request.user)}
    form = CheckInForm(request.POST or None, core=core, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            checkin = services.check_in(request.access.couple, request.user, **form.cleaned_data)
        except services.FeelingsError as exc:
            form.add_error(None, str(exc))
        else:
            if checkin.is_shared:
                messages.success(
                    request, _("Shared with %(name)s.") % {"name": request.access.partner.name}
                )
            else:
                messages.success(request, _("Kept just for you."))
            return redirect("practices:home")
    return render(
        request,
        "feelings/new.html",
        {"access": request.access, "core": core, "form": form, "cores": CORES.values()},
    )


@couple_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = _get_checkin(request, pk)
    return _detail_page(request, checkin, ResponseForm())


def _detail_page(request: HttpRequest, checkin: CheckIn, form: ResponseForm) -> HttpResponse:
    response = getattr(checkin, "response", None)
    return render(
        request,
        "feelings/detail.html",
        {
            "access": request.access,
            "checkin": checkin,
            "core": CORES[checkin.core],
            "response": response,
            "can_respond": checkin.author_id != request.user.pk and response is None,
            "form": form,
        },
    )


@couple_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = _get_checkin(request, pk)
    if checkin.author_id == request.user.pk:
        raise Http404("Your own check-ins are not answered by you.")
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, checkin, form)
    try:
        saved = services.respond_to_checkin(checkin, request.user, **form.cleaned_data)
    except services.FeelingsError as exc:
        form.add_error(None, str(exc))
        return _detail_page(request, checkin, form)
    if saved:
        messages.success(
            request, _("%(name)s will see your response.") % {"name": checkin.author.name}
        )
    else:
        messages.info(request, _("You had already responded; your first response stands."))
    if request.POST.get("next") == "home":
        return redirect("practices:home")
    return redirect("feelings:detail", pk=checkin.pk)


@couple_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    access = request.access
    checkins = (
        services.visible_checkins(access.couple, request.user)
        .select_related("response")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(checkins, PAGE_SIZE).get_page(request.GET.get("page"))
    today = access.couple.local_today()
    return render(
        request,
        "feelings/history.html",
        {
            "access": access,
            "page": page,
            "cores": CORES,
            "strips": services.weather_strips(
                access.couple, request.user, [access.me, access.partner], today, WEATHER_DAYS
            ),
        },
    )
