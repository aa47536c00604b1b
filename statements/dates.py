"""The range of dates the app accepts: in the browse filters and in imported articles.

A date outside it is a typing slip (0001-01-01, 9999-12-31), and the month arithmetic
of the facets and charts would overflow at the ends of Python's calendar.
"""

import datetime

EARLIEST = datetime.date(1800, 1, 1)
LATEST = datetime.date(2199, 12, 31)
RANGE = f"from {EARLIEST.isoformat()} to {LATEST.isoformat()}"


def in_range(day: datetime.date) -> bool:
    return EARLIEST <= day <= LATEST
