"""The push notifications of the kinds whose text says more than a spec can: a title,
one short line and the page to open. Each decides, like its email renderer, whether
the message still goes out. Kinds without one here use their PushSpec (push.py)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from couples.links import absolute_url, site_url
from practices.models import DateNight, GratitudeNote

from . import catalog
from .models import Nudge
from .outbox import Batch, PermanentFailure
from .push import PushMessage, push_renderer
from .renderers import _still_wanted


@push_renderer(Nudge.Kind.NUDGE)
def push_nudge(nudge: Nudge, batch: Batch) -> PushMessage | None:
    __, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    template = catalog.templates().get(nudge.template_key)
    if template is None:
        raise PermanentFailure(f"no nudge template {nudge.template_key!r}")
    content = template.render(name=nudge.user.name, partner=partner.name)
    return PushMessage(
        title=content["subject"],
        line=content["preheader"],
        url=absolute_url(catalog.action_path(template.action)),
    )


@push_renderer(Nudge.Kind.NOTE)
def push_note(nudge: Nudge, batch: Batch) -> PushMessage | None:
    pref = _still_wanted(nudge)
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if pref is None or partner is None:
        return None
    note = GratitudeNote.objects.filter(
        pk=nudge.object_id, recipient_id=nudge.user_id, couple=couple, delivered_at__isnull=False
    ).first()
    if note is None:
        return None
    # The words only with the person's say-so, as in the email: a lock screen is public.
    if pref.note_text_in_email:
        line = " ".join(note.body.split())
    else:
        line = _("Open Kindling to read it.")
    return PushMessage(
        title=_("A note from %(partner)s") % {"partner": partner.name},
        line=line,
        url=site_url("practices:note", note.pk),
    )


@push_renderer(Nudge.Kind.DATE)
def push_date(nudge: Nudge, batch: Batch) -> PushMessage | None:
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    date = DateNight.objects.filter(
        pk=nudge.object_id, couple=couple, status=DateNight.Status.PLANNED, starts_at=nudge.slot
    ).first()
    if date is None:
        return None
    starts = date.starts_at.astimezone(nudge.user.tzinfo)
    return PushMessage(
        title=_("Coming up: %(title)s") % {"title": date.title},
        line=_("%(when)s, with %(partner)s.")
        % {"when": date_format(starts, _("l H:i")), "partner": partner.name},
        url=site_url("practices:date", date.pk),
    )


@push_renderer(Nudge.Kind.DIGEST)
def push_digest(nudge: Nudge, batch: Batch) -> PushMessage | None:
    __, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    return PushMessage(
        title=_("Your week together"),
        line=_("A short look back at your week, when you have a moment."),
        url=site_url("practices:home"),
    )
