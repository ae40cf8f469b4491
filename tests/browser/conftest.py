"""Browser tests: Playwright for Python driving the system Chromium against the live server.

They skip when /usr/bin/chromium is missing (install it, e.g. `apt-get install chromium`,
to run them), except under CI=true, where a missing browser is a failure.
"""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps

from governance.demo import load_demo

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# (loading the demo, reading ids) are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WIDTHS = {"wide": 1280, "narrow": 360}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"Browser tests need Chromium at {CHROMIUM}; install it (apt-get install chromium) "
            "to run them."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message + " CI=true: a missing browser is a failure.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # The accessibility checker (axe-core) is injected as an inline script, which the site's
    # Content-Security-Policy refuses: this page lets it in. tests/browser/test_csp.py uses a
    # page of its own, with the policy enforced.
    context = browser.new_context(
        viewport={"width": WIDTHS["wide"], "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(live_server, django_db_serialized_rollback, transactional_db) -> str:
    """The live server's URL, with the demo record loaded where its thread can see it.

    The server runs in another thread, so the test needs a transactional database; the
    serialized rollback puts back the role catalogue (a data migration) for later tests.
    """
    roles = importlib.import_module("governance.migrations.0002_role_catalogue")
    roles.create_roles(apps, None)
    load_demo()
    return live_server.url


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page) -> list[str]:
    """axe-core's violations of impact serious or critical on the page as it is."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
