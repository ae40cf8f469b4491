"""How old the evidence is, inferences, and the note as a transaction, as a reader sees them."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot

COMPANY = "/companies/innovo-group/"


def test_today_nobody_is_confirmed_and_bars_are_presumed_after_2004(site, page):
    page.goto(site + COMPANY)
    panel = page.locator("#on-day")
    expect(panel.locator("h2")).to_contain_text("as far as the record shows")
    expect(panel.locator(".certain-holder")).to_have_count(0)
    expect(panel.locator(".unconfirmed-holder")).to_have_count(3)
    for holder in panel.locator(".unconfirmed-holder").all():
        expect(holder).to_contain_text("Marc B. Crossman")
        expect(holder).to_contain_text("no end recorded · last confirmed 8 Sep 2004")
    furrow = panel.locator(".possible-holder")
    expect(furrow).to_contain_text("possibly")
    expect(furrow).to_contain_text("no end recorded · last confirmed 8 Sep 2004")
    # Crossman's bars stop at 8 Sep 2004; a presumed segment runs on to today.
    presumed = page.locator('a.bar[data-person="Marc B. Crossman"] rect.presumed')
    expect(presumed).to_have_count(3)
    today = page.locator("line.today-line").bounding_box()
    for box in [rect.bounding_box() for rect in presumed.all()]:
        assert abs(box["x"] + box["width"] - today["x"]) < 2
    expect(page.locator(".legend")).to_contain_text("presumed: no end recorded")
    screenshot(page, "fidelity-company-wide")
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, "fidelity-company-phone")


def test_the_note_is_on_the_timeline_with_its_details_on_focus(site, page):
    page.goto(site + COMPANY)
    mark = page.locator("a.mark.transaction")
    expect(mark).to_have_count(1)
    expect(page.locator("g.transactions text.lane-title")).to_have_text(
        "Related-party transactions"
    )
    mark.focus()
    details = mark.locator(".details")
    expect(details).to_be_visible()
    expect(details).to_contain_text("Marc B. Crossman (lender), a director")
    expect(details).to_contain_text("$250,000 promissory note at 8%")
    events = page.locator("ol.events")
    expect(events).to_contain_text(
        "7 Feb 2003 — Innovo Group Inc. issued a $250,000 promissory note at 8% to "
        "Marc B. Crossman, a director; due 8 Aug 2003"
    )
    expect(events).to_contain_text("(date inferred: read from the announcement of 8 Sep 2004")


def test_crossmans_page_shows_the_loan_and_andersons_the_inferred_ends(site, page):
    page.goto(site + "/people/marc-b-crossman/")
    loan = page.locator("article.transaction")
    expect(loan.locator("dt", has_text="Kind").locator("+ dd")).to_contain_text("loan (inferred")
    expect(loan).to_contain_text("a director that day, as the record shows")
    expect(loan.locator("dt", has_text="Amount").locator("+ dd")).to_have_text("$250,000")
    screenshot(page, "fidelity-crossman-wide")
    page.goto(site + "/people/pat-anderson/")
    expect(page.locator("article.fact .inferred").first).to_contain_text(
        "Inferred, not stated by the source: end — read from the announcement of 8 Sep 2004"
    )
