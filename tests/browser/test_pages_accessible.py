"""Every page at a wide and a phone width: a screenshot, and no serious axe-core violation."""

import pytest

from tests.browser.conftest import WIDTHS, screenshot, serious_violations

PAGES = {
    "home": "/",
    "search": "/?q=jay+furrow",
    "companies": "/companies/",
    "people": "/people/",
    "company": "/companies/innovo-group/",
    "company-on": "/companies/innovo-group/?on=2004-09-08",
    "subsidiary": "/companies/innovo-inc/",
    "person-crossman": "/people/marc-b-crossman/",
    "person-anderson": "/people/pat-anderson/",
    "person-furrow": "/people/samuel-j-furrow-jr/",
    "source": "/sources/{note}/",
    "changes": "/changes/",
    "bad-date": "/companies/innovo-group/?on=2004-02-31",
    "not-found": "/companies/no-such-company/",
}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_is_accessible_and_screenshotted(site, page, width):
    from governance.demo import NOTE_TITLE
    from governance.models import Source

    note = Source.objects.get(title=NOTE_TITLE).pk
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    problems = {}
    for name, path in PAGES.items():
        response = page.goto(site + path.format(note=note))
        expected = {"bad-date": 400, "not-found": 404}.get(name, 200)
        assert response.status == expected, (name, response.status)
        screenshot(page, f"{name}-{width}")
        if width == "narrow":
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= WIDTHS[width], f"{name} is {overflow}px wide at {width}"
        violations = serious_violations(page)
        if violations:
            problems[name] = violations
    assert not problems, problems
