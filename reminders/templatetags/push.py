from __future__ import annotations

from django import template
from django.conf import settings

from reminders import services
from reminders.forms import ChannelsForm
from reminders.models import PushSubscription

register = template.Library()


@register.inclusion_tag("reminders/this_device.html", takes_context=True)
def this_device(context) -> dict:
    """The "This device" section of the reminder settings: push on this browser, my
    devices, and the channels per kind. A rejected channels form comes in the context."""
    user = context["request"].user
    form = context.get("channels_form")
    if form is None:
        form = ChannelsForm(pref=services.ensure_preference(user))
    return {
        "enabled": settings.PUSH_ENABLED,
        "public_key": settings.VAPID_PUBLIC_KEY,
        "devices": list(PushSubscription.objects.filter(user=user)),
        "channels_form": form,
        "csrf_token": context.get("csrf_token"),
    }
