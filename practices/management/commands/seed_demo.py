"""`make demo`: two linked demo partners with a few weeks of content to look around."""

from __future__ import annotations

import datetime as dt
import random
from importlib import import_module
from importlib.util import find_spec

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from couples.links import site_url
from couples.models import Couple, Membership, User
from practices import services
from practices.models import (
    Answer,
    DailyQuestion,
    DateIdea,
    DateNight,
    DateReflection,
    GratitudeNote,
)
from reminders.services import ensure_preference

PASSWORD = "kindling-demo"  # noqa: S105  (a local demo, refused unless DEBUG)
# Sam reads Kindling in English, River in German: the same couple, each in their own.
PARTNERS = [
    ("sam@example.com", "Sam", "Europe/London", "en"),
    ("river@example.com", "River", "Europe/Berlin", "de"),
]

NOTES = [
    "Thank you for making tea before I even asked this morning.",
    "I loved how you laughed at my terrible joke at dinner.",
    "You handled a hard day with so much patience. I noticed.",
    "Thanks for the walk tonight. I needed that quiet time with you.",
    "You remembered the name of my colleague's dog. That made me smile.",
    "Thank you for listening to me go on about the garden plans.",
    "The playlist you made for the drive was perfect.",
    "I appreciate you taking care of the washing up all week.",
]
THANKS = [
    "That made my whole morning. Thank you for noticing.",
    "I didn't know it mattered that much to you. It matters to me too.",
    "Reading this on the bus, smiling like a fool.",
]
ANSWERS = [
    "Probably the slow Sunday mornings, no rush, just us.",
    "I would love to learn to cook something from your grandmother's recipes.",
    "Honestly, I worry about work more than I say. Talking helps.",
    "The evening we got lost and found that tiny café.",
    "When you squeeze my hand in a crowd, I feel at home.",
    "Going somewhere with no phone signal for a whole weekend.",
]


class Command(BaseCommand):
    help = "Create two linked demo partners with a few weeks of notes, answers and dates."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("make demo is for local use only (DJANGO_DEBUG=1).")
        rng = random.Random(7)
        with transaction.atomic():
            User.objects.filter(email__in=[email for email, *_ in PARTNERS]).delete()
            users = []
            for email, name, zone, language in PARTNERS:
                user = User.objects.create_user(
                    email, PASSWORD, display_name=name, timezone=zone, language=language
                )
                EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
                ensure_preference(user)  # what verifying the address does for real users
                users.append(user)
            sam, river = users
            couple = Couple.objects.create(
                name="", together_since=dt.date(2019, 5, 18), timezone="Europe/London"
            )
            Membership.objects.create(couple=couple, user=sam, seat=1)
            Membership.objects.create(couple=couple, user=river, seat=2)

            now = timezone.now()
            today = couple.local_today()
            for days_ago in range(21, 0, -1):
                day = today - dt.timedelta(days=days_ago)
                question = DailyQuestion.objects.create(
                    couple=couple, day=day, prompt=services.next_prompt(couple)
                )
                when = now - dt.timedelta(days=days_ago, hours=2)
                for user in users:
                    if rng.random() < 0.8:
                        Answer.objects.create(
                            question=question, user=user, body=rng.choice(ANSWERS), created_at=when
                        )
                if rng.random() < 0.4:
                    question.discussed_at = when + dt.timedelta(hours=1)
                    question.save(update_fields=["discussed_at"])
                if days_ago % 3 == 0:
                    author = users[days_ago % 2]
                    GratitudeNote.objects.create(
                        couple=couple,
                        author=author,
                        recipient=users[1 - days_ago % 2],
                        body=rng.choice(NOTES),
                        deliver_at=when,
                        delivered_at=when,
                        created_at=when,
                        read_at=when if days_ago > 4 else None,
                        # Older notes have been answered with a few words back.
                        thanks=THANKS[days_ago % 3] if days_ago > 6 else "",
                        thanked_at=when + dt.timedelta(hours=1) if days_ago > 6 else None,
                    )
            ideas = list(DateIdea.objects.order_by("?")[:3])
            past = DateNight.objects.create(
                couple=couple,
                created_by=sam,
                title=ideas[0].title,
                idea=ideas[0],
                starts_at=now - dt.timedelta(days=9),
                timezone="Europe/London",
                place="Home",
                status=DateNight.Status.DONE,
                phones_away_minutes=95,
            )
            DateNight.objects.create(
                couple=couple,
                created_by=river,
                title=ideas[2].title,
                idea=ideas[2],
                starts_at=now - dt.timedelta(days=2),
                timezone="Europe/Berlin",
                status=DateNight.Status.DONE,
                phones_away_minutes=50,
            )
            DateReflection.objects.create(
                date_night=past, user=sam, rating=5, body="Let's do this again."
            )
            DateReflection.objects.create(
                date_night=past, user=river, rating=4, body="Cosy and fun."
            )
            DateNight.objects.create(
                couple=couple,
                created_by=river,
                title=ideas[1].title,
                idea=ideas[1],
                starts_at=now + dt.timedelta(days=3, hours=4),
                timezone="Europe/Berlin",
                place="The park by the river",
                notes=ideas[1].description,
            )
            seed_other_apps(couple, sam, river, rng)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Log in at {site_url('account_login')} as "
                f"sam@example.com or river@example.com, password {PASSWORD!r}."
            )
        )


def seed_other_apps(couple: Couple, sam: User, river: User, rng: random.Random) -> None:
    """Each of our apps with a `demo` module adds its part: demo.seed(couple, sam, river,
    rng), inside the same transaction, after the notes, questions and dates above."""
    for config in apps.get_app_configs():
        if config.name != "practices" and find_spec(f"{config.name}.demo") is not None:
            import_module(f"{config.name}.demo").seed(couple, sam, river, rng)
