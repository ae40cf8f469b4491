"""CSV downloads: /export/tenures.csv (with filters), people, companies, events, transactions.

A bad parameter is a plain-text 400 (an unknown record a 404) with the pages' message for it:
scripts read these bodies."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from governance.csv.format import (
    TENURE_COLUMNS,
    csv_file_response,
    csv_response,
    export_filename,
)
from governance.csv.record_exports import (
    COMPANY_COLUMNS,
    EVENT_COLUMNS,
    PEOPLE_COLUMNS,
    company_rows,
    event_rows,
    people_rows,
)
from governance.csv.tenure_export import tenure_csv_chunks, tenure_rows_of
from governance.csv.transaction_export import TRANSACTION_COLUMNS, transaction_rows
from governance.forms import TenureExportForm
from governance.history.record_time import tenures_as_recorded


def tenure_export_url(**filters: str) -> str:
    """The export link a page shows for what it shows, e.g. tenure_export_url(company=slug)."""
    query = {name: value for name, value in filters.items() if value}
    url = reverse("export_tenures")
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
def export_tenures(request: HttpRequest) -> HttpResponse:
    form = TenureExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            form.error_message(),
            status=404 if form.names_no_record else 400,
            content_type="text/plain; charset=utf-8",
        )
    filters, recorded = form.filters(), form.cleaned_data["recorded"]
    if recorded is None:
        selected = filters.apply(filters.base_queryset())
        return csv_file_response(
            export_filename("tenures", filters.describe()), tenure_csv_chunks(selected)
        )
    tenures = tenures_as_recorded(
        recorded, company=filters.company, person=filters.person, role=filters.role, on=filters.on
    )
    parts = [*filters.describe(), f"recorded-{recorded:%Y-%m-%dT%H%MZ}"]
    return csv_response(export_filename("tenures", parts), TENURE_COLUMNS, tenure_rows_of(tenures))


@require_GET
def export_people(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(export_filename("people"), PEOPLE_COLUMNS, people_rows())


@require_GET
def export_companies(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(export_filename("companies"), COMPANY_COLUMNS, company_rows())


@require_GET
def export_events(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(export_filename("events"), EVENT_COLUMNS, event_rows())


@require_GET
def export_transactions(request: HttpRequest) -> StreamingHttpResponse:
    rows = transaction_rows()
    return csv_response(export_filename("transactions"), TRANSACTION_COLUMNS, rows)
