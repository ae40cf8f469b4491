"""Deleting with history (every record a deletion changes gets its own history row, naming
why) and the deleted records, grouped by deletion, with restoring one."""

from __future__ import annotations

import contextvars
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from records.history import fill_relations, foreign_keys, has_history, history_models, records_by_id


@dataclass
class DeletionEvent:
    """One deletion: every record it deletes or changes shares its moment, user and reason."""

    root: models.Model
    user: object
    reason: str
    moment: datetime.datetime = field(default_factory=timezone.now)

    @property
    def root_label(self) -> str:
        return f"{self.root._meta.verbose_name} “{self.root}”"


_current_event: contextvars.ContextVar[DeletionEvent | None] = contextvars.ContextVar(
    "deletion_event", default=None
)


@receiver(pre_delete)
def _stamp_deleted_record(sender, instance, **kwargs):
    """Every record a deletion removes gets the event's moment, user and reason in history."""
    event = _current_event.get()
    if event is None or not has_history(sender):
        return
    instance._history_date = event.moment
    instance._history_user = event.user
    if instance._meta.label == event.root._meta.label and instance.pk == event.root.pk:
        instance._change_reason = event.reason
    else:
        instance._change_reason = f"Deleted with {event.root_label}: {event.reason}"


@dataclass
class ClearedReference:
    """A record that keeps living but loses its reference to one that is deleted."""

    record: models.Model
    field: models.ForeignKey
    value: models.Model

    @property
    def label(self) -> str:
        return f"{self.record._meta.verbose_name} “{self.record}”"

    @property
    def field_name(self) -> str:
        return str(self.field.verbose_name)


@dataclass
class Consequences:
    """What deleting a record does to others: records deleted with it, records modified."""

    deleted: list[models.Model]
    modified: list[ClearedReference]


def consequences_of_deleting(obj: models.Model) -> Consequences:
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    doomed = {(type(o), o.pk) for model_objs in collector.data.values() for o in model_objs}
    deleted = [o for model_objs in collector.data.values() for o in model_objs if o != obj]
    modified = []
    for batches in collector.field_updates.values():
        for batch in batches:
            for record in batch:
                if (type(record), record.pk) in doomed:
                    continue
                if (type(record), record.pk) not in {(type(m), m.pk) for m in modified}:
                    modified.append(record)
    fill_relations(modified)
    cleared = [
        ClearedReference(record, fk, getattr(record, fk.name))
        for record in modified
        for fk in foreign_keys(type(record))
        if (fk.related_model, getattr(record, fk.attname)) in doomed
    ]
    cleared.sort(key=lambda item: (item.record._meta.label, item.record.pk))
    return Consequences(deleted, cleared)


def cleared_reason(event: DeletionEvent, fk: models.Field) -> str:
    return f"Cleared {fk.verbose_name} because {event.root_label} was deleted: {event.reason}"


class DeletionRefused(Exception):
    """A deletion that would leave the record inconsistent; the message says what to do."""


@transaction.atomic
def delete_with_history(obj: models.Model, user, reason: str) -> DeletionEvent:
    """
    Delete obj and what cascades from it, first clearing through save() every reference the
    database would otherwise set to NULL in bulk, so each changed record gets its own history
    row naming why. All rows of the deletion share one moment: that is what groups them.
    """
    event = DeletionEvent(root=obj, user=user, reason=reason)
    for item in consequences_of_deleting(obj).modified:
        record, fk = item.record, item.field
        record.refresh_from_db()
        setattr(record, fk.name, None)
        try:
            record.validate_constraints()
        except ValidationError as error:
            raise DeletionRefused(
                f"Deleting {obj} would clear the {fk.verbose_name} of {record}, which would then "
                f"duplicate another record ({' '.join(error.messages)}). Change or delete "
                f"{record} first."
            ) from None
        record._change_reason = cleared_reason(event, fk)
        record._history_user = user
        record._history_date = event.moment
        record.save()
    token = _current_event.set(event)
    try:
        obj.delete()
    finally:
        _current_event.reset(token)
    return event


# -- Deleted records, and restoring them ---------------------------------------------------


def model_order(models_: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """Models with the ones others point to first (parents before children)."""
    remaining = sorted(set(models_), key=lambda m: m._meta.label)
    ordered: list[type[models.Model]] = []
    while remaining:
        for model in remaining:
            parents = {
                fk.related_model for fk in foreign_keys(model) if fk.related_model is not model
            }
            if not (parents & set(remaining)):
                break
        else:  # a cycle between models: take them as they come
            model = remaining[0]
        ordered.append(model)
        remaining.remove(model)
    return ordered


@dataclass
class DeletedRecord:
    model: type[models.Model]
    row: object  # its historical row: "-" for a deleted record, "~" for a cleared reference
    exists_now: bool = False

    def __post_init__(self):
        self.instance = self.row.instance

    @property
    def label(self) -> str:
        return f"{self.model._meta.verbose_name} “{self.instance}”"


@dataclass
class Deletion:
    """One deletion event: the records it deleted and the references it cleared."""

    moment: datetime.datetime
    user: object
    reasons: list[str]
    records: list[DeletedRecord]
    cleared: list[DeletedRecord] = field(default_factory=list)  # rows of type "~"

    @property
    def key(self) -> str:
        return self.moment.isoformat()

    @property
    def reason(self) -> str:
        return self.reasons[0] if self.reasons else ""

    @property
    def restorable(self) -> bool:
        return not any(r.exists_now for r in self.records)


def deletions(moment: datetime.datetime | None = None, limit: int = 50) -> list[Deletion]:
    """
    The latest deletion events (or the one at moment), newest first: one query per model
    with history for the deletion rows, one for the references they cleared, and one per
    related model to name them.
    """
    per_model = []
    for model in history_models():
        rows = model.history.filter(history_type="-").select_related("history_user")
        rows = rows.filter(history_date=moment) if moment else rows.order_by("-history_date")
        per_model += [(model, row) for row in rows[: None if moment else limit]]
    events: dict[datetime.datetime, Deletion] = {}
    for model, row in sorted(per_model, key=lambda item: item[1].history_date, reverse=True):
        event = events.get(row.history_date)
        if event is None:
            if len(events) >= limit:
                continue
            event = events[row.history_date] = Deletion(row.history_date, row.history_user, [], [])
        event.records.append(DeletedRecord(model, row))
        if row.history_change_reason and row.history_change_reason not in event.reasons:
            event.reasons.append(row.history_change_reason)
    if not events:
        return []
    for model in history_models():
        rows = model.history.filter(history_type="~", history_date__in=list(events))
        for row in rows.filter(history_change_reason__startswith="Cleared "):
            events[row.history_date].cleared.append(DeletedRecord(model, row))
    _mark_existing([r for e in events.values() for r in e.records + e.cleared])
    for event in events.values():
        ordered = model_order(r.model for r in event.records)
        event.records.sort(key=lambda r: (ordered.index(r.model), r.row.id))
        # The reason given for the deletion itself, before those of what went with it.
        event.reasons.sort(key=lambda reason: reason.startswith("Deleted with "))
    return list(events.values())


def _mark_existing(records: list[DeletedRecord]) -> None:
    by_model = defaultdict(set)
    for record in records:
        by_model[record.model].add(record.row.id)
    existing = {
        model: set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for model, ids in by_model.items()
    }
    for record in records:
        record.exists_now = record.row.id in existing[record.model]
    fill_relations([r.instance for r in records])


class CannotRestore(Exception):
    pass


@transaction.atomic
def restore_deletion(moment: datetime.datetime, user) -> Deletion:
    """
    Recreate every record of the deletion at moment with its primary key and field values,
    parents before children, and put back the references the deletion cleared (where they are
    still empty). Every record restored or relinked gets a history row saying so.
    """
    found = deletions(moment=moment)
    if not found:
        raise CannotRestore("There is no deletion at that moment.")
    event = found[0]
    if not event.restorable:
        raise CannotRestore("Some of these records exist again: this deletion was restored.")
    _check_targets_exist(event)
    label = event.records[0].label if event.records else "records"
    reason = f"Restored {label}, deleted {event.moment:%Y-%m-%d %H:%M:%S} UTC"
    # Within a model, a record pointing to another of the same deletion comes after it.
    pending = list(event.records)
    restored: set[tuple[type, object]] = set()
    while pending:
        for record in pending:
            self_refs = [
                getattr(record.row, fk.attname)
                for fk in foreign_keys(record.model)
                if fk.related_model is record.model
            ]
            waiting = [
                ref
                for ref in self_refs
                if ref is not None
                and (record.model, ref) not in restored
                and any(r.model is record.model and r.row.id == ref for r in pending)
            ]
            if not waiting:
                break
        pending.remove(record)
        instance = record.model(
            **{f.attname: getattr(record.row, f.attname) for f in record.model._meta.fields}
        )
        instance._change_reason = reason
        instance._history_user = user
        try:
            instance.save(force_insert=True)
        except IntegrityError as error:
            # Entered again since (a slug, a tenure with the same start, a single-seat
            # overlap): the whole restore rolls back, saying which record is in the way.
            raise CannotRestore(
                f"Cannot restore {record.label}: it clashes with a record entered since "
                f"({error}). Change or delete that record first."
            ) from None
        restored.add((record.model, instance.pk))
    for cleared in event.cleared:
        _relink(cleared, user, reason)
    return event


def _check_targets_exist(event: Deletion) -> None:
    """Refuse, naming it, a restore whose records point at one that no longer exists."""
    in_event = {(r.model, r.row.id) for r in event.records}
    needed = defaultdict(set)
    for record in event.records:
        for fk in foreign_keys(record.model):
            value = getattr(record.row, fk.attname)
            if value is not None and (fk.related_model, value) not in in_event:
                needed[fk.related_model].add(value)
    for model, ids in needed.items():
        missing = ids - set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        if missing:
            names = records_by_id(model, missing)
            listed = ", ".join(f"“{names.get(pk, f'#{pk}')}”" for pk in sorted(missing))
            raise CannotRestore(
                f"These records point at {model._meta.verbose_name} {listed}, which is deleted: "
                "restore it first."
            )


def _relink(cleared: DeletedRecord, user, reason: str) -> None:
    """Put back the references a deletion cleared on a record, unless changed since."""
    before = (
        cleared.model.history.filter(id=cleared.row.id)
        .filter(
            Q(history_date__lt=cleared.row.history_date)
            | Q(history_date=cleared.row.history_date, history_id__lt=cleared.row.history_id)
        )
        .order_by("-history_date", "-history_id")
        .first()
    )
    record = cleared.model._default_manager.filter(pk=cleared.row.id).first()
    if before is None or record is None:
        return
    changed = False
    for fk in foreign_keys(cleared.model):
        old, now = getattr(before, fk.attname), getattr(cleared.row, fk.attname)
        if old is not None and now is None and getattr(record, fk.attname) is None:
            setattr(record, fk.attname, old)
            changed = True
    if changed:
        record._change_reason = reason
        record._history_user = user
        record.save()
