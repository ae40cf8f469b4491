"""The related-party transactions as CSV (/export/transactions.csv): one row a transaction,
its parties and sources as lists, in a fixed number of queries per chunk."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Prefetch

from governance.csv.chunks import CHUNK_SIZE
from governance.csv.format import join_list
from governance.models import Transaction, TransactionParty, TransactionSource

TRANSACTION_COLUMNS = [
    "company",
    "kind",
    "kind_inferred",
    "instrument",
    "date",
    "amount",
    "currency",
    "interest_rate",
    "due",
    "extended_due",
    "extension_terms",
    "security",
    "parties",
    "sources",
    "inferred_note",
    "company_slug",
]


def _text(value) -> str:
    """A cell: empty for None, ISO text for a date, a decimal without trailing zeros (8, 7.25)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value != value.to_integral() else f"{value:.0f}"
    return value.isoformat()


def transaction_rows() -> Iterator[list[str]]:
    """One list of cells per transaction, by company and date; parties as 'name: part'."""
    transactions = (
        Transaction.objects.select_related("company")
        .prefetch_related(
            Prefetch("parties", TransactionParty.objects.select_related("person", "company")),
            Prefetch("citations", TransactionSource.objects.select_related("source")),
        )
        .order_by("company__slug", "date", "id")
    )
    for tx in transactions.iterator(chunk_size=CHUNK_SIZE):
        yield [
            tx.company.name,
            tx.kind,
            "yes" if tx.kind_inferred else "",
            tx.instrument,
            _text(tx.date),
            "" if tx.amount is None else f"{tx.amount:.2f}",
            tx.currency,
            _text(tx.interest_rate),
            _text(tx.due),
            _text(tx.extended_due),
            tx.extension_terms,
            tx.security,
            join_list(f"{p.person or p.company}: {p.part}" for p in tx.parties.all()),
            join_list(citation.source.reference for citation in tx.citations.all()),
            tx.inferred_note,
            tx.company.slug,
        ]
