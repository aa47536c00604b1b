"""Small server-rendered SVG charts: statements per month for the current filter."""

import calendar
import datetime
from urllib.parse import urlencode

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, AXIS = 300, 110, 16
TOP_PAD = 14  # room for the peak label
MAX_BAR = 24  # a few months still look like bars, not blocks
MAX_MONTHS = 240


def _n(x: float) -> str:
    return f"{x:.2f}"


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
    slot = min(WIDTH / len(months), MAX_BAR + 4)
    left = (WIDTH - slot * len(months)) / 2  # centre a short run of months
    gap = min(3.0, slot * 0.2)
    plot = HEIGHT - AXIS
    base = [
        (k, v)
        for k, v in (filters.params() if filters else [])
        if k not in ("since", "until")
    ]

    bars = []
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        label = f"{month:%b %Y}: {n:,} statement{'s' if n != 1 else ''}"
        if not n:
            continue
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
                '<a href="{}" hx-get="{}"><rect x="{}" y="{}" width="{}" '
                'height="{}" class="bar"><title>{}</title></rect></a>',
                href,
                href,
                _n(left + i * slot + gap / 2),
                _n(plot - h),
                _n(max(slot - gap, 0.5)),
                _n(h),
                label,
            )
        )

    # Year labels where a year starts, thinned so they never collide.
    years = [(i, m.year) for i, m in enumerate(months) if m.month == 1 or i == 0]
    step = max(1, round(len(years) / 8))
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="axis">{}</text>',
        (
            (_n(left + i * slot), HEIGHT - 3, year)
            for i, year in years[::step]
            if left + i * slot < WIDTH - 26
        ),
    )
    if len(months) <= 24:  # a short range reads better with month names
        labels = format_html_join(
            "",
            '<text x="{}" y="{}" class="axis">{}</text>',
            (
                (_n(left + i * slot), HEIGHT - 3, f"{m:%b %y}")
                for i, m in enumerate(months)
                if i % max(1, round(len(months) / 6)) == 0
                and left + i * slot < WIDTH - 34
            ),
        )
    return format_html(
        '<svg class="timeline" viewBox="0 0 {} {}" role="img" '
        'aria-label="Statements per month, {} to {}; the busiest month has {}.">'
        '<text x="0" y="10" class="peak">Busiest month: {}</text>'
        '<line x1="0" y1="{}" x2="{}" y2="{}" class="baseline"/>{}{}</svg>',
        WIDTH,
        HEIGHT,
        f"{months[0]:%B %Y}",
        f"{months[-1]:%B %Y}",
        f"{top:,}",
        f"{top:,} statement{'s' if top != 1 else ''}",
        plot + 0.5,
        WIDTH,
        plot + 0.5,
        mark_safe("".join(bars)),
        labels,
    )
