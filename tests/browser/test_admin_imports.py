"""The admin's imports as an editor uses them: upload, read the preview, confirm, read the
result, upload the same again and find nothing to confirm; at a desk's width and a phone's,
screenshotted. SEC filings first, then a tenure CSV."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.sec_helpers import FIXTURES

WIDTHS = {"wide": 1280, "phone": 390}
FILINGS = sorted(str(path) for path in FIXTURES.iterdir() if path.suffix in (".xml", ".txt"))


def log_in(page, site) -> None:
    get_user_model().objects.create_superuser("editor", "editor@example.com", "editor-pass")
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-pass")
    page.click("input[type=submit]")
    expect(page.locator("#imports-module")).to_contain_text("Import SEC ownership filings")


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_uploads_previews_and_confirms_sec_filings(site, page, width):
    # The site's catalogue is put back after a flush; the roles filings name are a later migration's.
    importlib.import_module("governance.migrations.0009_sec_roles").add_roles(apps, None)
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    log_in(page, site)
    screenshot(page, f"admin-index-imports-{width}")
    page.click("text=Import SEC ownership filings")
    expect(page.locator("h1")).to_have_text("Import SEC ownership filings (Forms 3, 4, 5)")
    page.set_input_files("input[type=file]", FILINGS)
    fits(page, WIDTHS[width])
    screenshot(page, f"sec-upload-{width}")

    page.click("input[value=Preview]")
    expect(page.locator("#content-main")).to_contain_text("7 filings would be applied")
    expect(page.locator("#content-main")).to_contain_text("Owners skipped (1)")
    fits(page, WIDTHS[width])
    screenshot(page, f"sec-preview-{width}")

    page.click("input[value='Confirm import']")
    expect(page.locator("#content-main")).to_contain_text("7 filings were applied")
    expect(page.locator("input[value='Confirm import']")).to_have_count(0)
    fits(page, WIDTHS[width])
    screenshot(page, f"sec-done-{width}")

    # The same filings again: nothing to import, and nothing to confirm.
    page.click("text=Upload another file")
    page.set_input_files("input[type=file]", FILINGS)
    page.click("input[value=Preview]")
    expect(page.locator("#content-main")).to_contain_text("Nothing to import")
    expect(page.locator("input[value='Confirm import']")).to_have_count(0)
    fits(page, WIDTHS[width])
    screenshot(page, f"sec-nothing-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_tenure_csv_with_nothing_new_has_nothing_to_confirm(site, page, width, tmp_path):
    from governance.csv.format import TENURE_COLUMNS
    from tests.csv_helpers import export_text

    csv = tmp_path / "tenures.csv"
    new_row = ["New Person", "Innovo Group Inc.", "director", "", "2010"]
    new_row += [""] * (len(TENURE_COLUMNS) - len(new_row))
    csv.write_text(export_text() + ",".join(new_row) + "\r\n")
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    log_in(page, site)
    page.click("text=Import tenures from CSV")
    page.set_input_files("input[type=file]", str(csv))
    page.click("input[value=Preview]")
    expect(page.locator("#content-main")).to_contain_text("1 tenure would be created")
    fits(page, WIDTHS[width])
    screenshot(page, f"csv-preview-{width}")
    page.click("input[value='Confirm import']")
    expect(page.locator("#content-main")).to_contain_text("1 tenure was created")
    screenshot(page, f"csv-done-{width}")
    page.click("text=Upload another file")
    page.set_input_files("input[type=file]", str(csv))
    page.click("input[value=Preview]")
    expect(page.locator("#content-main")).to_contain_text("Nothing to import")
    expect(page.locator("input[value='Confirm import']")).to_have_count(0)
    fits(page, WIDTHS[width])
    screenshot(page, f"csv-nothing-{width}")
