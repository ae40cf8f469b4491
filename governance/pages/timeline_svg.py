"""A Chart (governance.pages.timeline) drawn as inline SVG.

Drawn here rather than in a template: a company page's chart is hundreds of shapes, and as
template nodes they took longer than all of the page's queries (6 ms of a 1,000-tenure
company's page, against 1 ms here). Every value is escaped; the markup is fixed text.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from governance.pages.timeline import Bar, Chart, DocumentTick, Lane, TransactionMark

_DEFS = """  <defs>
    <linearGradient id="fade-in" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#fff" stop-opacity="0.9"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></linearGradient>
    <linearGradient id="fade-out" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/></linearGradient>
    <pattern id="presumed" width="8" height="8" patternUnits="userSpaceOnUse"><rect class="presumed-dash" width="5" height="8"/></pattern>
    <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-stripe" width="2.5" height="6"/></pattern>
  </defs>"""  # noqa: E501


def _e(value) -> str:
    return escape(str(value))


def timeline_svg(chart: Chart, label: str) -> SafeString:
    """The chart's <svg> element, named label for screen readers."""
    top, axis_y = chart.lanes_top, chart.axis_y
    out = [
        f'<svg class="timeline" width="100%" height="{chart.height}" role="group" '
        f'aria-label="{_e(label)}" xmlns="http://www.w3.org/2000/svg">',
        _DEFS,
    ]
    for x, _year, labelled, _anchor in chart.years:
        grid = "grid major" if labelled else "grid"
        out.append(f'  <line class="{grid}" x1="{x}%" x2="{x}%" y1="{top}" y2="{axis_y}"/>')
    for tick in chart.documents:
        out.append(
            f'  <line class="document-line" x1="{tick.x}%" x2="{tick.x}%" y1="{top}" y2="{axis_y}"/>'
        )
    today_x = chart.today_x
    out.append(
        f'  <line class="today-line" x1="{today_x}%" x2="{today_x}%" y1="{top}" y2="{axis_y}"/>'
    )
    out.append(
        f'  <text class="marker-label" x="{today_x}%" y="{chart.marker_label_y}" '
        'text-anchor="end">today</text>'
    )
    if chart.on_x is not None:
        on_x = chart.on_x
        out.append(
            f'  <line class="on-line" x1="{on_x}%" x2="{on_x}%" y1="{top - 4}" y2="{axis_y}"/>'
        )
        out.append(
            f'  <text class="marker-label on-label" x="{on_x}%" y="{chart.marker_label_y}" '
            f'text-anchor="middle">{_e(chart.on_label)}</text>'
        )
    for lane in chart.lanes:
        out += _lane(lane)
    if chart.transactions:
        out += _transactions(chart)
    out.append(f'  <line class="axis" x1="0" x2="100%" y1="{axis_y}" y2="{axis_y}"/>')
    for tick in chart.documents:
        out += _document(tick, axis_y)
    for x, year, labelled, anchor in chart.years:
        if labelled:
            out.append(
                f'  <text class="year" x="{x}%" y="{chart.year_label_y}" '
                f'text-anchor="{anchor}">{year}</text>'
            )
    out.append("</svg>")
    return mark_safe("\n".join(out))  # every value above is escaped


def _lane(lane: Lane) -> list[str]:
    title = _e(lane.title)
    out = [
        '  <g class="lane">',
        f'    <line class="lane-rule" x1="0" x2="100%" y1="{lane.y}" y2="{lane.y}"/>',
        f'    <text class="lane-title" x="0" y="{lane.y + 15}"><tspan class="name">{title}</tspan>'
        "</text>",
    ]
    for bar in lane.bars:
        out += _bar(bar, title)
    out.append("  </g>")
    return out


def _bar(bar: Bar, title: str) -> list[str]:
    classes = "bar"
    if bar.on_day:
        classes += f" on-{_e(bar.on_day)}"
    if bar.open_end:
        classes += " current"
    bar_y = bar.bar_y
    out = [
        f'    <a class="{classes}" href="{_e(bar.href)}" '
        f'data-person="{_e(bar.tenure.person.name)}" data-role="{title}">',
        f"      <title>{_e(bar.aria_label)}</title>",
        f'      <rect class="possible" x="{bar.possible_x}%" y="{bar.band_y}" '
        f'width="{bar.possible_width}%" height="6"/>',
    ]
    if bar.start_unknown:
        out.append(
            f'      <svg x="{bar.possible_x}%" overflow="visible"><rect class="fade" x="0" '
            f'y="{bar.band_y}" width="14" height="6" fill="url(#fade-in)"/></svg>'
        )
    if bar.presumed_x is not None:
        out.append(
            f'      <rect class="presumed" x="{bar.presumed_x}%" y="{bar_y + 2}" '
            f'width="{bar.presumed_width}%" height="8" fill="url(#presumed)"/>'
        )
    if bar.certain_x is not None:
        out += _certain(bar)
    for marker in bar.attested:
        out.append(
            f'      <svg x="{marker.x}%" overflow="visible"><path class="attested" '
            f'd="M0,{bar_y - 3} l6,9 l-6,9 l-6,-9 z"><title>{_e(marker.label)}</title></path></svg>'
        )
    out.append(
        f'      <text class="bar-label" x="{bar.label_x}%" y="{bar.label_y}" '
        f'text-anchor="{bar.label_anchor}"><tspan class="name">{_e(bar.label)}</tspan></text>'
    )
    if bar.note_x is not None:
        out.append(
            f'      <text class="end-note" aria-hidden="true" x="{bar.note_x}%" y="{bar.label_y}" '
            f'text-anchor="end">{_e(bar.ended_note)}</text>'
        )
    out.append(f'      <g class="details">{_details(bar.details_lines)}</g>')
    out.append("    </a>")
    return out


def _certain(bar: Bar) -> list[str]:
    """The solid bar and the marks at its ends."""
    bar_y = bar.bar_y
    start, end = bar.certain_x, bar.certain_end_x
    out = [
        f'      <rect class="certain" x="{start}%" y="{bar_y}" width="{bar.certain_width}%" '
        'height="12" rx="2"/>'
    ]
    if bar.certain_width == 0:
        out.append(
            f'      <svg x="{start}%" overflow="visible"><rect class="certain" x="-1.5" '
            f'y="{bar_y}" width="3" height="12"/></svg>'
        )
    if bar.fuzzy_start:
        out.append(
            f'      <svg x="{start}%" overflow="visible"><rect class="fade" x="0" y="{bar_y}" '
            'width="10" height="12" fill="url(#fade-in)"/></svg>'
        )
    if bar.fuzzy_end:
        out.append(
            f'      <svg x="{end}%" overflow="visible"><rect class="fade" x="-10" y="{bar_y}" '
            'width="10" height="12" fill="url(#fade-out)"/></svg>'
        )
    if bar.open_end:
        out.append(
            f'      <svg x="{end}%" overflow="visible"><path class="open-end" '
            f'd="M1,{bar_y - 2} l9,8 l-9,8 z"/></svg>'
        )
    if bar.ended_note and not bar.fuzzy_end:
        out.append(
            f'      <svg x="{end}%" overflow="visible"><rect class="end-cap" x="-1" '
            f'y="{bar_y - 2}" width="2" height="16"/></svg>'
        )
    return out


def _transactions(chart: Chart) -> list[str]:
    y = chart.transactions_y
    out = [
        '  <g class="lane transactions">',
        f'    <line class="lane-rule" x1="0" x2="100%" y1="{y}" y2="{y}"/>',
        f'    <text class="lane-title" x="0" y="{y + 15}">Related-party transactions</text>',
    ]
    for mark in chart.transactions:
        out += _transaction(mark)
    out.append("  </g>")
    return out


def _transaction(mark: TransactionMark) -> list[str]:
    return [
        f'    <a class="mark transaction" href="{_e(mark.href)}">',
        f"      <title>{_e('. '.join(mark.details))}</title>",
        f'      <svg x="{mark.x}%" overflow="visible"><path class="transaction-mark" '
        f'd="M0,{mark.mark_y - 3} l7,9 l-7,9 l-7,-9 z"/></svg>',
        f'      <text class="bar-label" x="{mark.x}%" y="{mark.label_y}" '
        f'text-anchor="{mark.label_anchor}"><tspan class="name">{_e(mark.label)}</tspan></text>',
        f'      <g class="details">{_details(mark.details_lines)}</g>',
        "    </a>",
    ]


def _document(tick: DocumentTick, axis_y: int) -> list[str]:
    return [
        f'  <a class="document" href="{_e(tick.url)}">',
        f"    <title>{_e(tick.title)}</title>",
        f'    <line x1="{tick.x}%" x2="{tick.x}%" y1="{axis_y}" y2="{tick.label_y - 10}"/>',
        f'    <svg x="{tick.x}%" overflow="visible"><path d="M0,{axis_y} l5,-8 l-10,0 z"/></svg>',
        f'    <text x="{tick.label_x}%" y="{tick.label_y}" '
        f'text-anchor="{tick.label_anchor}">{_e(tick.label)}</text>',
        "  </a>",
    ]


def _details(lines: list[tuple[int, str]]) -> str:
    texts = []
    for index, (y, line) in enumerate(lines):
        title = ' class="details-title"' if index == 0 else ""
        texts.append(f'<text x="0" y="{y}"{title}><tspan class="name">{_e(line)}</tspan></text>')
    return "".join(texts)
