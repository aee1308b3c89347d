"""Staff edit the shipped library here. A couple's own content shows as metadata only:
no note bodies, answers, reflections or a couple's private prompts."""

from django.contrib import admin
from django.http import HttpResponse

from .models import DailyQuestion, DateIdea, DateNight, GratitudeNote, Prompt
from .packs import dump, export_pack


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ["text", "tip", "depth", "occasion", "kind", "active"]
    list_filter = ["tip", "depth", "occasion", "kind", "active"]
    search_fields = ["text"]
    fields = ["text", "tip", "depth", "occasion", "kind", "active"]
    actions = ["export_as_pack"]

    def get_queryset(self, request):
        # Couples' own prompts are theirs alone.
        return super().get_queryset(request).filter(couple__isnull=True)

    @admin.action(description="Export selected prompts as a prompt pack")
    def export_as_pack(self, request, queryset):
        """A download in the pack format `manage.py import_pack` reads (practices/packs.py)."""
        pack = export_pack(queryset, about=f"{queryset.count()} prompts exported from the admin")
        response = HttpResponse(dump(pack), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="prompt-pack.json"'
        return response


@admin.register(DateIdea)
class DateIdeaAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "tip",
        "at_home",
        "outdoors",
        "learn_new",
        "new_to_us",
        "no_screens",
        "free",
    ]
    list_filter = ["tip", "at_home", "outdoors", "learn_new", "new_to_us", "no_screens", "free"]
    search_fields = ["title"]


class MetadataOnlyAdmin(admin.ModelAdmin):
    """Read-only, and only the fields named in `fields`."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GratitudeNote)
class GratitudeNoteAdmin(MetadataOnlyAdmin):
    list_display = ["pk", "couple", "deliver_at", "delivered_at", "read_at", "reaction"]
    # thanked_at, never the thank-you's words.
    fields = [
        "couple",
        "deliver_at",
        "delivered_at",
        "read_at",
        "reaction",
        "thanked_at",
        "created_at",
    ]
    list_select_related = ["couple"]


@admin.register(DailyQuestion)
class DailyQuestionAdmin(MetadataOnlyAdmin):
    list_display = ["pk", "couple", "day", "swapped", "discussed_at"]
    fields = ["couple", "day", "swapped", "discussed_at"]


@admin.register(DateNight)
class DateNightAdmin(MetadataOnlyAdmin):
    list_display = ["pk", "couple", "starts_at", "status"]
    fields = ["couple", "starts_at", "timezone", "status", "created_at"]
