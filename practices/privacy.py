"""What practices export for a person, and what it erases before their account goes."""

from __future__ import annotations

from django.db.models import Prefetch

from couples.models import User

from .models import (
    Answer,
    CalendarFeed,
    DailyQuestion,
    DateNight,
    DateReflection,
    FavoritePrompt,
    GratitudeNote,
    Prompt,
)

# Every practices model that points at a person or a couple, and how it is treated.
MODELS = {
    GratitudeNote: "exported: notes written, and notes received once arrived, with the "
    "recipient's thank-you; a deleted recipient's thank-you is erased from their partner's "
    "notes",
    Answer: "exported: own answers, and the partner's answers once revealed",
    DailyQuestion: "exported: the questions of the person's couples",
    Prompt: "exported: prompts the person wrote",
    FavoritePrompt: "exported",
    DateNight: "exported: dates of the person's couples, with their phones-away time; kept, "
    "without the planner, when the planner's account is deleted",
    DateReflection: "exported: own reflections and the partner's",
    CalendarFeed: "exported: that a feed exists, never its secret",
}


def _note(note: GratitudeNote) -> dict:
    return {
        "from": note.author.name,
        "to": note.recipient.name if note.recipient else None,
        "body": note.body,
        "deliver_at": note.deliver_at,
        "delivered_at": note.delivered_at,
        "read_at": note.read_at,
        "reaction": note.reaction,
        "thanks": note.thanks,
        "thanked_at": note.thanked_at,
    }


def export(user: User) -> dict:
    couples = user.memberships.values_list("couple_id", flat=True)
    written = GratitudeNote.objects.filter(author=user).select_related("author", "recipient")
    received = GratitudeNote.objects.filter(
        recipient=user, delivered_at__isnull=False
    ).select_related("author", "recipient")
    questions = (
        DailyQuestion.objects.filter(couple__in=couples)
        .select_related("prompt")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("user")))
        .order_by("day")
    )
    question_rows = []
    for question in questions:
        answers = list(question.answers.all())
        mine = next((a for a in answers if a.user_id == user.pk), None)
        row = {
            "day": question.day,
            "question": question.prompt.text if question.prompt else None,
            "tip": question.prompt.tip if question.prompt else None,
            "talked_about_at": question.discussed_at,
            "my_answer": mine.body if mine else None,
        }
        # The reveal rule holds in the export too: theirs only if you answered.
        if mine is not None:
            row["partner_answers"] = [
                {"by": a.user.name, "body": a.body} for a in answers if a.user_id != user.pk
            ]
        question_rows.append(row)
    dates = (
        DateNight.objects.filter(couple__in=couples)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("reflections", queryset=DateReflection.objects.select_related("user"))
        )
        .order_by("starts_at")
    )
    return {
        "notes_written": [_note(n) for n in written.order_by("created_at")],
        "notes_received": [_note(n) for n in received.order_by("delivered_at")],
        "questions": question_rows,
        "prompts_written": [
            {"text": p.text, "tip": p.tip, "depth": p.depth}
            for p in Prompt.objects.filter(author=user)
        ],
        "favorite_prompts": list(
            FavoritePrompt.objects.filter(user=user).values_list("prompt__text", flat=True)
        ),
        "dates": [
            {
                "title": d.title,
                "starts_at": d.starts_at,
                "timezone": d.timezone,
                "place": d.place,
                "notes": d.notes,
                "status": d.status,
                "phones_away_minutes": d.phones_away_minutes,
                "planned_by": d.created_by.name if d.created_by else None,
                "reflections": [
                    {"by": r.user.name, "rating": r.rating, "body": r.body}
                    for r in d.reflections.all()
                ],
            }
            for d in dates
        ],
        "calendar_feed": {"exists": CalendarFeed.objects.filter(user=user).exists()},
    }


def erase(user: User) -> None:
    """The prompts the person wrote go; the days they were asked stay, without them, so the
    partner keeps their answers. Everything else the person wrote (notes, answers,
    reflections) goes by cascade with the account; what the partner wrote stays, down to
    their reflections on dates this person planned (DateNight.created_by is SET_NULL).
    The partner's notes stay with them; the thank-yous this person wrote on them go."""
    GratitudeNote.objects.filter(recipient=user).exclude(thanks="").update(
        thanks="", thanked_at=None
    )
    own = Prompt.objects.filter(author=user)
    DailyQuestion.objects.filter(prompt__in=own).update(prompt=None)
    own.delete()
