from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from couples.access import couple_required

from .. import services
from ..forms import ClosenessForm


@couple_required
@require_http_methods(["GET", "POST"])
def closeness(request: HttpRequest) -> HttpResponse:
    access = request.access
    month = services.month_of(access.couple.local_today())
    form = ClosenessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.answer_closeness(access.couple, request.user, month, form.ratings())
        except services.FeelingsError as exc:
            form.add_error(None, str(exc))
        else:
            if saved:
                messages.success(
                    request, _("Thank you. Your answers stay private until both of you answer.")
                )
            else:
                messages.info(request, _("Your answers for this month are already in."))
            return redirect("feelings:closeness")
    state = services.closeness_view(access.couple, request.user, month)
    return render(
        request,
        "feelings/closeness.html",
        {"access": access, "month": month, "form": form, **state},
    )
