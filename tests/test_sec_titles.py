"""Officer titles into catalogue roles (governance.sec.titles)."""

import pytest

from governance.sec.titles import read_title


@pytest.mark.parametrize(
    "title, roles",
    [
        ("President and CEO", ("president", "ceo")),
        ("EVP, Chief Financial Officer", ("cfo",)),
        ("Chairman & CEO", ("chair", "ceo")),
        ("CFO", ("cfo",)),
        ("Pres. & C.E.O.", ("president", "ceo")),
        ("Chairman, President and Chief Executive Officer", ("chair", "president", "ceo")),
        ("Chief Legal Officer and Corporate Secretary", ("general-counsel", "secretary")),
        ("EVP & General Counsel", ("general-counsel",)),
        ("Principal Accounting Officer", ("cao",)),
        ("SVP, Controller", ("controller",)),
        ("Vice Chairman", ("vice-chair",)),
        ("Executive Chairman", ("chair",)),
        ("Chief Technology Officer", ("cto",)),
        ("Senior Vice President, Research and Development", ("vice-president",)),
        ("CEO and Director", ("ceo", "director")),
    ],
)
def test_a_title_names_its_roles(title, roles):
    assert read_title(title).roles == roles


@pytest.mark.parametrize("title", ["Interim CEO", "Acting Chief Executive Officer", "Co-CEO"])
def test_interim_acting_and_co_map_to_the_role(title):
    reading = read_title(title)
    assert reading.roles == ("ceo",)
    assert reading.qualified


def test_a_former_role_is_skipped_with_a_reason():
    reading = read_title("Former Chief Operating Officer")
    assert reading.roles == ()
    assert reading.skipped == "the title 'Former Chief Operating Officer' names a former role"


def test_a_former_part_is_dropped_beside_a_current_one():
    assert read_title("Director; former President").roles == ("director",)


@pytest.mark.parametrize(
    "title",
    [
        "Chief Sustainability Officer",
        "Director of Investor Relations",
        "Chair of the Audit Committee",
    ],
)
def test_a_title_naming_no_catalogue_role_is_an_other_officer(title):
    assert read_title(title).roles == ("other-officer",)
