"""python manage.py export_tenures [--output FILE] [--company SLUG] [--person SLUG] [--role SLUG] [--on DAY]"""

import sys

from django.core.management.base import BaseCommand, CommandError

from governance.csv.progress import Progress
from governance.csv.tenure_export import TenureFilters, tenure_csv_chunks
from governance.forms import TenureExportForm


class _Unterminated:
    """The command's stdout, written to in bytes without the newline it adds to each write."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, data: bytes) -> None:
        # Chunks end where rows end, so each one decodes on its own.
        self.stdout.write(data.decode(), ending="")


def export_tenures(output, filters: TenureFilters, progress: Progress | None = None) -> int:
    """Write the tenure CSV to output (a binary file); return how many rows it holds."""
    count = 0

    def counted(rows: int) -> None:
        nonlocal count
        count += rows
        if progress is not None:
            progress.update(count)

    for chunk in tenure_csv_chunks(filters.apply(filters.base_queryset()), on_rows=counted):
        output.write(chunk)
    if progress is not None:
        progress.close()
    return count


class Command(BaseCommand):
    help = "Export tenures as the CSV that import_tenures reads (DESIGN.md fixes its columns)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write; default: standard output.")
        parser.add_argument("--company", help="Only this company (slug).")
        parser.add_argument("--person", help="Only this person (slug).")
        parser.add_argument("--role", help="Only this role (slug).")
        parser.add_argument("--on", help="Only tenures certainly held on this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        form = TenureExportForm(
            {
                name: options[name]
                for name in ("company", "person", "role", "on")
                if options[name] is not None
            }
        )
        if not form.is_valid():
            raise CommandError(form.error_message())
        filters = form.filters()
        # The bar goes to stderr, and only when it is a terminal.
        progress = Progress("Exporting", stream=sys.stderr)
        if options["output"]:
            with open(options["output"], "wb") as output:
                count = export_tenures(output, filters, progress)
            self.stderr.write(f"{count} tenures written to {options['output']}.")
        else:
            export_tenures(_Unterminated(self.stdout), filters, progress)
