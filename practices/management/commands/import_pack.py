"""`manage.py import_pack pack.json`: add a prompt pack's prompts to the library (see
practices/packs.py). A pack with any problem is refused whole; importing the same pack
again changes nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.packs import PackError, import_pack, parse


class Command(BaseCommand):
    help = "Add the prompts of a prompt pack (JSON) to the library; a bad pack changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("pack", type=Path)

    def handle(self, *args, pack: Path, **options):
        try:
            raw = pack.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {pack}: {error.strerror}") from None
        try:
            report = import_pack(parse(raw))
        except PackError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{pack.name}: {report}")
