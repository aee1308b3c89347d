from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.access import couple_required, couple_view

from .. import services
from ..forms import AnswerForm, OwnPromptForm, PromptFilterForm
from ..models import Answer, DailyQuestion, FavoritePrompt, Prompt

PAGE_SIZE = 20
LIBRARY_PAGE_SIZE = 40


def _get_question(request: HttpRequest, pk: int) -> DailyQuestion:
    question = (
        DailyQuestion.objects.select_related("prompt")
        .filter(couple=request.access.couple, pk=pk)
        .first()
    )
    if question is None:
        raise Http404("No such question.")
    return question


def _get_prompt(request: HttpRequest, pk: int) -> Prompt:
    prompt = services.prompts_for(request.access.couple).filter(pk=pk).first()
    if prompt is None:
        raise Http404("No such prompt.")
    return prompt


def _question_page(request: HttpRequest, question: DailyQuestion, form=None) -> HttpResponse:
    mine, theirs, partner_answered = services.visible_answers(question, request.user)
    settled = mine is not None and partner_answered
    is_today = question.day == request.access.couple.local_today()
    return render(
        request,
        "practices/questions/question.html",
        {
            "access": request.access,
            "question": question,
            "is_today": is_today,
            "mine": mine,
            "theirs": theirs,
            "partner_answered": partner_answered,
            "form": form or AnswerForm(initial={"body": mine.body} if mine else None),
            "can_answer": request.access.writable and not settled,
            "can_swap": request.access.writable
            and is_today
            and not question.swapped
            and mine is None
            and not partner_answered,
        },
    )


@couple_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    return _question_page(request, services.todays_question(request.access.couple))


@couple_view
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_page(request, _get_question(request, pk))


@sensitive_post_parameters()
@couple_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = _get_question(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _question_page(request, question, form)
    try:
        services.answer_question(
            question, request.user, form.cleaned_data["body"], form.cleaned_data["prompt"]
        )
    except services.PracticeError as exc:
        # Shown with the question as it is now, and the words they wrote kept in the form.
        form.add_error(None, str(exc))
        return _question_page(request, _get_question(request, pk), form)
    messages.success(request, _("Your answer is saved."))
    return redirect("practices:question_detail", pk=question.pk)


@couple_required
@require_POST
def swap(request: HttpRequest, pk: int) -> HttpResponse:
    question = _get_question(request, pk)
    try:
        services.swap_question(question)
    except services.PracticeError as exc:
        messages.error(request, str(exc))
    return redirect("practices:question")


@couple_required
@require_POST
def talked(request: HttpRequest, pk: int) -> HttpResponse:
    question = _get_question(request, pk)
    services.mark_discussed(question)
    messages.success(request, _("Lovely. Talking it through face to face is what it is for."))
    return redirect("practices:question_detail", pk=question.pk)


@couple_view
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    questions = (
        DailyQuestion.objects.filter(couple=request.access.couple)
        .select_related("prompt")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("created_at")))
        .order_by("-day")
    )
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for question in page:
        answers = {a.user_id: a for a in question.answers.all()}
        mine = answers.get(request.user.pk)
        theirs = next((a for uid, a in answers.items() if uid != request.user.pk), None)
        rows.append(
            {
                "question": question,
                "mine": mine,
                # The reveal rule, here too: theirs only once you have answered.
                "theirs": theirs if mine else None,
                "partner_answered": theirs is not None,
            }
        )
    return render(
        request,
        "practices/questions/history.html",
        {"page": page, "rows": rows, "access": request.access},
    )


@couple_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    filters = PromptFilterForm(request.GET or None)
    prompts = services.prompts_for(request.access.couple)
    if filters.is_valid():
        for name in ("tip", "depth", "occasion", "kind"):
            if value := filters.cleaned_data[name]:
                prompts = prompts.filter(**{name: value})
    favorites = set(
        FavoritePrompt.objects.filter(user=request.user).values_list("prompt_id", flat=True)
    )
    only_favorites = request.GET.get("favorites") == "1"
    if only_favorites:
        prompts = prompts.filter(pk__in=favorites)
    question = services.todays_question(request.access.couple)
    # A page at a time, without counting: one row more than a page says there is a next.
    try:
        number = max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        number = 1
    start = (number - 1) * LIBRARY_PAGE_SIZE
    # The couple's own first (on every database), then the library by tip and depth.
    own_first = F("couple").desc(nulls_last=True)
    rows = list(
        prompts.order_by(own_first, "tip", "depth", "pk")[start : start + LIBRARY_PAGE_SIZE + 1]
    )
    return render(
        request,
        "practices/questions/library.html",
        {
            "access": request.access,
            "filters": filters,
            "prompts": rows[:LIBRARY_PAGE_SIZE],
            "page_number": number,
            "has_next": len(rows) > LIBRARY_PAGE_SIZE,
            "favorites": favorites,
            "only_favorites": only_favorites,
            "can_pick": not question.answers.exists(),
        },
    )


@couple_required
@require_POST
def favorite(request: HttpRequest, pk: int) -> HttpResponse:
    prompt = _get_prompt(request, pk)
    now_favorite = services.toggle_favorite(request.user, prompt)
    messages.success(request, _("Saved to your favourites.") if now_favorite else _("Removed."))
    return redirect("practices:prompts")


@couple_required
@require_POST
def pick(request: HttpRequest, pk: int) -> HttpResponse:
    prompt = _get_prompt(request, pk)
    try:
        services.pick_question(services.todays_question(request.access.couple), prompt)
    except services.PracticeError as exc:
        messages.error(request, str(exc))
        return redirect("practices:prompts")
    messages.success(request, _("That is today's question now."))
    return redirect("practices:question")


@sensitive_post_parameters()
@couple_required
@require_http_methods(["GET", "POST"])
def new_prompt(request: HttpRequest) -> HttpResponse:
    form = OwnPromptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        prompt = form.save(commit=False)
        prompt.couple, prompt.author = request.access.couple, request.user
        prompt.save()
        messages.success(
            request, _("Your question is in your library; only the two of you see it.")
        )
        return redirect("practices:prompts")
    return render(
        request, "practices/questions/prompt_form.html", {"form": form, "access": request.access}
    )
