"""`manage.py load_content`: bring the shipped prompts and date ideas up to date.

Safe to run at every start: it changes nothing when the files have not changed."""

from pathlib import Path

from django.core.management.base import BaseCommand

from practices.library import CONTENT, load_added_content, load_content


class Command(BaseCommand):
    help = "Add and correct the shipped prompts and date ideas; a couple's own are untouched."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Apply the files even if unchanged or older than the release loaded.",
        )
        parser.add_argument(
            "--content-dir", type=Path, default=CONTENT, help="Where the JSON files are."
        )

    def handle(self, *args, force: bool = False, content_dir: Path = CONTENT, **options):
        for report in [*load_content(content_dir, force=force), *load_added_content(force=force)]:
            if report.refused:
                self.stderr.write(self.style.WARNING(str(report)))
            elif options["verbosity"] > 0:
                self.stdout.write(str(report))
