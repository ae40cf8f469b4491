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

from governance.models import (
    Attestation,
    Citation,
    Company,
    FormerName,
    Founder,
    Source,
    SourceParty,
    Tenure,
)
from governance.models.partial_date import PartialDate
from people.models import OtherName, Person
from records.history import fill_relations, latest_rows

# What each kind of history page shows: the record's model, and the models whose records
# are added to or removed from it (with the field that points at it).
KINDS: dict[str, tuple[type[models.Model], list[tuple[type[models.Model], str]]]] = {
    "person": (Person, [(Tenure, "person_id"), (OtherName, "person_id")]),
    "company": (
        Company,
        [(Tenure, "company_id"), (FormerName, "company_id"), (Founder, "company_id")],
    ),
    "tenure": (Tenure, [(Citation, "tenure_id"), (Attestation, "tenure_id")]),
    "source": (Source, [(Citation, "source_id"), (SourceParty, "source_id")]),
}
KIND_OF_MODEL = {model: kind for kind, (model, _children) in KINDS.items()}
PER_PAGE = 25


def history_url(instance: models.Model) -> str | None:
    kind = KIND_OF_MODEL.get(type(instance))
    return reverse("record_history", args=[kind, instance.pk]) if kind else None


def format_moment(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC"


def user_name(user) -> str:
    return user.get_username() if user is not None else ""


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
        kind = KIND_OF_MODEL.get(model)
        for row in rows.select_related("history_user"):
            found[model, row.id] = LastChange(
                row.history_date,
                user_name(row.history_user),
                row.history_change_reason or "",
                reverse("record_history", args=[kind, row.id]) if kind else None,
            )
        for obj in objs:
            obj.last_change = found.get((model, obj.pk))
    return found


def last_change(instance: models.Model) -> LastChange | None:
    """When instance last changed, by whom and why: one query."""
    return last_changes([instance]).get((type(instance), instance.pk))


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

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


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


def _stream(kind: str, pk: int) -> models.QuerySet:
    """The history ids of the page's lines, newest first, as one SQL union."""
    model, children = KINDS[kind]
    parts = [
        model.history.filter(id=pk)
        .annotate(stream_part=Value("self", output_field=CharField()))
        .values("stream_part", "history_id", "history_date")
        .order_by()
    ]
    for index, (child, fk) in enumerate(children):
        parts.append(
            child.history.filter(**{fk: pk}, history_type__in=["+", "-"])
            .annotate(stream_part=Value(str(index), output_field=CharField()))
            .values("stream_part", "history_id", "history_date")
            .order_by()
        )
    stream = parts[0].union(*parts[1:], all=True)
    return stream.order_by("-history_date", "-history_id")


def record_history(kind: str, pk: int, page_number: int = 1) -> RecordHistory:
    """
    The history page of one record, live or deleted: raises UnknownRecord for an unknown kind
    or a record with no history, and django.core.paginator.InvalidPage for a bad page.
    """
    if kind not in KINDS:
        raise UnknownRecord(f"There is no history of “{kind}”: use one of {', '.join(KINDS)}.")
    model, children = KINDS[kind]
    latest = latest_rows(model.history.model, Q(id=pk)).first()
    if latest is None:
        raise UnknownRecord(f"There is no {kind} #{pk}, and no history of one.")
    page = Paginator(_stream(kind, pk), PER_PAGE).page(page_number)
    lines = list(page.object_list)

    own_ids = [line["history_id"] for line in lines if line["stream_part"] == "self"]
    own = list(
        model.history.filter(history_id__in=own_ids)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    previous_of = {}
    if own:
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
        for newer, older in zip(own, [*own[1:], before], strict=True):
            previous_of[newer.history_id] = older
    child_rows = {}
    for index, (child, _fk) in enumerate(children):
        ids = [line["history_id"] for line in lines if line["stream_part"] == str(index)]
        if ids:
            for row in child.history.filter(history_id__in=ids).select_related("history_user"):
                child_rows[str(index), row.history_id] = (child, row)

    # Name every foreign key on the page in one query per related model and level.
    instances = {}
    for row in own + [r for r in previous_of.values() if r is not None]:
        instances[model, row.history_id] = row.instance
    for (_index, history_id), (child, row) in child_rows.items():
        instances[child, history_id] = row.instance
    latest_instance = latest.instance
    fill_relations([*instances.values(), latest_instance])

    entries = []
    for line in lines:
        if line["stream_part"] == "self":
            row = next(r for r in own if r.history_id == line["history_id"])
            older = previous_of[row.history_id]
            if row.history_type == "-":
                changes = []
            else:
                changes = diff(
                    model,
                    instances[model, older.history_id] if older is not None else None,
                    instances[model, row.history_id],
                )
            entries.append(
                Entry(
                    row.history_date,
                    user_name(row.history_user),
                    row.history_change_reason or "",
                    ACTIONS[row.history_type],
                    changes,
                )
            )
        else:
            child, row = child_rows[line["stream_part"], line["history_id"]]
            instance = instances[child, row.history_id]
            verb = "Added" if row.history_type == "+" else "Removed"
            entries.append(
                Entry(
                    row.history_date,
                    user_name(row.history_user),
                    row.history_change_reason or "",
                    f"{verb} {child._meta.verbose_name}",
                    related_label=str(instance),
                    related_url=(
                        reverse("record_history", args=[KIND_OF_MODEL[child], row.id])
                        if child in KIND_OF_MODEL
                        else None
                    ),
                )
            )
    exists = latest.history_type != "-"
    if exists:
        # The live record names itself best: a historical row's derived columns may be stale.
        latest_instance = (
            model._default_manager.select_related().filter(pk=pk).first() or latest_instance
        )
    live_url = None
    if exists and hasattr(latest_instance, "get_absolute_url"):
        try:
            live_url = latest_instance.get_absolute_url()
        except NoReverseMatch:  # a public page not (yet) in the URLconf
            live_url = None
    return RecordHistory(kind, pk, str(latest_instance), exists, page, entries, live_url)
