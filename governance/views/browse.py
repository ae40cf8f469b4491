"""The public, read-only pages: search, indexes, company timelines, people, sources.

Each view reads its parameters through a form, fetches (a fixed number of queries, whatever
the number of tenures), hands the records to governance.pages to shape, and renders; templates
never query.
"""

from django.core.paginator import EmptyPage
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from governance.forms import CompanyPageForm, IndexForm, RecordPageForm, SearchForm
from governance.history.feed import latest_changes
from governance.history.versions import format_moment, last_changes
from governance.models import Company, Source, Tenure
from governance.pages import transactions
from governance.pages.alphabet import letter_bar, starting_with
from governance.pages.profiles import company_profile, mark_repeated_quotes, person_profile
from governance.views.caching import cached_page
from governance.views.exports import tenure_export_url
from governance.views.responses import (
    BadParameter,
    bad_parameters_give_400,
    not_found,
    paginate,
    parameters,
)
from people.models import Person
from records.pagination import fast_count

PER_PAGE = 50
MAX_ID = 2**63 - 1  # beyond a bigint, the database would refuse the query


@cached_page
@bad_parameters_give_400
def home(request):
    """Search people (by every name they are known by) and companies; the companies; changes."""
    query = parameters(request, SearchForm)["q"]
    people = companies_found = []
    company_count, company_count_estimated = fast_count(Company.objects.all())
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
            "company_count": company_count,
            "company_count_estimated": company_count_estimated,
            "changes": latest_changes(10),
        },
    )


def _index(request, records, sort_field: str, template: str):
    """An A–Z index page: a letter bar, then one letter's records (or all), paginated."""
    params = parameters(request, IndexForm)
    letter = params["letter"]
    letters = letter_bar(records.model.objects.all(), sort_field)
    if letter:
        records = starting_with(records, sort_field, letter)
    page = paginate(records, params["page"], PER_PAGE)
    return render(request, template, {"page": page, "letters": letters, "letter": letter})


def _current_tenures(*related: str, order: tuple[str, ...]) -> Prefetch:
    queryset = Tenure.objects.current().select_related(*related).order_by(*order)
    return Prefetch("tenures", queryset=queryset, to_attr="current_tenures")


@cached_page
@bad_parameters_give_400
def company_list(request):
    """Every company A–Z, with who holds its roles now."""
    companies = Company.objects.select_related("parent").prefetch_related(
        _current_tenures("person", "role", order=("role__position", "person__sort_name"))
    )
    return _index(request, companies, "name", "governance/company_list.html")


@cached_page
@bad_parameters_give_400
def person_list(request):
    """Everyone A–Z by family name, with the roles each holds now."""
    people = Person.objects.prefetch_related(
        _current_tenures("company", "role", order=("company__name", "role__position"))
    )
    return _index(request, people, "sort_name", "governance/person_list.html")


def _export_url(request, **filters) -> str:
    return tenure_export_url(**filters, recorded=request.GET.get("recorded", ""))


@cached_page
@bad_parameters_give_400
def company(request, slug: str):
    """The board and officer timeline; with ?on=YYYY-MM-DD, who held each role that day;
    with ?recorded=, all of it as the record stood at that moment."""
    company = Company.objects.select_related("parent").filter(slug=slug).first()
    if company is None:
        return not_found(request, f"There is no company at /companies/{slug}/.")
    params = parameters(request, CompanyPageForm)
    on_day, recorded, today = params["on"], params["recorded"], timezone.localdate()
    try:
        profile = company_profile(
            company, today=today, on_day=on_day, recorded=recorded, page=params["page"]
        )
    except EmptyPage:
        raise BadParameter(f"?page={params['page']} is past the last page of tenures.") from None
    if profile is None:
        return not_recorded_yet(request, company, recorded)
    export_url = _export_url(request, company=slug, on=on_day.isoformat() if on_day else "")
    return render(
        request,
        "governance/company.html",
        {
            **profile.context(),
            "recorded": recorded,
            "on_day": on_day,
            "day": on_day or today,
            "today": today,
            "export_url": export_url,
        },
    )


@cached_page
@bad_parameters_give_400
def person(request, slug: str):
    """A person's career path across companies, other names, sources and documents; with
    ?recorded=, as the record stood at that moment."""
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        return not_found(request, f"There is no person at /people/{slug}/.")
    recorded = parameters(request, RecordPageForm)["recorded"]
    profile = person_profile(person, today=timezone.localdate(), recorded=recorded)
    if profile is None:
        return not_recorded_yet(request, person, recorded)
    return render(
        request,
        "governance/person.html",
        {
            **profile.context(),
            "recorded": recorded,
            "export_url": _export_url(request, person=slug),
        },
    )


def not_recorded_yet(request, record, recorded):
    return not_found(request, f"{record} was not yet in the record at {format_moment(recorded)}.")


@cached_page
def source(request, pk: int):
    """A document: its details, parties, quoted passages, and every fact it supports."""
    source = Source.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if source is None:
        return not_found(request, f"There is no document #{pk}.")
    last_changes([source])
    related = ("tenure__person", "tenure__company", "tenure__role")
    citations = list(source.citations.select_related(*related))
    attestations = list(source.attestations.select_related(*related))
    mark_repeated_quotes(citations, attestations)
    return render(
        request,
        "governance/source.html",
        {
            "source": source,
            "parties": list(source.parties.select_related("person", "company")),
            "citations": citations,
            "attestations": attestations,
            "foundings": list(source.foundings.select_related("person", "company")),
            "transactions": transactions.stated_by(source),
        },
    )
