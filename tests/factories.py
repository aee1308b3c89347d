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
