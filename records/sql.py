"""SQL helpers shared by the layers above."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def values_in(values: Iterable, db_type: str = "bigint") -> RawSQL:
    """The right side of `field__in` as ONE query parameter, however many values: a PostgreSQL
    array (psycopg would otherwise parse thousands of placeholders per query) or a SQLite JSON
    list (which also stays under SQLite's limit on parameters)."""
    values = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{db_type}[])", (values,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values),))
