"""Two editors at once: a change form carries the version of the record it was opened on, and
a save from a form whose record has changed since is refused, naming what changed.

The version is read from history, which every write path keeps (admin saves, deletions, the
CSV and SEC imports' bulk writes, restores): for the record, and for each of its inline models,
how many history rows there are and the latest history id. A count can only grow, and grows
with every committed write, whatever order concurrent writers took their ids in; a version
column would have to be bumped by every bulk path by hand, and would miss a change to an inline
row. The inline part counts every history row of every row that ever belonged to the record,
so a row added, changed, deleted or moved to another record all count as a change.

The check runs in the save's own transaction, after the record's row and its inline rows are
locked (select_for_update on PostgreSQL; on SQLite, the database's write lock, taken at once).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django import forms
from django.db import DatabaseError, OperationalError, connection, models
from django.db.models import Count, Max
from django.forms.models import _get_foreign_key
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from records.history import fill_relations, has_history, records_by_id

VERSION_FIELD = "record_version"
# A refusal lists at most this many changes; more are summed up in one line.
CHANGES_SHOWN = 12
RECORD = "record"


class VersionForm(forms.Form):
    """The version a change form was opened on, as posted back."""

    record_version = forms.CharField(max_length=10_000)

    def clean_record_version(self) -> dict[str, tuple[int, int]]:
        try:
            value = json.loads(self.cleaned_data[VERSION_FIELD])
            version = {
                str(part): (int(count), int(latest)) for part, (count, latest) in value.items()
            }
        except (ValueError, TypeError, AttributeError):
            raise forms.ValidationError("This form's version is unreadable.") from None
        if RECORD not in version:
            raise forms.ValidationError("This form's version is unreadable.")
        return version


def inline_keys(parent: type[models.Model], inline_models: list[tuple[type, str | None]]):
    """The foreign key by which each inline model (with its fk_name, if any) points at parent,
    for the inline models that keep history."""
    keys = []
    for model, fk_name in inline_models:
        if has_history(model):
            keys.append(_get_foreign_key(parent, model, fk_name=fk_name))
    return keys


def _part_name(fk: models.ForeignKey) -> str:
    return f"{fk.model._meta.label_lower}.{fk.name}"


def _rows_of_record(model: type[models.Model], pk) -> models.QuerySet:
    return model.history.model.objects.filter(id=pk)


def _rows_of_inline(fk: models.ForeignKey, pk) -> models.QuerySet:
    """Every history row of every row that ever pointed at the record through fk."""
    history = fk.model.history.model.objects
    return history.filter(id__in=history.filter(**{fk.attname: pk}).values("id"))


def _count(rows: models.QuerySet) -> tuple[int, int]:
    found = rows.order_by().aggregate(count=Count("history_id"), latest=Max("history_id"))
    return found["count"], found["latest"] or 0


def version_of(model: type[models.Model], pk, keys: list[models.ForeignKey]) -> dict:
    """The record's version: a (count, latest id) of history rows, for it and each inline."""
    version = {RECORD: _count(_rows_of_record(model, pk))}
    for fk in keys:
        version[_part_name(fk)] = _count(_rows_of_inline(fk, pk))
    return version


def dump(version: dict) -> str:
    return json.dumps(version, separators=(",", ":"), sort_keys=True)


def lock(model: type[models.Model], pk, keys: list[models.ForeignKey]) -> bool:
    """Lock the record's row and its inline rows until the transaction ends, so no other save
    of them can land between the version check and this save; False when the record is gone.
    Rows are locked parent first, then children by id, as every admin save takes them."""
    rows = model._default_manager.filter(pk=pk)
    if connection.vendor == "sqlite":
        # SQLite has no row locks; a write takes the database's write lock, which every other
        # writer then waits for (a no-op UPDATE, which also says whether the row is there).
        pk_name = model._meta.pk.attname
        return rows.update(**{pk_name: models.F(pk_name)}) == 1
    if not rows.select_for_update().exists():
        return False
    for fk in keys:
        children = fk.model._default_manager.filter(**{fk.attname: pk})
        list(children.select_for_update().order_by("pk").values_list("pk", flat=True))
    return True


# -- What changed, for the refusal's message -----------------------------------------------


@dataclass
class Change:
    """One history row written since the form was opened, with the fields it changed."""

    label: str
    kind: str
    who: str
    when: datetime.datetime
    reason: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


def _who(row) -> str:
    user = row.history_user
    if user is None:
        return "an import or script"
    return user.get_full_name() or user.get_username()


def _shown(model: type[models.Model], name: str, value, named: dict) -> str:
    if value is None or value == "":
        return "(empty)"
    field_ = model._meta.get_field(name)
    if isinstance(field_, models.ForeignKey):
        target = named.get(field_.related_model, {}).get(value)
        return str(target) if target is not None else f"#{value}"
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    return str(value)


def _changes(model: type[models.Model], rows: list) -> list[Change]:
    """rows (history rows of model, oldest first) as changes, each diffed against the row
    before it in its record's history."""
    if not rows:
        return []
    history = model.history.model.objects
    earlier = {}
    # A query a row, bounded: at most CHANGES_SHOWN + 1 rows, and only when refusing.
    for row in rows:
        if row.history_type == "~":
            before = (
                history.filter(id=row.id, history_id__lt=row.history_id)
                .order_by("-history_id")
                .first()
            )
            if before is not None:
                earlier[row.history_id] = before
    diffs = {
        hid: row.diff_against(earlier[hid]) for row in rows if (hid := row.history_id) in earlier
    }
    foreign = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    wanted: dict[type, set] = {}
    for delta in diffs.values():
        for item in delta.changes:
            for f in foreign:
                if f.name == item.field:
                    wanted.setdefault(f.related_model, set()).update({item.old, item.new})
    named = {related: records_by_id(related, ids) for related, ids in wanted.items()}
    instances = [row.instance for row in rows]
    fill_relations(instances)
    changes = []
    for row, instance in zip(rows, instances, strict=True):
        delta = diffs.get(row.history_id)
        fields = []
        if delta is not None:
            for item in delta.changes:
                verbose = str(model._meta.get_field(item.field).verbose_name)
                fields.append(
                    (
                        verbose,
                        _shown(model, item.field, item.old, named),
                        _shown(model, item.field, item.new, named),
                    )
                )
        kind = {"+": "added", "-": "deleted"}.get(row.history_type, "changed")
        changes.append(
            Change(
                label=f"{capfirst(model._meta.verbose_name)} “{instance}”",
                kind=kind,
                who=_who(row),
                when=row.history_date,
                reason=row.history_change_reason or "",
                fields=fields,
            )
        )
    return changes


def changes_since(
    model: type[models.Model], pk, keys: list[models.ForeignKey], version: dict
) -> list[Change]:
    """The history rows written to the record and its inline rows after version, oldest
    first (at most CHANGES_SHOWN + 1 of them)."""
    found: list[Change] = []
    parts = [(model, _rows_of_record(model, pk), version.get(RECORD))]
    parts += [
        (fk.model, _rows_of_inline(fk, pk), version.get(_part_name(fk), (0, 0))) for fk in keys
    ]
    for part_model, rows, seen in parts:
        latest = seen[1] if seen else 0
        new = list(
            rows.filter(history_id__gt=latest)
            .select_related("history_user")
            .order_by("history_id")[: CHANGES_SHOWN + 1]
        )
        found += _changes(part_model, new)
    found.sort(key=lambda change: change.when)
    return found


def last_change(model: type[models.Model], pk) -> list[Change]:
    """The record's latest history row (its deletion, for a deleted record), as a change."""
    latest = _count(_rows_of_record(model, pk))[1]
    return changes_since(model, pk, [], {RECORD: (0, latest - 1)})


def refusal_message(label: str, changes: list[Change], *, deleted: bool = False):
    """The message a stale form's editor reads: nothing was saved, and what changed."""
    if deleted:
        intro = format_html("Nothing was saved: {} was deleted while you were editing it.", label)
    else:
        intro = format_html(
            "Nothing was saved: {} was changed by someone else since you opened it. The form "
            "now shows the record as it is; make your change again if it still applies.",
            label,
        )
    if not changes:
        return intro
    lines = []
    for change in changes[:CHANGES_SHOWN]:
        what = "; ".join(f"{name}: {old} → {new}" for name, old, new in change.fields)
        when = timezone.localtime(change.when).strftime("%d %b %Y %H:%M:%S %Z")
        reason = f" (“{change.reason}”)" if change.reason else ""
        lines.append(
            (change.label, change.kind, f": {what}" if what else "", change.who, when, reason)
        )
    # One line each (a list inside the admin's message list would take its styles).
    items = format_html_join("", "<br>{} {}{} — by {}, {}{}", lines)
    more = len(changes) - CHANGES_SHOWN
    tail = format_html("<br>and {} more changes (see its history)", more) if more > 0 else ""
    return format_html("{}{}{}", intro, items, tail)


UNVERSIONED = (
    "Nothing was saved: the form did not say which version of {label} it was opened on, so "
    "whether it would undo someone else's change cannot be told. The form now shows the "
    "record as it is; make your change again."
)

# PostgreSQL's codes for "this transaction lost a race": deadlock detected, serialization
# failure, lock not available.
LOCK_CONFLICTS = {"40P01", "40001", "55P03"}


def is_lock_conflict(error: Exception) -> bool:
    cause = getattr(error, "__cause__", None)
    return getattr(cause, "sqlstate", None) in LOCK_CONFLICTS or "database is locked" in str(error)


# -- Imports, one at a time ----------------------------------------------------------------

# The key of the PostgreSQL advisory lock every import holds while it writes.
IMPORT_LOCK_KEY = 0x6774_696D  # "gtim"


class ImportBusy(DatabaseError):
    """Another import kept the database's write lock for longer than SQLite waits."""


def take_import_lock() -> None:
    """Make the current transaction the only import writing until it ends, waiting for one
    that is. Two imports at once read the record before either has written, and each then
    writes what it did not find (one new person, twice), or both update the same rows in
    different orders (a deadlock). Call it first in the import's transaction, before it reads.

    PostgreSQL: an advisory lock, released with the transaction (a killed import releases it
    too). SQLite: its one write lock, taken at once by a write that changes nothing (taken
    later, by a transaction that has already read, SQLite refuses rather than waits)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        elif connection.vendor == "sqlite":
            try:
                cursor.execute("UPDATE django_migrations SET id = id WHERE 0")
            except OperationalError as error:
                raise ImportBusy(
                    "another import is writing to the database: nothing was written; run this "
                    "one again when it has finished"
                ) from error
