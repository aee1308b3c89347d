from django.contrib import admin

from .models import Nudge, ReminderPreference


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    """The send log. Only metadata: a note's text lives in practices and never here."""

    list_display = [
        "id",
        "user",
        "kind",
        "channel",
        "tip",
        "template_key",
        "slot",
        "status",
        "attempts",
        "error",
        "sent_at",
    ]
    list_filter = ["status", "kind", "channel", "tip"]
    search_fields = ["user__email", "template_key"]
    date_hierarchy = "slot"
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "user",
        "kind",
        "channel",
        "tip",
        "template_key",
        "slot",
        "object_id",
        "attempts",
        "error",
        "created_at",
        "queued_at",
        "claimed_at",
        "lease_until",
        "sent_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "nudges_enabled",
        "send_time",
        "paused_until",
        "note_alerts",
        "date_reminders",
        "digest_enabled",
        "next_nudge_at",
    ]
    list_filter = ["nudges_enabled", "note_alerts", "date_reminders", "digest_enabled"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["next_nudge_at", "updated_at"]

    def save_model(self, request, obj: ReminderPreference, form, change: bool) -> None:
        obj.reschedule()
        super().save_model(request, obj, form, change)
