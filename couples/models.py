from __future__ import annotations

import datetime as dt
import uuid
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import localdate, now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .timezones import validate_timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(gettext_lazy("email address"), unique=True)
    display_name = models.CharField(
        gettext_lazy("display name"),
        max_length=40,
        blank=True,
        help_text=gettext_lazy("What your partner sees, for example your first name."),
    )
    timezone = models.CharField(
        gettext_lazy("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    # Every page and every email this person gets is in this language, whatever the
    # browser says (couples/middleware.py, reminders/outbox.py); set at sign-up from the
    # browser's.
    language = models.CharField(
        gettext_lazy("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        # In the database too: a row written by code that predates the column (a migration
        # test's old models, a server still running the previous release) gets it.
        db_default=settings.LANGUAGE_CODE,
        help_text=gettext_lazy("Kindling's pages and emails to you are in this language."),
    )
    # The invitation this person opened before signing up, kept here as well as in the
    # session because the verification link may be opened in another browser
    # (see couples/pending.py).
    pending_invitation = models.ForeignKey(
        "Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class Couple(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("Active")
        ENDED = "ended", gettext_lazy("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        gettext_lazy("couple name"),
        max_length=60,
        blank=True,
        help_text=gettext_lazy("Optional. Leave it empty and we will use both of your names."),
    )
    together_since = models.DateField(gettext_lazy("together since"), null=True, blank=True)
    timezone = models.CharField(
        gettext_lazy("home time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=gettext_lazy("The day's question turns over at midnight here."),
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every write a partner could see (couples/versions.py); pages cache under it.
    version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        indexes = [
            # purge_ended_couples: status = ended AND ended_at < cutoff
            models.Index(fields=["status", "ended_at"], name="couple_status_ended_idx"),
        ]

    def __str__(self) -> str:
        # Not the name: this string shows in the admin, which never shows what a couple wrote.
        return f"Couple {self.pk}"

    def save(self, *args, **kwargs) -> None:
        # Never write back a version read a while ago: it only moves forward, in SQL.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "version"
            ]
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def members(self) -> list[User]:
        """Both partners (or the one waiting for a partner), seat order, active or not."""
        return [m.user for m in self.memberships.select_related("user").order_by("seat")]

    @property
    def is_complete(self) -> bool:
        return len(self.members) == 2

    @property
    def display_name(self) -> str:
        names = " & ".join(member.name for member in self.members)
        return self.name or names or _("Your couple")

    def partner_of(self, user: User) -> User | None:
        return next((member for member in self.members if member.pk != user.pk), None)

    def local_today(self) -> dt.date:
        return localdate(timezone=self.tzinfo)

    def days_together(self, today: dt.date | None = None) -> int | None:
        if self.together_since is None:
            return None
        return ((today or self.local_today()) - self.together_since).days

    def next_anniversary(self, today: dt.date | None = None) -> tuple[dt.date, int] | None:
        """The next anniversary (today counts) and how many years it will mark."""
        if self.together_since is None:
            return None
        today = today or self.local_today()
        start = self.together_since
        for year in range(today.year, today.year + 2):
            try:
                candidate = start.replace(year=year)
            except ValueError:  # 29 February in a common year: celebrate on the 28th
                candidate = dt.date(year, 2, 28)
            if candidate >= today and candidate > start:
                return candidate, year - start.year
        return None

    def archive_until(self) -> dt.datetime | None:
        from django.conf import settings

        if self.ended_at is None:
            return None
        return self.ended_at + dt.timedelta(days=settings.KINDLING_ARCHIVE_DAYS)


class Membership(models.Model):
    """A partner's seat in a couple. The constraints make the database itself refuse a
    third partner and a second active couple for one person."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    seat = models.PositiveSmallIntegerField(
        choices=[(1, gettext_lazy("First partner")), (2, gettext_lazy("Second partner"))]
    )
    active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "seat"], name="membership_one_per_seat"),
            models.CheckConstraint(condition=models.Q(seat__in=[1, 2]), name="membership_seat_1_2"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(active=True),
                name="membership_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.couple_id} (seat {self.seat})"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now())


class Invitation(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", gettext_lazy("Link")
        CODE = "code", gettext_lazy("Pairing code")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="invitations")
    inviter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind)
    email = models.EmailField(blank=True)
    # Only a SHA-256 of the link's token is kept: a database leak reveals no usable link.
    # NULL, not "", where absent: unique applies only to the values that exist.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    code = models.CharField(max_length=8, unique=True, null=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="link", token_hash__isnull=False, code__isnull=True)
                    | models.Q(kind="code", code__isnull=False, token_hash__isnull=True)
                ),
                name="invitation_has_token_or_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} invitation to {self.couple_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= now()

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}" if self.code else ""
