"""Load the shipped prompt library and date ideas (practices/content/*.json).

Both stay editable in the admin afterwards; re-running only adds what is missing.
"""

import json
from pathlib import Path

from django.db import migrations

CONTENT = Path(__file__).resolve().parent.parent / "content"


def load(apps, schema_editor):
    Prompt = apps.get_model("practices", "Prompt")
    DateIdea = apps.get_model("practices", "DateIdea")
    known = set(Prompt.objects.filter(couple__isnull=True).values_list("text", flat=True))
    Prompt.objects.bulk_create(
        Prompt(text=item["text"], tip=item["tip"], depth=item["depth"])
        for item in json.loads((CONTENT / "prompts.json").read_text())
        if item["text"] not in known
    )
    known = set(DateIdea.objects.values_list("title", flat=True))
    DateIdea.objects.bulk_create(
        DateIdea(
            title=item["title"],
            description=item["description"],
            tip=item["tip"],
            **{tag: True for tag in item["tags"]},
        )
        for item in json.loads((CONTENT / "date_ideas.json").read_text())
        if item["title"] not in known
    )


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
