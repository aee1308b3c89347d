from __future__ import annotations

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from . import language, pending
from .links import absolute_url, site_url


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        # The language LocaleMiddleware found in the browser's Accept-Language (or the
        # footer's cookie): the person can change it in Settings.
        user.language = language.supported(getattr(request, "LANGUAGE_CODE", None))
        return super().save_user(request, user, form, commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._pending_invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        # Kept through email verification: allauth resumes the sign-up with this URL.
        return self._pending_invitation_url(request) or super().get_signup_redirect_url(request)

    def _pending_invitation_url(self, request: HttpRequest) -> str | None:
        # Someone who opened an invitation before signing up or logging in lands back on
        # it, whichever button they used on the way.
        if pending.find(request) is None:
            return None
        return reverse("couples:pending_invitation")

    def send_confirmation_mail(self, request: HttpRequest, emailconfirmation, signup: bool) -> None:
        # The link in this email may be opened in a browser that never saw the invitation.
        pending.remember_for(emailconfirmation.email_address.user, request)
        super().send_confirmation_mail(request, emailconfirmation, signup)

    # Every link in allauth's emails comes from SITE_URL, like Kindling's own (couples/links.py),
    # not from whatever host the request that triggered the email happened to use.
    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        return site_url("account_confirm_email", emailconfirmation.key)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's URL takes the user id and the key as one opaque "<uid>-<key>" part.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email: str) -> None:
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "signup_url": site_url("account_signup"),
                "password_reset_url": site_url("account_reset_password"),
            },
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        if "signup_url" in context:  # the unknown-account email, built by allauth's flows
            context = {**context, "signup_url": site_url("account_signup")}
        # An email to someone with an account (a password reset, a new address) is in their
        # language, not that of whichever browser asked for it.
        user = context.get("user")
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            super().send_mail(template_prefix, email, context)
