"""Pre-aggregated statement counts, kept in step with every change, for fast facets.

The public (not rejected) statements are counted at several grains, each a small
table of (dimensions..., n). Three families:

- statement grains count statements, by some of speaker, country, kind and month;
- topic grains count statements on a topic, by topic and some of the others;
- pair grains count, for a topic, the statements on it that are also on another topic
  (the topic facet of a topic filter), by topic, other topic and some of the others.

facets.summarise() asks for the smallest grain that has every dimension it filters
or groups on (GRAINS is ordered smallest first), so the unfiltered page groups a few
hundred rows, not a million.

The counts are kept exact:
- saving or deleting a Statement, or changing its topics, recounts the cells the
  statement left and entered, inside the same transaction (signals below);
- saving an Article or a Speaker brings its statements' copied date and country up to
  date (Statement.published and Statement.country), then recounts;
- code that writes statements without signals (bulk_create, QuerySet.update(), raw
  SQL) must call statements_changed(ids) afterwards, or statements_changed() (a full
  recount) after a big load or bulk deletes. models.recount() does it for the importer
  and the speaker merge.
"""

import contextlib
import datetime
import threading
import uuid

from django.db import connection, models, transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

# The dimensions a grain may have, as columns of its table.
DIMENSION_FIELDS = {
    "topic": lambda: models.ForeignKey(
        "statements.Topic", on_delete=models.CASCADE, related_name="+"
    ),
    "other": lambda: models.ForeignKey(
        "statements.Topic", on_delete=models.CASCADE, related_name="+"
    ),
    # Not CASCADE: deleting a speaker leaves their statements unattributed, and the
    # signal below moves their counts to "no speaker" in every grain at once.
    "speaker": lambda: models.ForeignKey(
        "statements.Speaker", null=True, on_delete=models.DO_NOTHING, related_name="+"
    ),
    "country": lambda: models.ForeignKey(
        "statements.Country", null=True, on_delete=models.CASCADE, related_name="+"
    ),
    "kind": lambda: models.CharField(max_length=10),
    "month": lambda: models.DateField(null=True),
}
COLUMNS = {
    "topic": "topic_id",
    "other": "other_id",
    "speaker": "speaker_id",
    "country": "country_id",
    "kind": "kind",
    "month": "month",
}


class Grain:
    def __init__(self, family, dims, model):
        self.family, self.dims, self.model = family, frozenset(dims), model
        self.table = model._meta.db_table

    def __repr__(self):
        return f"<Grain {self.table}>"


def _grain_model(name, family, dims):
    """A count table: one row per combination of `dims`, with its count n."""
    attrs = {name: DIMENSION_FIELDS[name]() for name in dims}
    # Not Positive: PostgreSQL checks a CHECK before ON CONFLICT, and _upsert() proposes
    # negative changes.
    attrs["n"] = models.IntegerField()
    indexes = []
    # The filters summarise() narrows a grain by: topic (with speaker), speaker, country.
    if "topic" in dims:
        lead = ["topic"] + [d for d in ("speaker", "country") if d in dims][:1]
        indexes.append(models.Index(fields=lead, name=f"{name.lower()}_topic"[:30]))
    if "speaker" in dims:
        # With the month: a recount reads and rewrites the (speaker, month) slices of
        # the statements it changed, not all of a busy speaker's rows.
        fields = ["speaker", "month"] if "month" in dims else ["speaker"]
        indexes.append(models.Index(fields=fields, name=f"{name.lower()}_speaker"[:30]))
    if "country" in dims:
        indexes.append(
            models.Index(fields=["country"], name=f"{name.lower()}_country"[:30])
        )
    attrs["Meta"] = type("Meta", (), {"indexes": indexes, "app_label": "statements"})
    attrs["__module__"] = __name__
    attrs["__doc__"] = f"Public {family} counts by {', '.join(dims)}."
    attrs["__str__"] = lambda self: f"{self.__class__.__name__} {self.pk}: {self.n}"
    model = type(name, (models.Model,), attrs)
    return Grain(family, dims, model)


# Smallest first within each family; the last of each family has every dimension of
# the family (its finest grain), and the coarser grains are summed from it.
GRAINS = [
    _grain_model("CountKM", "statement", ["kind", "month"]),
    _grain_model("CountCK", "statement", ["country", "kind"]),
    _grain_model("CountSCK", "statement", ["speaker", "country", "kind"]),
    _grain_model("CountCKM", "statement", ["country", "kind", "month"]),
    _grain_model("CountSCKM", "statement", ["speaker", "country", "kind", "month"]),
    _grain_model("TopicCountTK", "topic", ["topic", "kind"]),
    _grain_model("TopicCountTCK", "topic", ["topic", "country", "kind"]),
    _grain_model("TopicCountTKM", "topic", ["topic", "kind", "month"]),
    _grain_model("TopicCountTSCK", "topic", ["topic", "speaker", "country", "kind"]),
    _grain_model("TopicCountTCKM", "topic", ["topic", "country", "kind", "month"]),
    _grain_model(
        "TopicCountTSCKM", "topic", ["topic", "speaker", "country", "kind", "month"]
    ),
    _grain_model("PairCountK", "pair", ["topic", "other", "kind"]),
    _grain_model("PairCountCK", "pair", ["topic", "other", "country", "kind"]),
    _grain_model("PairCountKM", "pair", ["topic", "other", "kind", "month"]),
    _grain_model(
        "PairCountSCK", "pair", ["topic", "other", "speaker", "country", "kind"]
    ),
    _grain_model(
        "PairCountSCKM",
        "pair",
        ["topic", "other", "speaker", "country", "kind", "month"],
    ),
]
for _grain in GRAINS:
    globals()[_grain.model.__name__] = _grain.model
FINEST = {"statement": GRAINS[4], "topic": GRAINS[10], "pair": GRAINS[15]}
DIMENSIONS = ("topic", "other", "speaker", "country", "kind", "month")


def _dims(grain):
    return [d for d in DIMENSIONS if d in grain.dims]


def grain_for(family, dims):
    """The smallest grain of `family` with all of `dims`, or None."""
    dims = set(dims)
    for grain in GRAINS:
        if grain.family == family and dims <= grain.dims:
            return grain
    return None


class DataVersion(models.Model):
    """A token that changes whenever the statements or their counts change (every
    recount bumps it, in the same transaction). Cached facet counts are keyed on it, so
    no process ever serves counts from before a correction."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token


def data_version():
    token = DataVersion.objects.values_list("token", flat=True).first()
    return token or bump_version()


def bump_version():
    token = uuid.uuid4().hex
    if not DataVersion.objects.update(token=token):
        DataVersion.objects.create(token=token)
    return token


# --- Counting -----------------------------------------------------------------------


def _month_sql(column):
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _next_month(month):
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _tables():
    from .models import Statement

    return Statement._meta.db_table, Statement.topics.through._meta.db_table


def _in(column, values):
    """`column IN (...)`, with NULL for a None among the values; and its params."""
    known = sorted(v for v in values if v is not None)
    parts, params = [], []
    if known:
        parts.append(f"{column} IN ({', '.join(['%s'] * len(known))})")
        params += known
    if None in values:
        parts.append(f"{column} IS NULL")
    return f"({' OR '.join(parts) or '1 = 0'})", params


def _condition(restrict, dims, on_statements):
    """SQL limiting rows to `restrict` on the dims a grain has: on the statements `s`
    (months from s.published) or on the grain's own table. `restrict` is a box
    ({dim: values}, every combination of the values) or a list of boxes (any of them)."""
    if isinstance(restrict, dict):
        return _box_condition(restrict, dims, on_statements)
    ors, params = [], []
    for box in restrict:
        where, p = _box_condition(box, dims, on_statements)
        ors.append(f"({' AND '.join(where) or '1 = 1'})")
        params += p
    return [f"({' OR '.join(ors) or '1 = 0'})"], params


def _box_condition(restrict, dims, on_statements):
    where, params = [], []
    for dim in DIMENSIONS:
        if dim not in dims or dim not in restrict:
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


def _select(grain, source):
    """The SELECT list and GROUP BY of `grain`, read from statements or a finer grain."""
    select = []
    for dim in ("topic", "other", "speaker", "country", "kind", "month"):
        if dim not in grain.dims:
            continue
        if source == "finest":
            select.append(COLUMNS[dim])
        elif dim == "topic":
            select.append("t.topic_id")
        elif dim == "other":
            select.append("o.topic_id")
        elif dim == "month":
            select.append(_month_sql("s.published"))
        else:
            select.append(f"s.{COLUMNS[dim]}")
    return select


def _refill(grain, restrict):
    """Delete and count again the rows of `grain` that `restrict` covers."""
    statements, links = _tables()
    columns = [
        COLUMNS[d]
        for d in ("topic", "other", "speaker", "country", "kind", "month")
        if d in grain.dims
    ]
    where, params = _condition(restrict, grain.dims, on_statements=False)
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM {grain.table}"
            + (f" WHERE {' AND '.join(where)}" if where else ""),
            params,
        )
        finest = FINEST.get(grain.family)
        if finest is not None and finest is not grain:
            # Summed from the finest grain of the family, already up to date.
            select = _select(grain, "finest")
            source, count = finest.table, "sum(n)"
        else:
            select = _select(grain, "statements")
            where, params = _condition(restrict, grain.dims, on_statements=True)
            where.insert(0, "s.review_status <> 'rejected'")
            source = f"{statements} s"
            if grain.family in ("topic", "pair"):
                source += f" JOIN {links} t ON t.statement_id = s.id"
            if grain.family == "pair":
                source += f" JOIN {links} o ON o.statement_id = s.id"
            count = "count(*)"
        cur.execute(
            f"INSERT INTO {grain.table} ({', '.join(columns)}, n) "
            f"SELECT {', '.join(select)}, {count} FROM {source}"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + f" GROUP BY {', '.join(select)}",
            params,
        )


def _ordered():
    """The finest grain of each family first: the coarser ones are summed from it."""
    finest = list(FINEST.values())
    return finest + [g for g in GRAINS if g not in finest]


@transaction.atomic
def rebuild():
    """Count everything again (after a bulk load). About a minute at a million."""
    for grain in _ordered():
        _refill(grain, {})
    bump_version()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for grain in GRAINS:
                cur.execute(f"ANALYZE {grain.table}")


UNKNOWN = object()


def _cell(speaker_id, kind, published, country_id=UNKNOWN):
    """The cell a statement counts in: (speaker, country, kind, month)."""
    month = published.replace(day=1) if published else None
    return (speaker_id, country_id, kind, month)


@transaction.atomic
def refresh_cells(cells):
    """Count again the (speaker, country, kind, month) cells, for every grain.

    The finest grain of each family recounts, month by month, every combination of the
    cells' speakers, countries and kinds from the statements (a superset of the cells,
    deleted and refilled by the same condition); the difference it makes is then added
    to the coarser grains. A few queries per grain whatever the number of cells."""
    cells = {c if len(c) == 4 else _cell(*c) for c in cells}
    if not cells:
        return
    waiting = getattr(_deferred, "cells", None)
    if waiting is not None:
        waiting.update(cells)
        return
    # One box per month: the month's speakers and kinds (the country follows the
    # speaker, so it need not narrow the box; a wider box is still exact).
    by_month = {}
    for speaker, _country, kind, month in cells:
        box = by_month.setdefault(
            month, {"speaker": set(), "kind": set(), "month": {month}}
        )
        box["speaker"].add(speaker)
        box["kind"].add(kind)
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
        names = _dims(finest)
        for grain in GRAINS:
            if grain.family == family and grain is not finest:
                positions = [names.index(d) for d in _dims(grain)]
                projected = {}
                for key, d in delta.items():
                    k = tuple(key[i] for i in positions)
                    projected[k] = projected.get(k, 0) + d
                _add(grain, {k: d for k, d in projected.items() if d})
    bump_version()


_deferred = threading.local()


@contextlib.contextmanager
def deferred():
    """Recount once, at the end, for everything written inside the block.

    For bulk jobs such as an import: every recount asked for inside (by the signals,
    models.recount() or statements_changed(ids)) is collected, and the union is
    recounted in one set-based pass when the block ends, even on an error (what was
    committed gets counted). Until then the counts and the data version lag behind
    the statements written in the block, so keep blocks to a batch of articles:

        with cache.deferred():
            for article in batch:
                import_one(article)
    """
    if getattr(_deferred, "cells", None) is not None:
        yield  # already inside a deferred block: the outer one recounts
        return
    _deferred.cells = set()
    try:
        yield
    finally:
        cells, _deferred.cells = _deferred.cells, None
        refresh_cells(cells)


def _rows(grain, restrict):
    """{dimension values: (id, n)} for the rows of `grain` that `restrict` covers."""
    where, params = _condition(restrict, grain.dims, on_statements=False)
    columns = [COLUMNS[d] for d in _dims(grain)]
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, {', '.join(columns)}, n FROM {grain.table}"
            + (f" WHERE {' AND '.join(where)}" if where else ""),
            params,
        )
        return {tuple(row[1:-1]): (row[0], row[-1]) for row in cur.fetchall()}


def _add(grain, delta):
    """Add `delta` ({dimension values: change}) to the counts of `grain`."""
    delta = {k: d for k, d in delta.items() if d}
    if not delta:
        return
    if connection.vendor == "postgresql":
        return _upsert(grain, delta)
    names = _dims(grain)
    # Boxes by speaker, or month, or country: the rows read stay close to those changed.
    lead = next((d for d in ("speaker", "month", "country") if d in names), None)
    groups = {}
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
            # Out of step (written around the signals): count this grain again.
            _refill(grain, {})
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
                f"DELETE FROM {grain.table} WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
        if rows:
            cur.executemany(
                f"INSERT INTO {grain.table} ({', '.join(columns)}, n) "
                f"VALUES ({', '.join(['%s'] * (len(columns) + 1))})",
                rows,
            )


def _upsert(grain, delta):
    """On PostgreSQL: one INSERT ... ON CONFLICT on the grain's unique key (migration
    0009, NULLS NOT DISTINCT) adds the changes; rows that reach 0 are deleted."""
    columns = [COLUMNS[d] for d in _dims(grain)]
    rows = [(*key, d) for key, d in delta.items()]
    placeholders = f"({', '.join(['%s'] * (len(columns) + 1))})"
    with connection.cursor() as cur:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            cur.execute(
                f"INSERT INTO {grain.table} AS g ({', '.join(columns)}, n) VALUES "
                + ", ".join([placeholders] * len(chunk))
                + f" ON CONFLICT ({', '.join(columns)}) DO UPDATE SET n = g.n + EXCLUDED.n"
                " RETURNING id, n",
                [v for row in chunk for v in row],
            )
            results = cur.fetchall()
            if any(n < 0 for _, n in results):
                # Out of step (written around the signals): count this grain again.
                _refill(grain, {})
                return
            zero = [pk for pk, n in results if n == 0]
            if zero:
                cur.execute(f"DELETE FROM {grain.table} WHERE id = ANY(%s)", [zero])


def unique_key_sql(grain):
    """The grain's unique key (PostgreSQL 15), which _upsert() relies on."""
    columns = ", ".join(COLUMNS[d] for d in _dims(grain))
    return (
        f'CREATE UNIQUE INDEX IF NOT EXISTS "{grain.table}_key" ON {grain.table} '
        f"({columns}) NULLS NOT DISTINCT"
    )


def statements_added(statement_ids):
    """Count statements just created without signals (bulk_create), and counted by
    nothing yet, by adding their own rows to every grain: the cost follows the new
    statements, not their speakers' history, so an import into a large archive stays
    fast. Never for statements that existed before (use statements_changed(ids))."""
    ids = sorted(set(statement_ids))
    if not ids:
        return
    if getattr(_deferred, "cells", None) is not None:
        statements_changed(ids)  # a deferred block recounts their cells at its end
        return
    statements, links = _tables()
    with transaction.atomic():
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            for family, finest in FINEST.items():
                select = _select(finest, "statements")
                source = f"{statements} s"
                if family in ("topic", "pair"):
                    source += f" JOIN {links} t ON t.statement_id = s.id"
                if family == "pair":
                    source += f" JOIN {links} o ON o.statement_id = s.id"
                with connection.cursor() as cur:
                    cur.execute(
                        f"SELECT {', '.join(select)}, count(*) FROM {source} "
                        f"WHERE s.review_status <> 'rejected' AND s.id IN "
                        f"({', '.join(['%s'] * len(chunk))}) GROUP BY {', '.join(select)}",
                        chunk,
                    )
                    names = _dims(finest)
                    month = names.index("month")
                    delta = {}
                    for row in cur.fetchall():
                        key = list(row[:-1])
                        if isinstance(key[month], str):  # SQLite's date()
                            key[month] = datetime.date.fromisoformat(key[month])
                        delta[tuple(key)] = row[-1]
                for grain in GRAINS:
                    if grain.family != family:
                        continue
                    positions = [names.index(d) for d in _dims(grain)]
                    projected = {}
                    for key, d in delta.items():
                        k = tuple(key[i] for i in positions)
                        projected[k] = projected.get(k, 0) + d
                    _add(grain, projected)
        bump_version()


def statements_changed(statement_ids=None):
    """Bring the counts in step after statements were written without signals
    (bulk_create, update(), raw SQL): pass their ids, or None after a bulk load.

    Statements deleted in bulk are gone, so their cells cannot be found from their
    ids: call statements_changed() with no ids (a full recount) after such deletes."""
    from .models import Statement

    if statement_ids is None:
        rebuild()
        return
    ids = list(statement_ids)
    cells = set()
    for start in range(0, len(ids), 5000):
        rows = Statement.objects.filter(pk__in=ids[start : start + 5000]).values_list(
            "speaker_id", "kind", "published", "country_id"
        )
        cells.update(_cell(*row) for row in rows)
    refresh_cells(cells)


# --- Signals: every save, delete and topic change through the ORM ------------------


def _cells_of(statements):
    return {_cell(s.speaker_id, s.kind, s.published, s.country_id) for s in statements}


@receiver(pre_save, sender="statements.Statement")
def _remember_old_cell(sender, instance, raw=False, **kwargs):
    instance._old_cell = None
    if raw or instance.pk is None:
        return
    row = (
        sender.objects.filter(pk=instance.pk)
        .values_list("speaker_id", "kind", "published", "country_id")
        .first()
    )
    if row:
        instance._old_cell = _cell(*row)


@receiver(post_save, sender="statements.Statement")
def _statement_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    cells = _cells_of([instance])
    if getattr(instance, "_old_cell", None):
        cells.add(instance._old_cell)
    refresh_cells(cells)


@receiver(post_delete, sender="statements.Statement")
def _statement_deleted(sender, instance, **kwargs):
    refresh_cells(_cells_of([instance]))


@receiver(m2m_changed, sender="statements.Statement_topics")
def _topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from .models import Statement

    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            refresh_cells(_cells_of([instance]))
        return
    if action == "pre_clear":
        # A topic is about to lose all its statements: remember them for post_clear.
        instance._cleared_cells = _cells_of(instance.statements.all())
    elif action == "post_clear":
        refresh_cells(getattr(instance, "_cleared_cells", ()))
    else:
        refresh_cells(_cells_of(Statement.objects.filter(pk__in=pk_set or ())))


@receiver(post_save, sender="statements.Article")
def _article_saved(sender, instance, raw=False, created=False, **kwargs):
    """An article's date is copied onto its statements: keep the copies in step."""
    if raw or created:
        return
    from .models import Statement

    stale = Statement.objects.filter(article=instance)
    if instance.published is None:
        stale = stale.filter(published__isnull=False)
    else:
        stale = stale.filter(
            ~models.Q(published=instance.published) | models.Q(published__isnull=True)
        )
    cells = set()
    for s in stale:
        cells.add(_cell(s.speaker_id, s.kind, s.published, s.country_id))
        cells.add(_cell(s.speaker_id, s.kind, instance.published, s.country_id))
    if cells:
        Statement.objects.filter(article=instance).update(published=instance.published)
        refresh_cells(cells)


@receiver(post_save, sender="statements.Speaker")
def _speaker_saved(sender, instance, raw=False, created=False, **kwargs):
    """A speaker's country is copied onto their statements: keep the copies in step."""
    if raw or created:
        return
    from .models import Statement

    mine = Statement.objects.filter(speaker=instance)
    if instance.country_id is None:
        stale = mine.filter(country__isnull=False)
    else:
        stale = mine.filter(
            ~models.Q(country_id=instance.country_id) | models.Q(country__isnull=True)
        )
    cells = set()
    for kind, published, country_id in stale.values_list(
        "kind", "published", "country_id"
    ).distinct():
        cells.add(_cell(instance.pk, kind, published, country_id))
        cells.add(_cell(instance.pk, kind, published, instance.country_id))
    if cells:
        mine.update(country_id=instance.country_id)
        refresh_cells(cells)


@receiver(pre_delete, sender="statements.Speaker")
def _remember_speaker_cells(sender, instance, **kwargs):
    """Deleting a speaker leaves their statements unattributed: recount those cells."""
    from .models import Statement

    rows = (
        Statement.objects.filter(speaker=instance)
        .values_list("kind", "published", "country_id")
        .distinct()
    )
    instance._orphaned_cells = set()
    for kind, published, country_id in rows:
        instance._orphaned_cells.add(_cell(None, kind, published, country_id))
        instance._orphaned_cells.add(_cell(instance.pk, kind, published, country_id))


@receiver(post_delete, sender="statements.Speaker")
def _speaker_deleted(sender, instance, **kwargs):
    refresh_cells(getattr(instance, "_orphaned_cells", ()))
