"""The Content-Security-Policy holds on every public page and the main admin pages: the browser
reports no `securitypolicyviolation` (no inline script or style, nothing from elsewhere)."""

import pytest
from django.contrib.auth import get_user_model

from tests.browser.conftest import WIDTHS

# Recorded by the page itself, from before its first script runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || location.pathname}:${event.lineNumber} ${event.sample || ""}`
  );
});
"""


@pytest.fixture
def csp_page(browser):
    # Not the shared page fixture: that one lets the accessibility checker inject its script.
    context = browser.new_context(viewport={"width": WIDTHS["wide"], "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    yield page
    context.close()


def violations_on(page, url: str, status: int = 200) -> list[str]:
    response = page.goto(url)
    assert response.status == status, (url, response.status)
    assert page.url == url, f"{url} went to {page.url}"  # not to the login page
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    # The browser reports a violation in a task of its own: read them after the tasks queued
    # so far (a timer of 0 runs after them), not on the spot.
    return page.evaluate(
        "() => new Promise((done) => setTimeout(() => done(window.__cspViolations), 0))"
    )


def check(page, site: str, pages: list) -> None:
    problems = {}
    for entry in pages:
        path, status = entry if isinstance(entry, tuple) else (entry, 200)
        found = violations_on(page, site + path, status)
        if found:
            problems[path] = found
    assert not problems, problems


def public_pages() -> list:
    from governance.demo import NOTE_TITLE
    from governance.models import Source, Tenure

    note = Source.objects.get(title=NOTE_TITLE).pk
    tenure = Tenure.objects.order_by("pk").first().pk
    return [
        "/",
        "/?q=jay+furrow",
        "/companies/",
        "/companies/?letter=I",
        "/people/",
        "/people/?letter=C",
        "/companies/innovo-group/",
        "/companies/innovo-group/?on=2004-09-08",
        "/people/marc-b-crossman/",
        f"/sources/{note}/",
        "/changes/",
        "/quality/",
        f"/history/tenure/{tenure}/",
        ("/companies/no-such-company/", 404),
        ("/companies/innovo-group/?on=2004-02-31", 400),
    ]


def test_the_listener_hears_a_violation(site, csp_page):
    # Else the tests below could not fail.
    violations_on(csp_page, site + "/")
    csp_page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1'; "
        "document.body.append(s); }"
    )
    assert violations_on(csp_page, site + "/") == []  # a page starts afresh
    csp_page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    found = csp_page.evaluate(
        "() => new Promise((done) => setTimeout(() => done(window.__cspViolations), 0))"
    )
    assert found and found[0].startswith("style-src-attr blocked inline")


def test_public_pages_break_no_rule_of_the_policy(site, csp_page):
    check(csp_page, site, public_pages())
    # The exports the pages link to answer with the policy too.
    for path in ["/export/tenures.csv", "/export/people.csv", "/export/transactions.csv"]:
        response = csp_page.request.get(site + path)
        assert response.status == 200
        assert "default-src 'self'" in response.headers["content-security-policy"]


def log_in(page, site: str) -> None:
    get_user_model().objects.create_superuser("root", "root@example.com", "root-pass-123")
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "root-pass-123")
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


def admin_pages() -> list:
    from django.contrib import admin

    from governance.models import Company, ImportJob, Source, Tenure
    from people.models import Person

    pages = [
        "/admin/",
        "/deleted/",
        "/admin/governance/tenure/import/",
        "/admin/governance/source/import/",
    ]
    for model in admin.site._registry:
        pages.append(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    for model in [Tenure, Person, Company, Source]:
        record = model.objects.order_by("pk").first()
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
        version = record.history.order_by("history_id").first().history_id
        pages += [
            f"{base}/add/",
            f"{base}/{record.pk}/change/",
            f"{base}/{record.pk}/history/",
            f"{base}/{record.pk}/history/{version}/",
            f"{base}/{record.pk}/delete/",
        ]
    pages.append("/admin/governance/tenure/?status=current&role__id__exact=1")
    pages += [f"/admin/governance/tenure/import/{job.pk}/" for job in ImportJob.objects.all()]
    return pages


def test_admin_pages_break_no_rule_of_the_policy(site, csp_page):
    log_in(csp_page, site)
    # An import job's page too: upload a file and follow to its page.
    csp_page.goto(site + "/admin/governance/tenure/import/")
    csp_page.set_input_files("input[type=file]", files=[{
        "name": "tenures.csv", "mimeType": "text/csv",
        "buffer": b"person,company,role,title,start,end,end_reason,replaces,sources\r\n",
    }])  # fmt: skip
    csp_page.click("input[value=Preview]")
    csp_page.wait_for_url("**/import/*/")
    check(csp_page, site, admin_pages())
