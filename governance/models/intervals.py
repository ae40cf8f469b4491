"""A tenure's certain and possible intervals of days (DESIGN.md, "Dates, and what held on means").

Pure functions of a tenure's facts, so the same rule serves saving a tenure, validating one
that is not saved yet, and rebuilding a past state of the record from history.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from governance.models.partial_date import PartialDate


@dataclass(frozen=True)
class Intervals:
    # Certain: days the person surely held the role. None bounds are open; with
    # has_certain_days False there is no certain day and both bounds are None.
    has_certain_days: bool
    certain_start: datetime.date | None
    certain_end: datetime.date | None
    # Possible: days the person may have held the role. None bounds are open.
    possible_start: datetime.date | None
    possible_end: datetime.date | None

    def certainly_held_on(self, day: datetime.date) -> bool:
        return (
            self.has_certain_days
            and self.certain_start <= day
            and (self.certain_end is None or day <= self.certain_end)
        )

    def possibly_held_on(self, day: datetime.date) -> bool:
        return self.certainly_held_on(day) or (
            (self.possible_start is None or self.possible_start <= day)
            and (self.possible_end is None or day <= self.possible_end)
        )

    def shares_two_days_with(self, other: Intervals) -> bool:
        """Whether the certain intervals share two or more days: the single-seat rule, as
        TenureQuerySet.single_seat_conflicts and the PostgreSQL exclusion constraint state it."""
        if not (self.has_certain_days and other.has_certain_days):
            return False
        for one in (self, other):
            if one.certain_end is not None and one.certain_end <= one.certain_start:
                return False  # a single day shares at most one: a hand-over
        return (self.certain_end is None or other.certain_start < self.certain_end) and (
            other.certain_end is None or self.certain_start < other.certain_end
        )


def derive_intervals(
    start: PartialDate | None,
    end: PartialDate | None,
    ended: bool,
    attested_days: Iterable[datetime.date] = (),
    latest_source_day: datetime.date | None = None,
    founded: PartialDate | None = None,
    successor_certain_start: datetime.date | None = None,
) -> Intervals:
    """
    start, end: the tenure's partial dates (None: unknown).
    ended: True when the tenure is known to have ended (an end, or an end reason).
    latest_source_day: last day of its latest dated source; bounds an end of unknown date.
    founded: the company's founding; nothing is possible before it.
    successor_certain_start: the earliest certain start of a tenure succeeding this one.
    """
    attested = sorted(set(attested_days))

    # The end as a span of days (first, last); None bounds are open.
    if end is not None:
        end_first, end_last = end.first, end.last
    elif ended:
        end_first = start.first if start is not None else None
        end_last = latest_source_day
    else:
        end_first = end_last = None

    certain_days: list[datetime.date] = list(attested)
    certain_open_end = False
    if start is not None:
        if not ended:
            certain_days.append(start.last)
            certain_open_end = True
        elif end_first is not None and start.last <= end_first:
            certain_days += [start.last, end_first]
    elif end is not None and end.precision == end.precision.DAY:
        certain_days.append(end.first)

    if certain_days:
        has_certain_days = True
        certain_start = min(certain_days)
        certain_end = None if certain_open_end else max(certain_days)
    else:
        has_certain_days, certain_start, certain_end = False, None, None

    possible_start = start.first if start is not None else None
    if founded is not None and (possible_start is None or possible_start < founded.first):
        possible_start = founded.first
    possible_end = end_last
    if successor_certain_start is not None and (
        possible_end is None or successor_certain_start < possible_end
    ):
        possible_end = successor_certain_start

    return Intervals(has_certain_days, certain_start, certain_end, possible_start, possible_end)


def latest_evidence(
    attested_days: Iterable[datetime.date], source_dates: Iterable[PartialDate]
) -> PartialDate | None:
    """When the record last saw the tenure held: the latest of its attested days and its
    sources' dates, at the precision the evidence gives (ISO order: a month before its days)."""
    evidence = [PartialDate.from_date(day) for day in attested_days] + list(source_dates)
    return max(evidence, default=None)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month, months earlier (the month's last day where it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))
