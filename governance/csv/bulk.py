"""Bulk inserts with their history rows, as bulk_create_with_history writes them, at COPY speed.

An import inserts up to millions of rows. Django's bulk_create spends most of its time preparing
each value, and simple_history's history rows cost twice that again (measured: ~100 µs a tenure
with its history row, which alone caps an import below 5,000 rows/s). Here primary keys are
taken from the table's sequence first, so that rows can point at rows of the same insert (a
successor at its predecessor); then on PostgreSQL the rows go in with COPY and their history
rows are copied from them in the server (INSERT ... SELECT), and elsewhere through
bulk_create_with_history. Updates are one UPDATE ... FROM a set of rows. The history rows are
the same either way: every tracked field, history type "+" or "~", the user and the change
reason, one time for the statement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from records.history_origin import origin_attrs
from records.origin import command


def next_ids(model, count: int) -> list[int]:
    """count fresh primary keys for model, in increasing order, no other writer gets."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # SQLite, AUTOINCREMENT: never reuse a key, not even a deleted row's; the sequence
        # follows the keys inserted. (The transaction's write lock keeps them ours.)
        cursor.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"
            f" coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def insert_with_history(
    model, fields: Sequence[str], rows: list[tuple], *, user, reason: str
) -> None:
    """Insert rows (values of fields, as stored: "id" first, other fields their defaults), each
    with its history row ("+")."""
    if not rows:
        return
    defaults = {
        field.attname: field.get_default()
        for field in model._meta.concrete_fields
        if field.attname not in fields
    }
    columns = [*fields, *defaults]
    tail = tuple(defaults.values())
    rows = [row + tail for row in rows]
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        bulk_create_with_history(
            objs,
            model,
            default_user=user,
            default_change_reason=reason,
            custom_historical_attrs=origin_attrs(),
        )
        return
    with connection.cursor() as cursor:
        _copy(cursor, model, columns, rows)
    _insert_history(model, columns, rows, "+", user, reason)


def update_with_history(
    model, columns: Sequence[str], rows: list[tuple], fields: Sequence[str], *, user, reason: str
) -> None:
    """Write fields of rows (every concrete field's value, in columns' order, "id" first),
    and a history row ("~") for each holding all of them, as bulk_update_with_history does."""
    if not rows:
        return
    index = {name: position for position, name in enumerate(columns)}
    update_rows(
        model, ["id", *fields], [(row[0], *(row[index[f]] for f in fields)) for row in rows]
    )
    _insert_history(model, columns, rows, "~", user, reason)


def update_rows(model, columns: Sequence[str], rows: list[tuple]) -> None:
    """UPDATE rows in one statement (set-based: Django's bulk_update writes a CASE with a
    branch per row, quadratic in the rows): columns[0] is "id", the others are set."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in columns]
    names = [quote(field.column) for field in fields]
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    if connection.vendor == "postgresql":
        types = [_array_type(field) for field in fields]
        arrays = ", ".join(f"%s::{db_type}[]" for db_type in types)
        sql = (
            f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({', '.join(names)}) "
            f"WHERE {table}.{names[0]} = v.{names[0]}"
        )
        params = [list(values) for values in zip(*rows, strict=True)]
    else:
        # SQLite (3.33+): the rows as one JSON parameter.
        picks = ", ".join(
            f"json_extract(value, '$[{position}]') AS {name}" for position, name in enumerate(names)
        )
        sql = (
            f"UPDATE {table} SET {assignments} FROM (SELECT {picks} FROM json_each(%s)) AS v "
            f"WHERE {table}.{names[0]} = v.{names[0]}"
        )
        params = [json.dumps([_sqlite_values(fields, row) for row in rows])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _array_type(field) -> str:
    # As Django's UNNEST inserts: the column type without its length (varchar, not varchar(200)).
    return field.db_type(connection).split("(")[0]


def _sqlite_values(fields, row: tuple) -> list:
    return [
        field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)
    ]


def _insert_history(model, columns, rows, history_type: str, user, reason: str) -> None:
    history = model.history.model
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.history.bulk_history_create(
            objs,
            update=history_type == "~",
            default_user=user,
            default_change_reason=reason,
            custom_historical_attrs=origin_attrs(),
        )
        return
    # Copied from the rows as just written, in the server: no value goes over the wire twice.
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [quote(field.column) for field in model._meta.concrete_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_origin"]
    values = [timezone.now(), reason, history_type, command()]
    if user is not None:
        extra.append("history_user_id")
        values.append(user.pk)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} "
        f"({', '.join(names + [quote(name) for name in extra])}) "
        f"SELECT {', '.join(f'r.{name}' for name in names)}, "
        f"{', '.join(['%s'] * len(values))} "
        f"FROM unnest(%s::bigint[]) WITH ORDINALITY AS k(id, n) JOIN {table} r ON r.id = k.id "
        "ORDER BY k.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, [row[0] for row in rows]])


def _copy(cursor, model, attnames: list[str], rows) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in attnames)
    with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


class Statistics:
    """Keeps PostgreSQL's planner statistics in step with a bulk import (ANALYZE, as after any
    bulk load): the import's lookups are key lists against tables it is filling, and without
    statistics the planner reads such a table whole for each batch (measured: 0.5 s a batch at
    a million tenures) where an index lookup per key takes milliseconds. Large tables never
    analyzed are analyzed first; then each time the rows this import inserted have doubled,
    from 10,000 on."""

    def __init__(self, models: list) -> None:
        self.tables = [model._meta.db_table for model in models]
        self.inserted = 0
        self.next_at = 10_000
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples < 0"
                    " AND pg_relation_size(oid) > 8 * 1024 * 1024",
                    [self.tables],
                )
                self._analyze([name for (name,) in cursor.fetchall()])

    def inserted_rows(self, count: int) -> None:
        self.inserted += count
        if connection.vendor == "postgresql" and count and self.inserted >= self.next_at:
            self._analyze(self.tables)
            self.next_at = 2 * self.inserted

    @staticmethod
    def _analyze(tables: list[str]) -> None:
        for table in tables:
            # ANALYZE sees this transaction's own new rows; a role that may not analyze
            # the table only loses the speed.
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            except DatabaseError:
                pass
