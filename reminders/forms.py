from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from couples.forms import timezone_field
from couples.language import WEEKDAYS, locale_week
from couples.models import User
from practices.tips import Tip

from .models import CHANNEL_CHOICES, PUSH_DEFAULTS, Nudge, ReminderPreference, channels_for
from .services import MAX_PAUSE


class ReminderPreferenceForm(forms.ModelForm):
    """The reminder settings. The time zone is the user's own (the profile's field):
    nudges arrive at `send_time` there, so it sits next to the time."""

    days = forms.TypedMultipleChoiceField(
        label=gettext_lazy("On these days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    send_time = forms.TimeField(
        label=gettext_lazy("At this time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
        help_text=gettext_lazy("Your local time, for example 19:00."),
        error_messages={
            "required": gettext_lazy("Enter a time, for example 19:00."),
            "invalid": gettext_lazy(
                "That is not a time of day. Enter one like 19:00 (hours 0 to 23)."
            ),
        },
    )
    timezone = timezone_field(
        gettext_lazy("In this time zone"), gettext_lazy("Nudges arrive at your time in this zone.")
    )
    tips = forms.MultipleChoiceField(
        label=gettext_lazy("About these tips"),
        choices=Tip.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Each nudge is built on one of them. Untick any you would rather not hear about."
        ),
    )

    class Meta:
        model = ReminderPreference
        fields = [
            "nudges_enabled",
            "days",
            "send_time",
            "timezone",
            "tips",
            "note_alerts",
            "note_text_in_email",
            "date_reminders",
            "date_lead_hours",
            "digest_enabled",
            "checkin_alerts",
            "thinking_alerts",
            "weekly_checkin",
            "monthly_checkin",
        ]
        # The same switch lets the words of a partner's check-in into its alert.
        labels = {
            "note_text_in_email": gettext_lazy("include the words of notes and check-ins in alerts")
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["timezone"].initial = user.timezone
        # Built per form, in the page's language: the week starts where the locale's does.
        self.fields["days"].choices = locale_week()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("nudges_enabled"):
            if "days" in data and not data["days"]:
                self.add_error("days", _("Pick at least one day, or turn nudges off."))
            if "tips" in data and not data["tips"]:
                self.add_error("tips", _("Pick at least one tip, or turn nudges off."))
        return data

    def save(self, commit: bool = True) -> ReminderPreference:
        """Save the settings and the person's zone, and reschedule. With commit=False
        nothing is written: `pref.user` carries the new zone, and the caller saves both
        (the user first, then the preference)."""
        pref = super().save(commit=False)
        pref.days = sorted(self.cleaned_data["days"])
        pref.tips = [tip for tip in Tip.values if tip in self.cleaned_data["tips"]]
        zone_changed = self.user.timezone != self.cleaned_data["timezone"]
        self.user.timezone = self.cleaned_data["timezone"]
        pref.user = self.user
        pref.reschedule()
        if commit:
            with transaction.atomic():
                if zone_changed:
                    self.user.save(update_fields=["timezone"])
                pref.save()
        return pref


class PauseForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Pause until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Nudges and digests start again on this day."),
        error_messages={"invalid": gettext_lazy("Enter a date, for example 2026-12-24.")},
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_until(self) -> dt.date:
        until = self.cleaned_data["until"]
        if until is None:
            raise forms.ValidationError(_("Pick the day your reminders should start again."))
        if until <= self.today:
            raise forms.ValidationError(_("That day has already come. Pick a day after today."))
        if until > self.today + MAX_PAUSE:
            raise forms.ValidationError(
                _("That is more than a year away. To stop nudges for good, turn them off above.")
            )
        return until


class ChannelsForm(forms.Form):
    """Per kind of message: by email, by push, or both. Saved into the preference's
    `channels`; push only counts once a device has notifications on."""

    def __init__(self, *args, pref: ReminderPreference, **kwargs):
        super().__init__(*args, **kwargs)
        self.pref = pref
        for kind in PUSH_DEFAULTS:
            self.fields[kind] = forms.ChoiceField(
                label=Nudge.Kind(kind).label,
                choices=CHANNEL_CHOICES,
                initial=channels_for(pref, kind),
                error_messages={"invalid_choice": _("Pick email, push, or both.")},
            )

    def save(self) -> ReminderPreference:
        self.pref.channels = {kind: self.cleaned_data[kind] for kind in PUSH_DEFAULTS}
        self.pref.save(update_fields=["channels", "updated_at"])
        return self.pref
