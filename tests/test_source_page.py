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
        "(attested) The passage quoted above."
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
    assert "The passage quoted above." in html
