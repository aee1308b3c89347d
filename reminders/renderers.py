"""The renderers of reminder emails: one function per kind builds its message from a
Nudge row, or returns None when it should no longer go out.

Every reminder email has a text and an HTML part, links to the reminder settings, and
carries List-Unsubscribe with a signed HTTPS link plus List-Unsubscribe-Post (RFC 8058),
so a mail client's unsubscribe button works in one click, without login or cookies.
"""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMessage

from couples.links import absolute_url, site_url
from feelings.models import CheckIn, ClosenessAnswer, Visibility
from feelings.wheel import word_label
from ourweek.models import Week, WeeklyTime
from practices.calendar import ics_for_dates
from practices.models import DateNight, GratitudeNote
from practices.stats import balance
from practices.tips import TIPS
from rituals.models import ThinkingOfYou

from . import catalog
from .emails import make_message
from .models import Nudge, ReminderPreference, kind_plural
from .outbox import Batch, PermanentFailure, renderer
from .tokens import make_token

# One colour per tip, the same as the site's (static/css/kindling.css).
TIP_COLOURS = {
    "gratitude": "#b23c0b",
    "talk": "#1d6f8a",
    "quality_time": "#8f5606",
    "feelings": "#7c3aed",
    "physical": "#be185d",
}


def page_url(name: str, *args) -> str:
    return site_url(name, *args)


def unsubscribe_url(user_id: int, kind: str) -> str:
    return site_url("reminders:unsubscribe", make_token("unsubscribe", user_id, kind))


def pause_url(user_id: int) -> str:
    return site_url("reminders:pause", make_token("pause", user_id, Nudge.Kind.NUDGE))


def reminder_message(nudge: Nudge, name: str, ctx: dict) -> EmailMessage:
    link = unsubscribe_url(nudge.user_id, nudge.kind)
    ctx = {
        "user": nudge.user,
        "settings_url": site_url("reminders:settings"),
        "unsubscribe_url": link,
        "kind_label": kind_plural(nudge.kind),
        **ctx,
    }
    headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return make_message(name, ctx, to=nudge.user.email, headers=headers)


def _preference(nudge: Nudge) -> ReminderPreference | None:
    try:
        return nudge.user.reminder_preference
    except ReminderPreference.DoesNotExist:
        return None


def _still_wanted(nudge: Nudge) -> ReminderPreference | None:
    """The preference, if the person still wants this kind of email now (they may have
    unsubscribed or paused after it was queued)."""
    pref = _preference(nudge)
    if pref is None or not pref.wants(nudge.kind) or not nudge.user.is_active:
        return None
    scheduled = nudge.kind in (Nudge.Kind.NUDGE, Nudge.Kind.DIGEST)
    if scheduled and pref.paused_on(nudge.slot.astimezone(nudge.user.tzinfo).date()):
        return None
    return pref


@renderer(Nudge.Kind.NUDGE)
def render_nudge(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    _, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    template = catalog.templates().get(nudge.template_key)
    if template is None:
        raise PermanentFailure(f"no nudge template {nudge.template_key!r}")
    content = template.render(name=nudge.user.name, partner=partner.name)
    return reminder_message(
        nudge,
        "nudge",
        {
            **content,
            "tip": TIPS[template.tip],
            "tip_colour": TIP_COLOURS[template.tip],
            "action_url": absolute_url(catalog.action_path(template.action)),
            "pause_url": pause_url(nudge.user_id),
        },
    )


@renderer(Nudge.Kind.NOTE)
def render_note(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    pref = _still_wanted(nudge)
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if pref is None or partner is None:
        return None
    note = GratitudeNote.objects.filter(
        pk=nudge.object_id, recipient_id=nudge.user_id, couple=couple, delivered_at__isnull=False
    ).first()
    if note is None:
        return None
    return reminder_message(
        nudge,
        "note-alert",
        {
            "partner": partner,
            "body": note.body if pref.note_text_in_email else "",
            "note_url": page_url("practices:note", note.pk),
        },
    )


@renderer(Nudge.Kind.DATE)
def render_date(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    # Only the date as it was when the reminder was queued: cancelled or moved, no email.
    date = DateNight.objects.filter(
        pk=nudge.object_id, couple=couple, status=DateNight.Status.PLANNED, starts_at=nudge.slot
    ).first()
    if date is None:
        return None
    message = reminder_message(
        nudge,
        "date-reminder",
        {
            "date": date,
            "partner": partner,
            "starts_local": date.starts_at.astimezone(nudge.user.tzinfo),
            "date_url": page_url("practices:date", date.pk),
        },
    )
    message.attach("date-night.ics", ics_for_dates([date]), "text/calendar")
    return message


def _week_finished(couple, instant: dt.datetime) -> bool:
    """Whether the couple already finished the week (Monday to Sunday, their zone) holding
    `instant`."""
    local_day = instant.astimezone(couple.tzinfo).date()
    return Week.objects.filter(
        couple=couple,
        starts_on=local_day - dt.timedelta(days=local_day.weekday()),
        finished_at__isnull=False,
    ).exists()


@renderer(Nudge.Kind.DIGEST)
def render_digest(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    week = balance(couple, nudge.slot - dt.timedelta(days=7), nudge.slot)
    # Our week's check-in, while this week's is still to come (or open).
    checkin_due = not _week_finished(couple, nudge.slot)
    bars = [
        {"tip": tip, "count": count, "percent": percent, "colour": TIP_COLOURS[tip.key]}
        for tip, count, percent in week.bars()
    ]
    return reminder_message(
        nudge,
        "digest",
        {
            "partner": partner,
            "week": week,
            "bars": bars,
            "home_url": page_url("practices:home"),
            "ideas_url": absolute_url(catalog.action_path("browse_ideas")),
            "checkin_url": page_url("ourweek:index") if checkin_due else "",
        },
    )


@renderer(Nudge.Kind.WEEKLY)
def render_weekly(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    if _week_finished(couple, nudge.slot):
        return None  # they met earlier in the week: no invitation to what is done
    when = WeeklyTime.objects.filter(couple=couple).first()
    return reminder_message(
        nudge,
        "weekly-invite",
        {
            "partner": partner,
            "when": when.label() if when else "",
            "checkin_url": page_url("ourweek:index"),
        },
    )


@renderer(Nudge.Kind.CHECKIN)
def render_checkin(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    pref = _still_wanted(nudge)
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if pref is None or partner is None:
        return None
    checkin = CheckIn.objects.filter(
        pk=nudge.object_id, couple=couple, author=partner, visibility=Visibility.SHARED
    ).first()
    if checkin is None or not checkin.would_like:
        return None
    # What they feel and wrote is the day's text: only for people who allow it in email.
    with_text = pref.note_text_in_email
    return reminder_message(
        nudge,
        "checkin-alert",
        {
            "partner": partner,
            "would_like": checkin.get_would_like_display(),
            "feeling": word_label(checkin.feeling) if with_text else "",
            "intensity": checkin.intensity,
            "line": checkin.line if with_text else "",
            "checkin_url": page_url("feelings:detail", checkin.pk),
        },
    )


@renderer(Nudge.Kind.MONTHLY)
def render_monthly(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    month = nudge.slot.astimezone(couple.tzinfo).date().replace(day=1)
    if ClosenessAnswer.objects.filter(couple=couple, user_id=nudge.user_id, month=month).exists():
        return None  # already answered this month's
    return reminder_message(
        nudge,
        "monthly-checkin",
        {"partner": partner, "month": month, "closeness_url": page_url("feelings:closeness")},
    )


@renderer(Nudge.Kind.THINKING)
def render_thinking(nudge: Nudge, batch: Batch) -> EmailMessage | None:
    couple, partner = batch.couple_and_partner(nudge.user_id)
    if _still_wanted(nudge) is None or partner is None:
        return None
    signal = ThinkingOfYou.objects.filter(
        pk=nudge.object_id, recipient_id=nudge.user_id, couple=couple
    ).first()
    if signal is None:
        return None
    return reminder_message(
        nudge, "thinking", {"partner": partner, "home_url": page_url("practices:home")}
    )
