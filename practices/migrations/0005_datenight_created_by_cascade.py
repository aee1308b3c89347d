import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    # Separate from 0004 so that its deletions are committed before the table changes
    # (PostgreSQL refuses ALTER TABLE with pending trigger events).
    dependencies = [
        ("practices", "0004_deletion_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="datenight",
            name="created_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="dates_planned",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
