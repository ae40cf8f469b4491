"""CSV downloads: /export/tenures.csv (with filters), people, companies and events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from governance.csv.format import csv_chunks
from governance.csv.record_exports import (
    COMPANY_COLUMNS,
    EVENT_COLUMNS,
    PEOPLE_COLUMNS,
    company_rows,
    event_rows,
    people_rows,
)
from governance.csv.tenure_export import (
    HEADER,
    BadFilter,
    TenureFilters,
    UnknownRecord,
    export_filename,
    tenure_export_queryset,
    tenure_rows,
    tenure_rows_of,
)
from governance.history.record_time import (
    BadRecordedMoment,
    recorded_from_request,
    tenures_as_recorded,
)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[str]]
) -> StreamingHttpResponse:
    """A CSV download streamed as its rows are read, never held whole in memory."""
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in csv_chunks(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def tenure_export_url(**filters: str) -> str:
    """The export link a page shows for what it shows, e.g. tenure_export_url(company=slug)."""
    query = {name: value for name, value in filters.items() if value}
    url = reverse("export_tenures")
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
def export_tenures(request: HttpRequest) -> HttpResponse:
    try:
        filters = TenureFilters.parse(request.GET)
    except BadFilter as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    except UnknownRecord as error:
        return HttpResponse(str(error), status=404, content_type="text/plain; charset=utf-8")
    try:
        recorded = recorded_from_request(request)
    except BadRecordedMoment as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    if recorded is None:
        queryset = tenure_export_queryset(filters.apply(TenureFilters.base_queryset()))
        return csv_response(
            export_filename("tenures", filters.describe()), HEADER, tenure_rows(queryset)
        )
    tenures = tenures_as_recorded(
        recorded, company=filters.company, person=filters.person, role=filters.role, on=filters.on
    )
    parts = [*filters.describe(), f"recorded-{recorded:%Y-%m-%dT%H%MZ}"]
    return csv_response(export_filename("tenures", parts), HEADER, tenure_rows_of(tenures))


@require_GET
def export_people(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(export_filename("people"), PEOPLE_COLUMNS, people_rows())


@require_GET
def export_companies(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(export_filename("companies"), COMPANY_COLUMNS, company_rows())


@require_GET
def export_events(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(export_filename("events"), EVENT_COLUMNS, event_rows())
