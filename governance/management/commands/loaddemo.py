"""python manage.py loaddemo: the demo record from the two Innovo Group seed filings."""

from django.core.management.base import BaseCommand

from governance.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo record (Innovo Group Inc., from the two seed filings). Safe to run again."

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write("Demo record loaded: Innovo Group Inc. and its people.")
