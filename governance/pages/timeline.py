"""Timelines as geometry: the view computes it here, the template draws it as inline SVG.

Horizontal positions are percentages of the chart's width, so one SVG stretches from a phone
to a wide screen without a viewBox squashing its text; vertical positions are pixels. SVG
geometry attributes are not inline styles, so the chart survives a strict CSP, and it needs
no JavaScript: hover or keyboard focus on a bar shows its details through CSS alone.

Honesty rules (DESIGN.md, "Dates"): a bar's solid part is its certain interval, its faint
band the possible one; an end known only to the month or year gets a faded edge, never a
made-up day; an unknown start is drawn as a band fading in from the axis (or the company's
founding), not as a guessed date; a current tenure runs to today with an open end.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from governance.models.partial_date import PartialDate, Precision

# Below this width the chart scrolls sideways; label widths are estimated against it.
MIN_WIDTH_PX = 640
CHAR_PX = 6.6  # an average character of the 12px labels
DETAILS_HEIGHT = 70  # the band at the top where a hovered or focused bar shows its details
LANE_TITLE_HEIGHT = 20
TRACK_HEIGHT = 32
BAR_OFFSET = 16  # from a track's top to its bar; the name sits above the bar
BAR_HEIGHT = 12
AXIS_GAP = 8
ROW_HEIGHT = 16
NOTE_GAP = 2.0  # percent between an end note and the bar's end (13px on the narrowest chart)


def _text_width(text: str) -> float:
    """Estimated width of a 12px label, as a percentage of the narrowest chart."""
    return len(text) * CHAR_PX / MIN_WIDTH_PX * 100


@dataclass(frozen=True)
class Axis:
    start: datetime.date
    end: datetime.date

    def x(self, day: datetime.date) -> float:
        """Where day falls, as a percentage of the width (clamped to the axis)."""
        day = min(max(day, self.start), self.end)
        return round((day - self.start).days / (self.end - self.start).days * 100, 3)

    def years(self) -> list[tuple[float, int, bool, str]]:
        """(x, year, labelled, text-anchor) for each 1 January on the axis; labels thin out
        on long spans, and those at either edge are anchored inside the chart."""
        span = self.end.year - self.start.year
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if span / s <= 10)
        years = []
        for year in range(self.start.year, self.end.year + 1):
            x = self.x(datetime.date(year, 1, 1))
            anchor = "start" if x < 2 else "end" if x > 98 else "middle"
            years.append((x, year, year % step == 0, anchor))
        return years


@dataclass
class Marker:
    x: float
    label: str


@dataclass
class Bar:
    tenure: object
    label: str
    aria_label: str
    details: list[str]
    href: str
    # Faint band: the possible interval. None when it is the same as the certain one.
    possible_x: float
    possible_width: float
    # Solid bar: the certain interval; None when no day is certain.
    certain_x: float | None
    certain_width: float | None
    fuzzy_start: bool  # start known to the month or year only
    fuzzy_end: bool  # end known to the month or year only, or ended at an unknown date
    start_unknown: bool
    open_end: bool  # current: runs to today and on
    # Presumed: no end recorded, and no evidence since the solid bar's end; drawn to today.
    presumed_x: float | None
    presumed_width: float | None
    ended_note: str  # "resigned", drawn at the bar's end when there is room
    attested: list[Marker]
    on_day: str = ""  # "certain" or "possible" on the ?on= day, else ""
    label_x: float = 0
    label_anchor: str = "start"
    note_x: float | None = None
    track: int = 0
    y: int = 0  # top of the bar's track, in px

    @property
    def extent(self) -> tuple[float, float]:
        """The horizontal room the bar and its label take, in percent."""
        left = self.possible_x
        right = self.possible_x + self.possible_width
        width = _text_width(self.label)
        if self.label_anchor == "start":
            right = max(right, self.label_x + width)
        else:
            left = min(left, self.label_x - width)
        return left, right

    @property
    def label_y(self) -> int:
        return self.y + 12

    @property
    def details_lines(self) -> list[tuple[int, str]]:
        """The details shown in the band at the top of the chart, with their baselines."""
        return [(14 + 16 * index, line) for index, line in enumerate(self.details)]

    @property
    def bar_y(self) -> int:
        return self.y + BAR_OFFSET

    @property
    def band_y(self) -> int:
        return self.y + BAR_OFFSET + 3

    @property
    def certain_end_x(self) -> float | None:
        if self.certain_x is None:
            return None
        return self.certain_x + self.certain_width

    @property
    def possible_end_x(self) -> float:
        return self.possible_x + self.possible_width


@dataclass
class Lane:
    title: str
    bars: list[Bar]
    y: int = 0
    height: int = 0


@dataclass
class DocumentTick:
    x: float
    label: str
    title: str
    url: str
    row: int = 0
    label_anchor: str = "start"
    label_x: float = 0
    label_y: int = 0


@dataclass
class TransactionMark:
    """A related-party transaction on its lane: a mark on its date, a label, its details."""

    x: float
    label: str
    details: list[str]
    href: str
    row: int = 0
    label_anchor: str = "start"
    y: int = 0  # top of its row

    @property
    def mark_y(self) -> int:
        return self.y + BAR_OFFSET

    @property
    def label_y(self) -> int:
        return self.y + 12

    @property
    def details_lines(self) -> list[tuple[int, str]]:
        return [(14 + 16 * index, line) for index, line in enumerate(self.details)]


TRANSACTIONS_TITLE = "Related-party transactions"


@dataclass
class Chart:
    axis: Axis
    lanes: list[Lane]
    documents: list[DocumentTick]
    today: datetime.date
    today_x: float
    on_day: datetime.date | None = None
    on_x: float | None = None
    on_label: str = ""
    years: list[tuple[float, int, bool, str]] = field(default_factory=list)
    transactions: list[TransactionMark] = field(default_factory=list)
    transactions_y: int = 0  # the top of their lane, below the roles'
    lanes_top: int = DETAILS_HEIGHT
    axis_y: int = 0
    height: int = 0

    @property
    def marker_label_y(self) -> int:
        """Baseline of the 'today' and ?on= labels, just above the first lane."""
        return self.lanes_top - 6

    @property
    def year_label_y(self) -> int:
        return self.axis_y + 14

    @property
    def documents_y(self) -> int:
        return self.axis_y + 22


def axis_for(days: Iterable[datetime.date | None]) -> Axis:
    """From 1 January of the earliest year to 1 January after the latest day (in year 9999,
    which has no year after it: its last day)."""
    days = [day for day in days if day is not None]
    first, last = min(days), max(days)
    if last.year == datetime.MAXYEAR:
        return Axis(datetime.date(first.year, 1, 1), datetime.date.max)
    return Axis(datetime.date(first.year, 1, 1), datetime.date(last.year + 1, 1, 1))


def _sources_line(tenure) -> str:
    labels = [citation.source.short_label for citation in tenure.citations.all()]
    for attestation in tenure.attestations.all():
        if attestation.source and attestation.source.short_label not in labels:
            labels.append(attestation.source.short_label)
    return "Sources: " + "; ".join(labels) if labels else "No source cited"


def end_notes(tenure) -> list[str]:
    """How a tenure ended: 'resigned', 'succeeded by Marc B. Crossman'."""
    notes = []
    if tenure.end_reason:
        notes.append(tenure.get_end_reason_display().lower())
    for successor in tenure.successors.all():
        notes.append(f"succeeded by {successor.person.name}")
    return notes


def predecessor_note(tenure) -> str:
    """'succeeding Pat Anderson, who resigned', or '' for a tenure that succeeded no one (or
    one the record as it stood did not hold)."""
    predecessor = tenure.predecessor if tenure.predecessor_id else None
    if predecessor is None:
        return ""
    note = f"succeeding {predecessor.person.name}"
    if predecessor.end_reason:
        note += f", who {predecessor.get_end_reason_display().lower()}"
    return note


def succession_notes(tenure) -> list[str]:
    """Everything about the hand-overs at either end of a tenure."""
    notes = end_notes(tenure)
    if note := predecessor_note(tenure):
        notes.append(note)
    return notes


def _bar(tenure, axis: Axis, today: datetime.date, label: str, href: str) -> Bar:
    confirmation = tenure.confirmation(today)
    presumed = confirmation is not None and not confirmation.current
    possible_start = tenure.possible_start or axis.start
    possible_end = tenure.possible_end or today
    certain_x = certain_width = presumed_x = presumed_width = None
    if tenure.has_certain_days:
        certain_start = tenure.certain_start
        certain_end = tenure.certain_end or today
        if presumed:
            # Solid only as far as the evidence goes; presumed from there to today.
            evidence = confirmation.last_confirmed
            last_seen = max(certain_start, evidence.last) if evidence else certain_start
            certain_end = min(tenure.certain_end or last_seen, last_seen)
            presumed_x = axis.x(certain_end)
            presumed_width = max(axis.x(today) - presumed_x, 0)
        certain_x = axis.x(certain_start)
        certain_width = max(axis.x(certain_end) - certain_x, 0)
        possible_start = min(possible_start, certain_start)
        possible_end = max(possible_end, certain_end)
    possible_x = axis.x(possible_start)
    possible_width = max(axis.x(possible_end) - possible_x, 0)

    dates = tenure.dates_display
    notes = succession_notes(tenure)
    if confirmation is not None:
        dates += f" ({confirmation.label})"
    headline = f"{tenure.person.name} — {tenure.title}, {tenure.company.name}"
    details = [headline, ", ".join([dates, *notes]), _sources_line(tenure)]
    if tenure.inferred_fields:
        inferred = "Inferred: " + ", ".join(tenure.inferred_fields)
        details.append(f"{inferred} — {tenure.inferred_note}" if tenure.inferred_note else inferred)
    attested = [
        Marker(
            axis.x(attestation.day),
            f"attested {PartialDate.from_date(attestation.day)}"
            + (f" by {attestation.source.short_label}" if attestation.source else ""),
        )
        for attestation in tenure.attestations.all()
    ]
    return Bar(
        tenure=tenure,
        label=label,
        # The name a screen reader gives the bar starts with its visible label.
        aria_label=f"{label}: {headline}, " + ", ".join([dates, *notes])
        if label != tenure.person.name
        else f"{headline}: " + ", ".join([dates, *notes]),
        details=details,
        href=href,
        possible_x=possible_x,
        possible_width=possible_width,
        certain_x=certain_x,
        certain_width=certain_width,
        fuzzy_start=tenure.start is not None and tenure.start.precision < Precision.DAY,
        fuzzy_end=(tenure.end is not None and tenure.end.precision < Precision.DAY)
        or (tenure.end is None and tenure.ended),
        start_unknown=tenure.start is None,
        open_end=confirmation is not None and confirmation.current and tenure.is_current,
        presumed_x=presumed_x,
        presumed_width=presumed_width,
        ended_note=tenure.get_end_reason_display().lower() if tenure.end_reason else "",
        attested=attested,
    )


def _place_label(bar: Bar) -> None:
    left = bar.certain_x if bar.certain_x is not None else bar.possible_x
    width = _text_width(bar.label)
    if left + width > 100:
        bar.label_anchor, bar.label_x = "end", min(bar.possible_end_x, 100)
    else:
        bar.label_anchor, bar.label_x = "start", left
    # The end reason goes at the bar's end, on the label's line, only where it fits; it stops
    # short of the end, where a successor's name on the same track begins ("resigned" then
    # "Marc B. Crossman", never "resignedMarc B. Crossman").
    if bar.ended_note and bar.label_anchor == "start":
        note_end = bar.possible_end_x - NOTE_GAP
        note_width = _text_width(bar.ended_note) + 1
        if bar.label_x + width + note_width < note_end:
            bar.note_x = note_end


def pack_rows(spans: Sequence[tuple[float, float]], gap: float) -> list[int]:
    """Greedy rows for (left, right) spans taken in the order given, so that within a row each
    starts at least gap after the one before ends; the row of each span."""
    row_ends: list[float] = []
    rows = []
    for left, right in spans:
        row = next((i for i, end in enumerate(row_ends) if left >= end + gap), len(row_ends))
        if row == len(row_ends):
            row_ends.append(right)
        row_ends[row] = right
        rows.append(row)
    return rows


def _assign_tracks(bars: list[Bar]) -> int:
    """Rows so that no two bars (with their labels) overlap; returns the row count.

    Bars that only touch share a row, so a hand-over (Anderson to Crossman) reads as one line.
    """
    ordered = sorted(bars, key=lambda b: b.extent[0])
    for bar, row in zip(ordered, pack_rows([b.extent for b in ordered], -0.001), strict=True):
        bar.track = row
    return max((bar.track + 1 for bar in bars), default=1)


def _document_ticks(documents: Sequence, axis: Axis) -> list[DocumentTick]:
    """A tick per dated document, its label in the first row where it clears the others."""
    ticks, spans = [], []
    for source in sorted(documents, key=lambda s: s.date):
        x = axis.x(source.date.first)
        tick = DocumentTick(
            x=x, label=source.short_label, title=source.title, url=source.get_absolute_url()
        )
        width = _text_width(tick.label)
        tick.label_x = x
        if x + width > 100:
            tick.label_anchor = "end"
            spans.append((x - width, x))
        else:
            spans.append((x, x + width))
        ticks.append(tick)
    for tick, row in zip(ticks, pack_rows(spans, 1), strict=True):
        tick.row = row
    return ticks


def _axis_days(tenures, documents, today, on_day, founded) -> list[datetime.date | None]:
    days = [today, on_day, founded.first if founded else None]
    for tenure in tenures:
        days += [tenure.possible_start, tenure.certain_start, tenure.certain_end]
        days += [tenure.possible_end, tenure.start.first if tenure.start else None]
    return days + [source.date.first for source in documents]


def _lane(title: str, tenures, y: int, bar_for: Callable[[object], Bar]) -> Lane:
    """A lane of bars at y, its bars on as many tracks as they need."""
    bars = [bar_for(tenure) for tenure in tenures]
    tracks = _assign_tracks(bars)
    for bar in bars:
        bar.y = y + LANE_TITLE_HEIGHT + bar.track * TRACK_HEIGHT
    lane = Lane(title=title, bars=sorted(bars, key=lambda b: (b.track, b.possible_x)), y=y)
    lane.height = LANE_TITLE_HEIGHT + tracks * TRACK_HEIGHT
    return lane


def _transaction_marks(stories: Sequence, axis: Axis, y: int) -> tuple[list, int]:
    """Marks for dated transactions in rows below y, labels clear of each other; the height."""
    marks, spans = [], []
    for story in sorted(stories, key=lambda s: s.transaction.date):
        tx = story.transaction
        x = axis.x(tx.date.first)
        label = " ".join(
            part for part in [tx.amount_display, tx.instrument or tx.kind_label] if part
        )
        mark = TransactionMark(x, label, story.details, f"#transaction-{tx.pk}")
        width = _text_width(label) + 2
        if x + width > 100:
            mark.label_anchor = "end"
            spans.append((x - width, x))
        else:
            spans.append((x, x + width))
        marks.append(mark)
    for mark, row in zip(marks, pack_rows(spans, 1), strict=True):
        mark.row, mark.y = row, y + LANE_TITLE_HEIGHT + row * TRACK_HEIGHT
    rows = max((mark.row + 1 for mark in marks), default=0)
    return marks, (LANE_TITLE_HEIGHT + rows * TRACK_HEIGHT if marks else 0)


def build_chart(
    lanes: Sequence[tuple[str, Sequence]],
    *,
    today: datetime.date,
    label: Callable[[object], str],
    documents: Sequence = (),
    transactions: Sequence = (),
    on_day: datetime.date | None = None,
    certain_on_day: Iterable[int] = (),
    possible_on_day: Iterable[int] = (),
    founded: PartialDate | None = None,
) -> Chart | None:
    """A chart of lanes, each (title, tenures), over an axis that takes in every known day,
    with a lane of related-party transactions (TransactionStory) below them.

    label(tenure) names a bar: the person on a company's chart, the dates on a person's.
    certain_on_day, possible_on_day: ids of the tenures held, or possibly held, on on_day.
    """
    tenures = [tenure for _, lane_tenures in lanes for tenure in lane_tenures]
    if not tenures:
        return None
    documents = [source for source in documents if source.date is not None]
    transactions = [story for story in transactions if story.transaction.date is not None]
    days = _axis_days(tenures, documents, today, on_day, founded)
    axis = axis_for(days + [story.transaction.date.first for story in transactions])

    certain_on_day, possible_on_day = set(certain_on_day), set(possible_on_day)
    chart = Chart(
        axis=axis,
        lanes=[],
        documents=_document_ticks(documents, axis),
        today=today,
        today_x=axis.x(today),
        years=axis.years(),
    )
    if on_day is not None:
        chart.on_day, chart.on_x = on_day, axis.x(on_day)
        chart.on_label = PartialDate.from_date(on_day).display()

    def bar_for(tenure) -> Bar:
        bar = _bar(tenure, axis, today, label(tenure), f"#tenure-{tenure.pk}")
        if tenure.pk in certain_on_day:
            bar.on_day = "certain"
        elif tenure.pk in possible_on_day:
            bar.on_day = "possible"
        _place_label(bar)
        return bar

    y = DETAILS_HEIGHT
    for title, lane_tenures in lanes:
        lane = _lane(title, lane_tenures, y, bar_for)
        y += lane.height
        chart.lanes.append(lane)
    chart.transactions_y = y
    chart.transactions, height = _transaction_marks(transactions, axis, y)
    y += height
    chart.axis_y = y + AXIS_GAP
    for tick in chart.documents:
        tick.label_y = chart.documents_y + tick.row * ROW_HEIGHT + 12
    document_rows = max((tick.row + 1 for tick in chart.documents), default=0)
    chart.height = chart.documents_y + document_rows * ROW_HEIGHT + 18
    return chart
