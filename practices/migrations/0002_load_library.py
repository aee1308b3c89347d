"""Once loaded the shipped library; that is now `manage.py load_content`
(practices/library.py), which also reaches databases set up before it. Kept, empty, so
that existing databases and later migrations still find it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = []
