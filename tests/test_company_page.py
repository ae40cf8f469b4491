import datetime
import re

import pytest
from django.utils import timezone

from governance.models import Company, Tenure
from governance.pages.profiles import TENURES_PER_PAGE
from tests.pages import count_queries, crowd_company, text_of

URL = "/companies/innovo-group/"


def holders(response, role_name):
    """(certain names, possible names) for a role in the 'who held each role' section."""
    for row in response.context["holders"]:
        if row.role.name == role_name:
            certain = row.confirmed + row.unconfirmed
            return [t.person.name for t in certain], [t.person.name for t in row.possible]
    raise AssertionError(f"no {role_name} row")


def test_it_shows_the_company_and_its_identifiers(client, demo):
    response = client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    assert "Innovo Group Inc." in text
    assert "NASDAQ: INNO" in text
    assert "Delaware" in text
    assert "Founded 1989 by Pat Anderson" in text


def test_it_shows_the_cik_and_former_names(client, demo):
    company = Company.objects.get(slug="innovo-group")
    company.cik = "0000844143"
    company.save()
    company.former_names.create(name="Innovo Corp.", end="1990")
    text = text_of(client.get(URL))
    assert "SEC CIK 0000844143" in text
    assert "Former names Innovo Corp. (? – 1990)" in text


def test_it_lists_subsidiaries_and_links_the_parent(client, demo):
    text = text_of(client.get(URL))
    assert "Subsidiaries Innovo Azteca Apparel Inc., Innovo, Inc., Joe's Jeans" in text
    response = client.get("/companies/innovo-inc/")
    assert 'href="/companies/innovo-group/"' in response.content.decode()
    assert "Parent Innovo Group Inc." in text_of(response)


def test_it_draws_one_lane_per_role_officers_first(client, demo):
    chart = client.get(URL).context["chart"]
    assert [lane.title for lane in chart.lanes] == [
        "Chief Executive Officer",
        "President",
        "Chief Financial Officer",
        "Director",
    ]
    president = chart.lanes[1]
    assert [bar.label for bar in president.bars] == ["Pat Anderson", "Marc B. Crossman"]
    # The hand-over sits on one line: Crossman's bar starts where Anderson's may end.
    assert {bar.track for bar in president.bars} == {0}


def test_it_marks_anderson_resigned_and_succeeded_on_her_bar(client, demo):
    chart = client.get(URL).context["chart"]
    anderson = chart.lanes[1].bars[0]
    assert anderson.fuzzy_start and anderson.fuzzy_end and not anderson.open_end
    assert anderson.ended_note == "resigned"
    assert anderson.details[1] == "Jul 1990 – Sep 2004, resigned, succeeded by Marc B. Crossman"
    assert anderson.details[2] == "Sources: Exhibit 99.1"


def test_it_runs_a_current_tenure_to_today_with_an_open_end(client, demo, settings):
    settings.UNCONFIRMED_AFTER_MONTHS = 12 * 100  # the 2004 release still counts as recent
    chart = client.get(URL).context["chart"]
    crossman = chart.lanes[1].bars[1]
    assert crossman.open_end and not crossman.fuzzy_start
    assert crossman.certain_end_x == chart.today_x
    assert "8 Sep 2004 – (current), succeeding Pat Anderson, who resigned" in crossman.details[1]


def test_it_draws_a_tenure_unconfirmed_since_2004_solid_to_then_and_presumed_after(client, demo):
    chart = client.get(URL).context["chart"]
    crossman = chart.lanes[1].bars[1]
    assert not crossman.open_end
    assert crossman.certain_end_x == chart.axis.x(datetime.date(2004, 9, 8))
    assert crossman.presumed_x == crossman.certain_end_x
    assert crossman.presumed_x + crossman.presumed_width == pytest.approx(chart.today_x)
    assert crossman.details[1] == (
        "8 Sep 2004 – (no end recorded · last confirmed 8 Sep 2004), "
        "succeeding Pat Anderson, who resigned"
    )


def test_it_draws_an_unknown_start_as_unknown_and_marks_attested_days(client, demo):
    chart = client.get(URL).context["chart"]
    furrow = chart.lanes[0].bars[0]
    assert furrow.start_unknown and not furrow.open_end
    assert [marker.label for marker in furrow.attested] == [
        "attested 7 Feb 2003 by Exhibit 10.97",
        "attested 8 Sep 2004 by Exhibit 99.1",
    ]
    assert furrow.details[1] == (
        "attested 7 Feb 2003 – 8 Sep 2004 (no end recorded · last confirmed 8 Sep 2004)"
    )
    assert furrow.presumed_x == chart.axis.x(datetime.date(2004, 9, 8))


def test_it_puts_the_documents_on_the_axis_linking_to_their_pages(client, demo):
    response = client.get(URL)
    ticks = response.context["chart"].documents
    assert [tick.label for tick in ticks] == ["Exhibit 10.97", "Exhibit 99.1"]
    assert [tick.url for tick in ticks] == [
        source.get_absolute_url() for source in response.context["documents"]
    ]
    page = response.content.decode()
    for tick in ticks:
        assert f'<a class="document" href="{tick.url}"' in page


def test_it_lists_events_in_date_order_citing_sources(client, demo):
    response = client.get(URL)
    text = text_of(response)
    assert (
        "8 Sep 2004 — Marc B. Crossman elected President, succeeding Pat Anderson, who "
        "resigned — Exhibit 99.1"
    ) in text
    assert (
        "Sep 2004 — Pat Anderson resigned as President, succeeded by Marc B. Crossman (date "
        'inferred: read from the announcement of 8 Sep 2004: the release says she "has resigned"; '
        "no date is given) — Exhibit 99.1"
    ) in text
    assert "1989 — Pat Anderson founded Innovo Group Inc. — Exhibit 99.1" in text
    assert "7 Feb 2003 — Samuel J. Furrow, Jr. shown as Chief Executive Officer" in text
    keys = [event.sort_key for event in response.context["events"]]
    assert keys == sorted(keys)


def test_it_shows_interlocks(client, demo):
    text = text_of(client.get(URL))
    assert "Innovo, Inc. Pat Anderson: President (attested 8 Sep 2004)" in text
    text = text_of(client.get("/companies/innovo-inc/"))
    assert "Innovo Group Inc. Pat Anderson: President (Jul 1990 – Sep 2004)" in text


def test_it_has_an_accessible_table_and_a_csv_link(client, demo):
    response = client.get(URL)
    page = response.content.decode()
    assert "<caption>Every tenure at <bdi>Innovo Group Inc.</bdi>" in page
    for tenure in Tenure.objects.filter(company__slug="innovo-group"):
        assert f'<tr id="tenure-{tenure.pk}">' in page
        assert f'href="#tenure-{tenure.pk}"' in page
    assert 'href="/export/tenures.csv?company=innovo-group"' in page


@pytest.mark.parametrize(
    "day, certain, possible",
    [
        ("2004-09-01", ["Pat Anderson"], []),
        ("2004-09-08", ["Marc B. Crossman"], ["Pat Anderson"]),
        ("2004-09-09", ["Marc B. Crossman"], []),
    ],
)
def test_it_shows_who_was_president_on_a_day(client, demo, day, certain, possible):
    response = client.get(URL, {"on": day})
    assert response.status_code == 200
    assert holders(response, "President") == (certain, possible)
    chart = response.context["chart"]
    assert chart.on_x is not None
    president_bars = {bar.label: bar.on_day for bar in chart.lanes[1].bars}
    for name in certain:
        assert president_bars[name] == "certain"
    for name in possible:
        assert president_bars[name] == "possible"


def test_it_marks_possible_holders_as_such(client, demo):
    text = text_of(client.get(URL, {"on": "2004-09-08"}))
    assert "Who held each role on 8 Sep 2004" in text
    assert "Pat Anderson possibly (Jul 1990 – Sep 2004" in text


def test_it_shows_todays_holders_without_a_date(client, demo):
    response = client.get(URL)
    assert holders(response, "President") == (["Marc B. Crossman"], [])
    assert response.context["chart"].on_x is None
    assert "Who holds each role today" in text_of(response)


def test_today_nobody_is_confirmed_by_evidence_since_2004(client, demo):
    response = client.get(URL)
    rows = {row.role.name: row for row in response.context["holders"]}
    assert not any(row.confirmed for row in rows.values())
    unconfirmed = {t.title: t.person.name for row in rows.values() for t in row.unconfirmed}
    assert unconfirmed == {
        "President": "Marc B. Crossman",
        "Chief Financial Officer": "Marc B. Crossman",
        "Director": "Marc B. Crossman",
    }
    assert [t.person.name for t in rows["Chief Executive Officer"].possible] == [
        "Samuel J. Furrow, Jr."
    ]
    text = text_of(response)
    assert "Who holds each role today" in text and "as far as the record shows" in text
    assert text.count("no end recorded · last confirmed 8 Sep 2004") >= 4
    assert "current" not in [
        badge.strip() for badge in re.findall(r'class="badge">([^<]*)<', response.content.decode())
    ]


def test_recent_evidence_shows_a_holder_as_current(client, demo, settings):
    settings.UNCONFIRMED_AFTER_MONTHS = 12 * 100
    rows = {row.role.name: row for row in client.get(URL).context["holders"]}
    assert [t.person.name for t in rows["President"].confirmed] == ["Marc B. Crossman"]
    assert rows["President"].unconfirmed == []


def test_it_treats_an_empty_date_as_today(client, demo):
    response = client.get(URL, {"on": ""})
    assert response.status_code == 200
    assert response.context["on_day"] is None


def test_it_has_a_date_control(client, demo):
    page = client.get(URL, {"on": "2004-09-08"}).content.decode()
    assert '<input type="date" id="on" name="on" value="2004-09-08"' in page


@pytest.mark.parametrize(
    "bad, message",
    [
        ("2004-02-31", "day is out of range for month"),
        ("yesterday", "give a day as YYYY-MM-DD"),
        ("2004-9-1", "give a day as YYYY-MM-DD"),
        ("20040901", "give a day as YYYY-MM-DD"),
        ("2004-09", "give a day as YYYY-MM-DD"),
    ],
)
def test_it_refuses_a_bad_date_with_a_400_page(client, demo, bad, message):
    response = client.get(URL, {"on": bad})
    assert response.status_code == 400
    assert [t.name for t in response.templates][0] == "400.html"
    text = text_of(response)
    assert f"on={bad!r} is not a day" in text
    assert message in text


def test_it_404s_on_an_unknown_company(client, demo):
    response = client.get("/companies/no-such-company/")
    assert response.status_code == 404
    assert "Not found" in text_of(response)


def test_it_shows_a_company_without_tenures(client, demo):
    response = client.get("/companies/joes-jeans/")
    assert response.status_code == 200
    assert response.context["chart"] is None
    assert "No tenures recorded." in text_of(response)


def test_it_has_no_inline_script_or_handlers(client, demo):
    page = client.get(URL, {"on": "2004-09-08"}).content.decode()
    # One static file (touch shows a bar's details), nothing inline.
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert scripts == [""]
    assert re.search(r'<script src="/static/js/timeline\.js" defer>', page)
    assert not re.search(r"\son[a-z]+\s*=", page)


def test_it_runs_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 3)
    few = count_queries(client, URL + "?on=2004-09-08")
    crowd_company(company, 30, prefix="Other")
    assert Tenure.objects.filter(company=company).count() > 60
    many = count_queries(client, URL + "?on=2004-09-08")
    assert few == many
    # Related-party transactions with their parties, sources and the parties' roles cost
    # four; the page of tenures (roles with the count, the page's ids, their rows) three, and
    # who held each role on the day one, so that no query reads every tenure of the company;
    # the interlocks three (the companies sharing the most people, their tenures, and the
    # companies by id: joined, PostgreSQL hashed every company).
    with django_assert_max_num_queries(21):
        client.get(URL + "?on=2004-09-08")


def test_interlocks_keep_two_companies_of_the_same_name_apart(client, demo):
    from governance.models import Role
    from people.models import Person

    director = Role.objects.get(slug="director")
    crossman = Person.objects.get(slug="marc-b-crossman")
    anderson = Person.objects.get(slug="pat-anderson")
    first, second = Company.objects.create(name="Acme"), Company.objects.create(name="Acme")
    Tenure.objects.create(person=crossman, company=first, role=director, start="2001")
    Tenure.objects.create(person=anderson, company=second, role=director, start="2002")
    Tenure.objects.create(person=crossman, company=second, role=director, start="2003")
    interlocks = client.get(URL).context["interlocks"]
    acmes = [
        (other.pk, [t.person.name for t in tenures])
        for other, tenures in interlocks
        if other.name == "Acme"
    ]
    # The one sharing two people first.
    assert acmes == [
        (second.pk, ["Pat Anderson", "Marc B. Crossman"]),
        (first.pk, ["Marc B. Crossman"]),
    ]


@pytest.mark.parametrize("recorded", [False, True])
def test_interlocks_name_the_companies_sharing_the_most_people_and_count_the_rest(
    client, demo, recorded
):
    from governance.models import Role
    from governance.pages.profiles import INTERLOCK_COMPANIES
    from people.models import Person

    director = Role.objects.get(slug="director")
    crossman = Person.objects.get(slug="marc-b-crossman")
    anderson = Person.objects.get(slug="pat-anderson")
    others = [Company.objects.create(name=f"Fund {n:02d}") for n in range(INTERLOCK_COMPANIES + 5)]
    for other in others:
        Tenure.objects.create(person=crossman, company=other, role=director, start="2001")
    Tenure.objects.create(person=anderson, company=others[-1], role=director, start="2002")
    url = URL + (f"?recorded={timezone.now().isoformat()}".replace("+", "%2B") if recorded else "")
    response = client.get(url)
    shown = [other.name for other, _ in response.context["interlocks"]]
    assert len(shown) == INTERLOCK_COMPANIES
    # Fund 24 shares two people; then by name (Innovo, Inc. shares Anderson only).
    assert shown[:3] == ["Fund 24", "Fund 00", "Fund 01"]
    hidden = len(others) + 1 - INTERLOCK_COMPANIES  # and Innovo, Inc.
    assert response.context["interlocks_more"] == hidden
    assert f"And {hidden} more companies: each person" in text_of(response)


def test_the_on_day_download_says_certainly_held_and_offers_every_tenure(client, demo):
    text = text_of(client.get(URL, {"on": "2004-09-08"}))
    # Anderson is shown as possibly President that day; the on= export lists certain holders.
    assert "Download the tenures certainly held on 8 Sep 2004 as CSV" in text
    assert (
        "(the possible holders shown above are not in it), or every tenure at "
        "Innovo Group Inc., possible holders included"
    ) in text
    html = client.get(URL, {"on": "2004-09-08"}).content.decode()
    assert 'href="/export/tenures.csv?company=innovo-group" download>every tenure' in html


def test_with_no_possible_holder_the_download_needs_no_caveat(client, demo):
    from governance.models import Role
    from governance.models.partial_date import PartialDate
    from people.models import Person

    company = Company.objects.create(name="Plain Co")
    Tenure.objects.create(
        person=Person.objects.create(name="Pat Plain"),
        company=company,
        role=Role.objects.get(slug="president"),
        title="President",
        start=PartialDate.parse("2001-01-01"),
        end=PartialDate.parse("2002-01-01"),
    )
    text = text_of(client.get(f"/companies/{company.slug}/", {"on": "2001-06-01"}))
    assert "Download the tenures certainly held on 1 Jun 2001 as CSV" in text
    assert "possible holders" not in text


def test_a_big_company_shows_its_tenures_a_page_at_a_time(client, demo):
    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 20)
    total = Tenure.objects.filter(company=company).count()
    assert total > TENURES_PER_PAGE
    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    shown = [t.pk for t in first.context["tenures"]] + [t.pk for t in second.context["tenures"]]
    assert len(first.context["tenures"]) == TENURES_PER_PAGE
    assert len(shown) == len(set(shown)) == total
    # Officers first on the first page, and the chart's bars are the table's rows.
    assert first.context["tenures"][0].role.kind == "officer"
    bars = {bar.tenure.pk for lane in second.context["chart"].lanes for bar in lane.bars}
    assert bars == {t.pk for t in second.context["tenures"]}
    assert f"Tenures {TENURES_PER_PAGE + 1}–{total} of {total}" in text_of(second)
    assert 'href="?page=1"' in second.content.decode()


def test_who_held_each_role_is_complete_on_every_page(client, demo):
    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 20)
    on_first = holders(client.get(URL, {"on": "2004-09-08"}), "President")
    on_second = holders(client.get(URL, {"on": "2004-09-08", "page": 2}), "President")
    assert on_first == on_second
    assert on_second[0] == ["Marc B. Crossman"]


def test_a_page_past_the_last_is_a_400_saying_so(client, demo):
    response = client.get(URL, {"page": 2})
    assert response.status_code == 400
    assert "past the last page" in text_of(response)


def test_the_recorded_page_shows_a_page_of_tenures_too(client, demo):
    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 20)
    moment = timezone.now().isoformat()
    first = client.get(URL, {"recorded": moment})
    second = client.get(URL, {"recorded": moment, "page": 2})
    live = [t.pk for t in client.get(URL).context["tenures"]]
    assert [t.pk for t in first.context["tenures"]] == live
    total = Tenure.objects.filter(company=company).count()
    assert len(first.context["tenures"]) + len(second.context["tenures"]) == total
