"""Small server-rendered SVG charts: statements per month for the current filter."""

import calendar
import datetime
from urllib.parse import urlencode

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, AXIS = 300, 110, 16
TOP_PAD = 14  # room for the peak label
MAX_BAR = 24  # a few months still look like bars, not blocks
MAX_SLOT = 42  # room for a month's label under each of a few months
MAX_MONTHS = 240


def _n(x: float) -> str:
    return f"{x:.1f}"


def _months(first: datetime.date, last: datetime.date):
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield datetime.date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def timeline_svg(timeline, filters=None):
    """A bar per month from the first to the last month with statements, zeros included.

    `timeline` is [(first day of month, n)]; each bar links to the filter for its month.
    """
    counts = {day.replace(day=1): n for day, n in timeline if n}
    if not counts:
        return ""
    months = list(_months(min(counts), max(counts)))
    if len(months) > MAX_MONTHS:  # keep the chart readable: the latest 20 years
        months = months[-MAX_MONTHS:]
    top = max(counts.get(m, 0) for m in months) or 1
    slot = min(WIDTH / len(months), MAX_SLOT)
    left = (WIDTH - slot * len(months)) / 2  # centre a short run of months
    gap = max(min(3.0, slot * 0.2), slot - MAX_BAR)  # bars at most MAX_BAR wide
    plot = HEIGHT - AXIS
    base = [
        (k, v)
        for k, v in (filters.params() if filters else [])
        if k not in ("since", "until")
    ]

    bars = []
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        if not n:
            continue
        label = f"{month:%b %Y}: {n:,} statement{'s' if n != 1 else ''}"
        h = max(1.5, (plot - TOP_PAD) * n / top)
        href = "?" + urlencode(
            [
                *base,
                ("since", month.isoformat()),
                ("until", _month_end(month).isoformat()),
            ]
        )
        bars.append(
            format_html(
                # The link's <title> is its name and its tooltip.
                '<a href="{}" hx-get="{}" id="month-{}"><title>{}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="bar"/></a>',
                href,
                href,
                f"{month:%Y-%m}",
                label,
                _n(left + i * slot + gap / 2),
                _n(plot - h),
                _n(max(slot - gap, 0.5)),
                _n(h),
            )
        )

    if len(months) <= 24:  # a short range reads better with month names
        ticks = [(i, f"{m:%b %y}") for i, m in enumerate(months)]
    else:  # years, where a year starts
        ticks = [(i, str(m.year)) for i, m in enumerate(months) if m.month == 1]
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="axis" text-anchor="middle">{}</text>',
        ((_n(x), HEIGHT - 3, text) for x, text in axis_labels(ticks, left, slot)),
    )
    return format_html(
        '<svg class="timeline" viewBox="0 0 {} {}" role="group" aria-label="{}">'
        '<text x="0" y="10" class="peak" aria-hidden="true">Busiest month: {}</text>'
        '<line x1="0" y1="{}" x2="{}" y2="{}" class="baseline"/>{}'
        '<g aria-hidden="true">{}</g></svg>',
        WIDTH,
        HEIGHT,
        f"Statements per month, {months[0]:%B %Y} to {months[-1]:%B %Y}; the "
        f"busiest month has {top:,}. Each bar shows only its month.",
        f"{top:,} statement{'s' if top != 1 else ''}",
        plot + 0.5,
        WIDTH,
        plot + 0.5,
        mark_safe("".join(bars)),
        labels,
    )


# Axis labels are 10px text: about 5.6 units a character, and a gap between them.
CHAR_WIDTH = 5.6
LABEL_GAP = 6


def label_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def axis_labels(ticks, left, slot):
    """(x, text) of the labels to draw, centred under their bar, from the first, each
    one a label's width and a gap clear of the one before and inside the chart, so
    none overlap whatever the number of months."""
    shown, last_end = [], -LABEL_GAP
    for i, text in ticks:
        half = label_width(text) / 2
        x = min(max(left + (i + 0.5) * slot, half), WIDTH - half)
        if (
            x - half >= last_end + LABEL_GAP
            and abs(x - (left + (i + 0.5) * slot)) <= half
        ):
            shown.append((x, text))
            last_end = x + half
    return shown
