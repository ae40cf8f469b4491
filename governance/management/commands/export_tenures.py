"""python manage.py export_tenures [--output FILE] [--company SLUG] [--person SLUG] [--role SLUG] [--on DAY]"""

import sys

from django.core.management.base import BaseCommand, CommandError

from governance.csv.format import TENURE_COLUMNS, csv_chunks
from governance.csv.progress import Progress
from governance.csv.tenure_export import TenureFilters, tenure_export_queryset, tenure_rows
from governance.forms import TenureExportForm


class _Unterminated:
    """The command's stdout, written to without the newline it adds to each write."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, text: str) -> None:
        self.stdout.write(text, ending="")


def export_tenures(output, filters: TenureFilters, progress: Progress | None = None) -> int:
    """Write the tenure CSV to output (a text file); return how many rows it holds."""
    count = 0

    def counted(rows):
        nonlocal count
        for row in rows:
            count += 1
            if progress is not None and count % 1000 == 0:
                progress.update(count)
            yield row

    queryset = tenure_export_queryset(filters.apply(filters.base_queryset()))
    for chunk in csv_chunks(TENURE_COLUMNS, counted(tenure_rows(queryset))):
        output.write(chunk)
    if progress is not None:
        progress.update(count)
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
            with open(options["output"], "w", encoding="utf-8", newline="") as output:
                count = export_tenures(output, filters, progress)
            self.stderr.write(f"{count} tenures written to {options['output']}.")
        else:
            export_tenures(_Unterminated(self.stdout), filters, progress)
