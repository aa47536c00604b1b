"""Keyset pagination, newest first: (published desc, id desc), undated statements first.

A page is asked for with `?before=<cursor>` (older) or `?after=<cursor>` (newer),
where a cursor is the last (or first) statement's date and id: `2025-02-17.1234`, or
`none.1234` for an undated one. No OFFSET and no count: one query per page, fetching
one row more than the page to know whether there is another page that way.

The order matches the indexes on Statement (published DESC, id DESC; PostgreSQL
puts NULLs first in a descending index, and we say so to SQLite as well).
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import DateField, ExpressionWrapper, F, Q, Value


class BadCursor(ValueError):
    pass


NEWEST = (F("published").desc(nulls_first=True), F("id").desc())
OLDEST = (F("published").asc(nulls_last=True), F("id").asc())

# The same orders over `published + 0`, which no index serves. For a search with few
# matches, PostgreSQL then fetches the matches through the full-text GIN index and
# sorts them, rather than walking the date index through many rows that do not match
# (its estimate of how soon a page fills is off for rare words and word pairs).
# PostgreSQL only: date + 0 is the same date there, but not on SQLite.
_UNINDEXED_DATE = ExpressionWrapper(F("published") + Value(0), output_field=DateField())
NEWEST_SORTED = (_UNINDEXED_DATE.desc(nulls_first=True), F("id").desc())
OLDEST_SORTED = (_UNINDEXED_DATE.asc(nulls_last=True), F("id").asc())


def make_cursor(statement) -> str:
    day = statement.published.isoformat() if statement.published else "none"
    return f"{day}.{statement.pk}"


# ASCII digits only: str.isdigit() and int() also take "²" and "١٢".
_CURSOR = re.compile(r"(none|[0-9]{4}-[0-9]{2}-[0-9]{2})\.([0-9]{1,19})", re.ASCII)
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}", re.ASCII)


def parse_cursor(value: str):
    m = _CURSOR.fullmatch(value)
    try:
        if not m:
            raise ValueError
        day, pk = m.group(1), int(m.group(2))
        if not 0 < pk < 2**63:
            raise ValueError
        published = None if day == "none" else datetime.date.fromisoformat(day)
    except ValueError:
        raise BadCursor(
            f"“{value}” is not a page cursor; follow the Older and Newer links."
        ) from None
    return published, pk


def _older_than(published, pk):
    """Rows after (published, pk) in NEWEST order."""
    if published is None:
        return Q(published__isnull=True, id__lt=pk) | Q(published__isnull=False)
    return Q(published__lt=published) | Q(published=published, id__lt=pk)


def _newer_than(published, pk):
    """Rows before (published, pk) in NEWEST order."""
    if published is None:
        return Q(published__isnull=True, id__gt=pk)
    return (
        Q(published__isnull=True)
        | Q(published__gt=published)
        | Q(published=published, id__gt=pk)
    )


@dataclass
class Page:
    items: list
    older: str | None  # the cursor for ?before=, when there are older statements
    newer: str | None  # the cursor for ?after=, when there are newer statements
    # Relevance order pages by number instead (?page=): older/newer are page numbers.
    older_param: str = "before"
    newer_param: str = "after"
    older_label: str = "Older →"
    newer_label: str = "← Newer"

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    @property
    def has_other_pages(self):
        return bool(self.older or self.newer)


def paginate(
    queryset,
    size: int,
    *,
    before: str = "",
    after: str = "",
    sort_matches=False,
    ids_first=False,
) -> Page:
    """One page of `queryset`, newest first. Raises BadCursor for a malformed cursor.

    `sort_matches`: the queryset is a search with few matches on PostgreSQL; sort them
    rather than walk the date index (see NEWEST_SORTED).
    `ids_first`: pick the page's ids on the statement table alone, then read those rows
    with their joins (a search: PostgreSQL estimates a full-text match at one row, and
    would join every match to its article and speaker before sorting them)."""
    newest, oldest = (
        (NEWEST_SORTED, OLDEST_SORTED) if sort_matches else (NEWEST, OLDEST)
    )
    if before and after:
        raise BadCursor("Ask for one of “before” and “after”, not both.")
    if after:
        published, pk = parse_cursor(after)
        rows = _rows(
            queryset.filter(_newer_than(published, pk)), oldest, size + 1, ids_first
        )
        more = len(rows) > size
        items = rows[:size][::-1]
        return Page(
            items=items,
            older=make_cursor(items[-1]) if items else None,
            newer=make_cursor(items[0]) if items and more else None,
        )
    qs = queryset
    if before:
        published, pk = parse_cursor(before)
        if published is not None:
            # A plain range the index can seek to, besides the exact condition.
            qs = qs.filter(published__lte=published)
        qs = qs.filter(_older_than(published, pk))
    rows = _rows(qs, newest, size + 1, ids_first)
    more = len(rows) > size
    items = rows[:size]
    return Page(
        items=items,
        older=make_cursor(items[-1]) if items and more else None,
        newer=make_cursor(items[0]) if items and before else None,
    )


MAX_RELEVANCE_PAGES = 40


def parse_page_number(value: str) -> int:
    value = (value or "1").strip()
    if not _PAGE_NUMBER.fullmatch(value) or not 1 <= int(value) <= MAX_RELEVANCE_PAGES:
        raise BadCursor(
            f"“page” must be a whole number from 1 to {MAX_RELEVANCE_PAGES}, not “{value}”."
            " Narrow the search to see more."
        )
    return int(value)


def paginate_by_relevance(queryset, size: int, number: int, order) -> Page:
    """Page `number` of `queryset` in `order` (best match first): an OFFSET, so it is
    capped at MAX_RELEVANCE_PAGES pages; the newest-first order has no cap."""
    start = (number - 1) * size
    rows = list(queryset.order_by(*order)[start : start + size + 1])
    more = len(rows) > size and number < MAX_RELEVANCE_PAGES
    return Page(
        items=rows[:size],
        older=str(number + 1) if more else None,
        newer=str(number - 1) if number > 1 else None,
        older_param="page",
        newer_param="page",
        older_label="Next →",
        newer_label="← Previous",
    )


def _rows(queryset, order, limit: int, ids_first: bool) -> list:
    ordered = queryset.order_by(*order)
    if not ids_first:
        return list(ordered[:limit])
    ids = list(ordered.values_list("pk", flat=True)[:limit])
    by_pk = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]
