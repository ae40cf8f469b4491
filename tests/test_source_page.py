from governance.demo import NOTE_TITLE, RELEASE_TITLE
from governance.models import Source
from tests.pages import count_queries, crowd_company, text_of


def test_it_shows_the_note_its_parties_and_who_signed_as_ceo(client, demo):
    note = Source.objects.get(title=NOTE_TITLE)
    response = client.get(f"/sources/{note.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Contract" in text and "Date 7 Feb 2003" in text and "Exhibit 10.97" in text
    assert "Innovo Group Inc.: maker (written “INNOVO GROUP INC.”)" in text
    assert "Marc B. Crossman: payee (written “MARC CROSSMAN”)" in text
    assert (
        "Samuel J. Furrow, Jr. was Chief Executive Officer of Innovo Group Inc. on 7 Feb 2003 "
        "(attested) The same passage as quoted above for Samuel J. Furrow, Jr., "
        "Chief Executive Officer."
    ) in text
    assert (
        "By: /s/ Samuel J. Furrow, Jr. ... Samuel J. Furrow, Jr. Its: Chief Executive Officer"
        in text
    )


def test_it_shows_every_fact_the_release_supports(client, demo):
    release = Source.objects.get(title=RELEASE_TITLE)
    text = text_of(client.get(f"/sources/{release.pk}/"))
    assert "Marc B. Crossman, President of Innovo Group Inc. (8 Sep 2004 –)" in text
    assert "has been elected by the Company's Board of Directors" in text
    assert "Pat Anderson, President of Innovo Group Inc. (Jul 1990 – Sep 2004)" in text
    assert "Pat Anderson founded Innovo Group Inc. (1989)" in text
    assert "Pat Anderson was President of Innovo, Inc. on 8 Sep 2004 (attested)" in text


def test_it_404s_on_an_unknown_source(client, demo):
    assert client.get("/sources/999999/").status_code == 404


def test_it_runs_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    from governance.models import Company

    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 2)
    source = Source.objects.get(title="Annual report of Innovo Group Inc.")
    few = count_queries(client, f"/sources/{source.pk}/")
    crowd_company(company, 25, prefix="Other")
    assert count_queries(client, f"/sources/{source.pk}/") == few
    # One of them asks which related-party transactions the source states (none here).
    with django_assert_max_num_queries(7):
        client.get(f"/sources/{source.pk}/")


def test_a_passage_both_cited_and_attesting_is_quoted_once(client, demo):
    from governance.models import Source

    note = Source.objects.get(exhibit="10.97")
    html = client.get(f"/sources/{note.pk}/").content.decode()
    assert html.count("Its: Chief Executive Officer") == 1
    # It names, and links to, the card that quotes it, not a vague "above".
    citation = note.citations.get()
    assert (
        f'The same passage as quoted above for <a href="#citation-{citation.pk}">'
        "<bdi>Samuel J. Furrow, Jr.</bdi>, Chief Executive Officer</a>."
    ) in html
    assert f'<article class="fact" id="citation-{citation.pk}">' in html


def test_it_links_to_the_filing_on_edgar_from_its_accession_number(client, demo):
    from governance.models import Company

    Company.objects.filter(slug="innovo-group").update(cik="0000844143")
    release = Source.objects.get(title=RELEASE_TITLE)
    release.accession_number = "0001047469-04-028371"
    release.save()
    html = client.get(f"/sources/{release.pk}/").content.decode()
    assert (
        '<a href="https://www.sec.gov/Archives/edgar/data/844143/000104746904028371/'
        '0001047469-04-028371-index.htm" rel="noopener noreferrer">'
        "on EDGAR, accession 0001047469-04-028371</a>"
    ) in html


def test_a_source_with_its_own_url_is_not_given_a_second_link(client, demo):
    release = Source.objects.get(title=RELEASE_TITLE)
    release.accession_number = "0001047469-04-028371"
    release.url = "https://example.com/release.txt"
    release.save()
    html = client.get(f"/sources/{release.pk}/").content.decode()
    assert "on EDGAR, accession" not in html
    assert 'href="https://example.com/release.txt"' in html


def test_it_links_the_shipped_text_of_a_demo_exhibit_only(client, demo):
    release = Source.objects.get(title=RELEASE_TITLE)
    html = client.get(f"/sources/{release.pk}/").content.decode()
    assert f'href="/sources/{release.pk}/text/"' in html
    other = Source.objects.create(kind=Source.Kind.OTHER, title="A letter")
    assert "/text/" not in client.get(f"/sources/{other.pk}/").content.decode()
