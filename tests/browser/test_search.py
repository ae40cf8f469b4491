from playwright.sync_api import expect


def test_search_finds_jay_furrow(site, page):
    page.goto(site + "/")
    page.fill("#q", "Jay Furrow")
    page.press("#q", "Enter")
    result = page.locator(".results a", has_text="Samuel J. Furrow, Jr.")
    expect(result).to_be_visible()
    result.click()
    expect(page.locator("h1")).to_have_text("Samuel J. Furrow, Jr.")
