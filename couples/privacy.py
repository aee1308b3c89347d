"""Export and erasure: one place that knows, for every model pointing at a person or a
couple, how it leaves with the person. tests/test_privacy.py fails if a new model is not
listed here, so nothing can quietly leak out of an export or linger after a deletion."""

from __future__ import annotations

import datetime as dt
import json
from types import ModuleType

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Couple, Invitation, Membership, User

MODELS = {
    User: "exported: the profile",
    Couple: "exported: every couple the person was in",
    Membership: "exported: with each couple",
    Invitation: "exported: invitations the person sent",
    EmailAddress: "exported: the addresses",
    Authenticator: "not exported: two-factor secrets stay secret; listed by type only",
    LogEntry: "not exported: staff audit trail",
}

# The privacy modules of the apps built on couples (practices, reminders), each with its
# MODELS, export(user) and erase(user). Each app registers its own from AppConfig.ready,
# so couples knows nothing about them; erasure runs them in INSTALLED_APPS order.
APPS: list[ModuleType] = []


def register(module: ModuleType) -> None:
    if module not in APPS:
        APPS.append(module)


def covered_models() -> dict:
    covered = dict(MODELS)
    for app in APPS:
        covered |= app.MODELS
    return covered


def _couples(user: User) -> list[dict]:
    rows = []
    for membership in user.memberships.select_related("couple").order_by("joined_at"):
        couple = membership.couple
        partner = couple.partner_of(user)
        rows.append(
            {
                "name": couple.display_name,
                "together_since": couple.together_since,
                "timezone": couple.timezone,
                "status": couple.status,
                "joined_at": membership.joined_at,
                "ended_at": couple.ended_at,
                "partner": partner.name if partner else None,
            }
        )
    return rows


def export_data(user: User) -> dict:
    data = {
        "exported_at": timezone.now(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "timezone": user.timezone,
            "language": user.language,
            "date_joined": user.date_joined,
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
            "two_factor_methods": list(
                Authenticator.objects.filter(user=user).values_list("type", flat=True)
            ),
        },
        "couples": _couples(user),
        "invitations_sent": list(
            Invitation.objects.filter(inviter=user).values(
                "kind", "email", "created_at", "expires_at", "accepted_at", "revoked_at"
            )
        ),
    }
    for app in APPS:
        data |= app.export(user)
    return data


def export_json(user: User) -> str:
    return json.dumps(export_data(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def export_filename(user: User, today: dt.date | None = None) -> str:
    return f"kindling-export-{(today or timezone.localdate()).isoformat()}.json"


def delete_account(user: User) -> None:
    """Erase the person and everything they wrote. Their couple ends for the partner
    exactly as if they had left; nothing more is ever sent to them."""
    with transaction.atomic():
        couple = services.active_couple(user)
        if couple is not None:
            if couple.is_complete:
                services.end_couple(couple)
            else:
                couple.delete()  # still waiting for a partner: nothing shared yet
        for app in APPS:
            app.erase(user)
        user.delete()
