"""Web Push, the outbox's second channel.

A push row is the twin of an email row: same person, kind, slot and object, channel
"push". Twins are made where email rows are queued (outbox.enqueue_send calls
`add_push_twins`), so every kind that can be emailed can be pushed without code of its
own. The worker sends a push row to each of the person's devices through the browser's
push service, encrypted for that device (RFC 8291, aes128gcm) and signed with our VAPID
key (RFC 8292), both done by pywebpush.

An email skipped because its person wanted that kind by push only goes out after all when
its push twin cannot be delivered (no device left, push switched off, or the row failed):
see fall_back_to_email.

A notification carries a title, one short line, the URL to open and a tag naming the row
(so one message never replaces another): never more, since it shows on a lock screen. A kind's text comes from its push renderer (PUSH_RENDERERS), or
else from its small spec (PUSH_SPECS), or else from FALLBACK.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy
from py_vapid import Vapid
from pywebpush import WebPusher

from couples.links import site_url

from .models import PUSH_DEFAULTS, Nudge, PushSubscription, channels_for

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

# A message still worth showing a day late (a phone switched off overnight); after that
# the push service drops it rather than waking the phone with old news.
TIME_TO_LIVE = 24 * 60 * 60
LINE_LENGTH = 120
# A VAPID token is valid for at most 24 hours (RFC 8292); ours for 12, re-signed after 11.
TOKEN_HOURS = 12
PUSH_ONLY = "sent as a push notification only"
# The error left on a push-only email row that went out after all, because its push twin
# could not be delivered: it also keeps that row from being brought back twice.
PUSH_FELL_BACK = "push could not deliver it; sent by email instead"


@dataclass(frozen=True)
class PushMessage:
    title: str
    line: str
    url: str

    def payload(self, tag: str) -> str:
        """The JSON the service worker shows. `tag` names the row (its topic): a resend of
        the same row replaces its notification, a message of another row never does."""
        line = self.line if len(self.line) <= LINE_LENGTH else self.line[: LINE_LENGTH - 1] + "…"
        return json.dumps({"title": self.title, "body": line, "url": self.url, "tag": tag})


@dataclass(frozen=True)
class PushSpec:
    """The notification for a kind with no push renderer of its own. `title` may name
    the partner as {partner}; `url_name` is a URL name without arguments, and
    `object_url_name`, when given, a URL name taking the row's object id (the item the
    message is about), used whenever the row has one."""

    title: str
    line: str
    url_name: str = "practices:home"
    object_url_name: str = ""

    def url(self, nudge: Nudge) -> str:
        if self.object_url_name and nudge.object_id:  # 0 when the row has none
            return site_url(self.object_url_name, nudge.object_id)
        return site_url(self.url_name)


# (nudge, outbox.Batch) -> the notification, or None when it should no longer go out.
PushRenderer = Callable[[Nudge, Any], PushMessage | None]
PUSH_RENDERERS: dict[str, PushRenderer] = {}
PUSH_SPECS: dict[str, PushSpec] = {
    # A check-in alert's object is the check-in.
    Nudge.Kind.CHECKIN: PushSpec(
        gettext_lazy("{partner} shared a check-in"),
        gettext_lazy("Open Kindling to see it."),
        url_name="feelings:history",
        object_url_name="feelings:detail",
    ),
    Nudge.Kind.THINKING: PushSpec(
        gettext_lazy("{partner} is thinking of you"), gettext_lazy("Open Kindling to see it.")
    ),
    Nudge.Kind.WEEKLY: PushSpec(
        gettext_lazy("Your weekly check-in"),
        gettext_lazy("A few minutes together, when it suits."),
        url_name="ourweek:index",
    ),
    Nudge.Kind.MONTHLY: PushSpec(
        gettext_lazy("This month's check-in is open"),
        gettext_lazy("Open Kindling when you like."),
        url_name="feelings:closeness",
    ),
}
FALLBACK = PushSpec("Kindling", gettext_lazy("Something new is waiting for you."))


def push_renderer(kind: str) -> Callable[[PushRenderer], PushRenderer]:
    def register(func: PushRenderer) -> PushRenderer:
        PUSH_RENDERERS[kind] = func
        return func

    return register


# --- Queuing ---------------------------------------------------------------------------


def add_push_twins(email_ids: list[int]) -> list[int]:
    """Give each of these pending email rows a push twin when its person has a device
    on and wants this kind by push; an email row of someone who wants push only is
    skipped. Runs in the caller's transaction; returns the twins still pending."""
    if not email_ids or not settings.PUSH_ENABLED:
        return []
    rows = list(
        Nudge.objects.filter(
            pk__in=email_ids,
            channel=Nudge.Channel.EMAIL,
            status=Nudge.Status.PENDING,
            kind__in=list(PUSH_DEFAULTS),
        )
        .filter(Exists(PushSubscription.objects.filter(user=OuterRef("user_id"))))
        .select_related("user__reminder_preference")
    )
    twins, push_only = [], []
    for row in rows:
        pref = getattr(row.user, "reminder_preference", None)
        wanted = channels_for(pref, row.kind)
        if wanted == "email":
            continue
        if wanted == "push":
            push_only.append(row.pk)
        twins.append(
            Nudge(
                user_id=row.user_id,
                kind=row.kind,
                channel=Nudge.Channel.PUSH,
                tip=row.tip,
                template_key=row.template_key,
                slot=row.slot,
                object_id=row.object_id,
                created_at=row.created_at,
                queued_at=row.queued_at,
            )
        )
    if not twins:
        return []
    Nudge.objects.bulk_create(twins, ignore_conflicts=True)
    if push_only:
        Nudge.objects.filter(pk__in=push_only, status=Nudge.Status.PENDING).update(
            status=Nudge.Status.SKIPPED, error=PUSH_ONLY
        )
    wanted_keys = {(t.user_id, t.kind, t.slot, t.object_id) for t in twins}
    found = Nudge.objects.filter(
        channel=Nudge.Channel.PUSH,
        status=Nudge.Status.PENDING,
        user_id__in={key[0] for key in wanted_keys},
        kind__in={key[1] for key in wanted_keys},
        slot__in={key[2] for key in wanted_keys},
    ).values_list("pk", "user_id", "kind", "slot", "object_id")
    return [pk for pk, *key in found if tuple(key) in wanted_keys]


def fall_back_to_email(row: Nudge) -> int | None:
    """Bring back the email twin of a push row that could not be delivered (no device
    left, every device gone, push switched off, or the row failed), when that email was
    skipped only because its person wanted this by push alone. One conditional UPDATE,
    so the email is brought back at most once. Returns its id, for the caller to send."""
    email = Nudge.objects.filter(
        user_id=row.user_id,
        kind=row.kind,
        slot=row.slot,
        object_id=row.object_id,
        channel=Nudge.Channel.EMAIL,
        status=Nudge.Status.SKIPPED,
        error=PUSH_ONLY,
    )
    pks = list(email.values_list("pk", flat=True)[:1])
    if not pks:
        return None
    brought_back = email.filter(pk=pks[0]).update(
        status=Nudge.Status.PENDING, error=PUSH_FELL_BACK, queued_at=timezone.now()
    )
    return pks[0] if brought_back else None


# --- Endpoints -------------------------------------------------------------------------


class BadEndpoint(ValueError):
    pass


def check_endpoint(endpoint: str) -> str:
    """The endpoint, if the worker may send to it: https, and (outside DEBUG) not on a
    private or loopback address, so a made-up subscription cannot aim our worker at our
    own network. Hosts in PUSH_ALLOWED_PRIVATE_HOSTS are let through (the tests' fake)."""
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname:
        raise BadEndpoint("A push endpoint must be an https address.")
    host = parts.hostname
    if settings.DEBUG or host in settings.PUSH_ALLOWED_PRIVATE_HOSTS:
        return endpoint
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or 443)}
    except (OSError, UnicodeError) as exc:
        raise BadEndpoint("That push service could not be found.") from exc
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise BadEndpoint("A push endpoint must be on the public internet.")
    return endpoint


# --- Sending ---------------------------------------------------------------------------


class PushRetry(Exception):
    """Every device of the row failed in a way that may pass (429, 5xx, no answer)."""


class PushRefused(Exception):
    """Every device refused the message for good (a 4xx other than 404/410/429)."""


@lru_cache(maxsize=1)
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


_tokens: dict[str, tuple[float, dict]] = {}


def vapid_headers(endpoint: str) -> dict:
    """The Authorization header for this push service: one signed token per audience
    (the service's origin), reused until an hour before it expires."""
    parts = urlsplit(endpoint)
    audience = f"{parts.scheme}://{parts.netloc}"
    now = time.time()
    cached = _tokens.get(audience)
    if cached is None or cached[0] < now + 3600:
        expires = int(now) + TOKEN_HOURS * 3600
        claims = {"sub": settings.VAPID_SUBJECT, "aud": audience, "exp": expires}
        cached = (expires, _vapid(settings.VAPID_PRIVATE_KEY).sign(claims))
        _tokens[audience] = cached
    return dict(cached[1])


@dataclass
class DeviceResults:
    delivered: list[int]
    gone: list[int]
    transient: list[str]
    refused: list[str]


def send_to_devices(
    message: PushMessage, devices: list[PushSubscription], session: requests.Session, topic: str
) -> DeviceResults:
    """Send one message to each device. 404 and 410 mean the browser dropped the
    subscription: the caller removes it (forget_gone), decides what the row becomes,
    and marks the devices in `delivered` as used.

    `topic` names the row (RFC 8030's Topic): should a resend after a crash reach the push
    service before the phone collected the first, it replaces it instead of queuing."""
    results = DeviceResults([], [], [], [])
    data = message.payload(tag=topic)
    for device in devices:
        try:
            response = WebPusher(device.info(), requests_session=session).send(
                data,
                {**vapid_headers(device.endpoint), "Topic": topic},
                ttl=TIME_TO_LIVE,
                content_encoding="aes128gcm",
                timeout=settings.PUSH_TIMEOUT_SECONDS,
            )
        except Exception as exc:  # no answer, a reset connection, a bad key on our side
            results.transient.append(type(exc).__name__)
            continue
        status = response.status_code
        if status < 300:
            results.delivered.append(device.pk)
        elif status in (404, 410):
            results.gone.append(device.pk)
        elif status == 429 or status >= 500:
            results.transient.append(f"HTTP {status}")
        else:
            results.refused.append(f"HTTP {status}")
    # No query here (the outbox sends from several threads at once): the caller removes
    # the devices that are gone (forget_gone) and marks those that got it as used when
    # the group is written down, in one UPDATE (one per push cost a commit each).
    return results


def forget_gone(results: DeviceResults) -> None:
    if results.gone:
        PushSubscription.objects.filter(pk__in=results.gone).delete()


def settle_row(results: DeviceResults) -> str:
    """What a push row becomes: "sent" when a device got it, "skipped" when none is
    left. Otherwise it raises: PushRetry (try again later) or PushRefused (failed).

    A row goes to all the person's devices at once: once any device has it, the row is
    sent, and a device that failed at that moment misses this one message rather than
    the others getting it twice."""
    if results.delivered:
        return "sent"
    if results.transient:
        raise PushRetry(", ".join(results.transient)[:200])
    if results.refused:
        raise PushRefused(", ".join(results.refused)[:200])
    return "skipped"
