from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.access import couple_required

from . import services
from .forms import ACTIONS, LinesForm, SpeakMinutesForm, WeeklyTimeForm, WishesForm
from .models import Line, Week, Wish

PAGE_SIZE = 20
STEP_PROMPTS = {
    Week.Step.APPRECIATIONS: gettext_lazy("one thing I appreciated this week"),
    Week.Step.WENT_WELL: gettext_lazy("what went well for us"),
    Week.Step.ON_MY_MIND: gettext_lazy("my takeaway, if I want to keep one"),
}
LISTENER_CUES = [
    gettext_lazy("Reflect back what you heard, in your own words."),
    gettext_lazy("Ask what would help."),
    gettext_lazy("No fixing yet: just listen."),
]


def _get_week(request: HttpRequest, pk: int) -> Week:
    week = Week.objects.filter(couple=request.access.couple, pk=pk).first()
    if week is None:
        raise Http404("No such week.")
    return week


def _week_url(week: Week, anchor: str = "") -> str:
    return reverse("ourweek:week", args=[week.pk]) + (f"#{anchor}" if anchor else "")


def _written(week: Week, access) -> dict:
    """Everything written this week so far, by step and by person: what both screens show."""
    lines = list(Line.objects.filter(week=week).select_related("author").order_by("created_at"))
    wishes = list(Wish.objects.filter(week=week).select_related("author").order_by("created_at"))
    by_kind: dict[str, dict[int, Line]] = {kind: {} for kind in Line.Kind.values}
    for line in lines:
        by_kind[line.kind][line.author_id] = line
    return {
        "lines": by_kind,
        "appreciations": list(by_kind[Line.Kind.APPRECIATION].values()),
        "went_well": list(by_kind[Line.Kind.WENT_WELL].values()),
        "takeaways": list(by_kind[Line.Kind.TAKEAWAY].values()),
        "wishes": wishes,
        "wish_by": {wish.author_id: wish for wish in wishes},
    }


def _step_form(week: Week, access, written: dict, data=None):
    step = week.step
    partner = access.partner
    if step in services.LINE_STEPS:
        mine = written["lines"][services.LINE_STEPS[step]]
        initial = {"mine": mine[access.me.pk].body} if access.me.pk in mine else None
        return LinesForm(
            data,
            initial=initial,
            me=access.me,
            partner=partner,
            prompt=STEP_PROMPTS[step],
            # A posted form keeps the partner's field: the service decides whether the
            # partner's own words were there first.
            partner_open=data is not None or partner.pk not in mine,
        )
    if step == Week.Step.FEEL_LOVED:
        mine = written["wish_by"].get(access.me.pk)
        initial = {"mine": mine.body, "mine_tip": mine.tip} if mine else None
        return WishesForm(
            data,
            initial=initial,
            me=access.me,
            partner=partner,
            partner_open=data is not None or partner.pk not in written["wish_by"],
        )
    return None


def _render_week(
    request: HttpRequest,
    week: Week,
    form=None,
    minutes_form=None,
    status: int = 200,
    shown_step: int | None = None,
) -> HttpResponse:
    """The week's page, on its current step, or on `shown_step` to give back an earlier
    step's form with its errors."""
    access = request.access
    written = _written(week, access)
    shown = Week.Step(shown_step or week.step)
    if form is None and not week.is_finished:
        form = _step_form(week, access, written)
    material = []
    if shown == Week.Step.APPRECIATIONS:
        material = services.week_material(access.couple, request.user, timezone.now())
    my_appreciation = written["lines"][Line.Kind.APPRECIATION].get(request.user.pk)
    ideas = services.date_ideas_for(week) if shown == Week.Step.TIME_TOGETHER else []
    return render(
        request,
        "ourweek/week.html",
        {
            "access": access,
            "week": week,
            "steps": [s for s in Week.Step if s != Week.Step.DONE],
            "current": shown,
            "form": form,
            "minutes_form": minutes_form
            or SpeakMinutesForm(initial={"minutes": week.speak_minutes}),
            "written": written,
            "material": material,
            "my_appreciation": my_appreciation,
            "ideas": ideas,
            "cues": LISTENER_CUES,
            "took_part": [p for p in access.couple.members if p.pk in week.took_part],
        },
        status=status,
    )


@couple_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    couple = request.access.couple
    now = timezone.now()
    when = services.shown_weekly_time(couple)
    this_week = Week.objects.filter(
        couple=couple, starts_on=services.monday_of(couple.local_today())
    ).first()
    return render(
        request,
        "ourweek/index.html",
        {
            "access": request.access,
            "when": when,
            "next_meeting": services.next_meeting(when, couple.tzinfo, now),
            "notice": services.change_notice(when, request.user, now),
            "this_week": this_week,
            "couple": couple,
        },
    )


@couple_required
@require_http_methods(["GET", "POST"])
def weekly_time(request: HttpRequest) -> HttpResponse:
    couple = request.access.couple
    when = services.shown_weekly_time(couple)
    form = WeeklyTimeForm(request.POST or None, initial={"weekday": when.weekday, "at": when.at})
    if request.method == "POST" and form.is_valid():
        try:
            when = services.move_weekly_time(
                couple, request.user, form.cleaned_data["weekday"], form.cleaned_data["at"]
            )
        except services.WeekError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Our week is now on %(when)s. %(name)s will see the change.")
                % {"when": when.label(), "name": request.access.partner.name},
            )
            return redirect("ourweek:index")
    return render(
        request,
        "ourweek/time.html",
        {"access": request.access, "form": form, "couple": couple},
        status=400 if form.errors else 200,
    )


@couple_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    try:
        week = services.start_week(request.access.couple)
    except services.WeekError as exc:
        messages.error(request, str(exc))
        return redirect("ourweek:index")
    return redirect("ourweek:week", pk=week.pk)


@never_cache
@couple_required
@require_GET
def week(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_week(request, _get_week(request, pk))


@never_cache
@couple_required
@require_GET
def state(request: HttpRequest, pk: int) -> JsonResponse:
    """What the other phone polls: the step the week is on and what is written so far."""
    week = _get_week(request, pk)
    html = render_to_string(
        "ourweek/_written.html",
        {"written": _written(week, request.access), "access": request.access, "week": week},
        request=request,
    )
    return JsonResponse({"step": week.step, "finished": week.is_finished, "html": html})


@couple_required
@require_POST
def step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    week = _get_week(request, pk)
    if step not in Week.Step.values or step == Week.Step.DONE:
        raise Http404("No such step.")
    action = request.POST.get("action", "save")
    if action not in ACTIONS | {"minutes"}:
        messages.error(request, _("That button is not one we know. Nothing was changed."))
        return redirect(_week_url(week))
    if week.is_finished:
        messages.info(request, _("This week is finished, so it stays as it is. Nothing changed."))
        return redirect(_week_url(week))
    if step > week.step:
        nothing_saved = _("Nothing was saved.")
        messages.error(request, f"{services.step_reminder(week.step)} {nothing_saved}")
        return redirect(_week_url(week))
    access = request.access
    try:
        if action == "minutes":
            minutes_form = SpeakMinutesForm(request.POST)
            if not minutes_form.is_valid():
                return _render_week(
                    request, week, minutes_form=minutes_form, status=400, shown_step=step
                )
            services.set_speak_minutes(week, minutes_form.cleaned_data["minutes"])
            minutes = week.speak_minutes
            messages.success(
                request,
                ngettext("%(count)s minute each.", "%(count)s minutes each.", minutes)
                % {"count": minutes},
            )
            return redirect(_week_url(week, "on-my-mind"))
        if action != "skip" and step != Week.Step.TIME_TOGETHER:
            written = _written(week, access)
            shown = Week(
                pk=week.pk, couple=week.couple, step=step, speak_minutes=week.speak_minutes
            )
            form = _step_form(shown, access, written, request.POST)
            if not form.is_valid():
                return _render_week(request, week, form=form, status=400, shown_step=step)
            if step == Week.Step.FEEL_LOVED:
                saved = services.write_wishes(week, request.user, form.wishes())
            else:
                saved = services.write_lines(week, step, request.user, form.bodies())
            for person in saved.kept:
                messages.info(
                    request,
                    _(
                        "%(name)s had already written theirs on their phone, so it stays as they wrote it."
                    )
                    % {"name": person.name},
                )
            if saved.written and action == "save":
                messages.success(request, _("Saved. It shows on both your screens."))
        if action in ("next", "skip"):
            services.move_on(week, step)
    except services.WeekError as exc:
        messages.error(request, str(exc))
    return redirect(_week_url(week, "step"))


@couple_required
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    week = _get_week(request, pk)
    try:
        if services.finish_week(week, request.user):
            messages.success(request, _("That's our week. Thank you for taking the time together."))
        else:
            messages.info(request, _("This week is already finished. Nothing changed."))
    except services.WeekError as exc:
        messages.error(request, str(exc))
    return redirect(_week_url(week))


@couple_required
@require_POST
def save_note(request: HttpRequest, pk: int) -> HttpResponse:
    week = _get_week(request, pk)
    line = (
        Line.objects.filter(week=week, author=request.user, kind=Line.Kind.APPRECIATION)
        .select_related("week__couple")
        .first()
    )
    if line is None:
        messages.error(request, _("Write your appreciation first, then it can become a note."))
    else:
        try:
            if services.save_as_note(line, request.user):
                messages.success(
                    request,
                    _("Sent to %(name)s as a note.") % {"name": request.access.partner.name},
                )
            else:
                messages.info(request, _("This one is already a note. Nothing changed."))
        except services.WeekError as exc:
            messages.error(request, str(exc))
    return redirect(_week_url(week, "step"))


@couple_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    couple = request.access.couple
    weeks = (
        Week.objects.filter(couple=couple)
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=Line.objects.select_related("author").order_by("kind", "created_at"),
            ),
            Prefetch(
                "wishes", queryset=Wish.objects.select_related("author").order_by("created_at")
            ),
        )
        .order_by("-starts_on")
    )
    page = Paginator(weeks, PAGE_SIZE).get_page(request.GET.get("page"))
    members = {member.pk: member for member in couple.members}
    for item in page:
        item.people = [members[pk] for pk in item.took_part if pk in members]
    return render(request, "ourweek/history.html", {"access": request.access, "page": page})


@couple_required
@require_POST
def wish_done(request: HttpRequest, pk: int) -> HttpResponse:
    wish = Wish.objects.filter(couple=request.access.couple, pk=pk).select_related("author").first()
    if wish is None:
        raise Http404("No such wish.")
    try:
        if services.tick_wish(wish, request.user):
            messages.success(
                request, _("Done. %(name)s will see it ticked.") % {"name": wish.author.name}
            )
        else:
            messages.info(request, _("This wish is already ticked done."))
    except services.WeekError as exc:
        messages.error(request, str(exc))
    return redirect("practices:home")
