"""Shared helpers for the CSV tests: export to text, import text, empty the record."""

import io

from governance.csv.tenure_export import tenure_csv_chunks
from governance.csv.tenure_import import import_tenures
from governance.models import Attestation, Citation, Company, Founder, Source, SourceParty, Tenure
from people.models import OtherName, Person


def export_text(queryset=None) -> str:
    return b"".join(tenure_csv_chunks(queryset)).decode()


def import_text(text: str, filename: str = "test.csv", **options):
    return import_tenures(io.BytesIO(text.encode()), filename=filename, **options)


def empty_record(keep_sources: bool = True) -> None:
    """Everything but the role catalogue and (unless told otherwise) the sources.

    The CSV names each source by URL or title but does not carry its date, which a tenure's
    last_confirmed reads: an import into a database that knows the sources matches them and
    derives the same last_confirmed, while one into a fresh database creates them undated.
    """
    models = [Attestation, Citation, SourceParty, Founder, Tenure, OtherName, Person, Company]
    if not keep_sources:
        models.insert(models.index(OtherName), Source)
    for model in models:
        model.objects.all().delete()


def history_count() -> int:
    return sum(
        model.history.count()
        for model in (Tenure, Person, Company, Source, Citation, Attestation, OtherName)
    )


def tenure_csv(*rows: str) -> str:
    """A file with the required columns only, one row per argument."""
    header = "person,company,role,title,start,end,end_reason,replaces,sources"
    return "\r\n".join([header, *rows]) + "\r\n"
