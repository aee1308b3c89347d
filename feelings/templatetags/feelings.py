from django import template

from ..wheel import word_label

register = template.Library()


@register.filter
def feeling_word(key: str) -> str:
    return word_label(key)
