"""python manage.py import_tenures FILE [--dry-run]"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from governance.csv.progress import Progress
from governance.csv.tenure_import import format_errors, import_tenures


class Command(BaseCommand):
    help = (
        "Import a tenure CSV: all rows or none. Every error is reported with its line, column "
        "and value; the exit status is non-zero if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file, as export_tenures writes it.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )
        parser.add_argument(
            "--user", help="Username recorded in history as the importer (default: none)."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        progress = Progress("Importing", stream=sys.stderr)
        with path.open("rb") as file:
            result = import_tenures(
                file,
                filename=path.name,
                user=user,
                dry_run=options["dry_run"],
                progress=progress.update,
            )
        progress.close()
        if result.errors:
            self.stderr.write(format_errors(result.errors))
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
