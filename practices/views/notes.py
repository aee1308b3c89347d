from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.access import couple_required, couple_view

from .. import services
from ..forms import NoteForm, ReactionForm, ThanksForm
from ..fragments import cached_fragment
from ..models import GratitudeNote

PAGE_SIZE = 20


def _get_note(request: HttpRequest, pk: int) -> GratitudeNote:
    """A note of the viewer's couple that has arrived, or one they wrote; else 404.
    A scheduled note does not exist for its recipient until it arrives."""
    note = (
        GratitudeNote.objects.select_related("author", "recipient")
        .filter(couple=request.access.couple, pk=pk)
        .filter(Q(delivered_at__isnull=False) | Q(author=request.user))
        .first()
    )
    if note is None:
        raise Http404("No such note.")
    return note


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _note_list(request: HttpRequest, notes, box: str) -> HttpResponse:
    """The list itself comes from the cache while the couple has not changed."""
    notes_html = cached_fragment(
        request,
        "practices/notes/notes.html",
        lambda: {"page": _page(request, notes), "box": box},
        box,
        request.GET.get("page", ""),
    )
    return render(
        request,
        "practices/notes/list.html",
        {"notes_html": notes_html, "box": box, "access": request.access},
    )


@couple_view
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notes = (
        GratitudeNote.objects.filter(
            couple=request.access.couple, recipient=request.user, delivered_at__isnull=False
        )
        .select_related("author")
        .order_by("-delivered_at", "-pk")
    )
    return _note_list(request, notes, "inbox")


@couple_view
@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    notes = (
        GratitudeNote.objects.filter(couple=request.access.couple, author=request.user)
        .select_related("recipient")
        .order_by("-deliver_at", "-pk")
    )
    return _note_list(request, notes, "sent")


@sensitive_post_parameters()
@couple_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = NoteForm(request.POST or None, zone=request.user.timezone)
    if request.method == "POST" and form.is_valid():
        note = services.write_note(
            request.access.couple, request.user, form.cleaned_data["body"], form.deliver_at
        )
        if note.is_delivered:
            messages.success(
                request, _("Your note is with %(name)s.") % {"name": request.access.partner.name}
            )
        else:
            local = timezone.localtime(note.deliver_at, request.user.tzinfo)
            day = date_format(local, _("j F"))  # a translated format: 5. Dezember, 5 de diciembre
            messages.success(
                request,
                _("Your note will reach %(name)s on %(day)s at %(time)s.")
                % {"name": request.access.partner.name, "day": day, "time": f"{local:%H:%M}"},
            )
        return redirect("practices:notes_sent")
    return render(request, "practices/notes/form.html", {"form": form, "access": request.access})


@couple_view
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = _get_note(request, pk)
    if request.access.writable:
        services.mark_read(note, request.user)
    return _render_detail(request, note, ThanksForm(initial={"thanks": note.thanks}))


def _render_detail(request: HttpRequest, note: GratitudeNote, thanks_form: ThanksForm):
    return render(
        request,
        "practices/notes/detail.html",
        {
            "note": note,
            "reaction_form": ReactionForm(),
            "thanks_form": thanks_form,
            "access": request.access,
        },
        status=400 if thanks_form.errors else 200,
    )


@sensitive_post_parameters()
@couple_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _get_note(request, pk)
    if note.author_id != request.user.pk:
        raise Http404("No such note.")
    if note.is_delivered:
        messages.info(request, _("This note has arrived, so it can no longer change."))
        return redirect("practices:note", pk=note.pk)
    form = NoteForm.for_note(note, request.user.timezone, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_note(
                note, form.cleaned_data["body"], form.deliver_at or timezone.now()
            )
        except services.PracticeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your note is updated."))
        return redirect("practices:notes_sent")
    return render(
        request, "practices/notes/form.html", {"form": form, "note": note, "access": request.access}
    )


@couple_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    note = _get_note(request, pk)
    if note.author_id != request.user.pk:
        raise Http404("No such note.")
    try:
        services.cancel_note(note)
    except services.PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The note is cancelled; it will not be sent."))
    return redirect("practices:notes_sent")


@couple_required
@require_POST
def react(request: HttpRequest, pk: int) -> HttpResponse:
    note = _get_note(request, pk)
    if note.recipient_id != request.user.pk:
        raise Http404("No such note.")
    form = ReactionForm(request.POST)
    if form.is_valid():
        services.react(note, request.user, form.cleaned_data["reaction"])
        messages.success(
            request, _("%(name)s will see your reaction.") % {"name": note.author.name}
        )
    else:
        messages.error(request, _("Pick one of the reactions."))
    return redirect("practices:note", pk=note.pk)


@sensitive_post_parameters()
@couple_required
@require_POST
def thank(request: HttpRequest, pk: int) -> HttpResponse:
    note = _get_note(request, pk)
    if note.recipient_id != request.user.pk:
        raise Http404("No such note.")
    form = ThanksForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, note, form)
    first = not note.thanks
    services.thank_for_note(note, request.user, form.cleaned_data["thanks"])
    messages.success(
        request,
        _("%(name)s will see your thank-you.") % {"name": note.author.name}
        if first
        else _("Your thank-you is updated."),
    )
    return redirect("practices:note", pk=note.pk)
