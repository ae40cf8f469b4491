"""python manage.py cleanup_uploads"""

from django.core.management.base import BaseCommand

from governance.jobs import remove_stale_uploads


class Command(BaseCommand):
    help = (
        "Remove the admin's import uploads that no job will read: folders under "
        "IMPORT_UPLOAD_DIR untouched for IMPORT_UPLOAD_MAX_AGE that no queued or running job "
        "reads. Every job already ends with this sweep, and each preview schedules its own "
        "upload's removal at expiry; run this from cron where the worker may sit idle."
    )

    def handle(self, *args, **options):
        removed = remove_stale_uploads()
        self.stdout.write(f"{removed:,} upload folder{'' if removed == 1 else 's'} removed.")
