"""Rendering of every email Kindling sends: `emails/<name>-subject.txt`, `-body.txt`
and `-body.html`, so each message has a plain-text and an HTML part."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def site_url(viewname: str, *args, **kwargs) -> str:
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))


def make_message(
    name: str,
    ctx: dict,
    *,
    to: str,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    ctx = {"site_url": settings.SITE_URL, "settings_url": site_url("couples:settings"), **ctx}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message
