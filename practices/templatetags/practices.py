from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy

from practices.services import minutes_in_words
from practices.tips import TIPS

register = template.Library()

# The date formats the practices' pages write, each translatable (as Django format
# strings) so that German reads "1. Mai 2020" and Spanish "1 de mayo de 2020" while
# English keeps its own order. Django's DATE_FORMAT would change the English.
DATE_FORMATS = {
    "j F": pgettext_lazy("date format", "j F"),
    "j F Y": pgettext_lazy("date format", "j F Y"),
    "j F Y, H:i": pgettext_lazy("date format", "j F Y, H:i"),
    "j M Y, H:i": pgettext_lazy("date format", "j M Y, H:i"),
    "l j F Y": pgettext_lazy("date format", "l j F Y"),
    "l j F, H:i": pgettext_lazy("date format", "l j F, H:i"),
    "l j F Y, H:i": pgettext_lazy("date format", "l j F Y, H:i"),
}


@register.simple_tag(takes_context=True)
def couple_url(context, name: str, *args) -> str:
    """The URL of a couple page: the live one, or its read-only archive twin."""
    access = context.get("access")
    if access is not None and not access.writable:
        return reverse(f"practices:archive_{name}", args=[access.couple.pk, *args])
    return reverse(f"practices:{name}", args=args)


@register.filter
def tip_info(key: str):
    return TIPS.get(key)


@register.filter
def phones_away_time(minutes: int) -> str:
    return minutes_in_words(minutes)


@register.filter(expects_localtime=True)
def date_as(value, english_format: str) -> str:
    """`value|date:english_format`, in the order and words of the active language."""
    if value in (None, ""):
        return ""
    return date_format(value, str(DATE_FORMATS[english_format]))
