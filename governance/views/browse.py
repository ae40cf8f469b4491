"""The public, read-only pages: search, indexes, company timelines, people, sources.

Each view reads its parameters through a form, fetches (a fixed number of queries, whatever
the number of tenures), hands the records to governance.pages to shape, and renders; templates
never query.
"""

from django.core.paginator import EmptyPage
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from governance.demo import EXHIBIT_FILES, exhibit_text
from governance.forms import CompanyPageForm, IndexForm, RecordPageForm, SearchForm
from governance.history.feed import latest_entries
from governance.history.versions import format_moment, last_changes
from governance.models import Company, Source, Tenure
from governance.pages import transactions
from governance.pages.alphabet import letter_bar, mark_confirmations, starting_with
from governance.pages.documents import marked_text
from governance.pages.profiles import company_profile, mark_repeated_quotes, person_profile
from governance.sec.ownership import edgar_filing_url
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
    if query:
        # Each person found with their roles: one query for all of them.
        roles = Tenure.objects.select_related("company", "role").order_by("company__name", "pk")
        people = Person.objects.search(query).prefetch_related(
            "other_names", Prefetch("tenures", queryset=roles, to_attr="roles_held")
        )
        context = {
            "people": list(people[:PER_PAGE]),
            "companies_found": list(Company.objects.search(query)[:PER_PAGE]),
        }
    else:
        company_count, company_count_estimated = fast_count(Company.objects.all())
        context = {
            "companies": Company.objects.select_related("parent")[:PER_PAGE],
            "company_count": company_count,
            "company_count_estimated": company_count_estimated,
            "entries": latest_entries(10),
        }
    return render(request, "governance/home.html", {"query": query, **context})


def _index(request, records, sort_field: str, template: str):
    """An A–Z index page: a letter bar, then one letter's records (or all), paginated."""
    params = parameters(request, IndexForm)
    letter = params["letter"]
    letters = letter_bar(records.model.objects.all(), sort_field)
    if letter:
        records = starting_with(records, sort_field, letter)
    page = paginate(records, params["page"], PER_PAGE)
    mark_confirmations(page.object_list, timezone.localdate())
    return render(request, template, {"page": page, "letters": letters, "letter": letter})


def _current_tenures(*related: str, order: tuple[str, ...]) -> Prefetch:
    # The roles order the list in SQL; the index shows the title, so none is built (840 of
    # them for twelve roles on a page of big companies).
    queryset = Tenure.objects.current().select_related(*related).order_by(*order)
    return Prefetch("tenures", queryset=queryset, to_attr="current_tenures")


@cached_page
@bad_parameters_give_400
def company_list(request):
    """Every company A–Z, with who holds its roles now."""
    companies = Company.objects.select_related("parent").prefetch_related(
        _current_tenures("person", order=("role__position", "person__sort_name"))
    )
    return _index(request, companies, "name", "governance/company_list.html")


@cached_page
@bad_parameters_give_400
def person_list(request):
    """Everyone A–Z by family name, with the roles each holds now."""
    people = Person.objects.prefetch_related(
        _current_tenures("company", order=("company__name", "role__position"))
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
            "all_export_url": _export_url(request, company=slug),
            "any_possible": any(holders.possible for holders in profile.holders),
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
    source = _source_or_none(pk)
    if source is None:
        return not_found(request, f"There is no document #{pk}.")
    last_changes([source])
    related = ("tenure__person", "tenure__company", "tenure__role")
    citations = list(source.citations.select_related(*related))
    attestations = list(source.attestations.select_related(*related))
    mark_repeated_quotes(citations, attestations)
    parties = list(source.parties.select_related("person", "company"))
    companies = [party.company for party in parties if party.company]
    companies += [fact.tenure.company for fact in [*citations, *attestations]]
    return render(
        request,
        "governance/source.html",
        {
            "source": source,
            "filing_url": _filing_url(source, companies),
            "has_text": source.title in EXHIBIT_FILES,
            "parties": parties,
            "citations": citations,
            "attestations": attestations,
            "foundings": list(source.foundings.select_related("person", "company")),
            "transactions": transactions.stated_by(source),
        },
    )


def _filing_url(source: Source, companies) -> str:
    """The filing on EDGAR, from its accession number and a company's CIK, where the source has
    an accession number but no URL of its own; else ""."""
    if source.url or not source.accession_number:
        return ""
    cik = next((c.cik for c in companies if c.cik and c.cik.isdigit()), None)
    return edgar_filing_url(cik, source.accession_number) if cik else ""


def _source_or_none(pk: int) -> Source | None:
    return Source.objects.filter(pk=pk).first() if pk <= MAX_ID else None


@cached_page
def source_text(request, pk: int):
    """A document's text, shipped with the app (the demo's exhibits), its quoted passages
    marked."""
    source = _source_or_none(pk)
    text = exhibit_text(source) if source else None
    if text is None:
        return not_found(request, f"The app holds no text of document #{pk}.")
    quotes = [
        *source.citations.values_list("quote", flat=True),
        *source.attestations.values_list("quote", flat=True),
        *source.foundings.values_list("quote", flat=True),
        *source.transaction_citations.values_list("quote", flat=True),
    ]
    return render(
        request,
        "governance/source_text.html",
        {"source": source, "chunks": marked_text(text, quotes)},
    )
