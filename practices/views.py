from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from couples.access import current_access
from couples.models import Couple


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = current_access(request.user)
    if access is None or access.partner is None:
        archives = Couple.objects.filter(
            memberships__user=request.user, status=Couple.Status.ENDED
        ).order_by("-ended_at")
        return render(
            request,
            "practices/onboarding.html",
            {
                "access": access,
                "archives": archives,
                "pending_invitation": request.session.get("pending_invitation"),
            },
        )
    couple = access.couple
    today = couple.local_today()
    return render(
        request,
        "practices/home.html",
        {
            "access": access,
            "couple": couple,
            "days_together": couple.days_together(today),
            "anniversary": couple.next_anniversary(today),
            "today": today,
        },
    )
