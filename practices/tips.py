"""The five tips Kindling is built on. Everything that serves one of them (prompts,
date ideas, nudges, the home page's balance picture) refers to it by its key."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tip(models.TextChoices):
    GRATITUDE = "gratitude", _("Express gratitude")
    TALK = "talk", _("Talk and listen")
    QUALITY_TIME = "quality_time", _("Spend quality time")
    FEELINGS = "feelings", _("Share your feelings")
    PHYSICAL = "physical", _("Stay physically close")


@dataclass(frozen=True)
class TipInfo:
    key: str
    label: str
    blurb: str
    landing: str

    @property
    def icon(self) -> str:
        return f"tip-{self.key}"


TIPS: dict[str, TipInfo] = {
    Tip.GRATITUDE: TipInfo(
        key="gratitude",
        label=_("Express gratitude"),
        blurb=_(
            "Noticing what your partner does and saying thank you helps them feel seen and valued."
        ),
        landing=_(
            "Kind words, a short note or a small free surprise can say a lot. Notice the everyday things your partner does, and let them know you noticed."
        ),
    ),
    Tip.TALK: TipInfo(
        key="talk",
        label=_("Talk and listen"),
        blurb=_(
            "Regular, curious conversations, with real listening, keep you in touch with each other's inner world."
        ),
        landing=_(
            "Ask how your partner's day went and what is on their mind, then give the answer your full attention. Small daily check-ins add up to a strong connection."
        ),
    ),
    Tip.QUALITY_TIME: TipInfo(
        key="quality_time",
        label=_("Spend quality time"),
        blurb=_(
            "Unhurried time together, away from screens, gives your relationship room to breathe and grow."
        ),
        landing=_(
            "Set devices aside and do something together, from a shared meal to a brand new hobby. Learning new things side by side gives you fresh things to talk about."
        ),
    ),
    Tip.FEELINGS: TipInfo(
        key="feelings",
        label=_("Share your feelings"),
        blurb=_(
            "Opening up about your hopes, dreams and worries, and hearing theirs, builds trust and closeness."
        ),
        landing=_(
            "Tell your partner what you are hoping for, dreaming of or worried about, and listen warmly when they share too. Gentle, honest sharing helps you understand each other."
        ),
    ),
    Tip.PHYSICAL: TipInfo(
        key="physical",
        label=_("Stay physically close"),
        blurb=_(
            "Small, welcome gestures like holding hands or a warm hug can help you feel close, when it feels right for you both."
        ),
        landing=_(
            "Gentle affection, such as a hand to hold or a cuddle on the sofa, can say what words cannot. Always ask first, and go at a pace that feels comfortable for both of you."
        ),
    ),
}
