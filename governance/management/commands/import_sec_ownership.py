"""python manage.py import_sec_ownership PATH [PATH ...] [--dry-run]"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from governance.csv.progress import Progress
from governance.sec.importer import import_filings


class Command(BaseCommand):
    help = (
        "Import SEC ownership filings (Forms 3, 4, 5 and amendments): .xml ownership documents, "
        "EDGAR full-submission .txt files, or zips of them, given as files or folders (read "
        "recursively). Each file is applied whole or not at all; every file that is not is "
        "reported with its reason, and the exit status is then non-zero. A filing already "
        "imported is skipped, so a re-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders of filings.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )
        parser.add_argument(
            "--user", help="Username recorded in history as the importer (default: none)."
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        report = run_import(
            options["paths"],
            user=user,
            dry_run=options["dry_run"],
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{len(report.failed):,} files not applied: see above.")


def run_import(paths, *, user=None, dry_run=False, verbosity=1, stdout=None):
    """The import with a progress bar on a terminal, naming each applied file at -v 2."""
    progress = Progress("Importing filings", stream=sys.stderr, unit="filings")
    on_applied = None
    if verbosity >= 2 and stdout is not None:

        def on_applied(path: str) -> None:
            stdout.write(f"applied: {path}")

    report = import_filings(
        paths, user=user, dry_run=dry_run, progress=progress.update, on_applied=on_applied
    )
    progress.close()
    return report
