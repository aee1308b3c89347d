"""Staff edit the shipped library here. A couple's own content shows as metadata only:
no note bodies, answers, reflections or a couple's private prompts."""

from django.contrib import admin

from .models import DailyQuestion, DateIdea, DateNight, GratitudeNote, Prompt


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ["text", "tip", "depth", "active"]
    list_filter = ["tip", "depth", "active"]
    search_fields = ["text"]
    fields = ["text", "tip", "depth", "active"]

    def get_queryset(self, request):
        # Couples' own prompts are theirs alone.
        return super().get_queryset(request).filter(couple__isnull=True)


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
