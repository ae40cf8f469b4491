"""Related-party transactions on ?recorded= pages: as the record stood at that moment, from
history (governance.history.record_time.transactions_as_of)."""

import datetime
from decimal import Decimal

from governance.models import Company, Source, Transaction, TransactionParty
from governance.models.partial_date import PartialDate
from people.models import Person
from tests.pages import count_queries, text_of
from tests.test_transactions import SENTENCE

COMPANY = "/companies/innovo-group/"
PERSON = "/people/marc-b-crossman/"


def moment() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


def the_note() -> Transaction:
    return Transaction.objects.get(company__slug="innovo-group")


def test_the_pages_as_recorded_now_tell_the_note_as_the_live_ones_do(client, demo):
    recorded = moment()
    for url in [COMPANY, PERSON]:
        live = client.get(url)
        past = client.get(url, {"recorded": recorded})
        assert SENTENCE in text_of(past), url
        assert [s.sentence for s in past.context["transactions"]] == [
            s.sentence for s in live.context["transactions"]
        ]
        assert [s.details for s in past.context["transactions"]] == [
            s.details for s in live.context["transactions"]
        ]
    [mark] = client.get(COMPANY, {"recorded": recorded}).context["chart"].transactions
    assert mark.label == "$250,000 promissory note"
    events = client.get(COMPANY, {"recorded": recorded}).context["events"]
    assert [e.action for e in events if e.kind == "transaction"] == [SENTENCE]


def test_an_edited_note_shows_its_old_terms_as_recorded_before_the_edit(client, demo):
    before = moment()
    note = the_note()
    note.amount = Decimal("300000")
    note.save()
    past = text_of(client.get(COMPANY, {"recorded": before}))
    assert "$250,000 promissory note" in past and "$300,000" not in past
    assert "$300,000 promissory note" in text_of(client.get(COMPANY))


def test_a_deleted_note_shows_as_recorded_before_its_deletion_and_a_later_one_does_not(
    client, demo
):
    before = moment()
    the_note().delete()
    later = Transaction.objects.create(
        company=Company.objects.get(slug="innovo-group"),
        kind=Transaction.Kind.LOAN,
        instrument="bridge loan",
        date=PartialDate(2005, 3, 1),
        amount=Decimal("1000"),
    )
    TransactionParty.objects.create(
        transaction=later, person=Person.objects.get(slug="marc-b-crossman"), part="lender"
    )
    TransactionParty.objects.create(
        transaction=later, company=Company.objects.get(slug="innovo-group"), part="borrower"
    )
    for url in [COMPANY, PERSON]:
        past = text_of(client.get(url, {"recorded": before}))
        assert SENTENCE in past and "bridge loan" not in past, url
        now = text_of(client.get(url))
        assert SENTENCE not in now and "bridge loan" in now, url


def test_a_party_added_later_is_not_a_party_as_recorded_before(client, demo):
    before = moment()
    TransactionParty.objects.create(
        transaction=the_note(),
        person=Person.objects.get(slug="pat-anderson"),
        part="guarantor",
    )
    past = client.get(COMPANY, {"recorded": before}).context["transactions"]
    assert [line.name for line in past[0].parties] == ["Marc B. Crossman", "Innovo Group Inc."]
    now = client.get(COMPANY).context["transactions"]
    assert "Pat Anderson" in [line.name for line in now[0].parties]
    # Nor is Anderson's page a party to it, as recorded before.
    assert client.get("/people/pat-anderson/", {"recorded": before}).context["transactions"] == []


def test_the_past_pages_run_a_fixed_number_of_queries_however_many_transactions(client, demo):
    def queries() -> tuple[int, int]:
        recorded = moment().replace("+", "%2B")
        return (
            count_queries(client, f"{COMPANY}?recorded={recorded}"),
            count_queries(client, f"{PERSON}?recorded={recorded}"),
        )

    few = queries()
    source = Source.objects.get(exhibit="10.97")
    for n in range(5):
        tx = Transaction.objects.create(
            company=Company.objects.get(slug="innovo-group"),
            kind=Transaction.Kind.LOAN,
            date=PartialDate(2003, 3, n + 1),
            amount=Decimal(n + 1),
        )
        TransactionParty.objects.create(
            transaction=tx, person=Person.objects.get(slug="marc-b-crossman"), part="lender"
        )
        tx.citations.create(source=source)
    assert queries() == few
