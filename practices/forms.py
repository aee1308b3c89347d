from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from couples.forms import timezone_field
from couples.timezones import local_to_utc

from .models import (
    ANSWER_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PHONES_AWAY_MAX_MINUTES,
    REFLECTION_MAX_LENGTH,
    THANKS_MAX_LENGTH,
    DateIdea,
    GratitudeNote,
    Prompt,
)
from .tips import Tip

MAX_AHEAD = dt.timedelta(days=366 * 2)


def counted_textarea(max_length: int, counter_id: str, rows: int = 6) -> forms.Textarea:
    """A textarea with a live character count (static/js/kindling.js)."""
    return forms.Textarea(
        attrs={
            "rows": rows,
            "maxlength": max_length,
            "data-count": counter_id,
            "aria-describedby": counter_id,
        }
    )


def clean_text(value: str, what: str = "", *, message: str = "") -> str:
    """`value` stripped, or the error `message` when nothing is left. `what` is the older
    way to name the missing thing, glued into an English sentence: pass `message`, a whole
    translated sentence, instead."""
    value = value.strip()
    if not value:
        raise ValidationError(
            message or _("Please write your %(what)s first; it cannot be empty.") % {"what": what}
        )
    return value


def future_instant(day: dt.date, time: dt.time, zone: str, past_message: str) -> dt.datetime:
    when = local_to_utc(day, time, zone)
    now = timezone.now()
    if when <= now:
        raise ValidationError(past_message)
    if when > now + MAX_AHEAD:
        raise ValidationError(_("Please pick a time within the next two years."))
    return when


class NoteForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your note"),
        max_length=NOTE_MAX_LENGTH,
        widget=counted_textarea(NOTE_MAX_LENGTH, "note-count"),
        # A light scaffold, never required: specific thanks land better than general ones.
        help_text=gettext_lazy(
            "Something you appreciated, big or small. If it helps: what did they do, "
            "and how did it feel for you?"
        ),
        error_messages={
            "required": gettext_lazy("Please write your note first; it cannot be empty.")
        },
    )
    when = forms.ChoiceField(
        label=gettext_lazy("When should it arrive?"),
        choices=[
            ("now", gettext_lazy("Now")),
            ("later", gettext_lazy("Later, at a time I choose")),
        ],
        initial="now",
        widget=forms.RadioSelect,
    )
    deliver_on = forms.DateField(
        label=gettext_lazy("Arrival date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deliver_time = forms.TimeField(
        label=gettext_lazy("Arrival time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    def __init__(self, *args, zone: str, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)
        self.fields["deliver_time"].help_text = _("Your time (%(zone)s).") % {
            "zone": zone.replace("_", " ")
        }

    @classmethod
    def for_note(cls, note: GratitudeNote, zone: str, data=None) -> NoteForm:
        local = note.deliver_at.astimezone(ZoneInfo(zone))
        return cls(
            data,
            zone=zone,
            initial={
                "body": note.body,
                "when": "later",
                "deliver_on": local.date(),
                "deliver_time": local.time().replace(second=0, microsecond=0),
            },
        )

    def clean_body(self) -> str:
        return clean_text(
            self.cleaned_data["body"],
            message=_("Please write your note first; it cannot be empty."),
        )

    def clean(self) -> dict:
        data = super().clean()
        self.deliver_at = None
        if data.get("when") != "later":
            return data
        day, time = data.get("deliver_on"), data.get("deliver_time")
        if day is None:
            self.add_error("deliver_on", _("Choose the day it should arrive."))
        if time is None:
            self.add_error("deliver_time", _("Choose the time it should arrive."))
        if day and time:
            try:
                past = _(
                    "That time has already passed. Pick a time in the future for the note to arrive."
                )
                self.deliver_at = future_instant(day, time, self.zone, past)
            except ValidationError as exc:
                self.add_error("deliver_time", exc)
        return data


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=counted_textarea(ANSWER_MAX_LENGTH, "answer-count", rows=5),
        error_messages={
            "required": gettext_lazy("Please write your answer first; it cannot be empty.")
        },
    )
    # The prompt on the page when the answer was written (see services.answer_question).
    prompt = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": gettext_lazy("This page is out of date. Open today's question again.")
        },
    )

    def clean_body(self) -> str:
        return clean_text(
            self.cleaned_data["body"],
            message=_("Please write your answer first; it cannot be empty."),
        )


class ReactionForm(forms.Form):
    reaction = forms.ChoiceField(
        label=gettext_lazy("Your reaction"),
        choices=GratitudeNote.Reaction.choices,
        widget=forms.RadioSelect,
    )


class ThanksForm(forms.Form):
    thanks = forms.CharField(
        label=gettext_lazy("A few words back"),
        max_length=THANKS_MAX_LENGTH,
        widget=counted_textarea(THANKS_MAX_LENGTH, "thanks-count", rows=3),
        error_messages={
            "required": gettext_lazy("Please write your thank-you first; it cannot be empty.")
        },
    )

    def clean_thanks(self) -> str:
        return clean_text(
            self.cleaned_data["thanks"],
            message=_("Please write your thank-you first; it cannot be empty."),
        )


class PhonesAwayForm(forms.Form):
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes with phones away"),
        help_text=gettext_lazy(
            "Between 0 and 720 (12 hours). Saving stops a timer that is still running."
        ),
        widget=forms.NumberInput(attrs={"min": 0, "max": PHONES_AWAY_MAX_MINUTES}),
        error_messages={
            "required": gettext_lazy("Write how many minutes, from 0 to 720."),
            "invalid": gettext_lazy("Write a whole number of minutes, from 0 to 720."),
        },
    )

    def clean_minutes(self) -> int:
        minutes = self.cleaned_data["minutes"]
        if not 0 <= minutes <= PHONES_AWAY_MAX_MINUTES:
            raise ValidationError(_("Phones-away time is between 0 and 720 minutes (12 hours)."))
        return minutes


class OwnPromptForm(forms.ModelForm):
    class Meta:
        model = Prompt
        fields = ["text", "tip", "depth"]
        labels = {
            "text": gettext_lazy("Your question"),
            "tip": gettext_lazy("Which habit does it serve?"),
            "depth": gettext_lazy("Depth"),
        }
        widgets = {"text": counted_textarea(300, "prompt-count", rows=3)}
        error_messages = {
            "text": {
                "required": gettext_lazy("Please write your question first; it cannot be empty.")
            }
        }

    def clean_text(self) -> str:
        return clean_text(
            self.cleaned_data["text"],
            message=_("Please write your question first; it cannot be empty."),
        )


class PromptFilterForm(forms.Form):
    tip = forms.ChoiceField(
        label=gettext_lazy("Habit"),
        choices=[("", gettext_lazy("All habits")), *Tip.choices],
        required=False,
    )
    depth = forms.ChoiceField(
        label=gettext_lazy("Depth"),
        choices=[("", gettext_lazy("Any depth")), *Prompt.Depth.choices],
        required=False,
    )
    occasion = forms.ChoiceField(
        label=gettext_lazy("Occasion"),
        choices=[("", gettext_lazy("Any day")), *Prompt.Occasion.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("Every kind")), *Prompt.Kind.choices],
        required=False,
    )


class DateNightForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("What are you doing?"),
        max_length=120,
        error_messages={
            "required": gettext_lazy("Give your plan a title, for example “Picnic by the lake”.")
        },
    )
    day = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    time = forms.TimeField(
        label=gettext_lazy("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    timezone = timezone_field(
        gettext_lazy("Time zone"), gettext_lazy("The zone the date and time above are in.")
    )
    place = forms.CharField(label=gettext_lazy("Where"), max_length=200, required=False)
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        max_length=2000,
        required=False,
        widget=counted_textarea(2000, "date-notes-count", rows=4),
        help_text=gettext_lazy("Anything to bring, book or remember."),
    )
    idea = forms.ModelChoiceField(
        label=gettext_lazy("From an idea"),
        queryset=DateIdea.objects.all(),
        required=False,
        empty_label=gettext_lazy("No idea, our own plan"),
        error_messages={
            "invalid_choice": gettext_lazy("That date idea does not exist. Pick one from the list.")
        },
    )

    def clean_title(self) -> str:
        return clean_text(
            self.cleaned_data["title"],
            message=_("Please write your plan's title first; it cannot be empty."),
        )

    def clean(self) -> dict:
        data = super().clean()
        self.starts_at = None
        day, time, zone = data.get("day"), data.get("time"), data.get("timezone")
        if day and time and zone:
            try:
                past = _("That time has already passed. Pick a time in the future for your date.")
                self.starts_at = future_instant(day, time, zone, past)
            except ValidationError as exc:
                self.add_error("time", exc)
        return data

    def date_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": self.starts_at,
            "timezone": data["timezone"],
            "place": data["place"].strip(),
            "notes": data["notes"].strip(),
            "idea": data["idea"],
        }


class DateNightEditForm(DateNightForm):
    # When the date was last saved, as the editor saw it (see services.edit_date).
    version = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": gettext_lazy("This page is out of date. Open the date again.")},
    )

    def clean_version(self) -> dt.datetime:
        try:
            seen = dt.datetime.fromisoformat(self.cleaned_data["version"])
        except ValueError:
            raise ValidationError(_("This page is out of date. Open the date again.")) from None
        if seen.tzinfo is None:
            raise ValidationError(_("This page is out of date. Open the date again."))
        return seen


class ReflectionForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How was it?"),
        coerce=int,
        choices=[
            (5, gettext_lazy("Wonderful")),
            (4, gettext_lazy("Lovely")),
            (3, gettext_lazy("Good")),
            (2, gettext_lazy("So-so")),
            (1, gettext_lazy("Not our best")),
        ],
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=gettext_lazy("A few words for later (optional)"),
        max_length=REFLECTION_MAX_LENGTH,
        required=False,
        widget=counted_textarea(REFLECTION_MAX_LENGTH, "reflection-count", rows=3),
    )
