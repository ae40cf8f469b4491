"""python manage.py compute_quality: recompute the checks of /quality/ that are computed into a
table (governance.pages.quality), now, in this process. For cron, or after a large import;
/quality/ also asks the worker for it whenever the record has changed since."""

from django.core.management.base import BaseCommand

from governance.history.tracked import record_version
from governance.pages.quality import compute_findings


class Command(BaseCommand):
    help = "Recompute the computed data-quality checks of /quality/ and store their findings."

    def handle(self, *args, **options):
        for run in compute_findings(record_version()):
            self.stdout.write(f"{run.check_slug}: {run.findings} findings in {run.seconds:.2f} s")
