import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_dates_without_planner(apps, schema_editor):
    # Dates whose planner deleted their account go with the account from now on.
    apps.get_model("practices", "DateNight").objects.filter(created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0003_prompt_questions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="gratitudenote",
            name="recipient",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="notes_received",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(drop_dates_without_planner, migrations.RunPython.noop),
    ]
