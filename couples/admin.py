from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Couple, Invitation, Membership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "timezone",
        "language",
        "is_active",
        "is_staff",
        "date_joined",
    ]
    list_filter = ["language", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "timezone", "language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Couple)
class CoupleAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "created_at", "ended_at"]
    list_filter = ["status"]
    # Not the name or the anniversary: those are the couple's own words.
    fields = ["id", "timezone", "status", "created_at", "ended_at"]
    readonly_fields = ["id", "created_at", "ended_at"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "couple", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["kind"]
    # Not the pairing code: while it is valid it would let staff join the couple.
    exclude = ["code"]
    readonly_fields = ["token_hash", "accepted_by"]
    raw_id_fields = ["couple", "inviter"]
