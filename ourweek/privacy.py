"""What our week exports for a person, and what it erases before their account goes.

Everything in a week's check-in is shared: both partners wrote it together, so both
export it. A person's lines and wishes go with their account (by cascade); the partner's
stay in the couple's weeks."""

from __future__ import annotations

from django.db.models import Prefetch

from couples.models import User

from .models import Line, Week, WeeklyTime, Wish

MODELS = {
    WeeklyTime: "exported: the weekly time of the person's couples",
    Week: "exported: each week's check-in of the person's couples",
    Line: "exported: own lines and the partner's (written together); own lines erased",
    Wish: "exported: own wishes and the partner's; own wishes erased",
}


def export(user: User) -> dict:
    couples = user.memberships.values_list("couple_id", flat=True)
    weeks = (
        Week.objects.filter(couple__in=couples)
        .select_related("couple")
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.select_related("author").order_by("pk")),
            Prefetch("wishes", queryset=Wish.objects.select_related("author").order_by("pk")),
        )
        .order_by("starts_on")
    )
    names = {}
    rows = []
    for week in weeks:
        if week.couple_id not in names:
            names[week.couple_id] = {member.pk: member.name for member in week.couple.members}
        members = names[week.couple_id]
        rows.append(
            {
                "week_of": week.starts_on,
                "started_at": week.started_at,
                "finished_at": week.finished_at,
                "took_part": [members[pk] for pk in week.took_part if pk in members],
                "lines": [
                    {"by": line.author.name, "kind": line.kind, "body": line.body}
                    for line in week.lines.all()
                ],
                "wishes": [
                    {
                        "by": wish.author.name,
                        "body": wish.body,
                        "tip": wish.tip,
                        "done_at": wish.done_at,
                    }
                    for wish in week.wishes.all()
                ],
            }
        )
    times = [
        {"weekday": when.get_weekday_display(), "at": when.at}
        for when in WeeklyTime.objects.filter(couple__in=couples)
    ]
    return {"weekly_check_ins": rows, "weekly_times": times}


def erase(user: User) -> None:
    """Lines and wishes go by cascade with the account; here the person also leaves the
    lists of who took part."""
    # A JSON "contains" lookup is not one SQLite has, so the lists are read here.
    for week in Week.objects.filter(couple__memberships__user=user).only("pk", "took_part"):
        if user.pk in week.took_part:
            week.took_part = [pk for pk in week.took_part if pk != user.pk]
            week.save(update_fields=["took_part"])
