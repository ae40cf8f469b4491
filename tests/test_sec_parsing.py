"""Reading ownership filings (governance.sec.ownership): the fixtures, and every way a file can
be malformed."""

import datetime

import pytest

from governance.sec.ownership import MalformedFiling, accession_from_path, parse_filing
from tests.sec_helpers import FIXTURES, full_submission, ownership_xml


def parse(name: str):
    return parse_filing((FIXTURES / name).read_bytes(), str(FIXTURES / name))


def test_it_reads_a_form_4_with_1_and_0_booleans():
    filing = parse("0000990001-24-000101.xml")
    assert filing.accession_number == "0000990001-24-000101"
    assert filing.form_type == "4"
    assert filing.period_of_report == datetime.date(2024, 3, 1)
    assert filing.filed is None  # bare XML has no SEC header
    assert (filing.issuer.cik, filing.issuer.name, filing.issuer.trading_symbol) == (
        "0000990001",
        "HALCYON ROBOTICS INC",
        "HLCN",
    )
    [owner] = filing.owners
    assert (owner.cik, owner.name) == ("0000990101", "VOSS MARGARET A")
    relationship = owner.relationship
    assert relationship.is_director and relationship.is_officer
    assert not relationship.is_ten_percent_owner and not relationship.is_other
    assert relationship.officer_title == "President and CEO"
    assert relationship.quote == (
        "<reportingOwnerRelationship><isDirector>1</isDirector><isOfficer>1</isOfficer>"
        "<isTenPercentOwner>0</isTenPercentOwner><isOther>0</isOther>"
        "<officerTitle>President and CEO</officerTitle></reportingOwnerRelationship>"
    )
    assert filing.edgar_url == (
        "https://www.sec.gov/Archives/edgar/data/990001/000099000124000101/"
        "0000990001-24-000101-index.htm"
    )


def test_it_reads_true_and_false_and_an_absent_is_director_as_false():
    relationship = parse("0000990001-24-000102.xml").owners[0].relationship
    assert relationship.is_officer is True
    assert relationship.is_director is False
    assert relationship.is_ten_percent_owner is False


def test_it_reads_several_owners_and_pads_a_short_cik():
    filing = parse("0000990001-24-000103.xml")
    assert filing.issuer.cik == "0000990001"
    assert [owner.name for owner in filing.owners] == [
        "SUMMIT RIDGE CAPITAL PARTNERS LP",
        "HALVORSEN PETER",
    ]


def test_it_reads_a_form_3_with_no_securities_owned():
    filing = parse("0000990002-23-000011.xml")
    assert filing.form_type == "3"
    assert filing.no_securities_owned


def test_it_reads_an_amendment_and_its_original_date():
    filing = parse("0000990001-24-000104.xml")
    assert filing.form_type == "4/A" and filing.is_amendment and filing.base_form == "4"
    assert filing.original_filed == datetime.date(2024, 3, 6)


def test_it_reads_a_full_submission_with_its_header():
    filing = parse("0000990002-24-000020.txt")
    assert filing.accession_number == "0000990002-24-000020"
    assert filing.form_type == "4"
    assert filing.filed == datetime.date(2024, 1, 10)
    assert filing.issuer.state_of_incorporation == "DE"
    assert (filing.issuer.city, filing.issuer.state) == ("BOSTON", "MA")
    assert filing.owners[0].relationship.officer_title == "Interim CEO & Secretary"


@pytest.mark.parametrize(
    "path, accession",
    [
        ("x/0000990001-24-000101.xml", "0000990001-24-000101"),
        ("x/000099000124000101/form4.xml", "0000990001-24-000101"),
        ("x/2024-03-05_0000990001-24-000101.txt", "0000990001-24-000101"),
        ("x/form4.xml", None),
    ],
)
def test_the_accession_number_comes_from_the_file_or_folder_name(path, accession):
    assert accession_from_path(path) == accession


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ownershipDocument><documentType>&lol3;</documentType></ownershipDocument>"""


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"this is not XML", "not well-formed XML"),
        (b"<?xml version='1.0'?><edgarSubmission/>", "the root element is <edgarSubmission>"),
        (BOMB, "document type declaration"),
        (ownership_xml(period="2022-13-01"), "periodOfReport '2022-13-01' is not a date"),
        (ownership_xml(form="8-K"), "form type '8-K' is not a Form 3, 4 or 5"),
        (ownership_xml().replace(b"<issuer>", b"<x>").replace(b"</issuer>", b"</x>"), "no issuer"),
        (ownership_xml(owners=[]), "no reporting owner"),
        (ownership_xml(issuer_cik="12ab"), "issuerCik '12ab' is not a CIK"),
        (
            ownership_xml(owners=[dict(cik="0000990901", name="QUINN LIN", isDirector="yes")]),
            "isDirector is 'yes': expected 1, 0, true or false",
        ),
    ],
)
def test_a_malformed_filing_is_refused_with_its_reason(data, reason):
    with pytest.raises(MalformedFiling, match=reason.replace("(", r"\(").replace("?", r"\?")):
        parse_filing(data, "0000990009-24-000001.xml")


def test_an_xml_file_without_an_accession_number_is_refused():
    with pytest.raises(MalformedFiling, match="no accession number"):
        parse_filing(ownership_xml(), "form4.xml")


def test_a_full_submission_without_ownership_xml_is_refused():
    data = full_submission(
        b"<html/>", accession="0000990009-24-000001", form="4", filed=datetime.date(2024, 1, 1)
    )
    with pytest.raises(MalformedFiling, match="no <XML> block"):
        parse_filing(data, "a.txt")


def test_a_full_submission_without_a_header_is_refused():
    with pytest.raises(MalformedFiling, match="no SEC header"):
        parse_filing(b"<XML>" + ownership_xml() + b"</XML>", "a.txt")
