"""Pre-aggregated statement counts, kept in step with every change, for fast facets.

Two tables count the public (not rejected) statements by cell:

- StatementCount: (speaker, country, kind, month) -> statements
- TopicCount: (topic, speaker, country, kind, month) -> statements on that topic

summarise() (statements/facets.py) reads them instead of grouping a million rows
whenever the filter is made of speakers, countries, kinds, one topic and whole months.

They are kept exact:
- saving or deleting a Statement, or changing its topics, recounts the cells the
  statement left and entered, inside the same transaction (signals below);
- saving an Article or a Speaker brings its statements' copied date and country up to
  date first (Statement.published and Statement.country), then recounts;
- code that writes statements in bulk (bulk_create, QuerySet.update(), raw SQL), which
  sends no signals, must call statements_changed(ids) afterwards, or rebuild() for a
  big load. The importer does, through statements_changed().
"""

import datetime

from django.db import connection, models, transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

# More cells than this in one change: recount everything instead.
REBUILD_OVER = 2000


class StatementCount(models.Model):
    """Public statements per (speaker, country, kind, month). Rebuilt, never edited."""

    speaker = models.ForeignKey(
        "statements.Speaker", null=True, on_delete=models.CASCADE, related_name="+"
    )
    country = models.ForeignKey(
        "statements.Country", null=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10)
    month = models.DateField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # summarise() with a speaker filter, and the recount of a speaker's cells.
            models.Index(fields=["speaker", "kind", "month"], name="stcount_speaker"),
            # summarise() with a country filter.
            models.Index(fields=["country", "speaker"], name="stcount_country"),
        ]

    def __str__(self):
        return f"{self.speaker_id}/{self.kind}/{self.month}: {self.n}"


class TopicCount(models.Model):
    """Public statements on a topic per (topic, speaker, country, kind, month)."""

    topic = models.ForeignKey(
        "statements.Topic", on_delete=models.CASCADE, related_name="+"
    )
    speaker = models.ForeignKey(
        "statements.Speaker", null=True, on_delete=models.CASCADE, related_name="+"
    )
    country = models.ForeignKey(
        "statements.Country", null=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10)
    month = models.DateField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # summarise() with a topic filter.
            models.Index(fields=["topic", "speaker"], name="topiccount_topic"),
            # summarise() with a speaker filter, and the recount of a speaker's cells.
            models.Index(
                fields=["speaker", "kind", "month"], name="topiccount_speaker"
            ),
            # summarise() with a country filter.
            models.Index(fields=["country", "topic"], name="topiccount_country"),
        ]

    def __str__(self):
        return f"{self.topic_id}/{self.speaker_id}/{self.kind}/{self.month}: {self.n}"


def _month_sql(column):
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _statement_table():
    from .models import Statement

    return Statement._meta.db_table, Statement.topics.through._meta.db_table


def _refill(where="", params=()):
    """Recount the cells matched by `where` (SQL on the statement table `s`)."""
    statements, links = _statement_table()
    month = _month_sql("s.published")
    cond = f"s.review_status <> 'rejected'{' AND ' + where if where else ''}"
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {StatementCount._meta.db_table} (speaker_id, country_id, kind, month, n)
            SELECT s.speaker_id, s.country_id, s.kind, {month}, count(*)
            FROM {statements} s WHERE {cond}
            GROUP BY s.speaker_id, s.country_id, s.kind, {month}
            """,
            params,
        )
        cur.execute(
            f"""
            INSERT INTO {TopicCount._meta.db_table} (topic_id, speaker_id, country_id, kind, month, n)
            SELECT t.topic_id, s.speaker_id, s.country_id, s.kind, {month}, count(*)
            FROM {statements} s JOIN {links} t ON t.statement_id = s.id WHERE {cond}
            GROUP BY t.topic_id, s.speaker_id, s.country_id, s.kind, {month}
            """,
            params,
        )


@transaction.atomic
def rebuild():
    """Recount everything (after a bulk load). Seconds at a million statements."""
    StatementCount.objects.all().delete()
    TopicCount.objects.all().delete()
    _refill()


def _next_month(month):
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _cell(speaker_id, kind, published):
    month = published.replace(day=1) if published else None
    return (speaker_id, kind, month)


@transaction.atomic
def refresh_cells(cells):
    """Recount these (speaker_id, kind, month) cells, with every country and topic."""
    cells = set(cells)
    if not cells:
        return
    if len(cells) > REBUILD_OVER:
        rebuild()
        return
    for speaker_id, kind, month in cells:
        lookup = {"speaker_id": speaker_id, "kind": kind, "month": month}
        StatementCount.objects.filter(**lookup).delete()
        TopicCount.objects.filter(**lookup).delete()
        where, params = ["s.kind = %s"], [kind]
        if speaker_id is None:
            where.append("s.speaker_id IS NULL")
        else:
            where.append("s.speaker_id = %s")
            params.append(speaker_id)
        if month is None:
            where.append("s.published IS NULL")
        else:
            where.append("s.published >= %s AND s.published < %s")
            params += [month, _next_month(month)]
        _refill(" AND ".join(where), params)


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
            "speaker_id", "kind", "published"
        )
        cells.update(_cell(*row) for row in rows)
    refresh_cells(cells)


# --- Signals: every save, delete and topic change through the ORM ------------------


@receiver(pre_save, sender="statements.Statement")
def _remember_old_cell(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._old_cell = None
        return
    row = (
        sender.objects.filter(pk=instance.pk)
        .values_list("speaker_id", "kind", "published")
        .first()
    )
    instance._old_cell = _cell(*row) if row else None


@receiver(post_save, sender="statements.Statement")
def _statement_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    cells = {_cell(instance.speaker_id, instance.kind, instance.published)}
    if getattr(instance, "_old_cell", None):
        cells.add(instance._old_cell)
    refresh_cells(cells)


@receiver(post_delete, sender="statements.Statement")
def _statement_deleted(sender, instance, **kwargs):
    refresh_cells({_cell(instance.speaker_id, instance.kind, instance.published)})


@receiver(m2m_changed, sender="statements.Statement_topics")
def _topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    from .models import Statement

    if not reverse:
        if action == "pre_clear":
            return
        statements = [instance]
    elif action == "pre_clear":
        # A topic's statements are about to lose it: remember them for post_clear.
        instance._cleared_statements = list(instance.statements.all())
        return
    elif action == "post_clear":
        statements = getattr(instance, "_cleared_statements", [])
    else:
        statements = Statement.objects.filter(pk__in=pk_set or ())
    refresh_cells(_cell(s.speaker_id, s.kind, s.published) for s in statements)


@receiver(post_save, sender="statements.Article")
def _article_saved(sender, instance, raw=False, created=False, **kwargs):
    """An article's date is copied onto its statements: keep the copies in step."""
    if raw or created:
        return
    from .models import Statement

    stale = Statement.objects.filter(article=instance).exclude(
        published=instance.published
    )
    if instance.published is None:
        stale = Statement.objects.filter(article=instance, published__isnull=False)
    cells = set()
    for row in stale.values_list("speaker_id", "kind", "published"):
        cells.add(_cell(*row))
        cells.add(_cell(row[0], row[1], instance.published))
    if cells:
        stale.update(published=instance.published)
        refresh_cells(cells)


@receiver(post_save, sender="statements.Speaker")
def _speaker_saved(sender, instance, raw=False, created=False, **kwargs):
    """A speaker's country is copied onto their statements: keep the copies in step."""
    if raw or created:
        return
    from .models import Statement

    stale = Statement.objects.filter(speaker=instance).exclude(
        country_id=instance.country_id
    )
    if instance.country_id is None:
        stale = Statement.objects.filter(speaker=instance, country__isnull=False)
    cells = {
        _cell(*row) for row in stale.values_list("speaker_id", "kind", "published")
    }
    if cells:
        stale.update(country_id=instance.country_id)
        refresh_cells(cells)


@receiver(pre_delete, sender="statements.Speaker")
def _remember_speaker_cells(sender, instance, **kwargs):
    """Deleting a speaker leaves their statements unattributed: recount those cells."""
    from .models import Statement

    rows = Statement.objects.filter(speaker=instance).values_list("kind", "published")
    instance._orphaned_cells = {
        _cell(None, kind, published) for kind, published in rows
    }


@receiver(post_delete, sender="statements.Speaker")
def _speaker_deleted(sender, instance, **kwargs):
    refresh_cells(getattr(instance, "_orphaned_cells", ()))
