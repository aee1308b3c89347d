from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from practices.forms import clean_text, counted_textarea
from practices.tips import Tip

from .models import REFLECTION_MAX_LENGTH, TITLE_MAX_LENGTH, WHY_MAX_LENGTH, LearnItem


class RitualForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Your ritual"),
        max_length=TITLE_MAX_LENGTH,
        help_text=gettext_lazy("Something small you could do most days, like a hug at the door."),
        error_messages={
            "required": gettext_lazy("Please describe your ritual first; it cannot be empty.")
        },
    )
    why = forms.CharField(
        label=gettext_lazy("Why it matters to you (optional)"),
        max_length=WHY_MAX_LENGTH,
        required=False,
    )
    tip = forms.ChoiceField(
        label=gettext_lazy("What it is about"),
        choices=Tip.choices,
        initial=Tip.PHYSICAL,
        error_messages={"invalid_choice": gettext_lazy("Pick one of the five tips.")},
    )

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"], "ritual")

    def clean_why(self) -> str:
        return self.cleaned_data["why"].strip()


class MonthField(forms.CharField):
    """A month as the browser's month input sends it (2027-03), as its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": gettext_lazy("YYYY-MM")})

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            first = dt.date(year, month, 1)
        except ValueError:
            raise ValidationError(gettext("Enter a month like 2027-03.")) from None
        today = dt.date.today()
        if not today.year - 1 <= first.year <= today.year + 10:
            raise ValidationError(gettext("Pick a month within the next ten years."))
        return first


class LearnItemForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Something to learn or try together"),
        max_length=TITLE_MAX_LENGTH,
        help_text=gettext_lazy("A language, a dance, a recipe, a trail..."),
        error_messages={
            "required": gettext_lazy(
                "Please name what you would like to learn; it cannot be empty."
            )
        },
    )
    target_month = MonthField(label=gettext_lazy("Aim for a month (optional)"), required=False)

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"], "idea")


class LearnStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Where you are with it"),
        choices=LearnItem.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Pick someday, started or done.")},
    )


class LearnReflectionForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("What you will remember"),
        max_length=REFLECTION_MAX_LENGTH,
        widget=counted_textarea(REFLECTION_MAX_LENGTH, "learn-reflection-count", rows=4),
        error_messages={
            "required": gettext_lazy("Please write your reflection first; it cannot be empty.")
        },
    )

    def clean_body(self) -> str:
        return clean_text(self.cleaned_data["body"], "reflection")
