import re

from playwright.sync_api import expect

COMPANY = "/companies/innovo-group/"


def bar(page, person, role):
    return page.locator(f'a.bar[data-person="{person}"][data-role="{role}"]')


def year_x(page, year: int) -> float:
    """Screen x of 1 January of a year, from the chart's own year grid."""
    box = page.locator(f'text.year:text-is("{year}")').bounding_box()
    return box["x"] + box["width"] / 2


def test_andersons_bar_ends_in_sep_2004_marked_resigned(site, page):
    page.goto(site + COMPANY)
    anderson = bar(page, "Pat Anderson", "President")
    expect(anderson.locator("title").first).to_have_text(
        re.compile(
            r"^Pat Anderson — President.*Jul 1990 – Sep 2004, resigned, succeeded by Marc B\. Crossman"
        )
    )
    expect(anderson.locator("text.end-note")).to_have_text("resigned")
    # Where the solid bar ends: between 1 Jan 2004 and 1 Jan 2005, about two thirds along.
    rect = anderson.locator("rect.certain").bounding_box()
    end = rect["x"] + rect["width"]
    start_2004 = year_x(page, 2000) + (year_x(page, 2005) - year_x(page, 2000)) * 4 / 5
    end_2004 = year_x(page, 2005)
    assert start_2004 + (end_2004 - start_2004) * 0.6 < end < end_2004
    # Crossman's presidency picks up on the same line.
    crossman = (
        bar(page, "Marc B. Crossman", "President").locator("rect.certain").first.bounding_box()
    )
    assert abs(crossman["y"] - rect["y"]) < 1 and crossman["x"] >= end - 1


def test_hover_and_focus_show_a_bars_details(site, page):
    page.goto(site + COMPANY)
    anderson = bar(page, "Pat Anderson", "President")
    details = anderson.locator("g.details")
    expect(details).to_be_hidden()
    anderson.locator("rect.certain").hover()
    expect(details).to_be_visible()
    expect(details).to_contain_text("Jul 1990 – Sep 2004, resigned, succeeded by Marc B. Crossman")
    expect(details).to_contain_text("Sources: Exhibit 99.1")
    page.mouse.move(0, 0)
    bar(page, "Samuel J. Furrow, Jr.", "Chief Executive Officer").focus()
    furrow_details = bar(page, "Samuel J. Furrow, Jr.", "Chief Executive Officer").locator(
        "g.details"
    )
    expect(furrow_details).to_be_visible()
    expect(furrow_details).to_contain_text("attested 7 Feb 2003 – 8 Sep 2004")


def president_row(page):
    return page.locator('.holder-row[data-role="President"]')


def test_the_date_control_changes_who_is_president(site, page):
    page.goto(site + COMPANY)
    for day, certain, possible in [
        ("2004-09-01", ["Pat Anderson"], []),
        ("2004-09-08", ["Marc B. Crossman"], ["Pat Anderson"]),
        ("2004-09-09", ["Marc B. Crossman"], []),
    ]:
        page.fill("#on", day)
        page.click("form.on-form button")
        page.wait_for_url(re.compile(rf"on={day}"))
        row = president_row(page)
        expect(row.locator(".certain-holder a")).to_have_text(certain)
        expect(row.locator(".possible-holder a")).to_have_text(possible)
        if possible:
            expect(row.locator(".possible-holder")).to_contain_text("possibly")
        expect(page.locator("line.on-line")).to_have_count(1)
        label = page.locator("text.on-label")
        expect(label).to_have_text(re.sub(r"^0", "", f"{int(day[-2:])} Sep 2004"))


def test_document_ticks_link_to_their_sources(site, page):
    page.goto(site + COMPANY)
    ticks = page.locator("a.document")
    expect(ticks).to_have_count(2)
    expect(ticks.nth(0).locator("text")).to_have_text("Exhibit 10.97")
    ticks.nth(0).locator("text").click()
    expect(page.locator("h1")).to_contain_text("Promissory note, 7 Feb 2003")
    expect(page.locator("main")).to_contain_text(
        "Samuel J. Furrow, Jr. was Chief Executive Officer of Innovo Group Inc. on 7 Feb 2003"
    )


def test_the_chart_scrolls_inside_its_box_on_a_phone(site, page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site + COMPANY)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    scroller = page.locator(".chart-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")


def test_the_chart_is_drawn_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + COMPANY + "?on=2004-09-08")
    expect(page.locator("a.bar")).to_have_count(6)
    expect(president_row(page).locator(".certain-holder a")).to_have_text(["Marc B. Crossman"])
    context.close()
