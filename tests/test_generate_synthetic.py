"""The synthetic record: every model rule holds, derived columns are as a save computes them,
history is in place, the same seed gives the same record, and the command refuses a record."""

import io
import statistics
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from governance.models import Attestation, Citation, Company, Role, Source, SourceParty, Tenure
from governance.synthetic import VALID_UNTIL, RecordNotEmpty, Shape, generate
from people.models import OtherName, Person
from people.names import normalise_name
from tests.csv_helpers import empty_record, export_text, import_text

SMALL = Shape(companies=8, people=100, tenures=300, seed=3)


@pytest.fixture
def record(db):
    return generate(SMALL)


def test_it_makes_a_record_of_the_shape_asked_for(record):
    assert Company.objects.count() == 8
    assert Person.objects.count() == 100
    assert Tenure.objects.count() == 300
    for model in (Source, Citation, Attestation, SourceParty, OtherName):
        assert model.objects.exists(), model
    assert record.rows["governance_tenure"] == 300
    assert record.rows["governance_historicaltenure"] > 300  # creations, and some changes


def test_derived_columns_are_what_a_save_computes(record):
    assert Tenure.objects.all().refresh_intervals() == 0
    for tenure in Tenure.objects.select_related("role"):
        assert tenure.single_seat == tenure.role.single_seat
        assert tenure.title
    for person in Person.objects.all():
        assert person.search_key == normalise_name(person.name)
    for other_name in OtherName.objects.all():
        assert other_name.search_key == normalise_name(other_name.name)


def test_every_tenure_passes_the_model_rules(record):
    # The database holds the unique and check constraints; clean() the rules it cannot.
    for tenure in Tenure.objects.select_related("person", "company", "role", "predecessor"):
        tenure.clean()


def test_no_single_seat_role_has_two_holders_at_once(record):
    assert Tenure.objects.filter(single_seat=True).first_overlapping_pair() is None
    # Officers succeed each other: every later holder of a single-seat role names the one before.
    for (company, role), tenures in _by_seat(Tenure.objects.filter(single_seat=True)).items():
        for earlier, later in zip(tenures, tenures[1:], strict=False):
            assert later.predecessor_id == earlier.pk, (company, role)


def test_companies_come_in_every_size_with_boards_of_five_to_fifteen(record):
    sizes = sorted(
        Tenure.objects.values("company").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert sum(sizes) == 300
    assert sizes[-1] > 2 * statistics.median(sizes)
    director = Role.objects.get(slug="director")
    seated = Counter(
        Tenure.objects.filter(role=director)
        .possibly_held_on(VALID_UNTIL)
        .values_list("company", flat=True)
    )
    assert all(count <= 15 for count in seated.values())
    biggest = Tenure.objects.values("company").annotate(n=Count("id")).order_by("-n")[0]
    assert 5 <= seated[biggest["company"]] <= 15
    # People sit on several boards.
    boards = Counter(
        Tenure.objects.filter(role=director).values_list("person", flat=True).distinct()
    )
    assert boards
    assert (
        Tenure.objects.values("person")
        .annotate(n=Count("company", distinct=True))
        .filter(n__gte=2)
        .exists()
    )


def test_it_has_every_kind_of_date(record):
    starts = Counter(len(t.start.isoformat()) if t.start else 0 for t in Tenure.objects.all())
    assert set(starts) == {0, 4, 7, 10}  # unknown, YYYY, YYYY-MM, YYYY-MM-DD
    ends = Counter(len(t.end.isoformat()) for t in Tenure.objects.exclude(end=None))
    assert set(ends) == {4, 7, 10}
    assert Tenure.objects.filter(end=None).exclude(end_reason="").exists()  # ended, date unknown
    assert Tenure.objects.current().exists()


def test_every_record_has_its_history(record):
    for model in (Person, Company, Source, Tenure, Citation, Attestation, OtherName):
        history = model.history.model.objects
        assert history.filter(history_type="+").count() == model.objects.count(), model
    changed = Tenure.history.filter(history_type="~")
    assert changed.exists()
    assert not changed.filter(history_change_reason="").exists()
    assert not changed.filter(history_user=None).exists()
    # The latest version of each tenure is the tenure as it is.
    for tenure in Tenure.objects.filter(pk__in=changed.values("id")):
        latest = tenure.history.order_by("-history_date", "-history_id").first()
        for field in ("title", "start", "end", "end_reason", "notes", "certain_start"):
            assert getattr(latest, field) == getattr(tenure, field)


def test_history_pages_read_it(client, record):
    changed = Tenure.history.filter(history_type="~").first()
    response = client.get(f"/history/tenure/{changed.id}/")
    assert response.status_code == 200
    assert changed.history_change_reason in response.content.decode()
    assert client.get("/changes/").status_code == 200


def test_the_same_seed_gives_the_same_record(record):
    first = export_text()
    generate(SMALL, replace=True)
    assert export_text() == first
    generate(Shape(SMALL.companies, SMALL.people, SMALL.tenures, seed=4), replace=True)
    assert export_text() != first


def test_its_export_round_trips_through_import(db):
    generate(Shape(companies=2, people=20, tenures=40, seed=5))
    exported = export_text()
    empty_record()
    result = import_text(exported)
    assert not result.errors
    assert export_text() == exported


def test_it_refuses_a_record_that_is_not_empty(db):
    Company.objects.create(name="Innovo Group Inc.")
    with pytest.raises(RecordNotEmpty, match="already holds a record: .*companies"):
        generate(SMALL)
    assert Company.objects.count() == 1


def test_the_command_refuses_a_record_unless_told_to_replace_it(db):
    Company.objects.create(name="Innovo Group Inc.")
    with pytest.raises(CommandError, match="already holds a record.*--replace"):
        call_command("generate_synthetic", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "generate_synthetic",
        companies=2,
        people=30,
        tenures=50,
        seed=2,
        replace=True,
        stdout=out,
    )
    assert not Company.objects.filter(name="Innovo Group Inc.").exists()
    assert Tenure.objects.count() == 50
    assert "governance_tenure" in out.getvalue()
    assert "Done:" in out.getvalue()


def test_the_command_refuses_a_shape_it_cannot_make(db):
    with pytest.raises(CommandError, match="at least one company"):
        call_command("generate_synthetic", companies=0, tenures=10, stdout=io.StringIO())


def _by_seat(tenures):
    seats = {}
    for tenure in tenures.order_by("company", "role", "start", "id"):
        seats.setdefault((tenure.company_id, tenure.role_id), []).append(tenure)
    for seat in seats.values():
        seat.sort(key=lambda tenure: tenure.start_order())
    return seats
