"""This device: turn push notifications on or off for a browser, list and remove one's
devices, and choose the channels per kind of message. The JSON endpoints are for
static/js/pwa.js; removing a device and choosing channels are plain forms."""

from __future__ import annotations

import base64
import binascii
import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ChannelsForm, PauseForm, ReminderPreferenceForm
from .models import PushSubscription, guess_device_name
from .push import BadEndpoint, check_endpoint

MAX_BODY = 4096


class BadSubscription(ValueError):
    pass


def _key(value: object, length: int, name: str) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise BadSubscription(f"The subscription's {name} key is missing.")
    try:
        padded = value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4)
        raw = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadSubscription(f"The subscription's {name} key is not base64url.") from exc
    if len(raw) != length:
        raise BadSubscription(f"The subscription's {name} key has the wrong length.")
    return value


def read_subscription(body: bytes) -> dict:
    """The browser's PushSubscription.toJSON(), checked: an https endpoint we may call,
    a P-256 public key (65 bytes) and a 16-byte auth secret."""
    if len(body) > MAX_BODY:
        raise BadSubscription("That subscription is too long.")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadSubscription("That is not a push subscription.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise BadSubscription("That is not a push subscription.")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise BadSubscription("The subscription's endpoint is missing.")
    try:
        check_endpoint(endpoint)
    except BadEndpoint as exc:
        raise BadSubscription(str(exc)) from exc
    return {
        "endpoint": endpoint,
        "p256dh": _key(data["keys"].get("p256dh"), 65, "p256dh"),
        "auth": _key(data["keys"].get("auth"), 16, "auth"),
    }


@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    try:
        found = read_subscription(request.body)
    except BadSubscription as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    # The endpoint belongs to the browser: whoever logged in there last receives on it.
    device, __ = PushSubscription.objects.update_or_create(
        endpoint=found["endpoint"],
        defaults={
            "user": request.user,
            "p256dh": found["p256dh"],
            "auth": found["auth"],
            "device_name": guess_device_name(request.headers.get("User-Agent", ""))[:80],
        },
    )
    return JsonResponse({"id": device.pk, "device": device.device_name}, status=201)


@require_POST
def unsubscribe(request: HttpRequest) -> JsonResponse:
    """This browser turned notifications off: forget its endpoint, if it is mine."""
    try:
        endpoint = json.loads(request.body).get("endpoint")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return JsonResponse({"error": "That is not a push subscription."}, status=400)
    if not isinstance(endpoint, str):
        return JsonResponse({"error": "The subscription's endpoint is missing."}, status=400)
    removed, __ = PushSubscription.objects.filter(user=request.user, endpoint=endpoint).delete()
    return JsonResponse({"removed": removed})


@require_POST
def remove_device(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(PushSubscription, pk=pk, user=request.user)
    device.delete()
    if device.device_name:
        message = _("%(device)s will get no more notifications.") % {"device": device.device_name}
    else:
        message = _("That device will get no more notifications.")
    messages.success(request, message)
    return redirect("reminders:settings")


@require_POST
def channels(request: HttpRequest) -> HttpResponse:
    pref = services.ensure_preference(request.user)
    form = ChannelsForm(request.POST, pref=pref)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your choices of email and push are saved."))
        return redirect("reminders:settings")
    pref.refresh_from_db()
    return render(
        request,
        "reminders/settings.html",
        {
            "form": ReminderPreferenceForm(instance=pref, user=request.user),
            "pref": pref,
            "pause_form": PauseForm(today=services.local_today(request.user)),
            "channels_form": form,
        },
        status=400,
    )
