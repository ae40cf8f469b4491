from playwright.sync_api import expect


def test_crossmans_path_appears_in_order_with_month_labels(site, page):
    page.goto(site + "/people/marc-b-crossman/")
    steps = page.locator("ol.path li")
    expect(steps).to_have_count(3)
    texts = [text.replace("and at the same time ", "") for text in steps.all_inner_texts()]
    assert texts[0].startswith("Director (Jan 1999 –)")
    assert texts[1].startswith("Chief Financial Officer (Mar 2003 –)")
    assert texts[2].startswith("President (8 Sep 2004 –)")
    # The chart draws the same path top to bottom, labelled with the same dates.
    labels = page.locator("a.bar text.bar-label")
    expect(labels).to_have_text(["Jan 1999 –", "Mar 2003 –", "8 Sep 2004 –"])
    tops = [box["y"] for box in (label.bounding_box() for label in labels.all())]
    assert tops == sorted(tops)
    expect(page.locator("main")).to_contain_text("Promissory note, 7 Feb 2003")


def test_andersons_page_says_founded_resigned_and_not_current(site, page):
    page.goto(site + "/people/pat-anderson/")
    expect(page.locator("ul.foundings")).to_contain_text("Founded Innovo Group Inc. (1989)")
    steps = page.locator("ol.path li")
    expect(steps).to_have_text(
        [
            "President (Jul 1990 – Sep 2004, resigned, succeeded by Marc B. Crossman)",
            "and at the same time Director (Aug 1990 – Sep 2004, resigned)",
            "President (attested 8 Sep 2004) no end recorded · last confirmed 8 Sep 2004",
        ]
    )
    # Nothing is called current: the one tenure with no end is unconfirmed since 2004.
    expect(page.locator("ol.path .badge")).to_have_text(
        ["no end recorded · last confirmed 8 Sep 2004"]
    )


def test_furrows_page_shows_the_attested_ceo_tenure(site, page):
    page.goto(site + "/people/samuel-j-furrow-jr/")
    expect(page.locator("ol.path li")).to_have_text(
        [
            "Chief Executive Officer (attested 7 Feb 2003 – 8 Sep 2004) no end recorded · last confirmed 8 Sep 2004"
        ]
    )
    expect(page.locator(".other-names")).to_contain_text("Jay Furrow")
