"""The admin fits the window: at 1280 px (navigation sidebar open) and on a phone (390 px) the
tenure list, a tenure's change form with its citations and its history page are no wider than
the viewport."""

import pytest

WIDTHS = [1280, 390]


@pytest.fixture
def admin_page(browser, site):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("ada", "ada@example.com", "a-long-password-1")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    yield page
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_tenure_pages_fit_the_window(site, admin_page, width):
    from governance.models import Tenure

    anderson = Tenure.objects.get(
        person__slug="pat-anderson", role__slug="president", company__slug="innovo-group"
    )
    admin_page.set_viewport_size({"width": width, "height": 900})
    too_wide = {}
    for path in [
        "/admin/governance/tenure/",
        f"/admin/governance/tenure/{anderson.pk}/change/",
        f"/admin/governance/tenure/{anderson.pk}/history/",
    ]:
        response = admin_page.goto(site + path)
        assert response.status == 200, path
        document_width = admin_page.evaluate("document.documentElement.scrollWidth")
        if document_width > width:
            too_wide[path] = document_width
    assert too_wide == {}


def test_the_tenure_list_shows_every_column_whole_at_1280(site, admin_page):
    admin_page.goto(site + "/admin/governance/tenure/")
    results = admin_page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    header = admin_page.locator("#result_list thead th.column-is_current")
    assert header.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert header.inner_text().strip().upper() == "CURRENT"
