"""The public, read-only pages: search, indexes, company timelines, people, sources.

Views fetch (a fixed number of queries each, whatever the number of tenures), hand the rows
to governance.pages.timeline / governance.pages.events to shape, and render; templates never query.
"""

import datetime
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from governance.history.feed import latest_changes
from governance.history.record_time import (
    accepts_recorded,
    company_as_recorded,
    person_as_recorded,
    tenures_as_of,
)
from governance.history.versions import format_moment, last_changes
from governance.models import Company, Role, Source, Tenure
from governance.pages.alphabet import letter_bar, starting_with
from governance.pages.events import career_path, company_events
from governance.pages.timeline import build_chart
from governance.views.exports import tenure_export_url
from governance.views.responses import (
    BadParameter,
    bad_parameters_give_400,
    day_param,
    not_found,
    page_param,
)
from people.models import Person

PER_PAGE = 50
KIND_ORDER = {Role.Kind.OFFICER: 0, Role.Kind.BOARD: 1, Role.Kind.OTHER: 2}


def _today() -> datetime.date:
    return timezone.localdate()


def _lane_order(role: Role) -> tuple:
    """Officers first, then the board, then other roles; by the catalogue's order within."""
    return (KIND_ORDER.get(role.kind, 3), role.position, role.name)


def _paginate(request, items, per_page: int = PER_PAGE):
    paginator = Paginator(items, per_page)
    number = page_param(request)
    if number > paginator.num_pages:
        raise BadParameter(f"?page={number} is past the last page ({paginator.num_pages}).")
    return paginator.page(number)


def _letter(request) -> str:
    letter = request.GET.get("letter", "").strip()
    if len(letter) > 1 or (letter and not letter.isalnum()):
        raise BadParameter(f"?letter={letter!r} is not a letter: give one letter, e.g. C.")
    return letter.upper()


def home(request):
    """Search people (by every name they are known by) and companies; the companies; changes."""
    query = request.GET.get("q", "").strip()[:200]
    people = companies_found = []
    if query:
        people = list(Person.objects.search(query).prefetch_related("other_names")[:PER_PAGE])
        companies_found = list(Company.objects.search(query)[:PER_PAGE])
    return render(
        request,
        "governance/home.html",
        {
            "query": query,
            "people": people,
            "companies_found": companies_found,
            "companies": Company.objects.select_related("parent")[:PER_PAGE],
            "company_count": Company.objects.count(),
            "changes": latest_changes(10),
        },
    )


def _index(request, records, sort_field: str, template: str):
    """An A–Z index page: a letter bar, then one letter's records (or all), paginated."""
    letter = _letter(request)
    letters = letter_bar(records.model.objects.all(), sort_field)
    if letter:
        records = starting_with(records, sort_field, letter)
    return render(
        request,
        template,
        {"page": _paginate(request, records), "letters": letters, "letter": letter},
    )


def _current_tenures(*related: str, order: tuple[str, ...]) -> Prefetch:
    queryset = Tenure.objects.current().select_related(*related).order_by(*order)
    return Prefetch("tenures", queryset=queryset, to_attr="current_tenures")


@bad_parameters_give_400
def company_list(request):
    """Every company A–Z, with who holds its roles now."""
    companies = Company.objects.select_related("parent").prefetch_related(
        _current_tenures("person", "role", order=("role__position", "person__sort_name"))
    )
    return _index(request, companies, "name", "governance/company_list.html")


@bad_parameters_give_400
def person_list(request):
    """Everyone A–Z by family name, with the roles each holds now."""
    people = Person.objects.prefetch_related(
        _current_tenures("company", "role", order=("company__name", "role__position"))
    )
    return _index(request, people, "sort_name", "governance/person_list.html")


def _sources_of(tenures) -> list[Source]:
    """The documents cited for, or attesting, these tenures, in date order."""
    found = {}
    for tenure in tenures:
        for item in [*tenure.citations.all(), *tenure.attestations.all()]:
            if item.source is not None:
                found[item.source.pk] = item.source
    return sorted(
        found.values(), key=lambda source: (source.date is None, source.date, source.title)
    )


def _mark_repeated_quotes(citations, attestations) -> None:
    """Flag attested days whose passage a citation of the same tenure already quotes, so a
    page quotes it once."""
    quoted = {(citation.tenure_id, citation.quote) for citation in citations}
    for attestation in attestations:
        attestation.quoted_above = (attestation.tenure_id, attestation.quote) in quoted


def _export_url(request, **filters) -> str:
    return tenure_export_url(**filters, recorded=request.GET.get("recorded", ""))


@bad_parameters_give_400
@accepts_recorded
def company(request, slug: str):
    """The board and officer timeline; with ?on=YYYY-MM-DD, who held each role that day;
    with ?recorded=, all of it as the record stood at that moment."""
    company = get_object_or_404(Company.objects.select_related("parent"), slug=slug)
    on_day = day_param(request)
    today = _today()
    day = on_day or today

    if request.recorded:
        past = company_as_recorded(company, request.recorded, on=day)
        if not past.existed:
            return not_recorded_yet(request, company, request.recorded)
        company = past.subject
        tenures = sorted(past.tenures, key=Tenure.start_order)
        certain_ids = {tenure.pk for tenure in past.on.certain}
        possible_ids = {tenure.pk for tenure in past.on.only_possible}
        documents = _sources_of(tenures)
        elsewhere = tenures_as_of(
            request.recorded,
            Q(person_id__in={tenure.person_id for tenure in tenures}) & ~Q(company_id=company.pk),
        )
    else:
        tenures = sorted(Tenure.objects.at(company).for_display(), key=Tenure.start_order)
        certain_ids = set(Tenure.objects.at(company).held_on(day).values_list("pk", flat=True))
        possible_ids = set(
            Tenure.objects.at(company).only_possibly_held_on(day).values_list("pk", flat=True)
        )
        documents = list(Source.objects.about_company(company))
        elsewhere = (
            Tenure.objects.filter(person_id__in={tenure.person_id for tenure in tenures})
            .exclude(company=company)
            .select_related("person", "company", "role")
        )
        last_changes([company, *tenures])

    roles = sorted({tenure.role for tenure in tenures}, key=_lane_order)
    by_role = {role: [t for t in tenures if t.role_id == role.pk] for role in roles}
    holders = [
        (
            role,
            [t for t in by_role[role] if t.pk in certain_ids],
            [t for t in by_role[role] if t.pk in possible_ids],
        )
        for role in roles
    ]
    founders = list(company.founders.select_related("person", "source"))
    chart = build_chart(
        [(role.name, by_role[role]) for role in roles],
        today=today,
        label=lambda tenure: tenure.person.name,
        documents=documents,
        on_day=on_day,
        certain_on_day=certain_ids if on_day else (),
        possible_on_day=possible_ids if on_day else (),
        founded=company.founded,
    )
    elsewhere = sorted(elsewhere, key=lambda t: (t.company.name, t.company.pk, t.person.sort_name))
    interlocks = [
        (other, sorted(group, key=Tenure.start_order))
        for other, group in groupby(elsewhere, key=lambda tenure: tenure.company)
    ]
    return render(
        request,
        "governance/company.html",
        {
            "company": company,
            "recorded": request.recorded,
            "on_day": on_day,
            "day": day,
            "today": today,
            "chart": chart,
            "holders": holders,
            "tenures": [tenure for role in roles for tenure in by_role[role]],
            "events": company_events(company, tenures, founders),
            "founders": founders,
            "documents": documents,
            "subsidiaries": list(company.subsidiaries.all()),
            "former_names": list(company.former_names.all()),
            "interlocks": interlocks,
            "export_url": _export_url(
                request, company=company.slug, on=on_day.isoformat() if on_day else ""
            ),
        },
    )


@accepts_recorded
def person(request, slug: str):
    """A person's career path across companies, other names, sources and documents; with
    ?recorded=, as the record stood at that moment."""
    person = get_object_or_404(Person, slug=slug)
    if request.recorded:
        past = person_as_recorded(person, request.recorded)
        if not past.existed:
            return not_recorded_yet(request, person, request.recorded)
        person = past.subject
        tenures = sorted(past.tenures, key=Tenure.start_order)
        documents = _sources_of(tenures)
    else:
        tenures = sorted(person.tenures.for_display(), key=Tenure.start_order)
        documents = list(Source.objects.about_person(person))
        last_changes([person, *tenures])
    for tenure in tenures:
        _mark_repeated_quotes(tenure.citations.all(), tenure.attestations.all())
    path = career_path(tenures)
    lanes = {}
    for career in path:
        for step in career.steps:
            tenure = step.tenure
            key = (tenure.company_id, tenure.role_id)
            lanes.setdefault(key, (f"{tenure.role.name} · {tenure.company.name}", []))
            lanes[key][1].append(tenure)
    chart = build_chart(
        list(lanes.values()),
        today=_today(),
        label=lambda tenure: tenure.dates_display,
        documents=documents,
    )
    return render(
        request,
        "governance/person.html",
        {
            "person": person,
            "recorded": request.recorded,
            "other_names": list(person.other_names.all()),
            "foundings": list(person.foundings.select_related("company", "source")),
            "path": path,
            "chart": chart,
            "tenures": [step.tenure for career in path for step in career.steps],
            "parts": list(person.source_parts.select_related("source").order_by("source__date")),
            "documents": documents,
            "export_url": _export_url(request, person=person.slug),
        },
    )


def not_recorded_yet(request, record, recorded):
    return not_found(request, f"{record} was not yet in the record at {format_moment(recorded)}.")


def source(request, pk: int):
    """A document: its details, parties, quoted passages, and every fact it supports."""
    source = get_object_or_404(Source, pk=pk)
    last_changes([source])
    related = ("tenure__person", "tenure__company", "tenure__role")
    citations = list(source.citations.select_related(*related))
    attestations = list(source.attestations.select_related(*related))
    _mark_repeated_quotes(citations, attestations)
    return render(
        request,
        "governance/source.html",
        {
            "source": source,
            "parties": list(source.parties.select_related("person", "company")),
            "citations": citations,
            "attestations": attestations,
            "foundings": list(source.foundings.select_related("person", "company")),
        },
    )
