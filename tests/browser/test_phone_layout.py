"""At a phone's width (390 px) no text on a public page is cut off by its box: every element's
content fits its box, or the box scrolls and says so (class "scroll-cue": a shadow at the edge
with more to see). A tap on a timeline bar shows its details."""

import re

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
PUBLIC_PAGES = [
    "/",
    "/?q=crossman",
    "/companies/",
    "/people/",
    "/companies/innovo-group/",
    "/companies/innovo-group/?on=2004-09-08",
    "/people/pat-anderson/",
    "/people/marc-b-crossman/",
    "/sources/{release}/",
    "/sources/{release}/text/",
    "/changes/",
    "/quality/",
]

# Elements whose content is wider than their box, unless the box is a scroll-cue box; text
# hidden for the eye on purpose (class visually-hidden, the cards' column headers: a 1px box,
# or inside one) is not clipped text a reader misses.
CLIPPED = """() => {
  const hidden = el => {
    for (let box = el; box; box = box.parentElement) {
      const rect = box.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1) return true;
    }
    return false;
  };
  return Array.from(document.querySelectorAll('body, body *'))
    .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
    .filter(el => !el.classList.contains('scroll-cue') && !hidden(el))
    .map(el => `${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className}`
        + ` (${el.scrollWidth} > ${el.clientWidth}): ${el.textContent.trim().slice(0, 60)}`);
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


def release_id() -> int:
    from governance.demo import RELEASE_TITLE
    from governance.models import Source

    return Source.objects.get(title=RELEASE_TITLE).pk


def test_no_text_on_a_public_page_is_clipped_by_its_box(site, phone):
    release = release_id()
    clipped = {}
    for path in PUBLIC_PAGES:
        url = path.format(release=release)
        response = phone.goto(site + url)
        assert response.status == 200, url
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        found = phone.evaluate(CLIPPED)
        if found:
            clipped[url] = found
    assert clipped == {}


def test_the_timeline_says_it_scrolls_and_the_hint_is_not_cut_off(site, phone):
    phone.goto(site + "/companies/innovo-group/")
    scroller = phone.locator(".chart-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(scroller).to_have_class(re.compile(r"\bscroll-cue\b"))
    hint = phone.locator(".chart-hint .scroll-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("scroll it sideways")
    assert hint.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]


def test_the_tenures_table_is_a_card_per_tenure_on_a_phone(site, phone):
    phone.goto(site + "/companies/innovo-group/")
    person = phone.locator("th[data-label=Person] a", has_text="Pat Anderson")
    row = phone.locator("table.tenures tbody tr").filter(has=person).first
    # Each cell on its own line, named by its column, all of it in view.
    dates = row.locator('td[data-label="Dates"]')
    expect(dates).to_contain_text("Jul 1990 – Sep 2004")
    label = dates.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"Dates"'
    box = dates.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert phone.locator("table.tenures thead").evaluate("el => el.clientHeight") <= 1


def test_a_tap_on_a_bar_shows_its_details_and_a_second_follows_its_link(site, phone):
    phone.goto(site + "/companies/innovo-group/")
    anderson = phone.locator('a.bar[data-person="Pat Anderson"][data-role="President"]')
    panel = phone.locator(".bar-details-panel")
    expect(panel).to_be_hidden()
    anderson.locator("text.bar-label").tap()
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Pat Anderson — President, Innovo Group Inc.")
    expect(panel).to_contain_text("resigned, succeeded by Marc B. Crossman")
    assert "#tenure-" not in phone.url
    anderson.locator("text.bar-label").tap()
    expect(phone).to_have_url(re.compile(r"#tenure-\d+$"))
