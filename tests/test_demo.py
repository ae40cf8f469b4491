"""The demo record from the seed filings, and DESIGN.md's worked examples of "held on"."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from governance.demo import load_demo
from governance.models import Attestation, Citation, Company, Founder, Source, SourceParty, Tenure
from governance.models.partial_date import PartialDate as P
from people.models import OtherName, Person

EXHIBITS = Path(__file__).resolve().parents[1] / "governance" / "exhibits"


def tenures_of(slug: str) -> list[tuple[str, str, str]]:
    return [
        (t.company.name, t.title, t.dates_display)
        for t in Tenure.objects.filter(person__slug=slug)
        .select_related("company")
        .order_by("start", "id")
    ]


def president(day: str) -> tuple[set[str], set[str]]:
    presidents = Tenure.objects.filter(company__slug="innovo-group", role__slug="president")
    day = datetime.date.fromisoformat(day)
    certain = set(presidents.held_on(day).values_list("person__name", flat=True))
    possible = set(presidents.only_possibly_held_on(day).values_list("person__name", flat=True))
    return certain, possible


def test_crossmans_path_is_director_then_cfo_then_president(demo):
    assert tenures_of("marc-b-crossman") == [
        ("Innovo Group Inc.", "Director", "Jan 1999 –"),
        ("Innovo Group Inc.", "Chief Financial Officer", "Mar 2003 –"),
        ("Innovo Group Inc.", "President", "8 Sep 2004 –"),
    ]
    assert all(t.is_current for t in Tenure.objects.filter(person__slug="marc-b-crossman"))


def test_anderson_founded_the_company_and_resigned_twice(demo):
    group = Company.objects.get(slug="innovo-group")
    assert group.founded == P(1989)
    assert Founder.objects.get(company=group).person.name == "Pat Anderson"
    resigned = Tenure.objects.filter(person__slug="pat-anderson", end_reason="resigned").order_by(
        "start"
    )
    assert [(t.title, t.start, t.end) for t in resigned] == [
        ("President", P(1990, 7), P(2004, 9)),
        ("Director", P(1990, 8), P(2004, 9)),
    ]


def test_andersons_presidency_of_the_subsidiary_is_attested_not_current(demo):
    tenure = Tenure.objects.get(person__slug="pat-anderson", company__slug="innovo-inc")
    assert (tenure.start, tenure.end) == (None, None)
    assert tenure.dates_display == "attested 8 Sep 2004"
    assert not tenure.is_current
    assert tenure.company.parent.slug == "innovo-group"


def test_crossmans_presidency_succeeds_andersons(demo):
    crossman = Tenure.objects.get(person__slug="marc-b-crossman", role__slug="president")
    assert crossman.predecessor.person.name == "Pat Anderson"
    assert crossman.predecessor.end_reason == "resigned"


def test_furrow_is_known_by_both_names_with_the_link_marked_as_an_inference(demo):
    furrow = Person.objects.get(slug="samuel-j-furrow-jr")
    jay = OtherName.objects.get(person=furrow, name="Jay Furrow")
    assert jay.note.startswith("Inference")
    for query in ["jay furrow", "FURROW SAMUEL J JR", "Samuel J. Furrow, Jr.", "furr"]:
        assert list(Person.objects.search(query)) == [furrow], query


def test_the_payee_is_linked_to_crossman_as_an_inference(demo):
    payee = OtherName.objects.get(name="MARC CROSSMAN")
    assert payee.person.slug == "marc-b-crossman"
    assert payee.note.startswith("Inference")


def test_furrow_is_ceo_certainly_from_the_note_to_the_release_and_not_current(demo):
    ceo = Tenure.objects.get(person__slug="samuel-j-furrow-jr", role__slug="ceo")
    assert (ceo.certain_start, ceo.certain_end) == (
        datetime.date(2003, 2, 7),
        datetime.date(2004, 9, 8),
    )
    assert ceo.dates_display == "attested 7 Feb 2003 – 8 Sep 2004"
    assert not ceo.is_current
    assert list(
        Attestation.objects.filter(tenure=ceo).values_list("source__exhibit", flat=True)
    ) == [
        "10.97",
        "99.1",
    ]


def test_the_note_names_its_parties_and_leaves_unknowns_empty(demo):
    note = Source.objects.get(exhibit="10.97")
    assert note.date == P(2003, 2, 7)
    assert (note.form_type, note.accession_number) == ("", "")
    parts = {(p.person.name if p.person else p.company.name, p.part) for p in note.parties.all()}
    assert parts == {
        ("Innovo Group Inc.", "maker"),
        ("Marc B. Crossman", "payee"),
        ("Samuel J. Furrow, Jr.", "signatory, as Chief Executive Officer"),
    }


def test_every_tenure_cites_its_source_with_a_quoted_passage(demo):
    assert Tenure.objects.count() == 7
    for tenure in Tenure.objects.all():
        citations = Citation.objects.filter(tenure=tenure)
        assert citations.exists(), tenure
        assert all(c.quote for c in citations), tenure
    elected = Citation.objects.get(
        tenure__person__slug="marc-b-crossman", tenure__role__slug="president"
    )
    assert (
        "has been elected by the Company's Board of Directors to serve as President"
        in elected.quote
    )


def test_the_subsidiaries_belong_to_the_group(demo):
    group = Company.objects.get(slug="innovo-group")
    assert set(group.subsidiaries.values_list("name", flat=True)) == {
        "Innovo, Inc.",
        "Innovo Azteca Apparel Inc.",
        "Joe's Jeans",
    }
    assert (group.ticker, group.exchange, group.jurisdiction) == ("INNO", "NASDAQ", "Delaware")


@pytest.mark.parametrize(
    "day, certain, possible",
    [
        ("2004-09-01", {"Pat Anderson"}, set()),
        ("2004-09-08", {"Marc B. Crossman"}, {"Pat Anderson"}),
        ("2004-09-09", {"Marc B. Crossman"}, set()),
    ],
)
def test_who_was_president_on_a_day(demo, day, certain, possible):
    assert president(day) == (certain, possible)


def test_loading_the_demo_twice_changes_nothing(demo):
    models = [
        Person,
        OtherName,
        Company,
        Source,
        SourceParty,
        Tenure,
        Citation,
        Attestation,
        Founder,
    ]
    before = {m: (m.objects.count(), m.history.count()) for m in models}
    intervals_before = list(Tenure.objects.order_by("pk").values())
    load_demo()
    call_command("loaddemo", stdout=open("/dev/null", "w"))
    assert {m: (m.objects.count(), m.history.count()) for m in models} == before
    assert list(Tenure.objects.order_by("pk").values()) == intervals_before


def test_every_demo_record_has_a_history_row_with_the_reason(demo):
    reasons = set(Tenure.history.values_list("history_change_reason", flat=True))
    assert reasons == {"Demo record from the seed filings (Exhibits 99.1 and 10.97)"}


def test_andersons_ends_are_marked_inferred_from_the_announcement(demo):
    for tenure in Tenure.objects.filter(person__slug="pat-anderson", end__isnull=False):
        assert tenure.inferred_fields == ["end"]
        assert "has resigned" in tenure.inferred_note and "no date is given" in tenure.inferred_note


def test_the_note_is_a_loan_from_crossman_with_every_term_quoted(demo):
    from governance.models import Transaction

    [loan] = Transaction.objects.all()
    assert (loan.kind, loan.kind_inferred, loan.amount_display, loan.rate_display) == (
        "loan",
        True,
        "$250,000",
        "8%",
    )
    assert (str(loan.date), str(loan.due), str(loan.extended_due)) == (
        "7 Feb 2003",
        "8 Aug 2003",
        "9 Feb 2004",
    )
    parts = {(str(p.person or p.company), p.part) for p in loan.parties.all()}
    assert parts == {("Marc B. Crossman", "lender"), ("Innovo Group Inc.", "borrower")}
    [citation] = loan.citations.all()
    assert citation.source.exhibit == "10.97"
    seed = (EXHIBITS / "innovo-exhibit-10-97-promissory-note-2003-02-07.txt").read_text()
    for passage in citation.quote.split(" … "):
        # Every quoted term is in the note, word for word once its typewriter spacing closes.
        assert " ".join(passage.split()) in " ".join(seed.split())
    for term in ["$250,000.00", "eight percent (8%)", "August 8, 2003", "February 9, 2004"]:
        assert term in citation.quote
    assert "(125,000) shares" in citation.quote


def test_loading_again_never_brings_back_what_an_editor_deleted(demo):
    from records.deletion import delete_with_history

    cfo = Tenure.objects.get(role__slug="cfo")
    delete_with_history(cfo, None, "Not in the filings we trust")
    loan_party = SourceParty.objects.get(part="payee")
    delete_with_history(loan_party, None, "Wrong party")
    load_demo()
    assert not Tenure.objects.filter(role__slug="cfo").exists()
    assert not SourceParty.objects.filter(part="payee").exists()
    # What an editor did not delete is still corrected and complete.
    assert Tenure.objects.filter(person__slug="marc-b-crossman").count() == 2


def test_at_start_the_demo_goes_only_into_a_database_with_no_companies(db, settings):

    settings.LOAD_DEMO = True
    out = StringIO()
    call_command("loaddemo", "--at-start", stdout=out)
    assert "Demo record loaded" in out.getvalue()
    cfo = Tenure.objects.get(role__slug="cfo")
    cfo_id = cfo.pk
    cfo.delete()
    out = StringIO()
    call_command("loaddemo", "--at-start", stdout=out)  # the next `make run`
    assert "the database already holds companies" in out.getvalue()
    assert not Tenure.objects.filter(role__slug="cfo").exists()
    assert not Tenure.objects.filter(pk=cfo_id).exists()


def test_at_start_the_demo_is_not_loaded_with_load_demo_off(db, settings):

    settings.LOAD_DEMO = False
    out = StringIO()
    call_command("loaddemo", "--at-start", stdout=out)
    assert "LOAD_DEMO is off" in out.getvalue()
    assert not Company.objects.exists()
