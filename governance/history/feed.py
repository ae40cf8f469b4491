"""Recent changes to the record, read from django-simple-history's tables.

One UNION query over every tracked model's history gives a page of rows in time order (and
one more counts them); the records they name are then fetched in one query per kind, so a
page costs the same whatever it lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast

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
from people.models import OtherName, Person

ID = models.BigIntegerField()
TEXT = models.CharField()
# Typed, so that PostgreSQL can match the columns of the UNION (a bare NULL is text).
NONE = Cast(Value(None), output_field=ID)

# kind: (model, label expression, person, company, source, tenure): each row says which
# records it touches, so the page can name and link them whatever the kind.
TRACKED = {
    "person": (Person, F("name"), F("id"), NONE, NONE, NONE),
    "other name": (OtherName, F("name"), F("person_id"), NONE, NONE, NONE),
    "company": (Company, F("name"), NONE, F("id"), NONE, NONE),
    "former name": (FormerName, F("name"), NONE, F("company_id"), NONE, NONE),
    "founder": (
        Founder,
        Value("", output_field=TEXT),
        F("person_id"),
        F("company_id"),
        F("source_id"),
        NONE,
    ),
    "source": (Source, F("title"), NONE, NONE, F("id"), NONE),
    "source party": (SourceParty, F("part"), F("person_id"), F("company_id"), F("source_id"), NONE),
    "tenure": (Tenure, F("title"), F("person_id"), F("company_id"), NONE, F("id")),
    "citation": (
        Citation,
        Value("", output_field=TEXT),
        NONE,
        NONE,
        F("source_id"),
        F("tenure_id"),
    ),
    "attestation": (
        Attestation,
        Value("", output_field=TEXT),
        NONE,
        NONE,
        F("source_id"),
        F("tenure_id"),
    ),
}
COLUMNS = [
    "record_kind",
    "history_id",
    "record_id",
    "history_date",
    "history_type",
    "history_user_id",
    "history_change_reason",
    "record_label",
    "person_ref",
    "company_ref",
    "source_ref",
    "tenure_ref",
]
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def history_rows():
    """Every history row of every tracked model, newest first, as dicts of COLUMNS."""
    queries = []
    for kind, (model, label, person, company, source, tenure) in TRACKED.items():
        queries.append(
            model.history.annotate(
                record_kind=Value(kind, output_field=TEXT),
                record_id=F("id"),
                record_label=label,
                person_ref=person,
                company_ref=company,
                source_ref=source,
                tenure_ref=tenure,
            )
            .order_by()
            .values(*COLUMNS)
        )
    first, *rest = queries
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


@dataclass
class Change:
    kind: str
    action: str
    when: object
    who: object
    why: str
    label: str
    url: str | None  # None: the record is gone (deleted since)
    context: str  # what the change is about, beyond its own label


def _tenure_label(tenure) -> str:
    return f"{tenure.person.name}, {tenure.title} at {tenure.company.name}"


def describe(rows: list[dict]) -> list[Change]:
    """Name and link the records a page of history rows touches, in one query per kind."""

    def ids(column):
        return {row[column] for row in rows if row[column] is not None}

    people = Person.objects.in_bulk(ids("person_ref"))
    companies = Company.objects.in_bulk(ids("company_ref"))
    sources = Source.objects.in_bulk(ids("source_ref"))
    tenures = Tenure.objects.select_related("person", "company").in_bulk(ids("tenure_ref"))
    users = get_user_model().objects.in_bulk(ids("history_user_id"))

    changes = []
    for row in rows:
        person = people.get(row["person_ref"])
        company = companies.get(row["company_ref"])
        source = sources.get(row["source_ref"])
        tenure = tenures.get(row["tenure_ref"])
        kind, label, url, context = row["record_kind"], row["record_label"], None, []
        if kind == "person" and person:
            url = person.get_absolute_url()
        elif kind == "company" and company:
            url = company.get_absolute_url()
        elif kind == "source" and source:
            url = source.get_absolute_url()
        elif kind == "tenure":
            if tenure:
                label = _tenure_label(tenure)
                url = f"{tenure.company.get_absolute_url()}#tenure-{tenure.pk}"
        elif kind in ("citation", "attestation"):
            if tenure:
                label = _tenure_label(tenure)
                url = f"{tenure.company.get_absolute_url()}#tenure-{tenure.pk}"
            if source:
                context.append(f"source: {source.short_label}")
                url = url or source.get_absolute_url()
        else:
            # Other names, former names, founders, parties: shown on their owner's page.
            owner = source if kind == "source party" and source else person or company or source
            if kind == "founder" and person and company:
                label = f"{person} founded {company}"
            elif kind == "source party":
                label = f"{person or company or '?'}: {label}"
            if owner:
                url = owner.get_absolute_url()
                if kind != "founder":
                    context.append(f"of {owner}")
        if not label:
            label = f"#{row['record_id']}"
        changes.append(
            Change(
                kind=kind,
                action=ACTIONS.get(row["history_type"], row["history_type"]),
                when=row["history_date"],
                who=users.get(row["history_user_id"]),
                why=row["history_change_reason"] or "",
                label=label,
                url=url,
                context="; ".join(context),
            )
        )
    return changes


def latest_changes(limit: int) -> list[Change]:
    return describe(list(history_rows()[:limit]))
