"""Applying ownership filings to the record (governance.sec.importer): what a filing becomes,
matching, idempotence, the single-seat rule, and files that are not applied."""

import datetime
import zipfile

import pytest

from governance.history.tracked import TRACKED
from governance.models import (
    AppliedFiling,
    Company,
    FormerName,
    HeldBackRelationship,
    Role,
    Source,
    Tenure,
)
from governance.models.partial_date import PartialDate as P
from governance.sec import files
from governance.sec.importer import import_filings
from people.models import OtherName, Person
from records.deletion import consequences_of_deleting, delete_with_history
from tests.sec_helpers import FIXTURES, full_submission, ownership_xml, write

pytestmark = pytest.mark.django_db

D = datetime.date


def history_rows() -> int:
    return sum(tracked.model.history.count() for tracked in TRACKED)


def tenure(person_name: str, role_slug: str) -> Tenure:
    return Tenure.objects.get(person__name=person_name, role__slug=role_slug)


def ceo_filing(folder, number: int, name: str, cik: str, day: str, **relationship):
    relationship = relationship or dict(isOfficer="1", officerTitle="Chief Executive Officer")
    data = ownership_xml(period=day, owners=[dict(cik=cik, name=name, **relationship)])
    return write(folder, f"0000990009-24-{number:06d}.xml", data)


# -- what the fixtures become ----------------------------------------------------------------


@pytest.fixture
def imported(db):
    return import_filings([str(FIXTURES)])


def test_the_fixtures_are_applied_and_the_report_says_so(imported):
    counts = imported.counts
    assert imported.ok and imported.files_read == 7
    assert counts.filings_applied == 7
    assert (counts.companies_created, counts.persons_created, counts.sources_created) == (2, 6, 7)
    assert counts.tenures_created == Tenure.objects.count() == 13
    assert counts.attested_days_added == 14
    summary = imported.summary()
    assert "Filings read: 7; applied: 7" in summary
    assert "SUMMIT RIDGE CAPITAL PARTNERS LP (CIK 0000990301): an entity, not a person" in summary
    assert "'Former Chief Operating Officer' names a former role" in summary


def test_the_issuer_becomes_a_company_with_its_cik_and_filer_data(imported):
    company = Company.objects.get(cik="0000990002")
    assert company.name == "BRIGHTWATER THERAPEUTICS, INC."
    assert company.ticker == "BWTX"
    assert company.jurisdiction == "Delaware"  # from the .txt's SEC header
    assert company.headquarters == "Boston, MA"
    # "Halcyon Robotics, Inc." differs from "HALCYON ROBOTICS INC" only in form: not kept.
    assert not FormerName.objects.exists()


def test_an_owner_becomes_a_person_with_an_inferred_display_name_and_the_filed_form(imported):
    person = Person.objects.get(cik="0000990201")
    assert person.name == "John Dennis McMahon"
    assert person.sort_name == "McMahon, John Dennis"
    assert person.inferred_fields == ["name"]
    assert "'McMahon John Dennis'" in person.inferred_note
    [filed] = person.other_names.all()
    assert (filed.name, filed.kind) == ("McMahon John Dennis", OtherName.Kind.AS_FILED)
    assert "0000990002-23-000011" in filed.note


def test_each_relationship_becomes_a_tenure_citing_the_filing_with_its_day(imported):
    voss = {t.role.slug: t for t in Tenure.objects.filter(person__name="Margaret A. Voss")}
    assert set(voss) == {"director", "president", "ceo"}
    ceo = voss["ceo"]
    assert ceo.title == "President and CEO"  # as filed
    assert (ceo.start, ceo.end) == (None, None)  # never invented
    assert [(a.day, a.source.accession_number) for a in ceo.attestations.all()] == [
        (D(2024, 3, 1), "0000990001-24-000101")
    ]
    [citation] = ceo.citations.all()
    assert citation.quote.startswith("<reportingOwnerRelationship><isDirector>1</isDirector>")
    assert "<officerTitle>President and CEO</officerTitle>" in citation.quote
    assert (ceo.certain_start, ceo.certain_end) == (D(2024, 3, 1), D(2024, 3, 1))
    assert ceo.dates_display == "attested 1 Mar 2024"
    assert all(t.citations.exists() for t in Tenure.objects.all())


def test_ten_percent_owner_other_and_unknown_titles_get_their_roles(imported):
    assert tenure("Peter Halvorsen", "ten-percent-owner").title == "10% owner"
    assert tenure("Peter Halvorsen", "other-officer").title == "Chief Sustainability Officer"
    assert tenure("Kwame Osei", "other").title == "Co-founder"
    assert tenure("Kwame Osei", "director").title == "Director"
    assert not Tenure.objects.filter(person__name="Kwame Osei", role__slug="coo").exists()
    assert not Person.objects.filter(name__icontains="summit").exists()


def test_an_interim_title_maps_to_the_role_and_keeps_its_words(imported):
    assert tenure("Sofia Reyes-Garcia", "ceo").title == "Interim CEO & Secretary"
    assert tenure("Sofia Reyes-Garcia", "secretary").title == "Interim CEO & Secretary"


def test_the_filing_becomes_a_source_with_its_parties(imported):
    source = Source.objects.get(accession_number="0000990002-24-000020")
    assert source.kind == Source.Kind.SEC_FILING
    assert source.form_type == "4"
    assert source.date == P(2024, 1, 10)
    assert source.url == (
        "https://www.sec.gov/Archives/edgar/data/990002/000099000224000020/"
        "0000990002-24-000020-index.htm"
    )
    parties = {(p.part, p.name_as_written) for p in source.parties.all()}
    assert parties == {
        ("issuer", "BRIGHTWATER THERAPEUTICS, INC."),
        ("reporting owner: Interim CEO & Secretary", "REYES-GARCIA SOFIA"),
    }
    assert set(Source.objects.values_list("form_type", flat=True)) == {"3", "4", "4/A", "5"}


def test_an_amendment_is_its_own_source_citing_the_original(imported):
    amendment = Source.objects.get(accession_number="0000990001-24-000104")
    assert amendment.form_type == "4/A"
    assert "accession 0000990001-24-000102" in amendment.notes
    assert AppliedFiling.objects.get(accession_number="0000990001-24-000104").amends == (
        "0000990001-24-000102"
    )
    cfo = tenure("Daniel Okafor", "cfo")
    assert sorted(c.source.form_type for c in cfo.citations.all()) == ["4", "4/A"]
    assert tenure("Daniel Okafor", "treasurer").title == (
        "EVP, Chief Financial Officer and Treasurer"
    )


def test_every_write_has_a_history_row_naming_its_filing(imported):
    row = tenure("Margaret A. Voss", "ceo").history.get()
    assert row.history_change_reason == "Imported from SEC Form 4 0000990001-24-000101"
    assert row.history_type == "+"
    assert (row.title, row.certain_start) == ("President and CEO", D(2024, 3, 1))
    assert Person.objects.get(cik="0000990101").history.count() == 1
    every_record = sum(tracked.model.objects.count() for tracked in TRACKED)
    roles = Role.objects.count()  # seeded by migrations, without history
    assert history_rows() == every_record - roles


def test_history_names_the_importing_user(db, django_user_model):
    editor = django_user_model.objects.create_user("importer")
    import_filings([str(FIXTURES / "0000990002-24-000020.txt")], user=editor)
    assert {row.history_user for row in Source.history.all()} == {editor}
    assert {row.history_user for row in Tenure.history.all()} == {editor}


# -- idempotence -------------------------------------------------------------------------------


def test_a_second_import_writes_nothing(imported):
    before = (history_rows(), AppliedFiling.objects.count())
    again = import_filings([str(FIXTURES)])
    assert again.counts.already_imported == 7 and again.counts.filings_applied == 0
    assert (history_rows(), AppliedFiling.objects.count()) == before


def test_what_an_editor_deleted_is_not_recreated(imported):
    tenure("Margaret A. Voss", "ceo").delete()
    Person.objects.get(name="Daniel Okafor").delete()
    import_filings([str(FIXTURES)])
    assert not Tenure.objects.filter(person__name="Margaret A. Voss", role__slug="ceo").exists()
    assert not Person.objects.filter(cik="0000990102").exists()


def test_deleting_an_imported_person_leaves_the_ledger_alone(imported, django_user_model):
    person = Person.objects.get(cik="0000990102")
    person_id = person.pk
    consequences = consequences_of_deleting(person)
    assert not [r for r in consequences.modified if isinstance(r, AppliedFiling)]
    delete_with_history(person, django_user_model.objects.create_user("e"), "a test")
    assert AppliedFiling.objects.filter(person_id=person_id).count() == 2
    import_filings([str(FIXTURES)])
    assert not Person.objects.filter(cik="0000990102").exists()


def test_a_dry_run_writes_nothing_and_reports_the_same(db):
    report = import_filings([str(FIXTURES)], dry_run=True)
    assert report.counts.tenures_created == 13
    assert "Dry run, nothing written." in report.summary()
    assert history_rows() == 0 and not AppliedFiling.objects.exists()


# -- matching --------------------------------------------------------------------------------


def test_an_issuer_is_matched_by_cik_however_it_was_entered(tmp_path):
    company = Company.objects.create(name="Northwind Instruments", cik="990009")
    assert company.cik == "0000990009"
    import_filings([str(ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2024-03-01"))])
    assert Company.objects.count() == 1
    company.refresh_from_db()
    assert company.name == "Northwind Instruments"  # never overwritten
    # A really different filed name is kept as a former name noted "as filed".
    [former] = company.former_names.all()
    assert former.name == "NORTHWIND DEVICES INC"
    assert former.note.startswith("As filed: SEC Form 4 0000990009-24-000001")


def test_a_company_without_cik_is_linked_by_its_name_alone_and_marked_inferred(tmp_path):
    company = Company.objects.create(name="Northwind Devices, Inc.")
    import_filings([str(ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2024-03-01"))])
    company.refresh_from_db()
    assert company.cik == "0000990009"
    assert company.inferred_fields == ["cik"]
    assert "NORTHWIND DEVICES INC" in company.inferred_note
    assert Company.objects.count() == 1
    assert company.history.latest().history_change_reason.startswith("Imported from SEC Form 4")


def test_two_companies_of_the_name_give_a_new_company(tmp_path):
    Company.objects.create(name="Northwind Devices Inc", slug="a")
    Company.objects.create(name="NORTHWIND DEVICES, INC.", slug="b")
    import_filings([str(ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2024-03-01"))])
    assert Company.objects.get(cik="0000990009").slug not in ("a", "b")


def test_an_owner_is_matched_by_name_among_the_companys_people(tmp_path):
    company = Company.objects.create(name="Northwind", cik="0000990009")
    lin = Person.objects.create(name="Lin Quinn")
    Tenure.objects.create(person=lin, company=company, role=Role.objects.get(slug="director"))
    Person.objects.create(name="Lin Quinn", slug="another-lin")  # not at the company
    import_filings([str(ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2024-03-01"))])
    lin.refresh_from_db()
    assert lin.cik == "0000990901" and lin.inferred_fields == ["cik"]
    ceo = Tenure.objects.get(person=lin, role__slug="ceo")
    assert ceo.inferred_fields == ["person"]
    assert "linked to Lin Quinn by name alone" in ceo.inferred_note
    assert lin.other_names.get().name == "QUINN LIN"


def test_an_owner_with_a_known_cik_is_that_person(tmp_path):
    lin = Person.objects.create(name="Lin Quinn-Harper", cik="990901")
    import_filings([str(ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2024-03-01"))])
    assert Person.objects.count() == 1
    assert Tenure.objects.get(role__slug="ceo").person == lin
    assert Tenure.objects.get(role__slug="ceo").inferred == ""


@pytest.mark.parametrize("name", ["ß" * 150, "QUINN " + "L" * 200])
def test_an_owner_whose_name_does_not_fit_is_skipped_saying_why(tmp_path, name):
    # "ß" * 150 fits the 200-character name, but its search key ("ss" * 150) does not fit its.
    report = import_filings([str(ceo_filing(tmp_path, 1, name, "0000990901", "2024-03-01"))])
    assert Person.objects.count() == 0 and Tenure.objects.count() == 0
    (skipped,) = report.counts.skipped_owners
    assert "at most 200 fit" in skipped.text


# -- tenures ---------------------------------------------------------------------------------


def test_a_day_joins_the_tenure_it_can_belong_to(tmp_path):
    company = Company.objects.create(name="Northwind", cik="0000990009")
    lin = Person.objects.create(name="Lin Quinn", cik="0000990901")
    ceo = Role.objects.get(slug="ceo")
    earlier = Tenure.objects.create(
        person=lin, company=company, role=ceo, start=P(2010), end=P(2012)
    )
    current = Tenure.objects.create(person=lin, company=company, role=ceo, start=P(2020, 5))
    import_filings([str(ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2024-03-01"))])
    assert Tenure.objects.count() == 2
    assert [a.day for a in current.attestations.all()] == [D(2024, 3, 1)]
    assert not earlier.attestations.exists()
    current.refresh_from_db()
    assert current.last_confirmed == P(2024, 3, 1)
    assert current.start == P(2020, 5)  # its dates are the editor's


def test_later_filings_widen_the_same_attested_tenure(tmp_path):
    ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2022-03-01")
    ceo_filing(tmp_path, 2, "QUINN LIN", "0000990901", "2024-06-30")
    import_filings([str(tmp_path)], batch_size=1)  # the second in a later batch
    ceo = Tenure.objects.get(role__slug="ceo")
    assert (ceo.start, ceo.end) == (None, None)
    assert (ceo.certain_start, ceo.certain_end) == (D(2022, 3, 1), D(2024, 6, 30))
    assert ceo.dates_display == "attested 1 Mar 2022 – 30 Jun 2024"


@pytest.mark.parametrize("batch_size", [1, 500])
def test_a_relationship_breaking_the_single_seat_rule_is_held_back(tmp_path, batch_size):
    ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2019-03-01")
    ceo_filing(tmp_path, 2, "QUINN LIN", "0000990901", "2020-06-30")
    ceo_filing(tmp_path, 3, "RAO PRIYA", "0000990902", "2021-02-01")
    ceo_filing(tmp_path, 4, "RAO PRIYA", "0000990902", "2022-11-30")
    # A late Form 5 of the predecessor, as director and CEO, for a day of her successor's.
    ceo_filing(
        tmp_path, 5, "QUINN LIN", "0000990901", "2022-06-30",
        isDirector="1", isOfficer="1", officerTitle="Chief Executive Officer",
    )  # fmt: skip
    report = import_filings([str(tmp_path)], batch_size=batch_size)
    rao = tenure("Priya Rao", "ceo")
    [held] = HeldBackRelationship.objects.for_review()
    assert (held.person.name, held.role.slug, held.day) == ("Lin Quinn", "ceo", D(2022, 6, 30))
    assert held.clashing_tenure == rao
    assert held.filing.accession_number == "0000990009-24-000005"
    assert "holds it on two or more of the same certain days" in held.reason
    [line] = report.counts.held_back
    assert "0000990009-24-000005.xml" in line.path
    assert "Priya Rao, Chief Executive Officer at NORTHWIND DEVICES INC" in line.text
    quinn = tenure("Lin Quinn", "ceo")
    assert (quinn.certain_start, quinn.certain_end) == (D(2019, 3, 1), D(2020, 6, 30))
    # The filing's other facts still apply.
    assert tenure("Lin Quinn", "director").attestations.get().day == D(2022, 6, 30)


def test_co_ceos_overlapping_are_held_back_and_one_day_hand_overs_are_not(tmp_path):
    ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2020-01-01")
    ceo_filing(tmp_path, 2, "QUINN LIN", "0000990901", "2020-12-31")
    ceo_filing(tmp_path, 3, "RAO PRIYA", "0000990902", "2020-12-31")  # one shared day: accepted
    ceo_filing(tmp_path, 4, "RAO PRIYA", "0000990902", "2020-06-01")  # now two or more: held
    import_filings([str(tmp_path)])
    assert [a.day for a in tenure("Priya Rao", "ceo").attestations.all()] == [D(2020, 12, 31)]
    assert HeldBackRelationship.objects.get().day == D(2020, 6, 1)


# -- files that are not applied ----------------------------------------------------------------


def test_every_malformed_file_is_reported_with_its_path_and_reason_and_writes_nothing(tmp_path):
    good = ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2024-03-01")
    bad_date = write(tmp_path, "0000990009-24-000002.xml", ownership_xml(period="2022-13-01"))
    not_xml = write(tmp_path, "0000990009-24-000003.xml", b"hello")
    no_owner = write(tmp_path, "0000990009-24-000004.xml", ownership_xml(owners=[]))
    (tmp_path / "notes.md").write_text("ignored: not a filing")
    report = import_filings([str(tmp_path), str(tmp_path / "missing.xml")])
    failed = {finding.path: finding.text for finding in report.failed}
    assert failed == {
        str(bad_date): "periodOfReport '2022-13-01' is not a date (YYYY-MM-DD)",
        str(not_xml): "not well-formed XML (syntax error: line 1, column 0)",
        str(no_owner): "no reporting owner",
        str(tmp_path / "missing.xml"): "no such file or folder",
    }
    assert report.counts.filings_applied == 1
    assert AppliedFiling.objects.get().path == str(good)
    assert not report.ok


def test_a_file_that_cannot_be_written_costs_only_itself(tmp_path):
    ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2024-03-01")
    second = ceo_filing(tmp_path, 2, "RAO PRIYA", "0000990902", "2024-03-02")
    # A document that already bears the title the second filing's source would get.
    Source.objects.create(
        kind="other", title="SEC Form 4, NORTHWIND DEVICES INC: RAO PRIYA (0000990009-24-000002)"
    )
    report = import_filings([str(tmp_path)])
    assert [finding.path for finding in report.failed] == [str(second)]
    assert report.failed[0].text.startswith("not written:")
    assert report.counts.filings_applied == 1
    assert list(AppliedFiling.objects.values_list("accession_number", flat=True)) == [
        "0000990009-24-000001"
    ]


def test_a_zip_is_read_and_one_over_the_limits_is_refused_whole(tmp_path, monkeypatch):
    archive = tmp_path / "filings.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("0000990009-24-000001.xml", ownership_xml())
        zipped.writestr(
            "0000990009-24-000002.txt",
            full_submission(
                ownership_xml(period="2024-04-01"),
                accession="0000990009-24-000002",
                form="4",
                filed=D(2024, 4, 3),
            ),
        )
    report = import_filings([str(archive)])
    assert report.counts.filings_applied == 2
    monkeypatch.setattr(files, "MAX_ZIP_MEMBERS", 1)
    refused = import_filings([str(archive)])
    assert [(f.path, f.text) for f in refused.failed] == [
        (str(archive), "a zip of 2 files: more than the 1 allowed, so none is read")
    ]
