"""The SQL that keeps the count tables (statements/count_tables.py) exact.

Nothing here runs by itself: the write functions of statements/corrections.py call it,
inside their own transaction, once per call whatever the number of statements:

- added(ids): statements just created and counted by nothing yet; their own rows are
  added to every grain, so the cost follows the new statements, not the archive;
- recount(cells): (speaker, country, kind, month) cells whose statements changed; the
  finest grain of each family counts those cells again from the statements, and the
  difference goes to the coarser grains;
- rebuild(): everything again, after a bulk load.

Each of them bumps the data version (count_tables.DataVersion) in the same transaction,
so no cache keyed on it can serve counts from before the change.

A count that would go negative means something wrote statements around these functions.
It raises CountsOutOfStep (logged) where settings.COUNTS_STRICT is true, as in the tests;
elsewhere it is logged as an error and that grain is counted again from the statements.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .count_tables import FINEST, GRAINS, DataVersion
from .models import Statement

log = logging.getLogger(__name__)

DIMENSIONS = ("topic", "other", "speaker", "country", "kind", "month")
COLUMNS = {
    "topic": "topic_id",
    "other": "other_id",
    "speaker": "speaker_id",
    "country": "country_id",
    "kind": "kind",
    "month": "month",
}
# PostgreSQL advisory lock keys (any constant; "wsw" and a number). A recount deletes
# and refills rows, which must not interleave with another transaction's additions to
# the same rows: recounts take the lock alone, additions share it.
COUNTS_LOCK = 0x77737701


class CountsOutOfStep(RuntimeError):
    """A count would go negative: statements were written around the write path."""


class Cell(NamedTuple):
    """Where a statement counts: its speaker, country, kind and month."""

    speaker_id: int | None
    country_id: int | None
    kind: str
    month: datetime.date | None


def cell(speaker_id, country_id, kind, published) -> Cell:
    month = published.replace(day=1) if published else None
    return Cell(speaker_id, country_id, kind, month)


def cells_of(statements) -> set[Cell]:
    """The cells of these statements (instances with their copied columns set)."""
    return {cell(s.speaker_id, s.country_id, s.kind, s.published) for s in statements}


def dims(grain) -> list[str]:
    return [d for d in DIMENSIONS if d in grain.dims]


def table(grain) -> str:
    return grain._meta.db_table


def grain_for(family: str, wanted) -> type | None:
    """The smallest grain of `family` with all of `wanted` dimensions, or None."""
    wanted = set(wanted)
    for grain in GRAINS:
        if grain.family == family and wanted <= set(grain.dims):
            return grain
    return None


# --- The data version --------------------------------------------------------------


def data_version() -> str:
    return data_version_and_time()[0]


def data_version_and_time() -> tuple[str, datetime.datetime]:
    """The token and when it last changed, in one query."""
    row = DataVersion.objects.values_list("token", "changed_at").first()
    if row is None or row[1] is None:
        token = bump_version()
        return token, DataVersion.objects.get(pk=1).changed_at
    return row


def bump_version() -> str:
    """A new token, in the caller's transaction. One row (pk 1), created on first use
    by an upsert, so two first writers cannot make two rows."""
    token = uuid.uuid4().hex
    DataVersion.objects.bulk_create(
        [DataVersion(pk=1, token=token, changed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["token", "changed_at"],
    )
    return token


# --- Locks ---------------------------------------------------------------------------


def _lock(shared: bool) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time anyway
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cur:
        cur.execute(f"SELECT {function}(%s)", [COUNTS_LOCK])


# --- SQL pieces ----------------------------------------------------------------------


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _tables() -> tuple[str, str]:
    return Statement._meta.db_table, Statement.topics.through._meta.db_table


def _in(column: str, values) -> tuple[str, list]:
    """`column IN (...)`, with NULL for a None among the values; and its params."""
    known = sorted(v for v in values if v is not None)
    parts, params = [], []
    if known:
        parts.append(f"{column} IN ({', '.join(['%s'] * len(known))})")
        params += known
    if None in values:
        parts.append(f"{column} IS NULL")
    return f"({' OR '.join(parts) or '1 = 0'})", params


def _condition(restrict, grain_dims, on_statements: bool) -> tuple[list[str], list]:
    """SQL limiting rows to `restrict` on the dims a grain has: on the statements `s`
    (months from s.published) or on the grain's own table. `restrict` is a box
    ({dim: values}, every combination of the values) or a list of boxes (any of them)."""
    if isinstance(restrict, dict):
        return _box_condition(restrict, grain_dims, on_statements)
    ors, params = [], []
    for box in restrict:
        where, p = _box_condition(box, grain_dims, on_statements)
        ors.append(f"({' AND '.join(where) or '1 = 1'})")
        params += p
    return [f"({' OR '.join(ors) or '1 = 0'})"], params


def _box_condition(restrict, grain_dims, on_statements):
    where, params = [], []
    for dim in DIMENSIONS:
        if dim not in grain_dims or dim not in restrict:
            continue
        values = restrict[dim]
        if dim == "month" and on_statements:
            dated = sorted(v for v in values if v is not None)
            parts = []
            if dated:
                parts.append(
                    f"(s.published >= %s AND s.published < %s AND "
                    f"{_month_sql('s.published')} IN ({', '.join(['%s'] * len(dated))}))"
                )
                params += [dated[0], _next_month(dated[-1]), *dated]
            if None in values:
                parts.append("s.published IS NULL")
            where.append(f"({' OR '.join(parts) or '1 = 0'})")
            continue
        column = f"s.{COLUMNS[dim]}" if on_statements else COLUMNS[dim]
        sql, p = _in(column, values)
        where.append(sql)
        params += p
    return where, params


def _select_from_statements(grain) -> list[str]:
    """The SELECT list (and GROUP BY) of `grain`, counted from the statements `s` and
    their topic links `t` (and `o`, the other topic of a pair)."""
    select = []
    for dim in dims(grain):
        if dim == "topic":
            select.append("t.topic_id")
        elif dim == "other":
            select.append("o.topic_id")
        elif dim == "month":
            select.append(_month_sql("s.published"))
        else:
            select.append(f"s.{COLUMNS[dim]}")
    return select


def _source(family: str) -> str:
    statements, links = _tables()
    source = f"{statements} s"
    if family in ("topic", "pair"):
        source += f" JOIN {links} t ON t.statement_id = s.id"
    if family == "pair":
        source += f" JOIN {links} o ON o.statement_id = s.id"
    return source


def _refill(grain, restrict) -> None:
    """Delete and count again the rows of `grain` that `restrict` covers: the finest
    grain of a family from the statements, the others from the finest (already done)."""
    columns = [COLUMNS[d] for d in dims(grain)]
    where, params = _condition(restrict, grain.dims, on_statements=False)
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM {table(grain)}"
            + (f" WHERE {' AND '.join(where)}" if where else ""),
            params,
        )
        finest = FINEST[grain.family]
        if finest is not grain:
            select, count, source = columns, "sum(n)", table(finest)
        else:
            select, count = _select_from_statements(grain), "count(*)"
            where, params = _condition(restrict, grain.dims, on_statements=True)
            where.insert(0, "s.review_status <> 'rejected'")
            source = _source(grain.family)
        cur.execute(
            f"INSERT INTO {table(grain)} ({', '.join(columns)}, n) "
            f"SELECT {', '.join(select)}, {count} FROM {source}"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + f" GROUP BY {', '.join(select)}",
            params,
        )


def _rows(grain, restrict) -> dict:
    """{dimension values: (id, n)} for the rows of `grain` that `restrict` covers."""
    where, params = _condition(restrict, grain.dims, on_statements=False)
    columns = [COLUMNS[d] for d in dims(grain)]
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, {', '.join(columns)}, n FROM {table(grain)}"
            + (f" WHERE {' AND '.join(where)}" if where else ""),
            params,
        )
        return {tuple(row[1:-1]): (row[0], row[-1]) for row in cur.fetchall()}


def _project(delta: dict, family_dims: list[str], grain) -> dict:
    """The changes of the finest grain summed onto a coarser `grain`'s dimensions."""
    positions = [family_dims.index(d) for d in dims(grain)]
    projected: dict = {}
    for key, d in delta.items():
        k = tuple(key[i] for i in positions)
        projected[k] = projected.get(k, 0) + d
    return {k: d for k, d in projected.items() if d}


def _out_of_step(grain, key, n) -> None:
    message = (
        f"count table {table(grain)} would go negative at {key} ({n}): statements "
        "were written around statements/corrections.py"
    )
    log.error(message)
    if getattr(settings, "COUNTS_STRICT", False):
        raise CountsOutOfStep(message)
    _refill(grain, {})


def _add(grain, delta: dict) -> None:
    """Add `delta` ({dimension values: change}) to the counts of `grain`."""
    delta = {k: d for k, d in delta.items() if d}
    if not delta:
        return
    if connection.vendor == "postgresql":
        _upsert(grain, delta)
        return
    names = dims(grain)
    # Boxes by speaker, or month, or country: the rows read stay close to those changed.
    lead = next((d for d in ("speaker", "month", "country") if d in names), None)
    groups: dict = {}
    for key in delta:
        groups.setdefault(key[names.index(lead)] if lead else None, []).append(key)
    restrict = [
        {name: {key[i] for key in keys} for i, name in enumerate(names)}
        for keys in groups.values()
    ]
    current = _rows(grain, restrict)
    gone, rows = [], []
    for key, d in delta.items():
        pk, n = current.get(key, (None, 0))
        if n + d < 0:
            _out_of_step(grain, key, n + d)
            return
        if pk is not None:
            gone.append(pk)
        if n + d:
            rows.append((*key, n + d))
    columns = [COLUMNS[d] for d in names]
    with connection.cursor() as cur:
        for start in range(0, len(gone), 500):
            chunk = gone[start : start + 500]
            cur.execute(
                f"DELETE FROM {table(grain)} WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
        if rows:
            cur.executemany(
                f"INSERT INTO {table(grain)} ({', '.join(columns)}, n) "
                f"VALUES ({', '.join(['%s'] * (len(columns) + 1))})",
                rows,
            )


def _sort_key(key):
    return tuple((v is None, v if v is not None else 0) for v in key)


def _upsert(grain, delta: dict) -> None:
    """On PostgreSQL: INSERT ... ON CONFLICT on the grain's unique key (migration 0004,
    NULLS NOT DISTINCT) adds the changes; rows that reach 0 are deleted. Rows go in key
    order, so two transactions adding to the same rows lock them in the same order."""
    columns = [COLUMNS[d] for d in dims(grain)]
    rows = [(*key, delta[key]) for key in sorted(delta, key=_sort_key)]
    placeholders = f"({', '.join(['%s'] * (len(columns) + 1))})"
    with connection.cursor() as cur:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            cur.execute(
                f"INSERT INTO {table(grain)} AS g ({', '.join(columns)}, n) VALUES "
                + ", ".join([placeholders] * len(chunk))
                + f" ON CONFLICT ({', '.join(columns)}) DO UPDATE SET n = g.n + EXCLUDED.n"
                " RETURNING id, n",
                [v for row in chunk for v in row],
            )
            results = cur.fetchall()
            negative = [n for _, n in results if n < 0]
            if negative:
                _out_of_step(grain, "a changed row", negative[0])
                return
            zero = [pk for pk, n in results if n == 0]
            if zero:
                cur.execute(f"DELETE FROM {table(grain)} WHERE id = ANY(%s)", [zero])


# --- The three entry points -----------------------------------------------------------


@transaction.atomic
def rebuild() -> None:
    """Count everything again (after a bulk load). About a minute at a million."""
    _lock(shared=False)
    finest = list(FINEST.values())
    for grain in finest + [g for g in GRAINS if g not in finest]:
        _refill(grain, {})
    bump_version()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for grain in GRAINS:
                cur.execute(f"ANALYZE {table(grain)}")


@transaction.atomic
def recount(cells) -> None:
    """Count again the (speaker, country, kind, month) cells, for every grain.

    The finest grain of each family recounts, month by month, every combination of the
    cells' speakers and kinds from the statements (a superset of the cells, deleted and
    refilled by the same condition); the difference it makes is then added to the
    coarser grains. A few queries per grain whatever the number of cells."""
    cells = set(cells)
    if not cells:
        return
    _lock(shared=False)
    # One box per month: the month's speakers and kinds (the country follows the
    # speaker, so it need not narrow the box; a wider box is still exact).
    by_month: dict = {}
    for c in cells:
        box = by_month.setdefault(
            c.month, {"speaker": set(), "kind": set(), "month": {c.month}}
        )
        box["speaker"].add(c.speaker_id)
        box["kind"].add(c.kind)
    restrict = list(by_month.values())
    for family, finest in FINEST.items():
        before = _rows(finest, restrict)
        _refill(finest, restrict)
        after = _rows(finest, restrict)
        delta = {
            key: after.get(key, (None, 0))[1] - before.get(key, (None, 0))[1]
            for key in before.keys() | after.keys()
        }
        delta = {key: d for key, d in delta.items() if d}
        if not delta:
            continue
        for grain in GRAINS:
            if grain.family == family and grain is not finest:
                _add(grain, _project(delta, dims(finest), grain))
    bump_version()


@transaction.atomic
def added(statement_ids) -> None:
    """Count statements just created (bulk_create) and counted by nothing yet, by adding
    their own rows to every grain: the cost follows the new statements, not their
    speakers' history, so an import into a large archive stays fast. Never for
    statements that existed before: recount their cells instead."""
    ids = sorted(set(statement_ids))
    if not ids:
        return
    _lock(shared=True)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for family, finest in FINEST.items():
            select = _select_from_statements(finest)
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT {', '.join(select)}, count(*) FROM {_source(family)} "
                    f"WHERE s.review_status <> 'rejected' AND s.id IN "
                    f"({', '.join(['%s'] * len(chunk))}) GROUP BY {', '.join(select)}",
                    chunk,
                )
                names = dims(finest)
                month = names.index("month")
                delta = {}
                for row in cur.fetchall():
                    key = list(row[:-1])
                    if isinstance(key[month], str):  # SQLite's date()
                        key[month] = datetime.date.fromisoformat(key[month])
                    delta[tuple(key)] = row[-1]
            for grain in GRAINS:
                if grain.family == family:
                    _add(grain, _project(delta, names, grain))
    bump_version()
