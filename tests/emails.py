"""One of each email Kindling sends, rendered by the real renderers
(reminders/renderers.py, reminders/outbox.py, reminders/invitations.py, and allauth's
adapter for the account emails), each with the page its main link must lead to. Shared by
the link, plain-text and wording tests and the browser test that looks at each at phone
width."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from couples import services as couples
from reminders import catalog
from reminders.models import Nudge, ReminderPreference
from reminders.outbox import RENDERERS, Batch
from reminders.services import ensure_preference

from .factories import UserFactory, date_night, link, note

# The one call-to-action button of an email (templates/emails/button.html).
BUTTON = re.compile(r'<a href="([^"]+)" style="display:inline-block;')


@dataclass
class Sample:
    message: EmailMultiAlternatives
    main_path: str  # where the button and the first link of the text lead

    @property
    def html(self) -> str:
        return self.message.alternatives[0].content


PASSWORD = "a-long-enough-pw"


def allauth_emails(**request_headers) -> dict[str, Sample]:
    """Every email allauth sends with Kindling's settings, from requests with
    `request_headers` (a host other than SITE_URL's, say)."""
    client = Client(**request_headers)
    signup = {"password1": PASSWORD, "password2": PASSWORD, "timezone": "Europe/Paris"}
    sent_before = len(mail.outbox)
    client.post(
        "/accounts/signup/", {"email": "dana@example.com", "display_name": "Dana", **signup}
    )
    UserFactory(email="erin@example.com")
    client.post("/accounts/signup/", {"email": "erin@example.com", "display_name": "E", **signup})
    client.post("/accounts/password/reset/", {"email": "erin@example.com"})
    client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    verification, exists, reset, unknown = mail.outbox[sent_before:]
    return {
        "verification": Sample(verification, _path_of_first_link(verification)),
        "already-exists": Sample(exists, reverse("account_reset_password")),
        "password-reset": Sample(reset, _path_of_first_link(reset)),
        "unknown-account": Sample(unknown, reverse("account_signup")),
    }


def _path_of_first_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*)", message.body)[1]


def _render(user, kind: str, **fields) -> EmailMultiAlternatives:
    nudge = Nudge(user=user, kind=kind, slot=fields.pop("slot", timezone.now()), **fields)
    message = RENDERERS[kind](nudge, Batch([nudge]))
    assert message is not None, f"the {kind} renderer sent nothing"
    return message


def one_of_each(couple, alice, bob) -> dict[str, Sample]:
    ensure_preference(alice)
    ensure_preference(bob)
    samples: dict[str, Sample] = {}

    template = next(iter(catalog.templates().values()))
    samples["nudge"] = Sample(
        _render(bob, Nudge.Kind.NUDGE, tip=template.tip, template_key=template.key),
        catalog.action_path(template.action),
    )

    arrived = note(couple, alice, "You made Sunday lovely. Thank you for the walk and the tea.")
    for name, with_text in (("note-alert", True), ("note-alert-without-text", False)):
        ReminderPreference.objects.filter(user=bob).update(note_text_in_email=with_text)
        bob.refresh_from_db()
        samples[name] = Sample(
            _render(bob, Nudge.Kind.NOTE, object_id=arrived.pk),
            reverse("practices:note", args=[arrived.pk]),
        )

    date = date_night(couple, alice, place="The bench by the river")
    samples["date-reminder"] = Sample(
        _render(bob, Nudge.Kind.DATE, object_id=date.pk, slot=date.starts_at),
        reverse("practices:date", args=[date.pk]),
    )

    samples["digest"] = Sample(_render(bob, Nudge.Kind.DIGEST), reverse("practices:home"))
    quiet = timezone.now() + dt.timedelta(days=60)
    samples["digest-quiet-week"] = Sample(
        _render(bob, Nudge.Kind.DIGEST, slot=quiet), reverse("practices:home")
    )

    sam = UserFactory(email="sam@example.com", display_name="Sam")
    invitation = couples.invite_by_email(sam, "river@example.com")
    invite = _render(sam, Nudge.Kind.INVITE, object_id=invitation.pk)
    token = re.search(r"/invite/([\w-]+)/", invite.body)[1]
    assert couples.find_link_invitation(token) == invitation
    samples["invitation"] = Sample(invite, reverse("couples:invitation", args=[token]))

    river = UserFactory(email="river@example.com", display_name="River")
    jo = UserFactory(email="jo@example.com", display_name="Jo")
    ended = link(jo, river)
    couples.end_couple(ended)
    ended.refresh_from_db()
    samples["couple-ended"] = Sample(
        _render(river, Nudge.Kind.NOTICE, template_key="couple-ended", slot=ended.ended_at),
        reverse("couples:archive", args=[ended.pk]),
    )
    return samples
