"""Reading django-simple-history's tables for any model: the models that keep history, each
record's latest row, and records (deleted ones too) named from their last recorded values."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from simple_history.models import registered_models

# -- Reading history ---------------------------------------------------------------------


def has_history(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def latest_rows(
    history_model, candidates: Q, moment: datetime.datetime | None = None
) -> models.QuerySet:
    """
    The latest historical row (at moment, or ever) of each record that matched candidates in
    some row: candidates narrow the rows before the latest are taken. Deletion rows are kept;
    a later row at the same instant wins by its history_id.

    Not simple-history's latest_of_each(): it keeps every row of a record that share the
    latest history_date (a deletion and the save before it can share one instant), and its
    subquery compares against the rows before any narrowing by candidates.
    """
    manager = history_model._default_manager
    at = Q(history_date__lte=moment) if moment is not None else Q()
    try:
        ids, params = manager.filter(at, candidates).order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # candidates no row can match (an id list that is empty)
        return manager.none()
    # The latest rows' keys in SQL written out: the same query built from OuterRef and Exists
    # took three times as long to compile as to run (a record-time page reads a dozen).
    table = connection.ops.quote_name(history_model._meta.db_table)
    at_sql = "" if moment is None else " AND {alias}.history_date <= %s"
    latest = (
        f"SELECT h.history_id FROM {table} h WHERE h.id IN ({ids}){at_sql.format(alias='h')}"
        f" AND NOT EXISTS (SELECT 1 FROM {table} l WHERE l.id = h.id{at_sql.format(alias='l')}"
        " AND (l.history_date > h.history_date"
        " OR l.history_date = h.history_date AND l.history_id > h.history_id))"
    )
    moments = () if moment is None else (moment, moment)
    return manager.filter(history_id__in=RawSQL(latest, (*params, *moments)))


def records_by_id(model: type[models.Model], ids: Iterable) -> dict:
    """
    Records by id, as last recorded: live or deleted (from the deletion row's values). A
    record with no history row (seeded by a data migration) is read from its live table.
    """
    ids = set(ids) - {None}
    if not ids:
        return {}
    found = {}
    if has_history(model):
        found = {row.id: row.instance for row in latest_rows(model.history.model, Q(id__in=ids))}
    missing = ids - set(found)
    if missing:
        found |= {obj.pk: obj for obj in model._default_manager.filter(pk__in=missing)}
    return found


def fill_relations(instances: Iterable[models.Model], depth: int = 2) -> None:
    """
    Put every forward foreign key's target in place on instances (and on those targets, to
    depth), read from history so deleted targets keep their names: one query per related
    model and level, so str() of instances runs no query.
    """
    instances = [obj for obj in instances if obj is not None]
    if depth <= 0 or not instances:
        return
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for obj in instances:
        for fk in foreign_keys(type(obj)):
            value = getattr(obj, fk.attname)
            if value is not None:
                wanted[fk.related_model].add(value)
    loaded = {model: records_by_id(model, ids) for model, ids in wanted.items()}
    targets = []
    for obj in instances:
        for fk in foreign_keys(type(obj)):
            value = getattr(obj, fk.attname)
            target = loaded.get(fk.related_model, {}).get(value) if value is not None else None
            if target is not None:
                fk.set_cached_value(obj, target)
                targets.append(target)
    fill_relations(targets, depth - 1)


def foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def history_models() -> list[type[models.Model]]:
    """Every model that keeps history: django-simple-history's own registry, the one list."""

    return sorted(registered_models.values(), key=lambda m: m._meta.label)
