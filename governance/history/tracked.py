"""The one registry of the record's tracked models and how history shows each: its kind's name,
its label and the records it touches (for the changes feed), and, for the records that have a
history page, the records added to or removed from them.

django-simple-history's own registry (records.history.history_models) lists the models that
keep history; tests/test_tracked.py holds this one to it, so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import F, Value
from django.db.models.functions import Cast

from governance.models import (
    Attestation,
    Citation,
    Company,
    FormerName,
    Founder,
    Role,
    Source,
    SourceParty,
    Tenure,
    Transaction,
    TransactionParty,
    TransactionSource,
)
from people.models import OtherName, Person

# What each history row's type means.
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

ID = models.BigIntegerField()
TEXT = models.CharField()
# Typed, so that PostgreSQL can match the columns of a UNION (a bare NULL is text).
NONE = Cast(Value(None), output_field=ID)
NO_LABEL = Value("", output_field=TEXT)


@dataclass(frozen=True)
class Tracked:
    kind: str
    model: type[models.Model]
    label: object  # an expression naming a row in the feed
    # Expressions for the person, company, source and tenure a row touches, so the feed can
    # name and link them whatever the kind.
    person: object = NONE
    company: object = NONE
    source: object = NONE
    tenure: object = NONE
    # For a record with a history page: (model, field pointing at it) of the records whose
    # addition or removal the page lists among its own versions.
    children: tuple[tuple[type[models.Model], str], ...] | None = None

    @property
    def has_page(self) -> bool:
        return self.children is not None


TRACKED = [
    Tracked(
        "person",
        Person,
        F("name"),
        person=F("id"),
        children=((Tenure, "person_id"), (OtherName, "person_id")),
    ),
    Tracked("other name", OtherName, F("name"), person=F("person_id")),
    Tracked(
        "company",
        Company,
        F("name"),
        company=F("id"),
        children=((Tenure, "company_id"), (FormerName, "company_id"), (Founder, "company_id")),
    ),
    Tracked("former name", FormerName, F("name"), company=F("company_id")),
    Tracked(
        "founder",
        Founder,
        NO_LABEL,
        person=F("person_id"),
        company=F("company_id"),
        source=F("source_id"),
    ),
    Tracked(
        "source",
        Source,
        F("title"),
        source=F("id"),
        children=((Citation, "source_id"), (SourceParty, "source_id")),
    ),
    Tracked(
        "source party",
        SourceParty,
        F("part"),
        person=F("person_id"),
        company=F("company_id"),
        source=F("source_id"),
    ),
    Tracked(
        "tenure",
        Tenure,
        F("title"),
        person=F("person_id"),
        company=F("company_id"),
        tenure=F("id"),
        children=((Citation, "tenure_id"), (Attestation, "tenure_id")),
    ),
    Tracked("role", Role, F("name")),
    Tracked("citation", Citation, NO_LABEL, source=F("source_id"), tenure=F("tenure_id")),
    Tracked("attestation", Attestation, NO_LABEL, source=F("source_id"), tenure=F("tenure_id")),
    Tracked(
        "transaction",
        Transaction,
        F("instrument"),
        company=F("company_id"),
        children=((TransactionParty, "transaction_id"), (TransactionSource, "transaction_id")),
    ),
    Tracked(
        "transaction party",
        TransactionParty,
        F("part"),
        person=F("person_id"),
        company=F("company_id"),
    ),
    Tracked("transaction source", TransactionSource, NO_LABEL, source=F("source_id")),
]
BY_KIND = {tracked.kind: tracked for tracked in TRACKED}
BY_MODEL = {tracked.model: tracked for tracked in TRACKED}
PAGE_KINDS = [tracked.kind for tracked in TRACKED if tracked.has_page]


def page_kind(model: type[models.Model]) -> str | None:
    """The kind of a model's history page, None when its records have none."""
    tracked = BY_MODEL.get(model)
    return tracked.kind if tracked is not None and tracked.has_page else None


def record_version() -> str:
    """A value that changes on every write to the record: the latest history id of each
    tracked model (every write path leaves a history row, bulk imports and deletions too),
    read in one query of index lookups."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Prepared once per connection: a cached page asks this on every request, and
            # planning the fourteen lookups took five times as long as running them. (Django
            # binds parameters on the client and prepares nothing itself.)
            session = cursor.cursor.connection
            if session not in _prepared:
                cursor.execute(prepare_record_version_sql())
                _prepared.add(session)
            cursor.execute(f"EXECUTE {RECORD_VERSION_STATEMENT}")
        else:
            cursor.execute(_latest_history_ids_sql())
        latest = dict(cursor.fetchall())
    return ".".join(str(latest.get(index) or 0) for index in range(len(TRACKED)))


RECORD_VERSION_STATEMENT = "governance_record_version"
_prepared: weakref.WeakSet = weakref.WeakSet()  # the PostgreSQL sessions that have it


def prepare_record_version_sql() -> str:
    """PostgreSQL's PREPARE of record_version's query, run once per session."""
    return f"PREPARE {RECORD_VERSION_STATEMENT} AS {_latest_history_ids_sql()}"


@functools.cache
def _latest_history_ids_sql() -> str:
    # Built once: Model.history builds a manager class on each access (a millisecond for the
    # fourteen models, most of a cached page's time).
    quote = connection.ops.quote_name
    return " UNION ALL ".join(
        f"SELECT {index}, MAX({quote('history_id')}) FROM {quote(t.model.history.model._meta.db_table)}"
        for index, t in enumerate(TRACKED)
    )
