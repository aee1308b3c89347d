from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Someone who opened an invitation before signing up or in lands back on it,
        # even when they verified their email in another tab.
        if request.session.get("pending_invitation"):
            return reverse("couples:pending_invitation")
        return super().get_login_redirect_url(request)
