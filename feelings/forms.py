from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from practices.forms import clean_text, counted_textarea

from . import closeness
from .models import (
    HOPE_MAX_LENGTH,
    LINE_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    CheckIn,
    CheckInResponse,
    Hope,
    HopeResponse,
    Visibility,
)
from .wheel import Core

INTENSITIES = [
    (1, gettext_lazy("1, a little")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, gettext_lazy("5, very")),
]


class CheckInForm(forms.Form):
    """The second step of a check-in: the core feeling is already picked (it is in the
    URL), so the finer words shown are that core's."""

    feeling = forms.ChoiceField(
        label=gettext_lazy("Which word fits best?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Pick the word that fits best."),
            "invalid_choice": gettext_lazy("Pick a feeling from the wheel."),
        },
    )
    intensity = forms.TypedChoiceField(
        label=gettext_lazy("How strongly, from 1 to 5?"),
        coerce=int,
        choices=INTENSITIES,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Pick how strongly you feel it, from 1 to 5."),
            "invalid_choice": gettext_lazy("Pick an intensity from 1 to 5."),
        },
    )
    line = forms.CharField(
        label=gettext_lazy("A line about your day (optional)"),
        max_length=LINE_MAX_LENGTH,
        required=False,
        widget=counted_textarea(LINE_MAX_LENGTH, "line-count", rows=3),
    )
    would_like = forms.ChoiceField(
        label=gettext_lazy("What would help? (optional)"),
        choices=[("", gettext_lazy("Nothing in particular")), *CheckIn.WouldLike.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Pick one of the listed ways to help.")},
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who sees it?"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy("Choose to share it or keep it for yourself.")
        },
    )

    def __init__(self, *args, core: Core, **kwargs):
        super().__init__(*args, **kwargs)
        self.core = core
        self.fields["feeling"].choices = list(core.words)

    def clean_line(self) -> str:
        return self.cleaned_data["line"].strip()


class ResponseForm(forms.Form):
    reply = forms.ChoiceField(
        label=gettext_lazy("Answer with one tap"),
        choices=CheckInResponse.Reply.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Pick one of the listed responses.")},
    )
    body = forms.CharField(
        label=gettext_lazy("Or write a few words"),
        max_length=REPLY_MAX_LENGTH,
        required=False,
        widget=counted_textarea(REPLY_MAX_LENGTH, "reply-count", rows=2),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("reply") and not data.get("body", "").strip():
            raise ValidationError(gettext("Pick a response or write a few words."))
        return data


class HopeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What is it?"),
        choices=Hope.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Choose a hope, a dream or a worry.")},
    )
    body = forms.CharField(
        label=gettext_lazy("In your words"),
        max_length=HOPE_MAX_LENGTH,
        widget=counted_textarea(HOPE_MAX_LENGTH, "hope-count", rows=4),
        error_messages={"required": gettext_lazy("Please write it first; it cannot be empty.")},
    )
    share = forms.TypedChoiceField(
        label=gettext_lazy("Share it now?"),
        coerce=lambda value: value == "now",
        choices=[
            ("now", gettext_lazy("Share it now")),
            ("draft", gettext_lazy("Keep it as a private draft for now")),
        ],
        initial="now",
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy("Choose to share it now or keep it as a draft.")
        },
    )

    def clean_body(self) -> str:
        return clean_text(self.cleaned_data["body"], "words")


class HopeResponseForm(forms.Form):
    reply = forms.ChoiceField(
        label=gettext_lazy("Answer with one tap"),
        choices=HopeResponse.Reply.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Pick one of the listed responses.")},
    )
    body = forms.CharField(
        label=gettext_lazy("Or write a few words"),
        max_length=REPLY_MAX_LENGTH,
        required=False,
        widget=counted_textarea(REPLY_MAX_LENGTH, "hope-reply-count", rows=2),
    )
    target_month = forms.DateField(
        label=gettext_lazy("A month to aim for (optional)"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": gettext_lazy("Enter a month like 2027-06.")},
    )

    def clean_target_month(self) -> dt.date | None:
        month = self.cleaned_data["target_month"]
        return month.replace(day=1) if month else None

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("reply") and not data.get("body", "").strip():
            raise ValidationError(gettext("Pick a response or write a few words."))
        return data


class ClosenessForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for statement in closeness.STATEMENTS:
            self.fields[statement.key] = forms.TypedChoiceField(
                label=statement.text,
                coerce=int,
                choices=[
                    (1, gettext_lazy("1, not really")),
                    (2, "2"),
                    (3, "3"),
                    (4, "4"),
                    (5, gettext_lazy("5, very much")),
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext_lazy("Rate this statement from 1 to 5."),
                    "invalid_choice": gettext_lazy("Rate this statement from 1 to 5."),
                },
            )

    def ratings(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in closeness.KEYS}
