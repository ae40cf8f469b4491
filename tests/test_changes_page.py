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
    first = response.context["entries"][0].newest
    assert (first.kind, first.action, first.label) == ("person", "changed", "Marc B. Crossman")
    assert first.who == "Erin Editor" and first.url == "/people/marc-b-crossman/"
    text = text_of(response)
    assert "Changed person: Marc B. Crossman Erin Editor Added the loan from Exhibit 10.97" in text
    assert "Created tenure: Marc B. Crossman, President at Innovo Group Inc." in text


def test_it_shows_deleted_records_without_a_link(client, demo):
    person = Person.objects.create(name="Temporary Person")
    person._change_reason = "Entered by mistake"
    person.delete()
    first = client.get("/changes/").context["entries"][0].newest
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
    [run] = response.context["entries"]  # made together, by no one, for no reason: one entry
    assert len(run.changes) == 50 and run.continues
    assert "50+ records (50 created: 50 persons; more on the next page)" in text_of(response)
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


def made(name: str, *, user=None, reason: str = "", when=None) -> Person:
    person = Person(name=name)
    person._history_user = user
    person._change_reason = reason
    if when is not None:
        person._history_date = when
    person.save()
    return person


def test_a_run_by_one_hand_for_one_reason_is_one_entry(client, db, editor):
    import datetime

    from django.utils import timezone

    start = timezone.now() - datetime.timedelta(hours=1)
    for n in range(3):  # the same editor, reason, seconds apart: one entry
        made(
            f"Run {n}",
            user=editor,
            reason="Board of 2004",
            when=start + n * datetime.timedelta(seconds=20),
        )
    made("Apart", user=editor, reason="Board of 2004", when=start + datetime.timedelta(minutes=5))
    made(
        "Other reason",
        user=editor,
        reason="Typo",
        when=start + datetime.timedelta(minutes=5, seconds=1),
    )
    entries = client.get("/changes/").context["entries"]
    assert [[c.label for c in entry.changes] for entry in entries] == [
        ["Other reason"],
        ["Apart"],
        ["Run 2", "Run 1", "Run 0"],
    ]
    assert entries[2].summary == "3 created: 3 persons" and not entries[2].continues
    text = text_of(client.get("/changes/"))
    assert "3 records (3 created: 3 persons) Created person: Run 2" in text
    assert "Created person: Run 0 Erin Editor Board of 2004" in text


def test_changes_made_by_a_command_name_it(client, db):
    from records import origin

    origin.set_command(["manage.py", "loaddemo"])
    try:
        from governance.demo import load_demo

        load_demo()
    finally:
        origin.set_command(["manage.py"])
    entries = client.get("/changes/").context["entries"]
    assert entries[0].newest.by == "loaddemo (command)"
    text = text_of(client.get("/"))
    assert "loaddemo (command) Demo record from the seed filings" in text
    assert "—" not in text.split("Latest changes")[1].split("All changes")[0]
