import re

from governance.models import Company
from tests.pages import count_queries, crowd_company, text_of


def test_it_shows_crossmans_path_in_order(client, demo):
    response = client.get("/people/marc-b-crossman/")
    assert response.status_code == 200
    text = text_of(response)
    unconfirmed = "no end recorded · last confirmed 8 Sep 2004"
    # Three roles held together since 2004: no arrow implies one followed the other.
    assert (
        f"Director (Jan 1999 –) {unconfirmed} and at the same time Chief Financial Officer "
        f"(Mar 2003 –) {unconfirmed} and at the same time President (8 Sep 2004 –) "
        f"{unconfirmed} — succeeding Pat Anderson, who resigned"
    ) in text
    html = response.content.decode()
    assert "→" not in html[html.index('<ol class="path">') : html.index("</ol>")]
    [career] = response.context["path"]
    assert [(step.tenure.title, step.concurrent) for step in career.steps] == [
        ("Director", False),
        ("Chief Financial Officer", True),
        ("President", True),
    ]


def test_it_shows_andersons_founding_roles_and_ends(client, demo):
    text = text_of(client.get("/people/pat-anderson/"))
    assert "Founded Innovo Group Inc. (1989)" in text
    assert (
        "President (Jul 1990 – Sep 2004, resigned, succeeded by Marc B. Crossman) "
        "and at the same time Director (Aug 1990 – Sep 2004, resigned)"
    ) in text
    assert "At Innovo, Inc. (a subsidiary) President (attested 8 Sep 2004)" in text


def test_with_recent_evidence_the_path_says_current(client, demo, settings):
    settings.UNCONFIRMED_AFTER_MONTHS = 12 * 100
    text = text_of(client.get("/people/marc-b-crossman/"))
    assert (
        "Director (Jan 1999 –) current and at the same time Chief Financial Officer "
        "(Mar 2003 –) current and at the same time President (8 Sep 2004 –) current "
        "— succeeding Pat Anderson, who resigned"
    ) in text


def test_it_does_not_show_an_attested_only_tenure_as_current(client, demo):
    response = client.get("/people/pat-anderson/")
    steps = [step for career in response.context["path"] for step in career.steps]
    assert [step.tenure.is_current for step in steps] == [False, False, False]
    page = response.content.decode()
    path = page[page.index('id="path-heading"') : page.index("timeline-figure")]
    assert "is-current" not in path and 'class="badge">current' not in path
    # Known only from a day it was attested, with no end recorded: unconfirmed since.
    assert "no end recorded · last confirmed 8 Sep 2004" in path


def test_it_shows_furrows_attested_ceo_tenure_and_other_names(client, demo):
    text = text_of(client.get("/people/samuel-j-furrow-jr/"))
    assert "Chief Executive Officer (attested 7 Feb 2003 – 8 Sep 2004)" in text
    assert "Jay Furrow (alias or nickname)" in text
    assert "Inference, not a statement of the filings" in text


def test_it_cites_every_fact_with_its_passage(client, demo):
    text = text_of(client.get("/people/samuel-j-furrow-jr/"))
    assert (
        "By: /s/ Samuel J. Furrow, Jr. ... Samuel J. Furrow, Jr. Its: Chief Executive Officer"
        in text
    )
    assert "Attested 7 Feb 2003 by the passage above (Exhibit 10.97)" in text


def test_it_lists_the_promissory_note_on_crossmans_page(client, demo):
    response = client.get("/people/marc-b-crossman/")
    text = text_of(response)
    assert (
        "7 Feb 2003: Promissory note, 7 Feb 2003: Innovo Group Inc. to Marc Crossman, "
        "$250,000 at 8% (Exhibit 10.97) — payee (written “MARC CROSSMAN”)"
    ) in text
    ticks = response.context["chart"].documents
    assert [tick.label for tick in ticks] == ["Exhibit 10.97", "Exhibit 99.1"]


def test_it_draws_the_career_as_a_timeline(client, demo):
    chart = client.get("/people/marc-b-crossman/").context["chart"]
    assert [lane.title for lane in chart.lanes] == [
        "Director · Innovo Group Inc.",
        "Chief Financial Officer · Innovo Group Inc.",
        "President · Innovo Group Inc.",
    ]
    assert [bar.label for lane in chart.lanes for bar in lane.bars] == [
        "Jan 1999 –",
        "Mar 2003 –",
        "8 Sep 2004 –",
    ]


def test_it_404s_on_an_unknown_person(client, demo):
    assert client.get("/people/nobody/").status_code == 404


def test_it_has_no_inline_script_or_handlers(client, demo):
    page = client.get("/people/pat-anderson/").content.decode()
    # One static file (touch shows a bar's details), nothing inline.
    assert re.findall(r"<script[^>]*>(.*?)</script>", page, re.S) == [""]
    assert '<script src="/static/js/timeline.js" defer>' in page
    assert not re.search(r"\son[a-z]+\s*=", page)


def test_it_runs_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    """One person with many tenures at many companies costs what one tenure does."""
    from governance.models import Tenure
    from people.models import Person

    url = "/people/marc-b-crossman/"
    few = count_queries(client, url)
    crossman = Person.objects.get(slug="marc-b-crossman")
    for n in range(12):
        company = Company.objects.create(name=f"Holding {n}")
        crowd_company(company, 1, prefix=f"Colleague {n}")
        for tenure in Tenure.objects.filter(company=company):
            tenure.pk = None
            tenure.person = crossman
            tenure.predecessor = None
            tenure.save()
    assert crossman.tenures.count() > 25
    assert count_queries(client, url) == few
    # Related-party transactions with their parties and sources cost three.
    with django_assert_max_num_queries(14):
        client.get(url)


def test_a_passage_both_cited_and_attesting_is_quoted_once(client, demo):
    html = client.get("/people/pat-anderson/").content.decode()
    assert (
        html.count("serving as the President of the Company&#x27;s accessory and craft subsidiary")
        == 1
    )
    assert "Attested 8 Sep 2004 by the passage above" in html


def test_a_role_taken_after_another_ended_follows_it_with_an_arrow(client, demo):
    from governance.models import Role, Tenure
    from governance.models.partial_date import PartialDate
    from people.models import Person

    person = Person.objects.create(name="Sam Step")
    company = Company.objects.get(slug="innovo-group")
    for role, start, end in [
        ("cfo", "2001-01", "2003-02"),
        ("director", "2003-02", None),
    ]:
        Tenure.objects.create(
            person=person,
            company=company,
            role=Role.objects.get(slug=role),
            title=Role.objects.get(slug=role).name,
            start=PartialDate.parse(start),
            end=PartialDate.parse(end) if end else None,
        )
    text = text_of(client.get(f"/people/{person.slug}/"))
    assert "Chief Financial Officer (Jan 2001 – Feb 2003) → Director (Feb 2003 –)" in text
    assert "at the same time" not in text


def test_it_lists_each_document_once_with_the_persons_part_in_it(client, demo):
    response = client.get("/people/marc-b-crossman/")
    html = response.content.decode()
    section = html[html.index('id="documents-heading"') :]
    section = section[: section.index("</section>")]
    assert section.count("Promissory note, 7 Feb 2003") == 1
    assert section.count("press release, 8 Sep 2004") == 1
    text = re.sub(r"<[^>]+>", "", section)
    assert "(Exhibit 10.97) — payee (written “MARC CROSSMAN”)" in text
    assert "Every document about" not in html
