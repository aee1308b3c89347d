"""The admin site: staff reach it only with two-factor sign-in set up.

Signing in goes through allauth (config/urls.py), so an authenticator app, once set up,
is asked for at every staff login. This site makes setting one up the price of entry: a
staff account without one is sent to do it first.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def has_two_factor(user) -> bool:
    # Imported here: this module is named in INSTALLED_APPS, before models can load.
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class KindlingAdminSite(admin.AdminSite):
    site_header = "Kindling administration"

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)
        if view == self.logout:
            return guarded

        @wraps(guarded)
        def two_factor_first(request, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff and not has_two_factor(user):
                messages.warning(
                    request,
                    _(
                        "The admin needs two-factor sign-in. Set up an authenticator app "
                        "here, then open the admin again."
                    ),
                )
                return redirect("mfa_activate_totp")
            return guarded(request, *args, **kwargs)

        return two_factor_first


class KindlingAdminConfig(AdminConfig):
    default_site = "config.admin.KindlingAdminSite"
