"""/quality/ and the A–Z indexes in a browser, wide and on a phone: screenshots, no serious
axe-core violation, nothing wider than the screen, and what a reader came for on screen."""

import datetime

import pytest

from tests.browser.conftest import screenshot, serious_violations

WIDTHS = {"wide": 1280, "phone": 390}


def plant_findings() -> None:
    """An unsourced tenure and an SEC relationship held back, beside the demo's unconfirmed."""
    from governance.models import AppliedFiling, Company, HeldBackRelationship, Role, Source, Tenure
    from governance.models.partial_date import PartialDate
    from people.models import Person

    crossman = Person.objects.get(slug="marc-b-crossman")
    company = Company.objects.get(slug="innovo-group")
    Tenure.objects.create(
        person=crossman,
        company=Company.objects.get(slug="joes-jeans"),
        role=Role.objects.get(slug="director"),
        start=PartialDate(2005),
    )
    filing = AppliedFiling.objects.create(
        accession_number="0000990009-24-000005",
        owner_cik="0000990901",
        owner_name="CROSSMAN MARC B",
        issuer_cik="0000844143",
        form_type="5",
        period_of_report=datetime.date(2004, 10, 1),
        source=Source.objects.create(title="Form 5 of Marc B. Crossman", form_type="5"),
    )
    HeldBackRelationship.objects.create(
        filing=filing,
        person=crossman,
        company=company,
        role=Role.objects.get(slug="ceo"),
        title="Chief Executive Officer",
        day=datetime.date(2004, 10, 1),
        reason="Samuel J. Furrow, Jr. holds it on two or more of the same certain days.",
        clashing_tenure=Tenure.objects.get(person__slug="samuel-j-furrow-jr", role__slug="ceo"),
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_quality_and_the_indexes_read_well_wide_and_on_a_phone(site, page, width):
    plant_findings()
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    problems = {}
    for name, path in {
        "quality": "/quality/",
        "quality-unconfirmed": "/quality/?check=unconfirmed",
        "companies": "/companies/",
        "people": "/people/",
    }.items():
        response = page.goto(site + path)
        assert response.status == 200, (name, response.status)
        screenshot(page, f"quality-round-{name}-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= WIDTHS[width], f"{name} is {overflow}px wide at {width}"
        if violations := serious_violations(page):
            problems[name] = violations
        text = page.inner_text("main")
        if name == "quality":
            assert "SEC relationships held back for review (1)" in text
            assert "Marc B. Crossman, Chief Executive Officer at Innovo Group Inc." in text
            assert "Unsourced tenures (1)" in text
            assert "Computed " in text
        elif name == "quality-unconfirmed":
            assert "last confirmed 8 Sep 2004" in text
        else:
            assert "last confirmed 8 Sep 2004" in text
    assert not problems, problems
