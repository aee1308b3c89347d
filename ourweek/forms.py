from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from couples.language import locale_week
from couples.models import User
from practices.tips import Tip

from .models import LINE_MAX_LENGTH, MAX_SPEAK_MINUTES, MIN_SPEAK_MINUTES

ACTIONS = {"save", "next", "skip"}


class WeeklyTimeForm(forms.Form):
    # A callable: the days in the reader's language, from their locale's first day.
    weekday = forms.TypedChoiceField(label=gettext_lazy("Day"), choices=locale_week, coerce=int)
    at = forms.TimeField(
        label=gettext_lazy("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


def _line(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=LINE_MAX_LENGTH,
        strip=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"maxlength": LINE_MAX_LENGTH, "autocomplete": "off"}),
        error_messages={
            "max_length": gettext("Please keep it to one line of up to %(count)s characters.")
            % {"count": LINE_MAX_LENGTH}
        },
    )


def _answer_label(person: User, prompt: str) -> str:
    return gettext("%(name)s: %(prompt)s") % {"name": person.name, "prompt": prompt}


class LinesForm(forms.Form):
    """A line each. The partner's field is there for one phone held by two, and only
    while the partner has not written their own line on their phone."""

    def __init__(self, *args, me: User, partner: User, prompt: str, partner_open: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.me, self.partner = me, partner
        self.fields["mine"] = _line(_answer_label(me, prompt))
        if partner_open:
            self.fields["theirs"] = _line(
                _answer_label(partner, prompt),
                help_text=gettext("If %(name)s is here with you on this phone.")
                % {"name": partner.name},
            )

    def bodies(self) -> dict[User, str]:
        found = {self.me: self.cleaned_data.get("mine", "")}
        if "theirs" in self.fields:
            found[self.partner] = self.cleaned_data.get("theirs", "")
        return found


TIP_CHOICES = [("", gettext_lazy("Pick the tip it fits")), *Tip.choices]


class WishesForm(forms.Form):
    def __init__(self, *args, me: User, partner: User, partner_open: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.me, self.partner = me, partner
        self.people = {"mine": me}
        if partner_open:
            self.people["theirs"] = partner
        for key, person in self.people.items():
            self.fields[key] = _line(
                gettext("%(name)s: what would make you feel loved this week?")
                % {"name": person.name}
            )
            self.fields[f"{key}_tip"] = forms.ChoiceField(
                label=gettext("The tip %(name)s's wish fits") % {"name": person.name},
                choices=TIP_CHOICES,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        for key, person in self.people.items():
            if cleaned.get(key) and not cleaned.get(f"{key}_tip"):
                self.add_error(
                    f"{key}_tip",
                    gettext("Pick the tip %(name)s's wish fits, so it counts there.")
                    % {"name": person.name},
                )
        return cleaned

    def wishes(self) -> dict[User, tuple[str, str]]:
        return {
            person: (self.cleaned_data.get(key, ""), self.cleaned_data.get(f"{key}_tip", ""))
            for key, person in self.people.items()
        }


_between_minutes = format_lazy(
    gettext_lazy("Pick between {low} and {high} minutes."),
    low=MIN_SPEAK_MINUTES,
    high=MAX_SPEAK_MINUTES,
)


class SpeakMinutesForm(forms.Form):
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes each"),
        min_value=MIN_SPEAK_MINUTES,
        max_value=MAX_SPEAK_MINUTES,
        error_messages={
            "min_value": _between_minutes,
            "max_value": _between_minutes,
            "required": gettext_lazy("Say how many minutes each of you would like."),
            "invalid": gettext_lazy("Minutes are a whole number, like 5."),
        },
    )
