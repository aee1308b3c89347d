"""Rendering of every email Kindling sends: `emails/<name>-subject.txt`, `-body.txt`
and `-body.html`, so each message has a plain-text and an HTML part."""

from __future__ import annotations

import email.policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from couples.links import site_url


class UnfoldedEmail(EmailMultiAlternatives):
    """Headers folded at RFC 5322's hard limit (998), not at 78 characters.

    Python's email package turns an unstructured header holding one long word, such as
    `List-Unsubscribe: <https://.../signed-token/>`, into RFC 2047 encoded words so it
    can fold it; mail clients then no longer see a URL and drop the unsubscribe button.
    """

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def make_message(
    name: str,
    ctx: dict,
    *,
    to: str,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    ctx = {"site_url": settings.SITE_URL, **ctx}
    if "settings_url" not in ctx:  # reminders link their own settings page
        ctx["settings_url"] = site_url("couples:settings")
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    message = UnfoldedEmail(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message
