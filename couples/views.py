from __future__ import annotations

from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.celery import app as celery_app

from . import language, pending, privacy, services
from .access import CoupleAccess, archive_access, current_access
from .forms import (
    CoupleForm,
    DeleteAccountForm,
    EndCoupleForm,
    InviteByEmailForm,
    PairingCodeForm,
    ProfileForm,
)
from .links import site_url
from .models import Couple, Invitation


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = type(exc).__name__
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:
        checks["broker"] = type(exc).__name__
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


@require_http_methods(["GET", "POST"])
def profile_settings(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # This message, and every page from here on, in the language just chosen.
        translation.activate(user.language)
        messages.success(request, _("Your profile is saved."))
        return language.remember(redirect("couples:settings"), user.language)
    return render(request, "couples/settings.html", {"form": form})


def _invite_link(token: str) -> str:
    return site_url("couples:invitation", token)


def _already_linked(request: HttpRequest, access: CoupleAccess) -> HttpResponse:
    """/invite/ and /join/ send someone who has a partner home, and say why."""
    messages.info(
        request,
        _(
            "You and %(partner)s already share a couple. To link with someone else, "
            "end it first in Settings."
        )
        % {"partner": access.partner.name},
    )
    return redirect("practices:home")


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    access = current_access(request.user)
    if access is not None and access.partner is not None:
        return _already_linked(request, access)

    email_form = InviteByEmailForm(request.POST if request.POST.get("action") == "email" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "email" and email_form.is_valid():
                try:
                    invitation = services.invite_by_email(
                        request.user, email_form.cleaned_data["email"]
                    )
                except services.InvitationError as exc:
                    # Said next to the address, which stays typed in for another try.
                    email_form.add_error("email", str(exc))
                else:
                    # The outbox sends it, so a slow mail server never holds up this page.
                    messages.success(
                        request,
                        _(
                            "Your invitation to %(email)s is on its way. If it does not "
                            "arrive, withdraw it below and share a link instead."
                        )
                        % {"email": invitation.email},
                    )
                    return redirect("couples:invite")
            if action == "link":
                _invitation, token = services.invite_by_link(request.user)
                request.session["new_invite_link"] = _invite_link(token)
                messages.success(request, _("Here is your link. It works once, for 7 days."))
                return redirect("couples:invite")
            if action == "code":
                services.create_pairing_code(request.user)
                return redirect("couples:invite")
        except services.InvitationError as exc:
            messages.error(request, str(exc))
            return redirect("couples:invite")

    open_invitations = (
        list(access.couple.invitations.open().order_by("-created_at")) if access else []
    )
    return render(
        request,
        "couples/invite.html",
        {
            "email_form": email_form,
            "new_link": request.session.pop("new_invite_link", None),
            "code_invitation": next(
                (i for i in open_invitations if i.kind == Invitation.Kind.CODE), None
            ),
            "link_invitations": [i for i in open_invitations if i.kind == Invitation.Kind.LINK],
        },
    )


@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk, inviter=request.user)
    services.revoke_invitation(invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("couples:invite")


def _invitation_invalid(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "couples/invitation_invalid.html", {"reason": reason}, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows what accepting means (mail scanners follow links); POST accepts."""
    found = services.find_link_invitation(token)
    if found is None:
        return _invitation_invalid(
            request, _("This invitation link is not valid. Check that you copied all of it."), 404
        )
    return _invitation_page(request, found)


@login_not_required
@require_http_methods(["GET", "POST"])
def pending_invitation(request: HttpRequest) -> HttpResponse:
    """The invitation this person opened, found again after sign-up, verification or login
    (couples/pending.py): the link's secret is never kept, nor put in a `next` address."""
    found = pending.find(request)
    if found is None:
        return _invitation_invalid(
            request, _("We could not find your invitation. Open the link you were sent again."), 404
        )
    return _invitation_page(request, found)


def _invitation_page(request: HttpRequest, found: Invitation) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    problem = services.invitation_problem(found, user)
    if problem:
        pending.forget(request)
        return _invitation_invalid(request, problem, 410)
    # Whichever way they go next (this page's buttons, the header's, another browser for
    # the verification link), sign-up and login bring them back to it.
    pending.remember(request, found)
    if user is None:
        if request.method == "POST":
            return redirect_to_login(reverse("couples:pending_invitation"))
        return render(request, "couples/invitation.html", {"invitation": found})
    if request.method == "POST":
        try:
            couple = services.accept_invitation(found.pk, user)
        except services.InvitationError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        pending.forget(request)
        messages.success(
            request,
            _("You and %(partner)s are linked. Welcome home.")
            % {"partner": couple.partner_of(user).name},
        )
        return redirect("practices:home")
    return render(request, "couples/invitation.html", {"invitation": found})


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    access = current_access(request.user)
    if access is not None and access.partner is not None:
        return _already_linked(request, access)
    form = PairingCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            couple = services.redeem_pairing_code(form.cleaned_data["code"], request.user)
        except services.InvitationError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(
                request,
                _("You and %(partner)s are linked. Welcome home.")
                % {"partner": couple.partner_of(request.user).name},
            )
            return redirect("practices:home")
    return render(
        request,
        "couples/join.html",
        {"form": form, "attempts_left": services.pairing_attempts_left(request.user)},
    )


@require_http_methods(["GET", "POST"])
def couple_profile(request: HttpRequest) -> HttpResponse:
    couple = services.active_couple(request.user)
    form = CoupleForm(
        request.POST or None, instance=couple or Couple(timezone=request.user.timezone)
    )
    if request.method == "POST" and form.is_valid():
        if couple is None:
            # Someone still waiting for a partner may fill in the profile first.
            services.ensure_couple(request.user, **form.cleaned_data)
        else:
            form.save()
        messages.success(request, _("Your couple profile is saved."))
        return redirect("practices:home")
    return render(request, "couples/couple_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def end_couple(request: HttpRequest) -> HttpResponse:
    access = current_access(request.user)
    if access is None or access.partner is None:
        messages.info(request, _("There is no linked couple to end."))
        return redirect("practices:home")
    form = EndCoupleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.end_couple(access.couple)
        messages.info(
            request,
            _("Your couple has ended. What you shared stays readable here for 30 days."),
        )
        return redirect("couples:archive", couple_id=access.couple.pk)
    return render(request, "couples/end_couple.html", {"form": form, "access": access})


@require_GET
def archive(request: HttpRequest, couple_id: UUID) -> HttpResponse:
    access = archive_access(request, couple_id)
    if access.writable:
        return redirect("practices:home")
    return render(request, "couples/archive.html", {"access": access})


# Everything a person wrote and received, in one file: worth a fresh password, like deletion.
@reauthentication_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        privacy.export_json(request.user), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{privacy.export_filename(request.user)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters()
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        privacy.delete_account(user)
        messages.info(request, _("Your account and everything you wrote have been deleted."))
        return redirect("landing")
    return render(request, "couples/delete_account.html", {"form": form})
