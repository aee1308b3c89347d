"""People who verified their email before reminders existed get the defaults, as if they
had verified just now."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations
from django.utils import timezone


def create_preferences(apps, schema_editor):
    from reminders import schedule

    # The defaults of the day: nudges Monday, Wednesday, Friday and the digest on Sunday.

    EmailAddress = apps.get_model("account", "EmailAddress")
    ReminderPreference = apps.get_model("reminders", "ReminderPreference")
    User = apps.get_model("couples", "User")
    now = timezone.now()
    verified = EmailAddress.objects.filter(verified=True, primary=True).values("user_id")
    users = User.objects.filter(pk__in=verified, reminder_preference__isnull=True)
    ReminderPreference.objects.bulk_create(
        [
            ReminderPreference(
                user_id=user.pk,
                next_nudge_at=schedule.next_slot(
                    now, {0, 2, 4, 6}, dt.time(19, 0), ZoneInfo(user.timezone)
                ),
            )
            for user in users.only("pk", "timezone")
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_preferences_and_queue"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(create_preferences, migrations.RunPython.noop)]
