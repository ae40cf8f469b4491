"""Names as filings write them (governance.sec.names)."""

import pytest

from governance.sec.names import company_key, entity_reason, owner_display_name


@pytest.mark.parametrize(
    "filed, display, sort",
    [
        ("SCARPELLI MICHAEL", "Michael Scarpelli", "Scarpelli, Michael"),
        ("McMahon John Dennis", "John Dennis McMahon", "McMahon, John Dennis"),
        ("CROSSMAN MARC B", "Marc B. Crossman", "Crossman, Marc B."),
        ("FURROW SAMUEL J JR", "Samuel J. Furrow Jr.", "Furrow, Samuel J. Jr."),
        ("Smith, John A.", "John A. Smith", "Smith, John A."),
        ("O'BRIEN PATRICK", "Patrick O'Brien", "O'Brien, Patrick"),
        ("REYES-GARCIA SOFIA", "Sofia Reyes-Garcia", "Reyes-Garcia, Sofia"),
    ],
)
def test_a_filed_name_becomes_a_display_name(filed, display, sort):
    made = owner_display_name(filed)
    assert (made.display, made.sort) == (display, sort)


@pytest.mark.parametrize(
    "filed, word",
    [
        ("BERKSHIRE HATHAWAY INC", "INC"),
        ("SUMMIT RIDGE CAPITAL PARTNERS LP", "CAPITAL"),
        ("Vanguard Group Inc", "GROUP"),
        ("JANE DOE REVOCABLE TRUST", "TRUST"),
        ("ACME L.P.", "L P"),
    ],
)
def test_an_entity_is_told_from_a_person(filed, word):
    assert entity_reason(filed) == f'an entity, not a person (its name has "{word}")'


@pytest.mark.parametrize("filed", ["SCARPELLI MICHAEL", "McMahon John Dennis", "COLE INGRID"])
def test_a_person_is_not_an_entity(filed):
    assert entity_reason(filed) is None


def test_company_names_compare_without_case_punctuation_form_or_state_tag():
    assert company_key("Innovo Group Inc.") == company_key("INNOVO GROUP INC /DE/")
    assert company_key("Halcyon Robotics, Inc.") == company_key("HALCYON ROBOTICS INC")
    assert company_key("Halcyon Robotics") != company_key("Halcyon Devices")
