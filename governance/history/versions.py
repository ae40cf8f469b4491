"""The audit trail: a record's versions with field-by-field diffs, and when it last changed.

A history page is one stream, newest first, of a record's own versions and of the records
added to or removed from it (a company's tenures, a tenure's citations and attestations),
paginated in SQL over the union of those history tables, in a fixed number of queries per
page whatever the page holds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, Q, Value
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from governance.history.tracked import ACTIONS, BY_KIND, PAGE_KINDS, Tracked, page_kind
from governance.models.partial_date import PartialDate
from records.history import fill_relations, latest_rows

PER_PAGE = 25


def history_url(instance: models.Model) -> str | None:
    kind = page_kind(type(instance))
    return reverse("record_history", args=[kind, instance.pk]) if kind else None


def format_moment(moment: datetime.datetime) -> str:
    """A moment of record time as pages show it: "26 Nov 2026, 11:15 UTC"."""
    moment = moment.astimezone(datetime.UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def user_name(user) -> str:
    """How public pages name an editor: the full name, or "an editor"; never the login."""
    if user is None:
        return ""
    return editor_name(user.first_name, user.last_name)


def editor_name(first_name: str, last_name: str) -> str:
    """user_name from the user's two name columns."""
    return f"{first_name} {last_name}".strip() or "an editor"


# -- Last changed --------------------------------------------------------------------------


@dataclass
class LastChange:
    moment: datetime.datetime
    user: str  # empty: no user recorded (a script, an import, the demo loader)
    reason: str
    history_url: str | None

    @property
    def when(self) -> str:
        return format_moment(self.moment)


def last_changes(instances: Iterable[models.Model]) -> dict:
    """
    The last change of each record, by (model, pk): one query per model, whatever the number
    of records. Sets instance.last_change too, for templates.
    """
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for instance in instances:
        by_model.setdefault(type(instance), []).append(instance)
    found = {}
    for model, objs in by_model.items():
        rows = latest_rows(model.history.model, Q(id__in=[o.pk for o in objs]))
        kind = page_kind(model)
        # Values, not historical instances: a page names the last change of dozens of records.
        for pk, moment, reason, user_id, first_name, last_name in rows.values_list(
            "id",
            "history_date",
            "history_change_reason",
            "history_user_id",
            "history_user__first_name",
            "history_user__last_name",
        ):
            found[model, pk] = LastChange(
                moment,
                editor_name(first_name, last_name) if user_id is not None else "",
                reason or "",
                reverse("record_history", args=[kind, pk]) if kind else None,
            )
        for obj in objs:
            obj.last_change = found.get((model, obj.pk))
    return found


# -- Diffs -------------------------------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    old: str
    new: str


def _shown_fields(model: type[models.Model]) -> list[models.Field]:
    # Derived columns (intervals, search keys) are recomputed without history rows: a diff of
    # them would mislead. The facts they derive from are shown.
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def display_value(instance: models.Model, model_field: models.Field) -> str:
    if isinstance(model_field, models.ForeignKey):
        if getattr(instance, model_field.attname) is None:
            return "—"
        target = model_field.get_cached_value(instance, None)
        return str(target) if target is not None else f"#{getattr(instance, model_field.attname)}"
    value = getattr(instance, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def diff(model: type[models.Model], old, new) -> list[FieldChange]:
    """Field-by-field changes from old (None: nothing before) to new, shown by display value."""
    changes = []
    for model_field in _shown_fields(model):
        before = display_value(old, model_field) if old is not None else "—"
        after = display_value(new, model_field)
        if old is None and after == "—":
            continue
        if old is None or getattr(old, model_field.attname) != getattr(new, model_field.attname):
            changes.append(FieldChange(str(model_field.verbose_name), before, after))
    return changes


# -- History pages -----------------------------------------------------------------------


@dataclass
class Entry:
    """One line of a history page: a version of the record, or a record added or removed."""

    moment: datetime.datetime
    user: str
    reason: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    related_label: str = ""  # for a record added or removed: what it is
    related_url: str | None = None

    @property
    def when(self) -> str:
        return f"{self.moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC"


@dataclass
class RecordHistory:
    kind: str
    pk: int
    label: str
    exists: bool
    page: Page
    entries: list[Entry]
    live_url: str | None


class UnknownRecord(Http404):
    pass


def _stream(tracked: Tracked, pk: int) -> models.QuerySet:
    """The history ids of the page's lines, newest first, as one SQL union."""
    parts = [
        tracked.model.history.filter(id=pk)
        .annotate(stream_part=Value("self", output_field=CharField()))
        .values("stream_part", "history_id", "history_date")
        .order_by()
    ]
    for index, (child, fk) in enumerate(tracked.children):
        parts.append(
            child.history.filter(**{fk: pk}, history_type__in=["+", "-"])
            .annotate(stream_part=Value(str(index), output_field=CharField()))
            .values("stream_part", "history_id", "history_date")
            .order_by()
        )
    stream = parts[0].union(*parts[1:], all=True)
    return stream.order_by("-history_date", "-history_id")


def _own_versions(model, pk: int, history_ids: list[int]) -> list[tuple[object, object]]:
    """The record's own rows on the page, newest first, each with the row before it (None for
    the first version), in two queries."""
    own = list(
        model.history.filter(history_id__in=history_ids)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if not own:
        return []
    oldest = own[-1]
    before = (
        model.history.filter(id=pk)
        .filter(
            Q(history_date__lt=oldest.history_date)
            | Q(history_date=oldest.history_date, history_id__lt=oldest.history_id)
        )
        .order_by("-history_date", "-history_id")
        .first()
    )
    return list(zip(own, [*own[1:], before], strict=True))


def _version_entry(model, row, older) -> Entry:
    changes = [] if row.history_type == "-" else diff(model, older, row.instance_named)
    return Entry(
        row.history_date,
        user_name(row.history_user),
        row.history_change_reason or "",
        ACTIONS[row.history_type].capitalize(),
        changes,
    )


def _child_entry(child, row) -> Entry:
    verb = "Added" if row.history_type == "+" else "Removed"
    kind = page_kind(child)
    return Entry(
        row.history_date,
        user_name(row.history_user),
        row.history_change_reason or "",
        f"{verb} {child._meta.verbose_name}",
        related_label=str(row.instance_named),
        related_url=reverse("record_history", args=[kind, row.id]) if kind else None,
    )


def _live_url(instance) -> str | None:
    try:
        return instance.get_absolute_url()
    except (AttributeError, NoReverseMatch):  # no public page (yet) for it
        return None


def record_history(kind: str, pk: int, page_number: int = 1) -> RecordHistory:
    """
    The history page of one record, live or deleted: raises UnknownRecord for an unknown kind
    or a record with no history, and django.core.paginator.InvalidPage for a bad page.
    """
    if kind not in PAGE_KINDS:
        raise UnknownRecord(f"There is no history of “{kind}”: use one of {', '.join(PAGE_KINDS)}.")
    tracked = BY_KIND[kind]
    model = tracked.model
    latest = latest_rows(model.history.model, Q(id=pk)).first()
    if latest is None:
        raise UnknownRecord(f"There is no {kind} #{pk}, and no history of one.")
    page = Paginator(_stream(tracked, pk), PER_PAGE).page(page_number)
    lines = list(page.object_list)

    versions = _own_versions(
        model, pk, [line["history_id"] for line in lines if line["stream_part"] == "self"]
    )
    rows = {("self", row.history_id): (model, row) for row, _older in versions}
    for index, (child, _fk) in enumerate(tracked.children):
        ids = [line["history_id"] for line in lines if line["stream_part"] == str(index)]
        for row in child.history.filter(history_id__in=ids).select_related("history_user"):
            rows[str(index), row.history_id] = (child, row)
    # Name every foreign key on the page in one query per related model and level.
    shown = [row for _model, row in rows.values()] + [o for _r, o in versions if o] + [latest]
    for row in shown:
        row.instance_named = row.instance
    fill_relations([row.instance_named for row in shown])

    older_of = {row.history_id: older for row, older in versions}
    entries = []
    for line in lines:
        owner, row = rows[line["stream_part"], line["history_id"]]
        if line["stream_part"] == "self":
            older = older_of[row.history_id]
            entries.append(_version_entry(model, row, older.instance_named if older else None))
        else:
            entries.append(_child_entry(owner, row))
    exists = latest.history_type != "-"
    # The live record names itself best: a historical row's derived columns may be stale.
    subject = (
        model._default_manager.select_related().filter(pk=pk).first() if exists else None
    ) or latest.instance_named
    return RecordHistory(
        kind, pk, str(subject), exists, page, entries, _live_url(subject) if exists else None
    )
