from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from couples.access import couple_required

from .. import services
from ..forms import HopeForm, HopeResponseForm
from ..models import Hope, HopeResponse


def _get_hope(request: HttpRequest, pk: int) -> Hope:
    hope = (
        services.visible_hopes(request.access.couple, request.user)
        .select_related("couple", "author")
        .filter(pk=pk)
        .first()
    )
    if hope is None:
        raise Http404("No such item.")
    return hope


def _page(request: HttpRequest, form: HopeForm, bad: tuple[int, HopeResponseForm] | None = None):
    access = request.access
    items = (
        services.visible_hopes(access.couple, request.user)
        .select_related("response")
        .order_by("settled_at", "-created_at")
    )
    rows = []
    for hope in items:
        response = getattr(hope, "response", None)
        response_form = bad[1] if bad and bad[0] == hope.pk else HopeResponseForm()
        if hope.is_worry:
            response_form.fields["reply"].choices = [
                c for c in HopeResponse.Reply.choices if c[0] != HopeResponse.Reply.MAKE
            ]
        else:
            response_form.fields["reply"].choices = [
                c for c in HopeResponse.Reply.choices if c[0] != HopeResponse.Reply.WITH_YOU
            ]
        rows.append(
            {
                "hope": hope,
                "mine": hope.author_id == request.user.pk,
                "response": response,
                "can_respond": hope.author_id != request.user.pk
                and hope.shared_at is not None
                and response is None,
                "form": response_form,
                "plan_url": reverse("practices:date_new")
                + "?"
                + urlencode({"title": hope.body[:120]})
                if response and response.reply == HopeResponse.Reply.MAKE
                else None,
            }
        )
    return render(
        request,
        "feelings/hopes.html",
        {
            "access": access,
            "form": form,
            "open_rows": [r for r in rows if r["hope"].settled_at is None],
            "lived_rows": [r for r in rows if r["hope"].settled_at is not None],
        },
    )


@couple_required
@require_http_methods(["GET", "POST"])
def hopes(request: HttpRequest) -> HttpResponse:
    form = HopeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hope = services.add_hope(request.access.couple, request.user, **form.cleaned_data)
        except services.FeelingsError as exc:
            form.add_error(None, str(exc))
        else:
            if hope.shared_at:
                messages.success(
                    request, _("Shared with %(name)s.") % {"name": request.access.partner.name}
                )
            else:
                messages.success(
                    request, _("Saved as a private draft; share it when you are ready.")
                )
            return redirect("feelings:hopes")
    return _page(request, form)


@couple_required
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    hope = _get_hope(request, pk)
    try:
        services.share_hope(hope, request.user)
    except services.FeelingsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Shared with %(name)s.") % {"name": request.access.partner.name}
        )
    return redirect("feelings:hopes")


@couple_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    hope = _get_hope(request, pk)
    if hope.author_id == request.user.pk or hope.shared_at is None:
        raise Http404("Not yours to answer.")
    form = HopeResponseForm(request.POST)
    if not form.is_valid():
        return _page(request, HopeForm(), (hope.pk, form))
    try:
        response, on_today = services.respond_to_hope(hope, request.user, **form.cleaned_data)
    except services.FeelingsError as exc:
        form.add_error(None, str(exc))
        return _page(request, HopeForm(), (hope.pk, form))
    if response is None:
        messages.info(request, _("You had already responded; your first response stands."))
    elif response.reply == HopeResponse.Reply.MORE:
        if on_today:
            messages.success(request, _("It is today's question for the two of you now."))
            return redirect("practices:question")
        messages.success(
            request,
            _("Today's question was already answered, so yours waits in your own questions."),
        )
    else:
        messages.success(
            request, _("%(name)s will see your response.") % {"name": hope.author.name}
        )
    return redirect("feelings:hopes")


@couple_required
@require_POST
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    hope = _get_hope(request, pk)
    try:
        services.settle_hope(hope)
    except services.FeelingsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Kept in your history of what you have lived through."))
    return redirect("feelings:hopes")
