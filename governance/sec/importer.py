"""Applying SEC ownership filings to the record (DESIGN.md, "From SEC ownership filings").

Each file is read and parsed first: a malformed one is reported with its reason and never
reaches the database. Parsed filings are applied in batches. A batch is matched against the
record in a fixed number of queries (ledger, companies, persons, tenures), planned in memory
(which tenure each attested day joins, and whether it would break the single-seat rule), then
written in bulk, every record it creates or changes with a history row whose change reason
names its filing.

Transactions: a file is written whole or not at all. A batch of whole files is one transaction;
if it fails to write, its files are retried one by one, each in its own transaction, so a file
that cannot be written costs only itself and the report names it. Not one transaction per run:
filings are independent documents, a run may hold thousands (a company's whole history from
EDGAR), and the ledger makes a re-run after a fix apply exactly what is missing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from governance.models import (
    AppliedFiling,
    Attestation,
    Citation,
    Company,
    FormerName,
    HeldBackRelationship,
    Role,
    Source,
    SourceParty,
    Tenure,
)
from governance.models.intervals import Intervals, derive_intervals, latest_evidence
from governance.models.partial_date import PartialDate
from governance.sec.files import documents
from governance.sec.names import (
    company_key,
    entity_reason,
    name_key,
    owner_display_name,
    state_name,
    unfit_name_reason,
)
from governance.sec.ownership import Filing, MalformedFiling, ReportingOwner, parse_filing
from governance.sec.report import Counts, Finding, ImportReport
from governance.sec.titles import (
    CATALOGUE,
    DIRECTOR,
    OTHER,
    TEN_PERCENT_OWNER,
    read_title,
)
from people.models import OtherName, Person, unique_slugs
from people.names import normalise_name
from records.concurrency import ImportBusy, take_import_lock
from records.history_origin import origin_attrs
from records.inferences import INFERRED_SEPARATOR
from records.origin import command

BATCH_SIZE = 500
NO_DAYS = Intervals(False, None, None, None, None)


def import_filings(
    paths: Iterable[str],
    *,
    user=None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    on_applied: Callable[[str], None] | None = None,
) -> ImportReport:
    """Read every filing under paths (files, folders, zips) and apply it; see the module's
    docstring. A dry run does everything, reports it, and rolls it all back."""
    report = ImportReport(dry_run=dry_run)
    roles = RoleCatalogue()
    # A dry run is one transaction, rolled back; a real one commits each batch (see above).
    with transaction.atomic() if dry_run else nullcontext():
        for chunk in _chunks(documents(paths), batch_size):
            filings = []
            for document in chunk:
                report.files_read += 1
                if document.error:
                    report.fail(document.path, document.error)
                    continue
                try:
                    filings.append(parse_filing(document.data, document.path))
                except MalformedFiling as error:
                    report.fail(document.path, str(error))
            _apply(filings, report, roles=roles, user=user, on_applied=on_applied)
            if progress is not None:
                progress(report.files_read)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def _apply(filings: list[Filing], report: ImportReport, *, roles, user, on_applied) -> None:
    if not filings:
        return
    try:
        with transaction.atomic():
            take_import_lock()
            counts = Batch(filings, roles=roles, user=user).apply()
    except ImportBusy as error:
        # SQLite waited its time for another import's write lock: each filing alone would too.
        for filing in filings:
            report.fail(filing.path, f"not written: {error}")
        return
    except (DatabaseError, ValidationError) as error:
        if len(filings) == 1:
            report.fail(filings[0].path, f"not written: {error}")
            return
        for filing in filings:
            _apply([filing], report, roles=roles, user=user, on_applied=on_applied)
        return
    report.add(counts)
    if on_applied is not None:
        for path in counts.applied_paths:
            on_applied(path)


class RoleCatalogue:
    """The catalogue's roles by the keys the title reader uses: a role of that slug, else one
    whose name is the key's name or another name it goes by (an admin may have added it)."""

    def __init__(self):
        roles = list(Role.objects.all())
        by_slug = {role.slug: role for role in roles}
        by_name = {role.name.casefold(): role for role in roles}
        self.by_key: dict[str, Role] = {}
        for key, entry in CATALOGUE.items():
            role = by_slug.get(key)
            for name in (entry.name, *entry.aliases):
                role = role or by_name.get(name.casefold())
            if role is not None:
                self.by_key[key] = role

    def get(self, key: str) -> Role | None:
        return self.by_key.get(key)


# -- what a batch works on -----------------------------------------------------------------


@dataclass(eq=False)
class CompanyRef:
    company: Company
    created: bool = False
    linked: bool = False  # an existing company given the filing's CIK by its name alone
    reason: str = ""
    name_keys: set[str] = field(default_factory=set)


@dataclass(eq=False)
class PersonRef:
    person: Person
    created: bool = False
    linked: bool = False  # an existing person given the owner's CIK by name alone
    reason: str = ""
    name_keys: set[str] = field(default_factory=set)

    @property
    def inferred(self) -> bool:
        """Whether the person is this owner by inference: linked by name, now or before."""
        return self.linked or "cik" in self.person.inferred_fields


@dataclass(eq=False)
class TenureState:
    """A tenure as the batch leaves it: its intervals and attested days, with what it adds."""

    tenure: Tenure
    created: bool
    intervals: Intervals
    days: set[datetime.date]
    attested: set[tuple]  # (day, accession number) of its attested days
    cited: set[str]  # accession numbers of the filings it cites
    citations: int
    founded: PartialDate | None = None
    source_dates: list[PartialDate] = field(default_factory=list)
    registered: bool = False  # a new tenure the batch will write


@dataclass(eq=False)
class OwnerWork:
    owner: ReportingOwner
    ledger: AppliedFiling
    facts: list[tuple[str, str]] = field(default_factory=list)  # (role key, title as filed)
    person: PersonRef | None = None


@dataclass(eq=False)
class FilingWork:
    filing: Filing
    owners: list[OwnerWork]
    reason: str
    company: CompanyRef | None = None
    source: Source | None = None
    amends: str = ""

    @property
    def applicable(self) -> list[OwnerWork]:
        return [owner for owner in self.owners if owner.facts]


def _change_reason(filing: Filing) -> str:
    return f"Imported from SEC Form {filing.form_type} {filing.accession_number}"


def _add_inferred(record, name: str, note: str) -> None:
    fields = record.inferred_fields
    if name not in fields:
        record.inferred = INFERRED_SEPARATOR.join([*fields, name])
    record.inferred_note = f"{record.inferred_note}\n{note}".strip()


class Batch:
    def __init__(self, filings: list[Filing], *, roles: RoleCatalogue, user):
        self.filings = filings
        self.roles = roles
        self.user = user
        self.counts = Counts()
        self.works: list[FilingWork] = []
        self.companies: dict[str, CompanyRef] = {}  # by CIK
        self.persons: dict[str, PersonRef] = {}  # by CIK
        self.other_names: list[OtherName] = []
        self.former_names: list[FormerName] = []
        self.states: dict[tuple, list[TenureState]] = defaultdict(list)
        self.seats: dict[tuple, list[TenureState]] = defaultdict(list)  # single-seat, by company
        self.new_tenures: list[TenureState] = []
        self.reused: dict[int, TenureState] = {}
        self.citations: list[Citation] = []
        self.attestations: list[Attestation] = []
        self.held_back: list[HeldBackRelationship] = []
        self.new_sources: list[Source] = []
        self.parties: list[SourceParty] = []
        self._name_matches: dict[int, Person] = {}

    def apply(self) -> Counts:
        self._drop_ledgered()
        for work in self.works:
            for owner in work.owners:
                self._read_relationships(work, owner)
        applicable = [work for work in self.works if work.applicable]
        if applicable:
            self._match_companies(applicable)
            self._find_originals(applicable)
            self._sources(applicable)
            self._match_persons(applicable)
            self._load_tenures(applicable)
            for work in applicable:
                for owner in work.applicable:
                    for key, title in owner.facts:
                        self._attest(work, owner, key, title)
        self._write()
        self.counts.filings_applied = len(applicable)
        self.counts.applied_paths = [work.filing.path for work in applicable]
        return self.counts

    # -- the ledger ------------------------------------------------------------------------

    def _drop_ledgered(self) -> None:
        """Keep the owners of each filing that no earlier import (nor an earlier file of this
        batch) applied; a filing with none left is already imported."""
        accessions = {filing.accession_number for filing in self.filings}
        done = set(
            AppliedFiling.objects.filter(accession_number__in=accessions).values_list(
                "accession_number", "owner_cik"
            )
        )
        for filing in self.filings:
            owners = []
            for owner in filing.owners:
                key = (filing.accession_number, owner.cik)
                if key in done:
                    continue
                done.add(key)
                ledger = AppliedFiling(
                    accession_number=filing.accession_number,
                    owner_cik=owner.cik,
                    owner_name=owner.name[:200],
                    issuer_cik=filing.issuer.cik,
                    form_type=filing.form_type,
                    period_of_report=filing.period_of_report,
                    filed=filing.filed,
                    path=filing.path[-500:],
                )
                owners.append(OwnerWork(owner, ledger))
            if owners:
                self.works.append(FilingWork(filing, owners, _change_reason(filing)))
            else:
                self.counts.already_imported += 1

    # -- relationships into roles ----------------------------------------------------------

    def _read_relationships(self, work: FilingWork, owner: OwnerWork) -> None:
        filed = owner.owner
        who = f"{filed.name} (CIK {filed.cik})"
        reason = entity_reason(filed.name) or unfit_name_reason(filed.name)
        if reason:
            self._skip_owner(work, owner, f"{who}: {reason}")
            return
        relationship = filed.relationship
        facts = []
        if relationship.is_director:
            facts.append((DIRECTOR, "Director"))
        if relationship.is_officer:
            reading = read_title(relationship.officer_title)
            if reading.skipped:
                self.counts.skipped_relationships.append(
                    Finding(work.filing.path, f"{who}: {reading.skipped}, not a current one")
                )
            title = relationship.officer_title
            facts += [(key, title or CATALOGUE[key].name) for key in reading.roles]
        if relationship.is_ten_percent_owner:
            facts.append((TEN_PERCENT_OWNER, "10% owner"))
        if relationship.is_other:
            facts.append((OTHER, relationship.other_text or "Other"))
        for key, _title in facts:
            if self.roles.get(key) is None:
                self.counts.skipped_relationships.append(
                    Finding(
                        work.filing.path, f"{who}: no role {CATALOGUE[key].name!r} in the catalogue"
                    )
                )
        owner.facts = list(
            {key: (key, title[:200]) for key, title in facts if self.roles.get(key)}.values()
        )
        if not owner.facts:
            if relationship.is_officer and not relationship.is_director:
                self._skip_owner(work, owner, f"{who}: no current role to apply", listed=False)
            else:
                self._skip_owner(work, owner, f"{who}: states no relationship to apply")

    def _skip_owner(self, work: FilingWork, owner: OwnerWork, text: str, listed=True) -> None:
        owner.ledger.skipped = text
        if listed:
            self.counts.skipped_owners.append(Finding(work.filing.path, text))

    # -- companies -------------------------------------------------------------------------

    def _match_companies(self, works: list[FilingWork]) -> None:
        """The issuer by CIK; else the only company without a CIK whose name is the filed one,
        normalised (it gets the CIK, marked inferred); else a new company."""
        ciks = {work.filing.issuer.cik for work in works}
        for company in Company.objects.filter(cik__in=ciks).exclude(cik=""):
            self.companies[company.cik] = CompanyRef(company)
        missing = [work for work in works if work.filing.issuer.cik not in self.companies]
        by_key = self._companies_without_cik({work.filing.issuer.name for work in missing})
        claimed: set[int] = set()
        for work in works:
            issuer = work.filing.issuer
            ref = self.companies.get(issuer.cik)
            if ref is None:
                matches = [
                    c for c in by_key.get(company_key(issuer.name), []) if c.pk not in claimed
                ]
                ref = self._link_company(matches[0], work) if len(matches) == 1 else None
                if ref is not None:
                    claimed.add(ref.company.pk)
                else:
                    ref = self._new_company(work)
                self.companies[issuer.cik] = ref
            if ref.created:
                self._fill_filer_data(ref.company, issuer)
            work.company = ref
        self._filed_company_names(works)

    @staticmethod
    def _fill_filer_data(company: Company, issuer) -> None:
        """A new company's jurisdiction and headquarters from a full submission's header, from
        whichever of the batch's filings gives them first."""
        if not company.jurisdiction and issuer.state_of_incorporation:
            company.jurisdiction = state_name(issuer.state_of_incorporation)
        if not company.headquarters and issuer.city:
            city = issuer.city.title() if issuer.city.isupper() else issuer.city
            company.headquarters = ", ".join(part for part in [city, issuer.state] if part)

    def _companies_without_cik(self, names: set[str]) -> dict[str, list[Company]]:
        words = {key.split()[0] for key in map(company_key, names) if key}
        if not words:
            return {}
        condition = Q()
        for word in words:
            condition |= Q(name__icontains=word)
        by_key = defaultdict(list)
        for company in Company.objects.filter(cik="").filter(condition):
            by_key[company_key(company.name)].append(company)
        return by_key

    def _link_company(self, company: Company, work: FilingWork) -> CompanyRef:
        issuer = work.filing.issuer
        company.cik = issuer.cik
        _add_inferred(
            company,
            "cik",
            f"SEC CIK {issuer.cik} linked by name alone: SEC Form {work.filing.form_type} "
            f"{work.filing.accession_number} names the issuer {issuer.name!r}, and this was the "
            "only company without a CIK of that name.",
        )
        self.counts.companies_linked += 1
        return CompanyRef(company, linked=True, reason=work.reason)

    def _new_company(self, work: FilingWork) -> CompanyRef:
        issuer = work.filing.issuer
        company = Company(name=issuer.name[:200], ticker=issuer.trading_symbol, cik=issuer.cik)
        self.counts.companies_created += 1
        return CompanyRef(company, created=True, reason=work.reason)

    def _filed_company_names(self, works: list[FilingWork]) -> None:
        """A filed issuer name really different from the company's names, kept as a former
        name noted "as filed"; the company's own name is never overwritten."""
        existing = {ref.company.pk: ref for ref in self.companies.values() if not ref.created}
        for ref in existing.values():
            ref.name_keys.add(company_key(ref.company.name))
        former = FormerName.objects.filter(company_id__in=existing).values_list(
            "company_id", "name"
        )
        for company_id, name in former:
            existing[company_id].name_keys.add(company_key(name))
        for work in works:
            ref, issuer = work.company, work.filing.issuer
            key = company_key(issuer.name)
            if ref.created or key in ref.name_keys:
                continue
            ref.name_keys.add(key)
            name = FormerName(
                company=ref.company,
                name=issuer.name[:200],
                note=f"As filed: SEC Form {work.filing.form_type} {work.filing.accession_number}"
                f" names the issuer so (period of report {work.filing.period_of_report}).",
            )
            name._change_reason = work.reason
            self.former_names.append(name)

    # -- sources ---------------------------------------------------------------------------

    def _find_originals(self, works: list[FilingWork]) -> None:
        """For each amendment, the accession number of the filing it amends: the same issuer,
        owner and form, filed on the amendment's dateOfOriginalSubmission or, failing that,
        for the same period of report."""
        amendments = [work for work in works if work.filing.is_amendment]
        if not amendments:
            return
        owner_ciks = {owner.owner.cik for work in amendments for owner in work.owners}
        candidates = list(
            AppliedFiling.objects.filter(
                issuer_cik__in={work.filing.issuer.cik for work in amendments},
                owner_cik__in=owner_ciks,
                form_type__in={work.filing.base_form for work in amendments},
            ).values_list(
                "accession_number",
                "issuer_cik",
                "owner_cik",
                "form_type",
                "period_of_report",
                "filed",
            )
        )
        for work in works:
            filing = work.filing
            if not filing.is_amendment:
                candidates += [
                    (
                        filing.accession_number,
                        filing.issuer.cik,
                        owner.owner.cik,
                        filing.form_type,
                        filing.period_of_report,
                        filing.filed,
                    )
                    for owner in work.owners
                ]
                continue
            owners = {owner.owner.cik for owner in work.owners}
            scored = [
                (filed == filing.original_filed, period == filing.period_of_report, accession)
                for accession, issuer, owner, form, period, filed in candidates
                if issuer == filing.issuer.cik
                and owner in owners
                and form == filing.base_form
                and accession != filing.accession_number
                and (filed == filing.original_filed or period == filing.period_of_report)
            ]
            if scored:
                work.amends = max(scored)[2]
                for owner in work.owners:
                    owner.ledger.amends = work.amends

    def _sources(self, works: list[FilingWork]) -> None:
        """The filing's source: one already in the record with its accession number or URL, or
        a new one, named as EDGAR's filing index names it."""
        accessions = {work.filing.accession_number for work in works}
        urls = {work.filing.edgar_url for work in works}
        by_accession, by_url = {}, {}
        for source in Source.objects.filter(Q(accession_number__in=accessions) | Q(url__in=urls)):
            by_accession.setdefault(source.accession_number, source)
            by_url[source.url] = source
        for work in works:
            filing = work.filing
            source = by_accession.get(filing.accession_number) or by_url.get(filing.edgar_url)
            if source is None:
                source = self._new_source(work)
                by_accession[filing.accession_number] = by_url[filing.edgar_url] = source
            work.source = source

    def _new_source(self, work: FilingWork) -> Source:
        filing = work.filing
        names = [owner.owner.name for owner in work.owners]
        owners = names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")
        notes = []
        if filing.is_amendment:
            original = f"SEC Form {filing.base_form}"
            if filing.original_filed:
                original += f" filed {filing.original_filed}"
            notes.append(
                f"Amends the {original}, accession {work.amends}."
                if work.amends
                else f"Amends the {original}; that filing is not in the record."
            )
        if filing.filed is None:
            notes.append("Filing date not known: imported from the ownership XML alone.")
        if filing.no_securities_owned:
            notes.append("States that no securities are beneficially owned.")
        source = Source(
            kind=Source.Kind.SEC_FILING,
            title=f"SEC Form {filing.form_type}, {filing.issuer.name}: {owners} "
            f"({filing.accession_number})"[:300],
            form_type=filing.form_type,
            date=PartialDate.from_date(filing.filed) if filing.filed else None,
            url=filing.edgar_url,
            accession_number=filing.accession_number,
            notes=" ".join(notes),
        )
        source._change_reason = work.reason
        self.new_sources.append(source)
        self.parties.append(
            self._party(work, source, company=work.company.company, name=work.filing.issuer.name)
        )
        self.counts.sources_created += 1
        return source

    # -- persons ---------------------------------------------------------------------------

    def _match_persons(self, works: list[FilingWork]) -> None:
        """Each owner by CIK; else by name among the company's people (the only match, without
        a CIK: it gets the owner's, marked inferred); else a new person whose display name is
        made from the filed form, marked inferred. The filed form is kept as an "as filed"
        other name wherever the person's names do not already hold it."""
        owners = [(work, owner) for work in works for owner in work.applicable]
        ciks = {owner.owner.cik for _, owner in owners}
        for person in Person.objects.filter(cik__in=ciks).exclude(cik=""):
            self.persons[person.cik] = PersonRef(person)
        missing = [(w, o) for w, o in owners if o.owner.cik not in self.persons]
        by_name = self._people_by_name({w.company.company.pk for w, _ in missing} - {None})
        claimed: set[int] = set()
        for work, owner in owners:
            ref = self.persons.get(owner.owner.cik)
            if ref is None:
                company_id = work.company.company.pk
                found = by_name.get((company_id, name_key(owner.owner.name)), set()) - claimed
                if len(found) == 1:
                    ref = self._link_person(found.pop(), work, owner)
                    claimed.add(ref.person.pk)
                else:
                    ref = self._new_person(work, owner)
                self.persons[owner.owner.cik] = ref
            owner.person = ref
            owner.ledger.person = ref.person
        self._filed_person_names(owners)

    def _people_by_name(self, company_ids: set[int]) -> dict[tuple, set[int]]:
        """(company id, name key) -> ids of the company's people without a CIK bearing it."""
        if not company_ids:
            return {}
        rows = (
            Tenure.objects.filter(company_id__in=company_ids, person__cik="")
            .values_list("company_id", "person_id", "person__name")
            .distinct()
        )
        index: dict[tuple, set[int]] = defaultdict(set)
        companies_of: dict[int, set[int]] = defaultdict(set)
        for company_id, person_id, name in rows:
            index[(company_id, name_key(name))].add(person_id)
            companies_of[person_id].add(company_id)
        others = OtherName.objects.filter(person_id__in=companies_of).values_list(
            "person_id", "name"
        )
        for person_id, name in others:
            for company_id in companies_of[person_id]:
                index[(company_id, name_key(name))].add(person_id)
        self._name_matches = Person.objects.in_bulk(
            {pid for ids in index.values() for pid in ids if len(ids) == 1}
        )
        return index

    def _link_person(self, person_id: int, work: FilingWork, owner: OwnerWork) -> PersonRef:
        person = self._name_matches[person_id]
        filed = owner.owner
        person.cik = filed.cik
        _add_inferred(
            person,
            "cik",
            f"SEC CIK {filed.cik} linked by name alone: the reporting owner {filed.name!r} of "
            f"SEC Form {work.filing.form_type} {work.filing.accession_number} has the same name as "
            f"this person, the only one of that name among {work.company.company.name}'s people.",
        )
        self.counts.persons_linked += 1
        return PersonRef(person, linked=True, reason=work.reason)

    def _new_person(self, work: FilingWork, owner: OwnerWork) -> PersonRef:
        filed = owner.owner
        made = owner_display_name(filed.name)
        person = Person(
            name=made.display[:200],
            sort_name=made.sort[:200],
            cik=filed.cik,
            inferred="name",
            inferred_note=f"Display name made from the name as filed, {filed.name!r} (family "
            f"name first), in SEC Form {work.filing.form_type} {work.filing.accession_number}.",
        )
        person.fill_derived()
        self.counts.persons_created += 1
        return PersonRef(person, created=True, reason=work.reason)

    def _filed_person_names(self, owners: list[tuple[FilingWork, OwnerWork]]) -> None:
        existing = {}
        for ref in self.persons.values():
            ref.name_keys.add(normalise_name(ref.person.name))
            if not ref.created:
                existing[ref.person.pk] = ref
        for person_id, key in OtherName.objects.filter(person_id__in=existing).values_list(
            "person_id", "search_key"
        ):
            existing[person_id].name_keys.add(key)
        for work, owner in owners:
            ref, filed = owner.person, owner.owner.name
            key = normalise_name(filed)
            if key in ref.name_keys:
                continue
            ref.name_keys.add(key)
            other = OtherName(
                person=ref.person,
                name=filed[:200],
                kind=OtherName.Kind.AS_FILED,
                note=f"As filed: the reporting owner of SEC Form {work.filing.form_type} "
                f"{work.filing.accession_number} (CIK {owner.owner.cik}).",
                search_key=key,
            )
            other._change_reason = work.reason
            self.other_names.append(other)

    # -- tenures ---------------------------------------------------------------------------

    def _load_tenures(self, works: list[FilingWork]) -> None:
        """The tenures of the batch's existing persons at its existing companies, with the
        facts their intervals derive from; and every single-seat tenure with a certain day at
        those companies, for the single-seat rule."""
        persons = {ref.person.pk: ref for ref in self.persons.values() if ref.person.pk}
        companies = {ref.company.pk: ref for ref in self.companies.values() if ref.company.pk}
        if not companies:
            return
        loaded: dict[int, TenureState] = {}
        if persons:
            tenures = Tenure.objects.filter(
                person_id__in=persons, company_id__in=companies
            ).with_facts()
            for tenure in tenures:
                state = self._state_of(tenure)
                loaded[tenure.pk] = state
                key = (
                    id(persons[tenure.person_id]),
                    id(companies[tenure.company_id]),
                    tenure.role_id,
                )
                self.states[key].append(state)
        seats = Tenure.objects.filter(
            company_id__in=companies, single_seat=True, has_certain_days=True
        ).select_related("person", "company", "role")
        for tenure in seats:
            state = loaded.get(tenure.pk) or self._state_of(tenure, facts=False)
            self.seats[(id(companies[tenure.company_id]), tenure.role_id)].append(state)

    @staticmethod
    def _state_of(tenure: Tenure, facts: bool = True) -> TenureState:
        intervals = Intervals(
            tenure.has_certain_days,
            tenure.certain_start,
            tenure.certain_end,
            tenure.possible_start,
            tenure.possible_end,
        )
        if not facts:
            return TenureState(tenure, False, intervals, set(), set(), set(), 0)
        citations = list(tenure.citations.all())
        attestations = list(tenure.attestations.all())
        return TenureState(
            tenure,
            created=False,
            intervals=intervals,
            days={attestation.day for attestation in attestations},
            attested={(a.day, a.source.accession_number) for a in attestations if a.source},
            cited={c.source.accession_number for c in citations if c.source.accession_number},
            citations=len(citations),
        )

    def _attest(self, work: FilingWork, owner: OwnerWork, key: str, title: str) -> None:
        """The filing's day on the owner's tenure in the role at the company: one that the day
        can belong to (certainly, else possibly), else a new one with unknown start and end;
        unless that would break the single-seat rule or duplicate a tenure, when it is held
        back and reported."""
        role = self.roles.get(key)
        day = work.filing.period_of_report
        person, company = owner.person, work.company
        candidates = self.states[(id(person), id(company), role.pk)]
        state = self._pick(candidates, day)
        if state is None:
            unknown_start = next((s for s in candidates if s.tenure.start is None), None)
            if unknown_start is not None:
                self._hold_back(
                    work, owner, role, title, unknown_start,
                    f"{unknown_start.tenure} has an unknown start but its dates exclude {day}, "
                    "and a second tenure with an unknown start would duplicate it",
                )  # fmt: skip
                return
            state = self._new_state(work, owner, role, title)
        intervals = self._intervals_with(state, day)
        if role.single_seat:
            for other in self.seats[(id(company), role.pk)]:
                if other is not state and intervals.shares_two_days_with(other.intervals):
                    self._hold_back(
                        work, owner, role, title, other,
                        f"{role} is a single-seat role and {other.tenure} holds it on two or "
                        "more of the same certain days",
                    )  # fmt: skip
                    return
        if state.created and not state.registered:
            state.registered = True
            self.new_tenures.append(state)
            candidates.append(state)
            if role.single_seat:
                self.seats[(id(company), role.pk)].append(state)
            self.counts.tenures_created += 1
        elif not state.created and state.tenure.pk not in self.reused:
            self.reused[state.tenure.pk] = state
            self.counts.tenures_reused += 1
        state.intervals = intervals
        self._add_facts(state, work, owner, day)

    @staticmethod
    def _pick(candidates: list[TenureState], day: datetime.date) -> TenureState | None:
        for held in (
            [s for s in candidates if s.intervals.certainly_held_on(day)],
            [s for s in candidates if s.intervals.possibly_held_on(day)],
        ):
            if held:
                return min(held, key=lambda s: s.tenure.start_order())
        return None

    def _new_state(self, work, owner, role: Role, title: str) -> TenureState:
        tenure = Tenure(
            person=owner.person.person,
            company=work.company.company,
            role=role,
            title=title,
            single_seat=role.single_seat,
        )
        if owner.person.inferred:
            tenure.inferred = "person"
            tenure.inferred_note = (
                f"The filing's reporting owner {owner.owner.name!r} (CIK {owner.owner.cik}) is "
                f"linked to {owner.person.person.name} by name alone (see the person)."
            )
        tenure._change_reason = work.reason
        return TenureState(
            tenure, True, NO_DAYS, set(), set(), set(), 0, founded=work.company.company.founded
        )

    @staticmethod
    def _intervals_with(state: TenureState, day: datetime.date) -> Intervals:
        days = state.days | {day}
        if state.created:
            return derive_intervals(None, None, False, attested_days=days, founded=state.founded)
        return state.tenure.derive_intervals(attested_days=days)

    def _add_facts(self, state: TenureState, work: FilingWork, owner: OwnerWork, day) -> None:
        quote = owner.owner.relationship.quote
        accession = work.filing.accession_number
        if (day, accession) not in state.attested:
            attestation = Attestation(tenure=state.tenure, day=day, source=work.source, quote=quote)
            attestation._change_reason = work.reason
            self.attestations.append(attestation)
            self.counts.attested_days_added += 1
            state.attested.add((day, accession))
            state.days.add(day)
        if accession not in state.cited:
            citation = Citation(
                tenure=state.tenure, source=work.source, quote=quote, position=state.citations
            )
            citation._change_reason = work.reason
            self.citations.append(citation)
            self.counts.citations_added += 1
            state.cited.add(accession)
            state.citations += 1
            if work.source.date:
                state.source_dates.append(work.source.date)

    def _hold_back(self, work, owner, role, title, other: TenureState, reason: str) -> None:
        day = work.filing.period_of_report
        self.held_back.append(
            HeldBackRelationship(
                filing=owner.ledger,
                person=owner.person.person,
                company=work.company.company,
                role=role,
                title=title,
                day=day,
                reason=reason,
                clashing_tenure=other.tenure,
            )
        )
        self.counts.held_back.append(
            Finding(
                work.filing.path,
                f"{owner.owner.name} (CIK {owner.owner.cik}) as {title} at "
                f"{work.company.company.name} on {day}: not applied, as {reason}",
            )
        )

    # -- writing ---------------------------------------------------------------------------

    def _write(self) -> None:
        """Everything planned, in bulk, parents first; a history row for every record."""
        companies = [ref for ref in self.companies.values() if ref.created]
        persons = [ref for ref in self.persons.values() if ref.created]
        self._create(Company, companies, slugs=True)
        for ref in self.companies.values():
            if ref.linked:
                self._save(ref.company, ref.reason)
        self._create(Person, persons, slugs=True)
        for ref in self.persons.values():
            if ref.linked:
                self._save(ref.person, ref.reason)
        self._bulk(OtherName, self.other_names)
        self._bulk(FormerName, self.former_names)
        self.counts.other_names_added = len(self.other_names)
        self.counts.former_names_added = len(self.former_names)
        self._bulk(Source, self.new_sources)
        for work in self.works:
            for owner in work.applicable:
                party = self._party(
                    work, work.source, person=owner.person.person, name=owner.owner.name
                )
                party.part = _part(owner)
                self.parties.append(party)
        self._bulk(SourceParty, self.parties)
        for state in self.new_tenures:
            state.tenure.apply_intervals(state.intervals)
            state.tenure.last_confirmed = latest_evidence(state.days, state.source_dates)
        self._bulk(Tenure, [state.tenure for state in self.new_tenures])
        self._bulk(Citation, self.citations)
        self._bulk(Attestation, self.attestations)
        AppliedFiling.objects.bulk_create(
            [self._ledger_row(work, owner) for work in self.works for owner in work.owners]
        )
        HeldBackRelationship.objects.bulk_create(self.held_back)
        if self.reused:
            Tenure.objects.filter(pk__in=list(self.reused)).refresh_intervals()

    def _create(self, model, refs: list, *, slugs: bool) -> None:
        records = [getattr(ref, model._meta.model_name) for ref in refs]
        for record, slug in zip(
            records, unique_slugs(model, [r.name for r in records]), strict=True
        ):
            record.slug = slug
        for record, ref in zip(records, refs, strict=True):
            record._change_reason = ref.reason
        self._bulk(model, records)

    def _bulk(self, model, records: list) -> None:
        if records:
            insert_with_history(model, records, user=self.user)

    def _save(self, record, reason: str) -> None:
        record._change_reason = reason
        if self.user is not None:
            record._history_user = self.user
        record.save()

    @staticmethod
    def _party(work: FilingWork, source: Source, *, name: str, **who) -> SourceParty:
        party = SourceParty(source=source, part="issuer", name_as_written=name[:200], **who)
        party._change_reason = work.reason
        return party

    @staticmethod
    def _ledger_row(work: FilingWork, owner: OwnerWork) -> AppliedFiling:
        ledger = owner.ledger
        ledger.source = work.source if owner.facts else None
        return ledger


def insert_with_history(model, records: list, *, user=None) -> None:
    """Insert records with a "+" history row each, holding every tracked field and the
    record's _change_reason, as simple-history's bulk_create_with_history writes them. On
    PostgreSQL the history rows are copied from the inserted rows by one INSERT … SELECT, which
    spares building a historical model instance per record (a third of an import's time)."""
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            records,
            model,
            batch_size=500,
            default_user=user,
            custom_historical_attrs=origin_attrs(),
        )
        return
    model._default_manager.bulk_create(records, batch_size=1000)
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    copied = ", ".join(f"t.{quote(field.column)}" for field in history.tracked_fields)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "
        "history_change_reason, history_type, history_user_id, history_origin) "
        f"SELECT {copied}, %s, r.reason, '+', %s, %s FROM {quote(model._meta.db_table)} t "
        "JOIN unnest(%s::bigint[], %s::text[]) AS r(id, reason) ON t.id = r.id ORDER BY t.id"
    )
    ids = [record.pk for record in records]
    reasons = [getattr(record, "_change_reason", "") or "" for record in records]
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), user.pk if user else None, command(), ids, reasons])


def _part(owner: OwnerWork) -> str:
    """'reporting owner: Director; President and CEO'."""
    titles = list(dict.fromkeys(title for _, title in owner.facts))
    return ("reporting owner: " + "; ".join(titles))[:200]
