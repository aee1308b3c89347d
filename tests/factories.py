from __future__ import annotations

import factory
from django.utils import timezone

from couples.models import Couple, Membership, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    timezone = "Europe/London"
    password = factory.django.Password("a-long-enough-pw")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users in tests have a verified primary address unless asked otherwise."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class CoupleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Couple

    timezone = "Europe/London"


def link(first: User, second: User, **couple_fields) -> Couple:
    """A couple with both partners seated."""
    couple = CoupleFactory(**couple_fields)
    Membership.objects.create(couple=couple, user=first, seat=1)
    Membership.objects.create(couple=couple, user=second, seat=2)
    return couple


def end(couple: Couple, *, when=None) -> Couple:
    when = when or timezone.now()
    Couple.objects.filter(pk=couple.pk).update(status=Couple.Status.ENDED, ended_at=when)
    Membership.objects.filter(couple=couple).update(active=False)
    couple.refresh_from_db()
    return couple


def note(couple: Couple, author: User, body: str = "Thank you for the tea.", **fields):
    from practices.models import GratitudeNote

    now = timezone.now()
    fields.setdefault("deliver_at", now)
    fields.setdefault("delivered_at", fields["deliver_at"] if fields["deliver_at"] <= now else None)
    return GratitudeNote.objects.create(
        couple=couple, author=author, recipient=couple.partner_of(author), body=body, **fields
    )


def date_night(couple: Couple, by: User, **fields):
    import datetime as dt

    from practices.models import DateNight

    fields.setdefault("title", "Picnic in the park")
    fields.setdefault("starts_at", timezone.now() + dt.timedelta(days=2))
    fields.setdefault("timezone", "Europe/London")
    return DateNight.objects.create(couple=couple, created_by=by, **fields)


def staff_member(*, two_factor: bool = True) -> User:
    """A superuser; the admin lets staff in only once they have two-factor sign-in."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    staff = UserFactory(is_staff=True, is_superuser=True)
    if two_factor:
        TOTP.activate(staff, generate_totp_secret())
    return staff
