from django import template
from django.urls import reverse

from practices.services import minutes_in_words
from practices.tips import TIPS

register = template.Library()


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
