from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.access import couple_required

from . import services
from .forms import LearnItemForm, LearnReflectionForm, LearnStatusForm, RitualForm
from .models import Choice, LearnItem, Ritual, WarmTouchPlan


def _get_ritual(request: HttpRequest, pk: int) -> Ritual:
    """A shipped ritual or one of the couple's own; else 404."""
    ritual = services.rituals_for(request.access.couple).filter(pk=pk).first()
    if ritual is None:
        raise Http404("No such ritual.")
    return ritual


def _get_choice(request: HttpRequest, pk: int) -> Choice:
    choice = (
        Choice.objects.select_related("ritual").filter(couple=request.access.couple, pk=pk).first()
    )
    if choice is None:
        raise Http404("No such ritual.")
    return choice


def _get_plan(request: HttpRequest, pk: int) -> WarmTouchPlan:
    plan = WarmTouchPlan.objects.filter(couple=request.access.couple, pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def _get_item(request: HttpRequest, pk: int) -> LearnItem:
    item = (
        LearnItem.objects.select_related("added_by")
        .filter(couple=request.access.couple, pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such item.")
    return item


def _back(request: HttpRequest):
    """Home when the tap came from the home card, else the rituals page."""
    return redirect("practices:home" if request.POST.get("back") == "home" else "rituals:rituals")


def _rituals_page(request: HttpRequest, form: RitualForm | None = None) -> HttpResponse:
    access = request.access
    couple = access.couple
    today = couple.local_today()
    choices = list(services.chosen_with_today(couple, today))
    taken = {c.ritual_id for c in choices}
    plan = services.latest_plan(couple)
    return render(
        request,
        "rituals/rituals.html",
        {
            "access": access,
            "ours": [c for c in choices if c.status == Choice.Status.OURS],
            "waiting": [
                c
                for c in choices
                if c.status == Choice.Status.PROPOSED and c.proposed_by_id != access.me.pk
            ],
            "mine": [
                c
                for c in choices
                if c.status == Choice.Status.PROPOSED and c.proposed_by_id == access.me.pk
            ],
            "library": [r for r in services.rituals_for(couple) if r.pk not in taken],
            "form": form or RitualForm(),
            "this_week": services.moments_this_week(couple, today),
            "plan": plan,
            "plan_week": plan.week(today) if plan else None,
            "plan_suggestion": services.plan_suggestion(plan, today) if plan else None,
            "plan_week_moments": services.plan_week_moments(plan, today) if plan else 0,
            "plan_finished": bool(
                plan and plan.status == WarmTouchPlan.Status.ACTIVE and today >= plan.ends_on
            ),
        },
    )


@couple_required
@require_GET
def rituals(request: HttpRequest) -> HttpResponse:
    return _rituals_page(request)


@couple_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = RitualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_own(
            request.access.couple, request.user, data["title"], data["why"], data["tip"]
        )
        messages.success(
            request, _("Proposed to %(name)s.") % {"name": request.access.partner.name}
        )
        return redirect("rituals:rituals")
    return _rituals_page(request, form)


def _try(request: HttpRequest, action, done: str | None) -> None:
    try:
        action()
    except services.RitualError as exc:
        messages.error(request, str(exc))
    else:
        if done:
            messages.success(request, done)


@couple_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual(request, pk)
    partner = request.access.partner.name
    _try(
        request,
        lambda: services.propose(request.access.couple, request.user, ritual),
        _("Proposed to %(name)s. It becomes yours once %(name)s says yes too.") % {"name": partner},
    )
    return redirect("rituals:rituals")


@couple_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    choice = _get_choice(request, pk)
    _try(
        request,
        lambda: services.accept(choice, request.user),
        _("It is one of your rituals now."),
    )
    return redirect("rituals:rituals")


@couple_required
@require_POST
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    choice = _get_choice(request, pk)
    services.retire(choice)
    messages.success(request, _("Set aside. You can pick it again whenever you like."))
    return redirect("rituals:rituals")


@couple_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual(request, pk)
    couple = request.access.couple
    try:
        _moment, created = services.mark_done(couple, request.user, ritual, couple.local_today())
    except services.RitualError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("A moment together, noted.") if created else _("Already noted for today.")
        )
    return _back(request)


@couple_required
@require_POST
def plan_propose(request: HttpRequest) -> HttpResponse:
    _try(
        request,
        lambda: services.propose_plan(request.access.couple, request.user),
        _("Proposed to %(name)s. It starts once you both agree.")
        % {"name": request.access.partner.name},
    )
    return redirect("rituals:rituals")


@couple_required
@require_POST
def plan_accept(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    today = request.access.couple.local_today()
    _try(
        request,
        lambda: services.accept_plan(plan, request.user, today),
        _("Your plan begins today."),
    )
    return redirect("rituals:rituals")


@couple_required
@require_POST
def plan_stop(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    services.stop_plan(plan, request.user)
    messages.success(request, _("The plan has ended."))
    return redirect("rituals:rituals")


@couple_required
@require_POST
def plan_moment(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    today = request.access.couple.local_today()
    try:
        created = services.warm_moment(plan, request.user, today)
    except services.RitualError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("A warm moment, noted.") if created else _("Already noted for today.")
        )
    return redirect("rituals:rituals")


@couple_required
@require_POST
def thinking(request: HttpRequest) -> HttpResponse:
    access = request.access
    _try(
        request,
        lambda: services.send_thinking(access.couple, request.user, access.partner),
        _("%(name)s will know you are thinking of them.") % {"name": access.partner.name},
    )
    return _back(request)


# --- Learn together -------------------------------------------------------------------


@couple_required
@require_http_methods(["GET", "POST"])
def learn(request: HttpRequest) -> HttpResponse:
    couple = request.access.couple
    form = LearnItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_item(
            couple, request.user, form.cleaned_data["title"], form.cleaned_data["target_month"]
        )
        messages.success(request, _("Added to your list."))
        return redirect("rituals:learn")
    items = list(LearnItem.objects.filter(couple=couple).order_by("pk"))
    groups = [
        (label, [item for item in items if item.status == status])
        for status, label in LearnItem.Status.choices
    ]
    return render(
        request, "rituals/learn.html", {"access": request.access, "form": form, "groups": groups}
    )


def _learn_item_page(
    request: HttpRequest, item: LearnItem, form: LearnReflectionForm | None = None
) -> HttpResponse:
    reflections = list(item.reflections.select_related("user").order_by("created_at"))
    mine = next((r for r in reflections if r.user_id == request.user.pk), None)
    return render(
        request,
        "rituals/learn_item.html",
        {
            "access": request.access,
            "item": item,
            "reflections": reflections,
            "status_form": LearnStatusForm(initial={"status": item.status}),
            "reflection_form": form
            or LearnReflectionForm(initial={"body": mine.body if mine else ""}),
            "mine": mine,
        },
    )


@couple_required
@require_GET
def learn_item(request: HttpRequest, pk: int) -> HttpResponse:
    return _learn_item_page(request, _get_item(request, pk))


@couple_required
@require_POST
def learn_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    form = LearnStatusForm(request.POST)
    if form.is_valid():
        services.set_status(item, form.cleaned_data["status"])
        moved = {
            LearnItem.Status.SOMEDAY: _("Moved to someday."),
            LearnItem.Status.STARTED: _("Moved to started."),
            LearnItem.Status.DONE: _("Moved to done."),
        }
        messages.success(request, moved[item.status])
    else:
        messages.error(request, _("Pick someday, started or done."))
    return redirect("rituals:learn_item", pk=item.pk)


@couple_required
@require_POST
def learn_reflect(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    form = LearnReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.reflect(item, request.user, form.cleaned_data["body"])
        except services.RitualError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Kept as a memory."))
            return redirect("rituals:learn_item", pk=item.pk)
    return _learn_item_page(request, item, form)
