from django.db import migrations, models


class Migration(migrations.Migration):
    # Separate from 0008 so that its updates are committed before the table changes
    # (PostgreSQL refuses ALTER TABLE with pending trigger events).
    dependencies = [
        ("practices", "0008_calendar_feed_token_hash"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="calendarfeed",
            name="token",
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
