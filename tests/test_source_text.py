"""The demo's exhibits as text a reader can open, the record's passages marked where they stand."""

import pytest

from governance.demo import EXHIBIT_FILES, NOTE_TITLE, RELEASE_TITLE, exhibit_text
from governance.models import Attestation, Citation, Founder, Source, TransactionSource
from governance.pages.documents import find_passages, marked_text, passages
from tests.pages import text_of


def test_a_quote_splits_into_its_passages_without_quotation_marks():
    assert passages('He said "Yes." … Then "no" ... End') == ['He said "Yes.', 'Then "no', "End"]


def test_a_passage_is_found_whatever_the_spacing_and_in_order_only():
    text = "One  two\nthree.\n\nFour five."
    assert find_passages(text, "two three. … Four") == [(5, 15), (17, 21)]
    assert find_passages(text, "Four … two three.") is None
    assert find_passages(text, "six") is None


def test_marked_text_keeps_every_character_and_merges_overlaps():
    text = "abc def ghi jkl"
    chunks = marked_text(text, ["def ghi", "ghi", "nowhere"])
    assert "".join(chunk.text for chunk in chunks) == text
    assert [(c.text, c.marked) for c in chunks] == [
        ("abc ", False),
        ("def ghi", True),
        (" jkl", False),
    ]


@pytest.mark.parametrize("title", [RELEASE_TITLE, NOTE_TITLE])
def test_every_demo_passage_stands_in_its_exhibit_in_the_sources_order(demo, title):
    """Anderson's citation was stitched from paragraph 4 then paragraph 1: quotes keep the
    source's order and mark the gap."""
    source = Source.objects.get(title=title)
    text = exhibit_text(source)
    quotes = [
        *Citation.objects.filter(source=source).values_list("quote", flat=True),
        *Attestation.objects.filter(source=source).values_list("quote", flat=True),
        *Founder.objects.filter(source=source).values_list("quote", flat=True),
        *TransactionSource.objects.filter(source=source).values_list("quote", flat=True),
    ]
    assert quotes
    out_of_order = [quote for quote in quotes if quote and find_passages(text, quote) is None]
    assert out_of_order == []


def test_andersons_citation_reads_in_the_releases_order_with_the_gap_marked(demo):
    quote = Citation.objects.get(tenure__person__slug="pat-anderson", tenure__role__slug="director")
    assert quote.quote.startswith("Mr. Crossman will replace Pat Anderson who has resigned")
    assert " … Ms. Anderson, a serving member" in quote.quote


def test_the_release_is_shown_as_text_with_its_passages_marked(client, demo):
    release = Source.objects.get(title=RELEASE_TITLE)
    response = client.get(f"/sources/{release.pk}/text/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "<mark>Innovo  Group  Inc.\n(NASDAQ:  INNO), announced today that Marc B. Crossman,  the\n"
        "Company&#x27;s Chief Financial Officer"
    ) in html
    assert "FOR IMMEDIATE RELEASE" in text_of(response)
    assert f'href="/sources/{release.pk}/"' in html


def test_the_text_is_escaped(client, demo, tmp_path, monkeypatch):
    import governance.demo

    (tmp_path / "x.txt").write_text('<script>alert(1)</script> "quoted" & more', "utf-8")
    monkeypatch.setattr(governance.demo, "EXHIBITS_DIR", tmp_path)
    monkeypatch.setitem(EXHIBIT_FILES, RELEASE_TITLE, "x.txt")
    release = Source.objects.get(title=RELEASE_TITLE)
    html = client.get(f"/sources/{release.pk}/text/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_source_with_no_shipped_text_or_no_record_is_a_404(client, demo):
    other = Source.objects.create(kind=Source.Kind.OTHER, title="A letter")
    assert client.get(f"/sources/{other.pk}/text/").status_code == 404
    assert client.get("/sources/999999/text/").status_code == 404
    assert client.get(f"/sources/{2**63}/text/").status_code == 404
