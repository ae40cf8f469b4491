import pytest

from people.models import Person
from tests.pages import count_queries, text_of


def test_it_lists_edits_with_who_what_when_why(client, demo, editor):
    crossman = Person.objects.get(slug="marc-b-crossman")
    crossman.notes = "Lent the company $250,000 while a director."
    crossman._history_user = editor
    crossman._change_reason = "Added the loan from Exhibit 10.97"
    crossman.save()
    response = client.get("/changes/")
    assert response.status_code == 200
    [first] = response.context["changes"][:1]
    assert (first.kind, first.action, first.label) == ("person", "changed", "Marc B. Crossman")
    assert first.who == "Erin Editor" and first.url == "/people/marc-b-crossman/"
    text = text_of(response)
    assert "Changed person: Marc B. Crossman Erin Editor Added the loan from Exhibit 10.97" in text
    assert "Created tenure: Marc B. Crossman, President at Innovo Group Inc." in text


def test_it_shows_deleted_records_without_a_link(client, demo):
    person = Person.objects.create(name="Temporary Person")
    person._change_reason = "Entered by mistake"
    person.delete()
    first = client.get("/changes/").context["changes"][0]
    assert (first.action, first.label, first.url, first.why) == (
        "deleted",
        "Temporary Person",
        None,
        "Entered by mistake",
    )


def test_it_paginates(client, demo):
    for n in range(55):
        Person.objects.create(name=f"Person {n}")
    response = client.get("/changes/")
    assert len(response.context["changes"]) == 50
    assert "Page 1 of 2" in text_of(response)
    assert client.get("/changes/", {"page": 2}).status_code == 200


@pytest.mark.parametrize("page", ["x", "0", "9"])
def test_it_refuses_a_bad_page(client, demo, page):
    response = client.get("/changes/", {"page": page})
    assert response.status_code == 400
    assert "?page=" in text_of(response)


def test_it_runs_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    assert count_queries(client, "/changes/") <= 8
    for n in range(80):
        Person.objects.create(name=f"Person {n}")
    with django_assert_max_num_queries(8):
        client.get("/changes/")
    with django_assert_max_num_queries(8):
        client.get("/changes/?page=2")


def test_an_editor_is_named_by_full_name_never_by_login(client, demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("secret-login", password="x")
    crossman = Person.objects.get(slug="marc-b-crossman")
    crossman._history_user = user
    crossman._change_reason = "Checked"
    crossman.save()
    for url in ["/changes/", f"/history/person/{crossman.pk}/"]:
        page = client.get(url).content.decode()
        assert "secret-login" not in page, url
        assert "an editor" in page, url
