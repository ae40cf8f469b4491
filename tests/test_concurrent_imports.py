"""Two imports at once: serialised by the import lock, never a deadlock's traceback or the same
new person twice."""

import threading

import pytest
from django.db import connection, connections

from governance.models import Tenure
from governance.sec.importer import import_filings
from people.models import Person
from tests.csv_helpers import import_text, tenure_csv
from tests.sec_helpers import ownership_xml, write

ROUNDS = 12


@pytest.fixture
def role_catalogue():
    """The roles the migrations seed: a transaction=True test may start from tables another
    such test emptied, whatever serialized_rollback restores."""
    from importlib import import_module

    from django.apps import apps

    import_module("governance.migrations.0002_role_catalogue").create_roles(apps, None)
    import_module("governance.migrations.0009_sec_roles").add_roles(apps, None)


def at_once(*calls):
    """Run each call in its own thread and connection, all released together; their results,
    or the exceptions they raised."""
    barrier = threading.Barrier(len(calls), timeout=60)
    outcomes = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = calls[index]()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=[i]) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once: PostgreSQL")
# The role catalogue, seeded by a migration, is put back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_csv_imports_at_once_give_one_person_and_every_row(role_catalogue):
    for round_ in range(ROUNDS):
        newcomer = f"Nina Newcomer {round_}"
        # Both files hold the same new person's tenure, and rows of their own; the shared
        # company comes first in one file and last in the other, so that unserialised, the
        # imports update the same rows in opposite orders.
        shared = [
            f"{newcomer},Acme {round_},director,Director,2001,,,,",
            f"{newcomer},Bolt {round_},director,Director,2002,,,,",
        ]
        first = tenure_csv(*shared, f"Al First {round_},Acme {round_},ceo,CEO,2001,,,,")
        second = tenure_csv(f"Bo Second {round_},Bolt {round_},cfo,CFO,2002,,,,", *reversed(shared))

        outcomes = at_once(
            lambda first=first: import_text(first, filename="first.csv"),
            lambda second=second: import_text(second, filename="second.csv"),
        )

        for outcome in outcomes:
            assert not isinstance(outcome, Exception), repr(outcome)
            assert outcome.ok, outcome.errors
        assert Person.objects.filter(name=newcomer).count() == 1, f"round {round_}"
        assert Tenure.objects.filter(company__name__endswith=f" {round_}").count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once: PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sec_imports_of_one_new_owner_at_once_give_one_person(tmp_path, role_catalogue):
    for round_ in range(ROUNDS):
        # Two filings by one new owner, at one new issuer, each imported on its own.
        cik = f"{9_000_000 + round_:010d}"
        owner = {"cik": cik, "name": f"NEWCOMER NINA {round_}", "isDirector": "1"}
        paths = [
            write(
                tmp_path,
                f"{9_000_000 + round_:010d}-24-{index:06d}.xml",
                ownership_xml(
                    period=f"2024-0{index + 1}-01",
                    issuer_cik=f"{8_000_000 + round_:010d}",
                    issuer_name=f"ACME {round_} INC",
                    owners=[owner],
                ),
            )
            for index in (1, 2)
        ]

        outcomes = at_once(*(lambda path=path: import_filings([str(path)]) for path in paths))

        for outcome in outcomes:
            assert not isinstance(outcome, Exception), repr(outcome)
            assert not outcome.failed, outcome.failed
        assert Person.objects.filter(cik=cik).count() == 1, f"round {round_}"
