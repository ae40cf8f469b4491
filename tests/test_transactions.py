"""Related-party transactions: on the company's timeline and events, the person's and the
source's pages, in their CSV, with the parties' roles that day computed from the record."""

import datetime
from decimal import Decimal

import pytest

from governance.models import (
    Company,
    Role,
    Source,
    Tenure,
    Transaction,
    TransactionParty,
)
from governance.models.partial_date import PartialDate as P
from governance.pages.transactions import roles_on
from people.models import Person
from tests.pages import count_queries, text_of

SENTENCE = (
    "Innovo Group Inc. issued a $250,000 promissory note at 8% to Marc B. Crossman, a director; "
    "due 8 Aug 2003, extendable to 9 Feb 2004"
)


def test_the_company_events_tell_the_note(client, demo):
    events = client.get("/companies/innovo-group/").context["events"]
    [event] = [e for e in events if e.kind == "transaction"]
    assert str(event.date) == "7 Feb 2003"
    assert event.action == SENTENCE
    assert [s.exhibit for s in event.sources] == ["10.97"]


def test_the_timeline_has_a_lane_with_a_mark_naming_the_parties(client, demo):
    response = client.get("/companies/innovo-group/")
    chart = response.context["chart"]
    [mark] = chart.transactions
    assert mark.x == chart.axis.x(datetime.date(2003, 2, 7))
    assert mark.label == "$250,000 promissory note"
    assert mark.details[1] == (
        "Parties: Marc B. Crossman (lender), a director; Innovo Group Inc. (borrower)"
    )
    assert "Kind: loan (inferred" in mark.details[2]
    assert chart.transactions_y > chart.lanes[-1].y
    page = response.content.decode()
    assert "Related-party transactions</text>" in page
    assert 'href="#transaction-' in page and f'id="transaction-{mark.href[13:]}"' in page


def test_the_person_and_the_source_show_it_with_the_role_that_day(client, demo):
    for url in [
        "/people/marc-b-crossman/",
        f"/sources/{Source.objects.get(exhibit='10.97').pk}/",
    ]:
        text = text_of(client.get(url))
        assert SENTENCE in text, url
        assert (
            "Marc B. Crossman (lender, “Payee”): a director that day, as the record shows" in text
        )
        assert "eight percent (8%)" in text


@pytest.mark.django_db
class TestRolesOn:
    @pytest.fixture
    def record(self):
        acme = Company.objects.create(name="Acme")
        ann = Person.objects.create(name="Ann Lender")
        Tenure.objects.create(
            person=ann, company=acme, role=Role.objects.get(slug="director"), start=P(2001)
        )
        Tenure.objects.create(
            person=ann, company=acme, role=Role.objects.get(slug="cfo"), start=P(2003, 2)
        )
        return acme, ann

    def loan(self, company, date):
        return Transaction(company=company, kind="loan", date=date)

    def test_certain_and_possible(self, record):
        acme, ann = record
        tenures = list(Tenure.objects.select_related("role"))
        assert roles_on(ann.pk, self.loan(acme, P(2003, 1, 15)), tenures) == "a director"
        # "Feb 2003" may mean a day before the CFO tenure began, or one after.
        assert roles_on(ann.pk, self.loan(acme, P(2003, 2)), tenures) == (
            "a director and possibly the Chief Financial Officer"
        )
        assert roles_on(ann.pk, self.loan(acme, P(2000)), tenures) == ""
        assert roles_on(ann.pk, self.loan(acme, None), tenures) == ""

    def test_a_page_costs_the_same_however_many_transactions(self, client, record):
        acme, ann = record
        source = Source.objects.create(title="Note", kind="contract")

        def add_loans(n):
            for i in range(n):
                tx = Transaction.objects.create(
                    company=acme, kind="loan", date=P(2004, 1, 1 + i), amount=Decimal(i + 1)
                )
                TransactionParty.objects.create(transaction=tx, person=ann, part="lender")
                TransactionParty.objects.create(transaction=tx, company=acme, part="borrower")
                tx.citations.create(source=source, quote=f"loan {i}")

        add_loans(2)
        few = [
            count_queries(client, url)
            for url in [acme.get_absolute_url(), ann.get_absolute_url(), source.get_absolute_url()]
        ]
        add_loans(20)
        many = [
            count_queries(client, url)
            for url in [acme.get_absolute_url(), ann.get_absolute_url(), source.get_absolute_url()]
        ]
        assert few == many


def test_the_transactions_export(client, demo):
    response = client.get("/export/transactions.csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("company,kind,kind_inferred,instrument,date,amount,currency")
    assert lines[1].startswith(
        "Innovo Group Inc.,loan,yes,promissory note,2003-02-07,250000.00,USD,8,2003-08-08,2004-02-09,"
    )
    assert "Marc B. Crossman: lender | Innovo Group Inc.: borrower" in lines[1]
    assert lines[1].endswith(",innovo-group")


def test_a_transaction_has_a_history_page(client, demo):
    tx = Transaction.objects.get()
    response = client.get(f"/history/transaction/{tx.pk}/")
    assert response.status_code == 200
    assert "Added transaction party" in text_of(response)
