"""python manage.py fetch_sec_ownership --cik CIK [--since YYYY-MM-DD] [--to FOLDER]"""

import datetime
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from governance.csv.progress import Progress
from governance.management.commands.import_sec_ownership import run_import
from governance.sec.edgar import EdgarClient, EdgarError, RateLimiter, fetch_ownership
from people.identifiers import InvalidCik, normalise_cik


class Command(BaseCommand):
    help = (
        "Download a company's SEC Forms 3, 4 and 5 (and amendments) from EDGAR, at most "
        "SEC_REQUESTS_PER_SECOND requests a second with SEC_USER_AGENT as the contact, into a "
        "cache folder, then import them as import_sec_ownership does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cik", required=True, help="The company's SEC CIK.")
        parser.add_argument(
            "--since", type=datetime.date.fromisoformat, help="Only filings filed on or after."
        )
        parser.add_argument(
            "--to", type=Path, help="The folder to download into (default: SEC_CACHE_DIR/<CIK>)."
        )
        parser.add_argument("--user", help="Username recorded in history as the importer.")

    def handle(self, *args, **options):
        try:
            cik = normalise_cik(options["cik"])
        except InvalidCik as error:
            raise CommandError(str(error)) from None
        folder = options["to"] or Path(settings.SEC_CACHE_DIR) / cik
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        try:
            client = EdgarClient(
                settings.SEC_USER_AGENT,
                data_url=settings.SEC_DATA_URL,
                archives_url=settings.SEC_ARCHIVES_URL,
                limiter=RateLimiter(settings.SEC_REQUESTS_PER_SECOND),
            )
            progress = Progress("Fetching filings", stream=sys.stderr, unit="filings")
            fetched = fetch_ownership(
                client, cik, folder, since=options["since"], progress=progress.update
            )
            progress.close()
        except EdgarError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Fetched {fetched.downloaded:,} filings into {folder} ({fetched.cached:,} were "
            f"already there; {client.requests:,} requests)."
        )
        for error in fetched.errors:
            self.stderr.write(f"not fetched: {error}")
        report = run_import(
            [str(path) for path in fetched.paths],
            user=user,
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
        self.stdout.write(report.summary())
        if fetched.errors or not report.ok:
            raise CommandError("Some filings were not fetched or not applied: see above.")
