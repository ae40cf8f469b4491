"""Generated records: export → import into an empty database → export gives the same bytes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.models import Attestation, Citation, Company, Role, Source, Tenure
from governance.models.partial_date import PartialDate, start_key
from governance.models.tenures import INFERABLE_FIELDS
from people.models import Person
from tests.csv_helpers import empty_record, export_text, import_text

# Letters from many scripts, spreadsheet-hostile starts, quotes, commas and line breaks.
_chars = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\r\n,'\"=+-@|")
names = st.text(_chars, min_size=1, max_size=20).map(str.strip).filter(bool)
titles = st.text(_chars, max_size=20)
references = (
    st.text(_chars, min_size=1, max_size=30)
    .filter(lambda text: " | " not in text and text.strip() == text and text)
    .filter(lambda text: not text.startswith("|") and not text.endswith(" |"))
)


@st.composite
def partial_dates(draw):
    year = draw(st.integers(1950, 2025))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 28)) if month else None
    return PartialDate(year, month, day)


tenures = st.fixed_dictionaries(
    {
        "person": st.integers(0, 3),
        "company": st.integers(0, 2),
        "role": st.sampled_from(["director", "vice-president", "ceo", "chair"]),
        "title": titles,
        "start": st.none() | partial_dates(),
        "end": st.none() | partial_dates(),
        "end_reason": st.sampled_from(["", "", "resigned", "died", "other"]),
        "sources": st.lists(references, max_size=2, unique=True),
        "attested": st.lists(
            st.dates(datetime.date(1950, 1, 1), datetime.date(2025, 12, 31)), max_size=2
        ),
        "succeeds": st.booleans(),
        "inferred": st.lists(st.sampled_from(INFERABLE_FIELDS), max_size=3, unique=True),
        "inferred_note": titles,
    }
)


def cik_of(index: int) -> str:
    """Every other person and company has a CIK (CikField stores ten digits)."""
    return f"{1000 + index:010d}" if index % 2 == 0 else ""


def predecessor_for(tenure):
    """As import resolves replaces: that person's latest earlier tenure in the role."""
    earlier = [
        other
        for other in Tenure.objects.filter(company=tenure.company, role=tenure.role)
        if start_key(other.start) < start_key(tenure.start)
    ]
    if not earlier:
        return None
    chosen = earlier[-1].person
    return max((o for o in earlier if o.person == chosen), key=lambda o: start_key(o.start))


def build(person_names, company_names, rows):
    persons = [
        Person.objects.create(name=name, cik=cik_of(n)) for n, name in enumerate(person_names)
    ]
    companies = [
        Company.objects.create(name=name, cik=cik_of(n)) for n, name in enumerate(company_names)
    ]
    roles = {role.slug: role for role in Role.objects.all()}
    for row in rows:
        tenure = Tenure(
            person=persons[row["person"] % len(persons)],
            company=companies[row["company"] % len(companies)],
            role=roles[row["role"]],
            title=row["title"],
            start=row["start"],
            end=row["end"],
            end_reason=row["end_reason"],
            inferred=" | ".join(row["inferred"]),
            inferred_note=row["inferred_note"],
        )
        if row["succeeds"] and tenure.start is not None:
            tenure.predecessor = predecessor_for(tenure)
        try:
            tenure.full_clean()
            if tenure.first_conflict(attested_days=set(row["attested"])):
                continue
            with transaction.atomic():
                tenure.save()
        except ValidationError:
            continue
        for position, reference in enumerate(row["sources"]):
            source, _ = Source.objects.get_or_create(
                title=reference, defaults={"kind": Source.Kind.OTHER}
            )
            Citation.objects.create(tenure=tenure, source=source, position=position)
        for day in set(row["attested"]):
            Attestation.objects.create(tenure=tenure, day=day)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    person_names=st.lists(names, min_size=1, max_size=4),
    company_names=st.lists(names, min_size=1, max_size=3),
    rows=st.lists(tenures, max_size=8),
)
def test_generated_records_round_trip_byte_for_byte(db, person_names, company_names, rows):
    with transaction.atomic():
        build(person_names, company_names, rows)
        first = export_text()
        empty_record()
        result = import_text(first)
        assert result.ok, result.errors
        assert export_text() == first
        # And once more: nothing changes.
        assert import_text(first).count("unchanged") == result.rows
        transaction.set_rollback(True)
