"""python manage.py loaddemo: the demo record from the two Innovo Group seed filings."""

from django.conf import settings
from django.core.management.base import BaseCommand

from governance.demo import load_demo
from governance.models import Company


class Command(BaseCommand):
    help = (
        "Load the demo record (Innovo Group Inc., from the two seed filings): adds or updates "
        "the demo records that still exist, never one an editor deleted. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at-start",
            action="store_true",
            help="As `make run` and the container run it: only when LOAD_DEMO is on and the "
            "database has no companies.",
        )

    def handle(self, *args, at_start=False, **options):
        if at_start and not settings.LOAD_DEMO:
            self.stdout.write("Demo not loaded: LOAD_DEMO is off.")
            return
        if at_start and Company.objects.exists():
            self.stdout.write("Demo not loaded: the database already holds companies.")
            return
        load_demo()
        self.stdout.write("Demo record loaded: Innovo Group Inc. and its people.")
