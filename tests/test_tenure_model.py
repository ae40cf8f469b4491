"""The rules of a tenure, held by validation and by the database on every backend."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from governance.models import Attestation, Company, Role, Tenure
from governance.models.partial_date import PartialDate as P
from people.models import Person


@pytest.fixture
def apple(db):
    return Company.objects.create(name="Apple Inc.")


@pytest.fixture
def ceo(db):
    return Role.objects.get(slug="ceo")


def person(name: str) -> Person:
    return Person.objects.create(name=name)


def test_the_role_catalogue_is_seeded(db):
    assert Role.objects.filter(slug="director", single_seat=False, kind="board").exists()
    assert Role.objects.filter(slug="president", single_seat=True, kind="officer").exists()
    assert Role.objects.filter(slug="chair", single_seat=True, kind="board").exists()


def test_a_same_day_hand_over_is_accepted(apple, ceo):
    jobs = Tenure(
        person=person("Steve Jobs"),
        company=apple,
        role=ceo,
        start=P(1997, 9, 16),
        end=P(2011, 8, 24),
    )
    jobs.full_clean()
    jobs.save()
    cook = Tenure(
        person=person("Tim Cook"), company=apple, role=ceo, start=P(2011, 8, 24), predecessor=jobs
    )
    cook.full_clean()
    cook.save()
    day = datetime.date(2011, 8, 24)
    assert set(Tenure.objects.held_on(day).values_list("person__name", flat=True)) == {
        "Steve Jobs",
        "Tim Cook",
    }


def test_an_overlapping_second_holder_of_a_single_seat_role_is_refused_naming_the_sitting_one(demo):
    innovo = Company.objects.get(slug="innovo-group")
    intruder = Tenure(
        person=person("Jane Doe"),
        company=innovo,
        role=Role.objects.get(slug="president"),
        start=P(2005, 1),
    )
    with pytest.raises(ValidationError) as error:
        intruder.full_clean()
    message = " ".join(error.value.messages)
    assert "Marc B. Crossman, President at Innovo Group Inc. (8 Sep 2004 –)" in message
    assert "single-seat" in message


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)
def test_the_database_refuses_an_overlapping_second_holder_on_postgresql(demo):
    innovo = Company.objects.get(slug="innovo-group")
    intruder = Tenure(
        person=person("Jane Doe"),
        company=innovo,
        role=Role.objects.get(slug="president"),
        start=P(2005, 1),
    )
    with pytest.raises(IntegrityError, match="tenure_single_seat_no_overlap"), transaction.atomic():
        intruder.save()


def test_two_directors_may_overlap(demo):
    innovo = Company.objects.get(slug="innovo-group")
    director = Tenure(
        person=person("Jane Doe"),
        company=innovo,
        role=Role.objects.get(slug="director"),
        start=P(2000),
    )
    director.full_clean()
    director.save()


def test_a_tenure_with_no_certain_day_conflicts_with_nothing(apple, ceo):
    Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start=P(2004, 1, 1), end=P(2004, 12, 31)
    )
    vague = Tenure(person=person("B"), company=apple, role=ceo, start=P(2004), end=P(2004))
    vague.full_clean()
    vague.save()
    assert not vague.has_certain_days


def test_an_attested_day_that_makes_an_overlap_is_refused(apple, ceo):
    Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start=P(2004, 1, 1), end=P(2004, 12, 31)
    )
    other = Tenure.objects.create(person=person("B"), company=apple, role=ceo)
    Attestation.objects.create(tenure=other, day=datetime.date(2004, 3, 1))
    second = Attestation(tenure=other, day=datetime.date(2004, 6, 1))
    with pytest.raises(ValidationError, match="A, Chief Executive Officer at Apple Inc."):
        second.full_clean()


def test_an_end_surely_before_the_start_is_refused(apple, ceo):
    tenure = Tenure(
        person=person("A"), company=apple, role=ceo, start=P(2004, 9), end=P(2004, 8, 31)
    )
    with pytest.raises(
        ValidationError, match=r"The end \(31 Aug 2004\) is surely before the start \(Sep 2004\)"
    ):
        tenure.full_clean()


@pytest.mark.parametrize(
    "start, end",
    [(P(2004, 9), P(2004, 8, 31)), (P(2005), P(2004, 12)), (P(2004, 9, 8), P(2004, 9, 7))],
)
def test_the_database_refuses_an_end_surely_before_the_start(apple, ceo, start, end):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenure.objects.create(person=person("A"), company=apple, role=ceo, start=start, end=end)


@pytest.mark.parametrize(
    "start, end",
    [
        (P(2004, 9, 8), P(2004, 9)),
        (P(2004), P(2004)),
        (P(2004, 9), P(2004)),
        (P(2004, 9), P(2004, 9, 1)),
    ],
)
def test_an_end_that_may_fall_after_the_start_is_accepted(apple, ceo, start, end):
    tenure = Tenure(person=person("A"), company=apple, role=ceo, start=start, end=end)
    tenure.full_clean()
    tenure.save()


def test_a_duplicate_tenure_is_refused(apple):
    director = Role.objects.get(slug="director")
    someone = person("A")
    Tenure.objects.create(person=someone, company=apple, role=director, start=P(2000))
    duplicate = Tenure(person=someone, company=apple, role=director, start=P(2000))
    with pytest.raises(ValidationError, match="already has a tenure"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_two_tenures_with_unknown_starts_are_duplicates(apple):
    director = Role.objects.get(slug="director")
    someone = person("A")
    Tenure.objects.create(person=someone, company=apple, role=director)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenure.objects.create(person=someone, company=apple, role=director)


def test_a_predecessor_must_hold_the_same_role_at_the_same_company_and_start_before(apple, ceo):
    earlier = Tenure.objects.create(
        person=person("A"), company=apple, role=Role.objects.get(slug="cfo"), start=P(2000)
    )
    later = Tenure(person=person("B"), company=apple, role=ceo, start=P(2001), predecessor=earlier)
    with pytest.raises(ValidationError, match="same role"):
        later.full_clean()
    ceo_2002 = Tenure.objects.create(
        person=person("C"), company=apple, role=ceo, start=P(2002), end=P(2002)
    )
    with pytest.raises(ValidationError, match="must start before"):
        Tenure(
            person=person("D"), company=apple, role=ceo, start=P(2001), predecessor=ceo_2002
        ).full_clean()


def test_a_successor_bounds_its_predecessors_possible_end_when_saved_and_when_removed(apple, ceo):
    first = Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start=P(2000), end=P(2004, 9)
    )
    assert first.possible_end == datetime.date(2004, 9, 30)
    second = Tenure.objects.create(
        person=person("B"), company=apple, role=ceo, start=P(2004, 9, 8), predecessor=first
    )
    first.refresh_from_db()
    assert first.possible_end == datetime.date(2004, 9, 8)
    second.delete()
    first.refresh_from_db()
    assert first.possible_end == datetime.date(2004, 9, 30)


def test_changing_the_founding_bounds_every_tenure_of_the_company(apple, ceo):
    tenure = Tenure.objects.create(person=person("A"), company=apple, role=ceo)
    assert tenure.possible_start is None
    apple.founded = P(1976, 4, 1)
    apple.save()
    tenure.refresh_from_db()
    assert tenure.possible_start == datetime.date(1976, 4, 1)


def test_the_title_defaults_to_the_roles_name(apple, ceo):
    tenure = Tenure.objects.create(person=person("A"), company=apple, role=ceo)
    assert tenure.title == "Chief Executive Officer"


def test_a_single_attested_day_inside_another_holders_tenure_is_a_hand_over_not_a_conflict(
    apple, ceo
):
    # DESIGN.md: single-seat tenures conflict only when their certain intervals share two or
    # more days; a one-day certain interval shares at most one (the PostgreSQL constraint's
    # '[)' range agrees: an empty range overlaps nothing).
    Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start=P(2004, 1, 1), end=P(2004, 12, 31)
    )
    other = Tenure.objects.create(person=person("B"), company=apple, role=ceo)
    attestation = Attestation(tenure=other, day=datetime.date(2004, 6, 1))
    attestation.full_clean()
    attestation.save()
    other.refresh_from_db()
    assert (other.certain_start, other.certain_end) == (datetime.date(2004, 6, 1),) * 2


def test_a_tenure_around_another_holders_single_certain_day_is_accepted(apple, ceo):
    attested = Tenure.objects.create(person=person("B"), company=apple, role=ceo)
    Attestation.objects.create(tenure=attested, day=datetime.date(2004, 6, 1))
    around = Tenure(
        person=person("A"), company=apple, role=ceo, start=P(2004, 1, 1), end=P(2004, 12, 31)
    )
    around.full_clean()
    around.save()


def test_deleting_a_successor_with_its_person_reopens_the_predecessors_possible_end(apple, ceo):
    first = Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start=P(2000), end=P(2004, 9)
    )
    successor = person("B")
    Tenure.objects.create(
        person=successor, company=apple, role=ceo, start=P(2004, 9, 8), predecessor=first
    )
    first.refresh_from_db()
    assert first.possible_end == datetime.date(2004, 9, 8)
    successor.delete()  # cascades to the successor's tenure
    first.refresh_from_db()
    assert first.possible_end == datetime.date(2004, 9, 30)


def test_deleting_a_cited_source_recomputes_the_end_it_bounded(apple, ceo):
    from governance.models import Citation, Source

    tenure = Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start=P(2000), end_reason="resigned"
    )
    filing = Source.objects.create(kind="other", title="Annual report 2003", date=P(2003, 3))
    Citation.objects.create(tenure=tenure, source=filing)
    tenure.refresh_from_db()
    assert tenure.possible_end == datetime.date(2003, 3, 31)
    filing.delete()  # cascades to the citation
    tenure.refresh_from_db()
    assert tenure.possible_end is None


def test_deleting_citations_and_attestations_in_bulk_recomputes_intervals(apple, ceo):
    tenure = Tenure.objects.create(person=person("A"), company=apple, role=ceo)
    Attestation.objects.create(tenure=tenure, day=datetime.date(2003, 2, 7))
    tenure.refresh_from_db()
    assert tenure.has_certain_days
    Attestation.objects.filter(tenure=tenure).delete()
    tenure.refresh_from_db()
    assert not tenure.has_certain_days


def test_moving_a_citation_to_another_tenure_recomputes_both(apple, ceo):
    from governance.models import Citation, Source

    filing = Source.objects.create(kind="other", title="Annual report 2003", date=P(2003, 3))
    first = Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start=P(2000), end_reason="resigned"
    )
    second = Tenure.objects.create(
        person=person("B"),
        company=apple,
        role=Role.objects.get(slug="cfo"),
        start=P(2000),
        end_reason="resigned",
    )
    citation = Citation.objects.create(tenure=first, source=filing)
    first.refresh_from_db()
    assert first.possible_end == datetime.date(2003, 3, 31)
    citation.tenure = second
    citation.save()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.possible_end, second.possible_end) == (None, datetime.date(2003, 3, 31))


def test_a_predecessor_cannot_move_past_or_away_from_its_successor(apple, ceo):
    first = Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start=P(2000), end=P(2004, 9)
    )
    Tenure.objects.create(
        person=person("B"), company=apple, role=ceo, start=P(2004, 9, 8), predecessor=first
    )
    first.start = P(2005)
    first.end = None
    with pytest.raises(ValidationError, match="B, Chief Executive Officer at Apple Inc."):
        first.full_clean()
    first.refresh_from_db()
    first.role = Role.objects.get(slug="cfo")
    with pytest.raises(ValidationError, match="succeeds it"):
        first.full_clean()


def test_a_date_given_as_text_is_a_partial_date_at_once(apple, ceo):
    tenure = Tenure.objects.create(
        person=person("A"), company=apple, role=ceo, start="2001", end=""
    )
    assert (tenure.start, tenure.end) == (P(2001), None)
    assert tenure.certain_start == datetime.date(2001, 12, 31)
