import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    # Existing subscriptions keep working: the stored secret becomes its own hash.
    CalendarFeed = apps.get_model("practices", "CalendarFeed")
    for feed in CalendarFeed.objects.all():
        feed.token_hash = hashlib.sha256(feed.token.encode()).hexdigest()
        feed.save(update_fields=["token_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("practices", "0007_keep_the_partners_writing"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
    ]
