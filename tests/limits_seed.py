"""People for tests/test_real_limits.py, made in the database a gunicorn under test uses:
`python -m tests.limits_seed` prints a JSON object with their addresses, their password
and an open pairing code; `python -m tests.limits_seed --delete` removes them again."""

from __future__ import annotations

import json
import sys

PASSWORD = "limits-password-9"
PREFIX = "limits-"


def seed() -> dict[str, str]:
    from allauth.account.models import EmailAddress

    from couples.models import Couple, Membership, User
    from couples.services import create_pairing_code

    people = {}
    for role in ("inviter", "joiner", "signer", "host"):
        email = f"{PREFIX}{role}@example.com"
        user = User.objects.create_user(email, PASSWORD, display_name=role.title())
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        people[role] = email
    for role in ("inviter", "host"):  # each waiting for a partner
        user = User.objects.get(email=people[role])
        Membership.objects.create(couple=Couple.objects.create(), user=user, seat=1)
    inviter = User.objects.get(email=people["inviter"])
    return {**people, "password": PASSWORD, "code": create_pairing_code(inviter).code}


def delete() -> None:
    from couples.models import Couple, User

    Couple.objects.filter(memberships__user__email__startswith=PREFIX).delete()
    User.objects.filter(email__startswith=PREFIX).delete()


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1:] == ["--delete"]:
        delete()
    else:
        print(json.dumps(seed()))
