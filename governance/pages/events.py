"""What happened, in date order: a company's events and a person's career path.

Built in Python from tenures fetched with TenureQuerySet.for_display(), so a page costs the
same number of queries however many tenures it shows.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from governance.models.partial_date import PartialDate
from governance.pages.timeline import end_notes, predecessor_note


@dataclass
class Event:
    date: PartialDate | None  # None: the record knows it happened, not when
    person: object | None  # the person the sentence is about, linked on the page
    action: str  # what the person did, after the name: "elected President, succeeding…"
    sources: list = field(default_factory=list)
    tenure: object | None = None
    kind: str = ""  # founding, start, end, attested

    @property
    def sort_key(self) -> tuple:
        # Date-unknown events come last; same-day ends come before starts (hand-overs).
        if self.date is None:
            return (datetime.date.max, 0, 0)
        order = {"founding": 0, "end": 1, "attested": 2, "start": 3}.get(self.kind, 4)
        return (self.date.first, self.date.precision, order)


def _cited_sources(tenure) -> list:
    return [citation.source for citation in tenure.citations.all()]


def start_verb(tenure) -> str:
    """'elected' or 'appointed' where a cited passage says so of this very title, else 'became'.

    The passage must put the verb and the title in one clause ("has been elected by the
    Board to serve as President"); "the newly elected President, Mr. Crossman, has served
    as a Director" does not make his directorship an election.
    """
    title = re.escape(tenure.title or tenure.role.name)
    pattern = re.compile(rf"\b(elected|appointed|named)\b[^.,;]{{0,80}}?\b{title}\b", re.I)
    for citation in tenure.citations.all():
        match = pattern.search(citation.quote)
        if match:
            return match.group(1).lower()
    return "became"


def _start_event(tenure) -> Event | None:
    if tenure.start is None:
        return None
    action = f"{start_verb(tenure)} {tenure.title}"
    if note := predecessor_note(tenure):
        action += f", {note}"
    return Event(tenure.start, tenure.person, action, _cited_sources(tenure), tenure, "start")


def _end_event(tenure) -> Event | None:
    if not tenure.ended:
        return None
    if tenure.end_reason and tenure.end_reason != tenure.EndReason.OTHER:
        action = f"{tenure.get_end_reason_display().lower()} as {tenure.title}"
    else:
        action = f"left the post of {tenure.title}"
    successors = [successor.person.name for successor in tenure.successors.all()]
    if successors:
        action += ", succeeded by " + " and ".join(successors)
    if tenure.end is None:
        action += " (date unknown)"
    elif "end" in tenure.inferred_fields:
        action += (
            f" (date inferred: {tenure.inferred_note})"
            if tenure.inferred_note
            else " (date inferred)"
        )
    return Event(tenure.end, tenure.person, action, _cited_sources(tenure), tenure, "end")


def _attested_events(tenure) -> list[Event]:
    return [
        Event(
            PartialDate.from_date(attestation.day),
            tenure.person,
            f"shown as {tenure.title} (attested)",
            [attestation.source] if attestation.source else [],
            tenure,
            "attested",
        )
        for attestation in tenure.attestations.all()
    ]


def tenure_events(tenures: Iterable) -> list[Event]:
    events = []
    for tenure in tenures:
        events += [event for event in (_start_event(tenure), _end_event(tenure)) if event]
        events += _attested_events(tenure)
    return events


def company_events(
    company, tenures: Iterable, founders: Iterable, transactions: Iterable = ()
) -> list[Event]:
    """Foundings, appointments and elections, departures with their reasons, attested days,
    related-party transactions (TransactionStory)."""
    events = tenure_events(tenures)
    for story in transactions:
        tx = story.transaction
        events.append(Event(tx.date, None, story.sentence, story.sources, None, "transaction"))
    for founder in founders:
        events.append(
            Event(
                company.founded,
                founder.person,
                f"founded {company.name}",
                [founder.source] if founder.source else [],
                None,
                "founding",
            )
        )
    return sorted(events, key=lambda event: event.sort_key)


@dataclass
class PathStep:
    tenure: object
    # Held at the same time as an earlier step at the company (Anderson, President and then
    # also Director): the path shows it beside that step, not after it with an arrow.
    concurrent: bool = False

    @property
    def summary(self) -> str:
        """'Jul 1990 – Sep 2004, resigned, succeeded by Marc B. Crossman'."""
        return ", ".join([self.tenure.dates_display, *end_notes(self.tenure)])

    @property
    def preceded(self) -> str:
        return predecessor_note(self.tenure)


@dataclass
class CareerAtCompany:
    company: object
    steps: list[PathStep]


def career_order(tenure) -> tuple:
    """The career path's order, deliberately not Tenure.start_order: a step whose start is
    unknown stands at the first day the record shows the person in the role, where a reader
    of a career expects it, not before every known start."""
    if tenure.start is not None:
        return (tenure.start.first, tenure.start.precision, tenure.pk)
    return (tenure.certain_start or tenure.possible_start or datetime.date.min, 0, tenure.pk)


def held_together(earlier, later) -> bool:
    """Whether two tenures were certainly held at the same time: their certain intervals share
    two days or more (one shared day is a hand-over, as for the single-seat rule)."""
    if not (earlier.has_certain_days and later.has_certain_days):
        return False
    start = max(earlier.certain_start, later.certain_start)
    end = min(earlier.certain_end or datetime.date.max, later.certain_end or datetime.date.max)
    return start < end


def career_path(tenures: Iterable) -> list[CareerAtCompany]:
    """A person's tenures by company (in order of the first), each company's in date order; a
    step held at the same time as an earlier one is marked concurrent."""
    by_company: dict[int, CareerAtCompany] = {}
    for tenure in sorted(tenures, key=career_order):
        career = by_company.setdefault(tenure.company_id, CareerAtCompany(tenure.company, []))
        concurrent = any(held_together(step.tenure, tenure) for step in career.steps)
        career.steps.append(PathStep(tenure, concurrent))
    return list(by_company.values())
