"""Names with markup characters, quotes, right-to-left text and accents, on every page."""

import datetime

import pytest
from django.utils.html import escape

from governance.models import Attestation, Citation, Company, Role, Source, Tenure
from governance.models.partial_date import PartialDate
from people.models import OtherName, Person

PERSON = '<b>Zoë "Q" O\'Brien & Søn</b>'
RTL = "محمد بن راشد"
COMPANY = 'Ünïcode & <Sons> "Ltd"'
TITLE = "Président & <Chef>"


@pytest.fixture
def awkward(db):
    company = Company.objects.create(name=COMPANY, slug="unicode-sons")
    person = Person.objects.create(name=PERSON, slug="zoe")
    rtl = Person.objects.create(name=RTL, slug="rtl")
    OtherName.objects.create(person=person, name=RTL + " <i>")
    source = Source.objects.create(
        kind=Source.Kind.OTHER, title=f"Letter from {PERSON}", date=PartialDate(2001, 5, 2)
    )
    source.parties.create(person=person, part="author", name_as_written=PERSON)
    tenure = Tenure.objects.create(
        person=person,
        company=company,
        role=Role.objects.get(slug="president"),
        title=TITLE,
        start=PartialDate(2000),
    )
    Tenure.objects.create(
        person=rtl, company=company, role=Role.objects.get(slug="director"), start=PartialDate(1999)
    )
    Citation.objects.create(tenure=tenure, source=source, quote=f"{PERSON} <script>x</script>")
    Attestation.objects.create(tenure=tenure, day=datetime.date(2001, 5, 2), source=source)
    return source


def urls(source):
    return [
        "/",
        "/?q=zoe",
        f"/?q={RTL}",
        "/companies/",
        "/people/",
        "/companies/unicode-sons/",
        "/companies/unicode-sons/?on=2001-05-02",
        "/people/zoe/",
        "/people/rtl/",
        f"/sources/{source.pk}/",
        "/changes/",
    ]


TIMELINE_SCRIPT = '<script src="/static/js/timeline.js" defer></script>'


def test_every_page_shows_awkward_names_escaped_and_intact(client, awkward):
    for url in urls(awkward):
        page = client.get(url).content.decode()
        assert "<b>Zoë" not in page and "<Sons>" not in page and "<Chef>" not in page, url
        # No script but the timeline's own static file.
        assert "<script" not in page.replace(TIMELINE_SCRIPT, ""), url
        shown = [escape(PERSON) in page, escape(COMPANY) in page, RTL in page]
        assert any(shown), url


def test_the_chart_escapes_names_too(client, awkward):
    response = client.get("/companies/unicode-sons/")
    page = response.content.decode()
    svg = page[page.index('<svg class="timeline"') : page.index("</svg>\n</div>")]
    assert f'<tspan class="name">{escape(PERSON)}</tspan>' in svg
    assert f'<tspan class="name">{RTL}</tspan>' in svg
    assert escape(TITLE) in svg
    assert f'aria-label="Board and officer timeline of {escape(COMPANY)}"' in page


def test_search_finds_right_to_left_and_accented_names(client, awkward):
    response = client.get("/", {"q": RTL})
    assert [p.name for p in response.context["people"]] == [PERSON, RTL]
    response = client.get("/", {"q": "zoe o brien"})
    assert [p.name for p in response.context["people"]] == [PERSON]
