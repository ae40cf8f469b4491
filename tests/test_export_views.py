import re

from django.urls import reverse

from governance.views.exports import tenure_export_url


def body(response):
    return b"".join(response.streaming_content).decode()


def test_it_streams_the_tenure_csv(client, demo):
    response = client.get("/export/tenures.csv?company=innovo-group")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="tenures-innovo-group-\d{4}-\d\d-\d\dT\d{4}Z\.csv"',
        response["Content-Disposition"],
    )
    assert body(response).startswith("person,company,role,")


def test_it_names_the_filters_in_the_file_name(client, demo):
    response = client.get("/export/tenures.csv?person=marc-b-crossman&role=president&on=2004-09-09")
    assert "tenures-marc-b-crossman-president-on-2004-09-09-" in response["Content-Disposition"]
    assert len(body(response).splitlines()) == 2


def test_it_answers_400_to_a_bad_day(client, demo):
    for value in ["2004-13-01", "Sept 2004", "2004-9-1"]:
        response = client.get("/export/tenures.csv", {"on": value})
        assert response.status_code == 400
        assert "is not a day" in response.content.decode()


def test_it_answers_404_to_an_unknown_slug(client, demo):
    for name in ["company", "person", "role"]:
        response = client.get("/export/tenures.csv", {name: "nobody-here"})
        assert response.status_code == 404
        assert f"No {name} has the slug 'nobody-here'." == response.content.decode()


def test_it_answers_404_to_a_slug_no_record_can_have(client, demo):
    # A NUL reached the query and crashed it on PostgreSQL (text cannot hold one).
    for name in ["company", "person", "role"]:
        response = client.get("/export/tenures.csv", {name: "innovo\x00"})
        assert response.status_code == 404
        assert f"No {name} has the slug" in response.content.decode()


def test_it_refuses_post(client, demo):
    assert client.post("/export/tenures.csv").status_code == 405


def test_it_exports_people_companies_and_events(client, demo):
    people = body(client.get("/export/people.csv"))
    assert "Samuel J. Furrow, Jr." in people and "Jay Furrow" in people
    companies = body(client.get("/export/companies.csv"))
    assert "Innovo Group Inc.,innovo-group,INNO,NASDAQ,,Delaware" in companies
    events = body(client.get("/export/events.csv")).splitlines()
    assert events[0].startswith("date,event,person")
    dates = [line.split(",")[0] for line in events[1:]]
    assert dates == sorted(dates)
    assert "2004-09,departed,Pat Anderson" in "\n".join(events)


def test_the_export_url_carries_a_page_s_filters(db):
    assert tenure_export_url() == reverse("export_tenures")
    assert tenure_export_url(company="innovo-group", on="2004-09-08", person="") == (
        "/export/tenures.csv?company=innovo-group&on=2004-09-08"
    )
