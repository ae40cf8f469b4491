"""Two editors at once in the admin: a stale form is refused, naming what changed since it was
opened, and a clash with a record saved at the same moment is a form error, never a 500."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.db.models.signals import post_save, pre_save
from django.test import Client
from django.urls import reverse

from governance.models import Attestation, Citation, Company, Role, Tenure
from people.models import Person
from tests.admin_forms import admin_form_data, opened_version


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def andersons_presidency() -> Tenure:
    return Tenure.objects.get(
        person__slug="pat-anderson", company__slug="innovo-group", role__slug="president"
    )


def logged_in(username: str, first_name: str) -> Client:
    user = get_user_model().objects.create_superuser(
        username, f"{username}@example.com", "pass", first_name=first_name, last_name="Editor"
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(db):
    return logged_in("alice", "Alice")


@pytest.fixture
def bob(db):
    return logged_in("bob", "Bob")


def message_text(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_stale_form_is_refused_naming_what_changed_and_who_changed_it(demo, alice, bob):
    tenure = andersons_presidency()
    url = admin_url(Tenure, "change", tenure.pk)
    opened_by_alice, opened_by_bob = alice.get(url), bob.get(url)
    rows_before = tenure.history.count()

    saved = alice.post(
        url,
        admin_form_data(
            opened_by_alice, title="President and Chief Operating Officer", change_reason="8-K"
        ),
    )
    assert saved.status_code == 302
    refused = bob.post(
        url, admin_form_data(opened_by_bob, end="2004-09-07", change_reason="Bob's reading")
    )

    assert refused.status_code == 302
    assert refused["Location"] == url
    message = message_text(refused)
    assert "Nothing was saved" in message
    assert "title: President → President and Chief Operating Officer" in message
    assert "Alice Editor" in message and "“8-K”" in message
    tenure.refresh_from_db()
    assert tenure.title == "President and Chief Operating Officer"  # Alice's edit intact
    assert str(tenure.end) == "Sep 2004"  # Bob's not written
    assert tenure.history.count() == rows_before + 1
    assert not tenure.history.filter(history_change_reason="Bob's reading").exists()
    # Opened again, the form saves.
    again = bob.post(
        url, admin_form_data(bob.get(url), end="2004-09-07", change_reason="Bob's reading")
    )
    assert again.status_code == 302
    tenure.refresh_from_db()
    assert (tenure.title, str(tenure.end)) == (
        "President and Chief Operating Officer",
        "7 Sep 2004",
    )


def test_a_change_to_an_inline_row_makes_the_form_stale(demo, alice, bob):
    tenure = andersons_presidency()
    citation = tenure.citations.first()
    url = admin_url(Tenure, "change", tenure.pk)
    opened_by_bob = bob.get(url)

    citation_url = admin_url(Citation, "change", citation.pk)
    saved = alice.post(
        citation_url,
        admin_form_data(alice.get(citation_url), quote="a better quote", change_reason="typo"),
    )
    assert saved.status_code == 302
    refused = bob.post(url, admin_form_data(opened_by_bob, end="2004-09-07", change_reason="x"))

    assert refused["Location"] == url
    message = message_text(refused)
    assert "Citation “" in message and "a better quote" in message
    citation.refresh_from_db()
    assert citation.quote == "a better quote"
    tenure.refresh_from_db()
    assert str(tenure.end) == "Sep 2004"


def test_an_inline_row_added_elsewhere_makes_the_form_stale(demo, alice, bob):
    tenure = andersons_presidency()
    url = admin_url(Tenure, "change", tenure.pk)
    opened_by_bob = bob.get(url)
    Attestation.objects.create(tenure=tenure, day="2003-02-07")

    refused = bob.post(url, admin_form_data(opened_by_bob, end="2004-09-07", change_reason="x"))

    assert refused["Location"] == url
    assert "Attestation “" in message_text(refused)
    tenure.refresh_from_db()
    assert str(tenure.end) == "Sep 2004"


def test_a_record_deleted_while_another_edits_it_gets_a_clear_message(demo, alice, bob):
    tenure = andersons_presidency()
    url = admin_url(Tenure, "change", tenure.pk)
    opened_by_bob = bob.get(url)
    deleted = alice.post(
        admin_url(Tenure, "delete", tenure.pk), {"post": "yes", "change_reason": "Duplicate"}
    )
    assert deleted.status_code == 302

    refused = bob.post(url, admin_form_data(opened_by_bob, end="2004-09-07", change_reason="x"))

    assert refused.status_code == 302
    assert refused["Location"] == admin_url(Tenure, "changelist")
    message = message_text(refused)
    assert "was deleted while you were editing it" in message
    assert "Alice Editor" in message and "Duplicate" in message
    assert not Tenure.objects.filter(pk=tenure.pk).exists()


@pytest.mark.parametrize("version", [None, "", "not json", '{"record": [1]}', "[1, 2]"])
def test_a_form_without_a_readable_version_is_refused(demo, alice, version):
    tenure = andersons_presidency()
    url = admin_url(Tenure, "change", tenure.pk)
    data = admin_form_data(alice.get(url), end="2004-09-07", change_reason="x")
    data.pop("record_version")
    if version is not None:
        data["record_version"] = version

    refused = alice.post(url, data)

    assert refused.status_code == 302
    assert "did not say which version" in message_text(refused)
    tenure.refresh_from_db()
    assert str(tenure.end) == "Sep 2004"


def test_every_record_admin_change_form_carries_its_version(demo, alice):
    for model in [Person, Company, Tenure, Citation]:
        url = admin_url(model, "change", model.objects.first().pk)
        assert opened_version(alice, url)
        assert alice.get(url).content.decode().count('name="record_version"') == 1


def clashing_tenure_data(person: Person, company: Company, role: Role) -> dict:
    return {
        "person": person.pk,
        "company": company.pk,
        "role": role.pk,
        "title": role.name,
        "start": "2005-01",
        "end": "",
        "change_reason": "",
        "citations-TOTAL_FORMS": 0,
        "citations-INITIAL_FORMS": 0,
        "attestations-TOTAL_FORMS": 0,
        "attestations-INITIAL_FORMS": 0,
    }


def test_a_clash_the_forms_checks_could_not_see_is_a_form_error(demo, alice):
    # The form's checks pass, then, before the insert, a clashing tenure is written (as by
    # another editor's save landing in between): the constraint refuses the insert.
    person = Person.objects.create(name="Jane Doe")
    company = Company.objects.get(slug="innovo-group")
    director = Role.objects.get(slug="director")

    def write_the_clash_first(sender, instance, **kwargs):
        pre_save.disconnect(write_the_clash_first, sender=Tenure)
        Tenure.objects.create(person=person, company=company, role=director, start="2005-01")

    pre_save.connect(write_the_clash_first, sender=Tenure)
    try:
        response = alice.post(
            admin_url(Tenure, "add"), clashing_tenure_data(person, company, director)
        )
    finally:
        pre_save.disconnect(write_the_clash_first, sender=Tenure)

    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Tenure.objects.filter(person=person).exists()


def post_at_once(clients: list[Client], datas: list[dict]) -> list:
    """Post each client's add form from its own thread and connection; each thread is named
    after its index, for signal receivers that play a part in the race."""
    responses = [None] * len(clients)

    def post(index: int) -> None:
        try:
            responses[index] = clients[index].post(admin_url(Tenure, "add"), datas[index])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=[i], name=str(i)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def first_insert_in_this_thread(instance, done: set) -> bool:
    """Whether this is the thread's first tenure insert (a save tried again plays no part)."""
    name = threading.current_thread().name
    if instance.pk is not None or name in done:
        return False
    done.add(name)
    return True


def add_at_once(clients: list[Client], datas: list[dict]) -> list:
    """Post each client's add form at the same time: each passes the form's checks, then waits
    for the others, so the inserts race."""
    barrier = threading.Barrier(len(clients), timeout=30)
    waited = set()

    def wait_for_the_others(sender, instance, **kwargs):
        if first_insert_in_this_thread(instance, waited):
            barrier.wait()

    pre_save.connect(wait_for_the_others, sender=Tenure)
    try:
        return post_at_once(clients, datas)
    finally:
        pre_save.disconnect(wait_for_the_others, sender=Tenure)


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at once need PostgreSQL"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("same_person", [True, False], ids=["tenure_unique", "single_seat"])
def test_two_clashing_adds_at_once_give_one_tenure_and_a_form_error_naming_it(same_person):
    company = Company.objects.create(name="Acme Corp", slug="acme")
    # A transaction=True test starts from empty tables (the catalogue's roles too).
    president, _ = Role.objects.get_or_create(
        slug="president", defaults={"name": "President", "kind": "officer", "single_seat": True}
    )
    jane, john = Person.objects.create(name="Jane Doe"), Person.objects.create(name="John Roe")
    clients = [logged_in("alice", "Alice"), logged_in("bob", "Bob")]
    persons = [jane, jane] if same_person else [jane, john]

    responses = add_at_once(
        clients, [clashing_tenure_data(person, company, president) for person in persons]
    )

    assert sorted(r.status_code for r in responses) == [200, 302]
    saved = Tenure.objects.get(company=company)
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    # Refused by the constraint, the form links the clash; refused by a deadlock and saved
    # again, its own checks name it.
    assert (
        f'<a href="{admin_url(Tenure, "change", saved.pk)}">{saved}</a>' in refused
        or f"this tenure would overlap {saved} by two or more certain days" in refused
    )


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clashing_adds_that_deadlock_give_one_tenure_and_a_form_error_naming_it():
    # Two inserts into an exclusion constraint at once can deadlock, and PostgreSQL then rolls
    # one back. Played here step by step: the second add holds a lock on the company and
    # inserts, waiting on the first add's uncommitted tenure; the first then asks for the
    # company's lock. The one PostgreSQL rolls back is saved again and meets the other's tenure.
    company = Company.objects.create(name="Acme Corp", slug="acme")
    president, _ = Role.objects.get_or_create(
        slug="president", defaults={"name": "President", "kind": "officer", "single_seat": True}
    )
    jane, john = Person.objects.create(name="Jane Doe"), Person.objects.create(name="John Roe")
    clients = [logged_in("alice", "Alice"), logged_in("bob", "Bob")]
    second_holds_the_company, first_inserted = threading.Event(), threading.Event()
    played = set()

    def before_insert(sender, instance, **kwargs):
        if not first_insert_in_this_thread(instance, played):
            return
        if threading.current_thread().name == "0":
            assert second_holds_the_company.wait(30)
        else:
            Company.objects.select_for_update().get(pk=company.pk)
            second_holds_the_company.set()
            assert first_inserted.wait(30)

    def after_insert(sender, instance, created, **kwargs):
        if created and threading.current_thread().name == "0" and not first_inserted.is_set():
            first_inserted.set()
            Company.objects.select_for_update().get(pk=company.pk)

    pre_save.connect(before_insert, sender=Tenure)
    post_save.connect(after_insert, sender=Tenure)
    try:
        responses = post_at_once(
            clients, [clashing_tenure_data(person, company, president) for person in (jane, john)]
        )
    finally:
        pre_save.disconnect(before_insert, sender=Tenure)
        post_save.disconnect(after_insert, sender=Tenure)

    assert sorted(r.status_code for r in responses) == [200, 302]
    saved = Tenure.objects.get(company=company)
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    # Saved again, the form's own checks met the other tenure and name it.
    assert f"this tenure would overlap {saved} by two or more certain days" in refused
