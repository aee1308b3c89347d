from __future__ import annotations

import datetime as dt
import re
import unicodedata

from allauth.core import context as allauth_context
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .models import Couple, User
from .timezones import (
    UTC,
    aliases,
    canonical_name,
    guess_timezone,
    known_timezones,
    timezone_choices,
)


class TimezoneSelect(forms.Select):
    """Zones grouped by region. While the zone is a guess, each option lists its zone's
    other names, so the browser finds its own even when it reports an alias (kindling.js)."""

    def format_value(self, value):
        return [canonical_name(v) for v in super().format_value(value)]

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if "data-guess-timezone" in self.attrs and value in aliases():
            option["attrs"]["data-aliases"] = " ".join(aliases()[value])
        return option

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        chosen = any(option["selected"] for _, options, _ in groups for option in options)
        kept = [v for v in value if v in known_timezones()]
        if not chosen and kept:
            # A zone chosen before it left the list (Etc/GMT+5) stays chosen: saving the
            # form must not quietly move someone to the first option, UTC.
            groups.insert(0, (None, [self.create_option(name, kept[0], kept[0], True, 0)], 0))
        return groups


class TimezoneField(forms.ChoiceField):
    """Offers canonical zones only, yet accepts any zone name zoneinfo knows, stored as
    the offered zone it stands for (Europe/Kiev is saved as Europe/Kyiv)."""

    widget = TimezoneSelect

    def __init__(self, **kwargs):
        super().__init__(choices=timezone_choices, **kwargs)

    def valid_value(self, value) -> bool:
        return value in known_timezones()

    def clean(self, value) -> str:
        return canonical_name(super().clean(value))


def timezone_field(label: str, help_text: str = "") -> TimezoneField:
    return TimezoneField(
        label=label,
        initial=UTC,
        help_text=help_text,
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a time zone we know. Pick one from the list."
            )
        },
    )


# Something that reads as an address: a scheme, www., an @, or a dotted host name with a
# top-level part of two or more letters ("evil.example", "bit.ly"), while "J.R." passes.
ADDRESS_LIKE = re.compile(r"://|\bwww\.|@|\w\.[^\W\d_]{2,}\b")


def clean_display_name(raw: str) -> str:
    """A display name is plain text: it appears in emails to people who may not know
    Kindling yet, so it must not be able to pass for a link, markup or a message."""
    name = raw.strip()
    if not name:
        raise forms.ValidationError(_("Please enter a name your partner will recognise."))
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise forms.ValidationError(
            _(
                "Your name holds characters we cannot show, such as line breaks or invisible "
                "marks. Please type it again."
            )
        )
    if ADDRESS_LIKE.search(name):
        raise forms.ValidationError(
            _(
                "Please leave web and email addresses out of your name; use the name your "
                "partner knows you by."
            )
        )
    if re.search(r"[<>{}\[\]\\]", name):
        raise forms.ValidationError(_("Please use letters, spaces and simple punctuation only."))
    return name


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=40,
        help_text=gettext_lazy("What your partner will see, for example your first name."),
    )
    timezone = timezone_field(
        gettext_lazy("Your time zone"),
        gettext_lazy("We guessed it from your browser; change it if it is wrong."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Until the person picks a zone it is a guess: from the browser's languages
            # here, then from its clock in kindling.js (data-guess-timezone).
            request = allauth_context.request
            languages = request.headers.get("Accept-Language", "") if request else ""
            self.fields["timezone"].initial = guess_timezone(languages)
            self.fields["timezone"].widget.attrs["data-guess-timezone"] = ""

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.timezone = self.cleaned_data["timezone"]
        user.save(update_fields=["display_name", "timezone"])


class ProfileForm(forms.ModelForm):
    timezone = timezone_field(
        gettext_lazy("Time zone"), gettext_lazy("Reminders arrive at your local time here.")
    )

    class Meta:
        model = User
        fields = ["display_name", "timezone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post (a page from before the choice existed), the saved one stays;
        # a code Kindling does not speak is still refused.
        self.fields["language"].required = False
        self.fields["language"].error_messages["invalid_choice"] = gettext_lazy(
            "We do not offer that language. Please pick one from the list."
        )

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or self.instance.language


class CoupleForm(forms.ModelForm):
    timezone = timezone_field(
        gettext_lazy("Home time zone"),
        gettext_lazy("Today's question turns over at midnight here."),
    )

    class Meta:
        model = Couple
        fields = ["name", "together_since", "timezone"]
        widgets = {"together_since": forms.DateInput(attrs={"type": "date"})}

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_together_since(self) -> dt.date | None:
        since = self.cleaned_data["together_since"]
        if since is None:
            return None
        if since > timezone.localdate():
            raise forms.ValidationError(_("That date is in the future. When did you get together?"))
        if since.year < 1900:
            raise forms.ValidationError(_("Please enter a date after 1900."))
        return since


class InviteByEmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your partner's email"),
        max_length=254,
        help_text=gettext_lazy("We email them a link that works once, for 7 days."),
    )


class PairingCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Pairing code"),
        max_length=20,
        help_text=gettext_lazy("The 8 characters on your partner's screen, like ABCD-EFGH."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ConfirmationForm(forms.Form):
    """A word typed to confirm something that cannot be undone. The word is asked for in
    the reader's language; the English word always works too."""

    confirm = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def word(self) -> str:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("Type “%(word)s” to confirm") % {"word": self.word()}

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value not in (self.CONFIRMATION, self.word().lower()):
            raise forms.ValidationError(
                _("Type the word “%(word)s” to confirm. Nothing has changed.")
                % {"word": self.word()}
            )
        return value


class EndCoupleForm(ConfirmationForm):
    CONFIRMATION = "end"

    def word(self) -> str:
        return pgettext("the word typed to confirm ending the couple", "end")


class DeleteAccountForm(ConfirmationForm):
    CONFIRMATION = "delete"

    def word(self) -> str:
        return pgettext("the word typed to confirm deleting the account", "delete")
