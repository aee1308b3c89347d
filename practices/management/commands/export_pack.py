"""`manage.py export_pack`: write library prompts as a prompt pack (see practices/packs.py).

    manage.py export_pack --tip talk --occasion new_year -o new-year-talk.json
    manage.py export_pack --key gratitude-01 --key talk-02

A couple's own prompts are never exported."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.models import Prompt
from practices.packs import dump, export_pack
from practices.tips import Tip


class Command(BaseCommand):
    help = "Write library prompts (all, or those matching the filters) as a prompt pack."

    def add_arguments(self, parser):
        parser.add_argument("--tip", choices=Tip.values, action="append", default=[])
        parser.add_argument("--depth", choices=Prompt.Depth.values, action="append", default=[])
        parser.add_argument(
            "--occasion", choices=Prompt.Occasion.values, action="append", default=[]
        )
        parser.add_argument("--kind", choices=Prompt.Kind.values, action="append", default=[])
        parser.add_argument("--key", action="append", default=[], help="A prompt's key.")
        parser.add_argument("--about", default="", help="A line saying what the pack is.")
        parser.add_argument("--pack-version", dest="pack_version", type=int, default=1)
        parser.add_argument("-o", "--output", type=Path, help="The file (default: stdout).")

    def handle(self, *args, **options):
        prompts = Prompt.objects.filter(couple__isnull=True, active=True)
        for name in ("tip", "depth", "occasion", "kind"):
            if options[name]:
                prompts = prompts.filter(**{f"{name}__in": options[name]})
        if options["key"]:
            prompts = prompts.filter(shipped_key__in=options["key"])
        pack = export_pack(prompts, about=options["about"], version=options["pack_version"])
        if not pack["items"]:
            raise CommandError("No library prompts match; nothing was written.")
        text = dump(pack)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(f"{len(pack['items'])} prompts written to {options['output']}")
        else:
            self.stdout.write(text, ending="")
