"""A–Z indexes: the initials present in a list, and the entries under one initial.

The initial is computed by the database (upper-cased first character) both for the letter
bar and for the filter, so every initial shown leads to its entries, accented, non-Latin
and right-to-left ones included, on SQLite and PostgreSQL alike.

Both models listed A–Z index that very expression (person_initial, company_initial), so the
letter bar is a loose index scan, one probe per initial present, and a letter's page is a
walk of the index from that letter: neither reads the whole table.
"""

import datetime
import string
from collections.abc import Iterable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.functions import Substr, Upper

LETTERS = list(string.ascii_uppercase)


def initial_of(field: str) -> Upper:
    """The expression both the filter and the index use: keep them the same."""
    return Upper(Substr(field, 1, 1))


def _with_initial(queryset: QuerySet, field: str) -> QuerySet:
    return queryset.annotate(initial=initial_of(field))


def initials_present(model, field: str, using: str = "default") -> set[str]:
    """Every initial of field in model's table, in one query: from the smallest initial, each
    step asks the index for the smallest one above the last (a recursive CTE, which both
    SQLite and PostgreSQL run; the ORM cannot say it)."""
    connection = connections[using]
    query = model._base_manager.using(using).all().query
    compiler = query.get_compiler(using=using)
    initial_sql, initial_params = compiler.compile(
        initial_of(field).resolve_expression(query, allow_joins=False)
    )
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"""
        WITH RECURSIVE initials(initial) AS (
            SELECT MIN({initial_sql}) FROM {table}
            UNION ALL
            SELECT (SELECT MIN({initial_sql}) FROM {table} WHERE {initial_sql} > initials.initial)
            FROM initials WHERE initials.initial IS NOT NULL
        )
        SELECT initial FROM initials WHERE initial IS NOT NULL
    """
    params = [*initial_params, *initial_params, *initial_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def letter_bar(queryset: QuerySet, field: str) -> list[tuple[str, bool]]:
    """(letter, has entries) for A–Z and any other initial present, in order, over the whole
    table of queryset's model."""
    present = initials_present(queryset.model, field, using=queryset.db)
    return [(letter, letter in present) for letter in sorted(set(LETTERS) | present)]


def starting_with(queryset: QuerySet, field: str, letter: str) -> QuerySet:
    return _with_initial(queryset, field).filter(initial=letter)


def mark_confirmations(records: Iterable, today: datetime.date) -> None:
    """Set tenure.now (Tenure.confirmation) on each record's prefetched current_tenures, so the
    index says "last confirmed 8 Sep 2004" beside a role the record has not confirmed lately:
    from the stored last_confirmed, no query."""
    for record in records:
        for tenure in getattr(record, "current_tenures", ()):
            tenure.now = tenure.confirmation(today)
