"""Helpers for the page tests: a page's visible text, and a company with many tenures."""

import datetime
import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Attestation, Citation, Company, Role, Source, Tenure
from governance.models.partial_date import PartialDate
from people.models import OtherName, Person


def text_of(response) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    page = response.content.decode()
    page = re.sub(r"<(script|style|title)\b.*?</\1>", " ", page, flags=re.S)
    # Block boundaries separate words; inline tags (a, bdi, span) do not.
    page = re.sub(r"<(/(dt|dd|li|td|th|p|div|h\d|caption)|br)\b[^>]*>", " ", page)
    page = re.sub(r"<[^>]+>", "", page)
    return " ".join(html.unescape(page).split())


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)


def crowd_company(company: Company, people: int, prefix: str = "Person") -> list[Tenure]:
    """Give company `people` directors and as many vice presidents, each cited and attested,
    some succeeding others, so a page shows many tenures of every shape."""
    director = Role.objects.get(slug="director")
    vice_president = Role.objects.get(slug="vice-president")
    source, _ = Source.objects.get_or_create(
        title=f"Annual report of {company.name}",
        defaults={"kind": Source.Kind.SEC_FILING, "form_type": "10-K", "date": PartialDate(2010)},
    )
    tenures = []
    previous = None
    for n in range(people):
        person = Person.objects.create(name=f"{prefix} {n:03d}")
        OtherName.objects.create(person=person, name=f"{prefix[:1]}. {n:03d}")
        start = PartialDate(1990 + n % 30, 1 + n % 12)
        board = Tenure.objects.create(
            person=person,
            company=company,
            role=director,
            start=start,
            end=PartialDate(2020 + n % 5) if n % 2 else None,
            end_reason=Tenure.EndReason.RETIRED if n % 2 else "",
        )
        officer = Tenure.objects.create(
            person=person,
            company=company,
            role=vice_president,
            start=None if n % 3 == 0 else PartialDate(1995 + n % 20, 1 + n % 12, 1 + n % 28),
            predecessor=previous if n % 3 else None,
        )
        previous = officer if officer.start else previous
        for tenure in (board, officer):
            Citation.objects.create(tenure=tenure, source=source, quote=f"{person.name} served.")
        Attestation.objects.create(
            tenure=officer, day=datetime.date(2011, 1, 1 + n % 28), source=source
        )
        source.parties.create(person=person, part="signatory")
        tenures += [board, officer]
    return tenures
