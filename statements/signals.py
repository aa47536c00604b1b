"""A safety net for saves made by hand (the Django shell, a one-off script).

The app writes statements, speakers and articles only through statements/corrections.py,
whose bulk writes send no signals, so nothing here runs for them. Someone who calls
`statement.save()`, `article.save()`, `speaker.save()` or `statement.topics.add()` in a
shell still gets the copied columns and the count tables kept in step: the receivers
below do for one object what corrections.py does in bulk. A hand save of anything the
pages show (an article, a speaker, an alias, a position, a topic) moves the data version
on, so no cached page from before it is served (statements/page_cache.py). Connected by
StatementsConfig.ready().
"""

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from . import counting
from .corrections import copied_country, copied_date, copy_columns
from .models import Article, Position, Speaker, SpeakerAlias, Statement, Topic


def _stored_cell(statement_id):
    row = (
        Statement.objects.filter(pk=statement_id)
        .values_list("speaker_id", "country_id", "kind", "published")
        .first()
    )
    return counting.cell(*row) if row else None


def statement_will_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    copy_columns(instance)
    instance._stored_cell = _stored_cell(instance.pk) if instance.pk else None


def statement_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    cells = counting.cells_of([instance])
    if getattr(instance, "_stored_cell", None):
        cells.add(instance._stored_cell)
    counting.recount(cells)


def statement_deleted(sender, instance, **kwargs):
    counting.recount(counting.cells_of([instance]))


def topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:  # statement.topics.add(...)
        if action != "pre_clear":
            counting.recount(counting.cells_of([instance]))
        return
    # topic.statements.add(...): the statements whose topics changed.
    if action == "pre_clear":
        instance._cleared_cells = counting.cells_of(instance.statements.all())
    elif action == "post_clear":
        counting.recount(getattr(instance, "_cleared_cells", ()))
    else:
        counting.recount(
            counting.cells_of(Statement.objects.filter(pk__in=pk_set or ()))
        )


def article_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    date = copied_date(instance)
    mine = Statement.objects.filter(article=instance)
    stale = mine.exclude(published=date) if date else mine.exclude(published=None)
    rows = set(stale.values_list("speaker_id", "country_id", "kind", "published"))
    if rows:
        stale.update(published=date)
        cells = {counting.cell(s, c, k, p) for s, c, k, p in rows}
        cells |= {counting.cell(s, c, k, date) for s, c, k, _ in rows}
        counting.recount(cells)


def speaker_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    country = copied_country(instance)
    mine = Statement.objects.filter(speaker=instance)
    stale = mine.exclude(country_id=country) if country else mine.exclude(country=None)
    rows = set(stale.values_list("country_id", "kind", "published"))
    if rows:
        stale.update(country_id=country)
        cells = {counting.cell(instance.pk, c, k, p) for c, k, p in rows}
        cells |= {counting.cell(instance.pk, country, k, p) for _, k, p in rows}
        counting.recount(cells)


def speaker_will_delete(sender, instance, **kwargs):
    """Their statements stay, unattributed (speaker and country empty)."""
    mine = Statement.objects.filter(speaker=instance)
    rows = set(mine.values_list("country_id", "kind", "published"))
    if rows:
        mine.update(speaker=None, country=None)
        cells = {counting.cell(instance.pk, c, k, p) for c, k, p in rows}
        cells |= {counting.cell(None, None, k, p) for _, k, p in rows}
        counting.recount(cells)


def shown_on_pages_changed(sender, raw=False, **kwargs):
    if not raw:
        counting.bump_version()


SHOWN_ON_PAGES = (Article, Speaker, SpeakerAlias, Position, Topic)


def _receivers():
    return [
        (pre_save, statement_will_save, Statement),
        (post_save, statement_saved, Statement),
        (post_delete, statement_deleted, Statement),
        (m2m_changed, topics_changed, Statement.topics.through),
        (post_save, article_saved, Article),
        (post_save, speaker_saved, Speaker),
        (pre_delete, speaker_will_delete, Speaker),
        *[
            (signal, shown_on_pages_changed, model)
            for model in SHOWN_ON_PAGES
            for signal in (post_save, post_delete)
        ],
    ]


def connect():
    for signal, receiver, sender in _receivers():
        signal.connect(receiver, sender, dispatch_uid=f"safety-net:{receiver.__name__}")


def disconnect():
    """For a script that writes in bulk by hand and recounts at the end (and for the
    tests that show the app does not need the net)."""
    for signal, receiver, sender in _receivers():
        signal.disconnect(
            receiver, sender, dispatch_uid=f"safety-net:{receiver.__name__}"
        )
