"""Writes to topics and to the topics of statements, each one atomic. Statements'
topic links go through corrections.set_topics (the one write path, which keeps the
count tables in step); this module adds what the hierarchy needs.

The rule they keep: a statement linked to a subtopic is linked to its major topic too.
Filtering by a major topic is then one EXISTS on the link table, and the pre-aggregated
counts of a major topic (its rows in the topic and pair count tables) take in the
statements of its subtopics, exactly, with no change to the counting.

    sync_topics()                          seeds/topics.json into the Topic table,
                                           keeping every field an admin edited
    set_statement_topics({id: [topic ids]}) the bulk rewrite: each statement's links
                                           become these topics and their majors
    link_major_topics(...)                 adds the major-topic links missing after a
                                           subtopic got (or changed) its parent

(set_statement_topics and link_major_topics could move into statements/corrections.py.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from . import corrections
from .models import Statement, Topic

TOPICS_FILE = settings.BASE_DIR / "seeds" / "topics.json"
# The fields the topic file gives, and an admin may edit.
SYNCED_FIELDS = ("name", "description", "key_phrases", "parent")
SYNC_REASON = "synced from seeds/topics.json"
CHUNK = 2000


@dataclass
class SyncSummary:
    created: list[str] = field(default_factory=list)  # slugs
    updated: list[str] = field(default_factory=list)
    # slug: the fields left as an admin edited them, though the file has other values
    kept: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self):
        parts = [
            f"{len(self.created)} topic(s) created",
            f"{len(self.updated)} updated from the file",
        ]
        if self.kept:
            parts.append(
                f"{len(self.kept)} with fields an admin edited, kept as they are ("
                + "; ".join(
                    f"{s}: {', '.join(f)}" for s, f in sorted(self.kept.items())
                )
                + ")"
            )
        return ", ".join(parts) + "."


def _values(topic: Topic) -> dict:
    return {
        "name": topic.name,
        "description": topic.description,
        "key_phrases": list(topic.key_phrases or []),
        "parent": topic.parent.slug if topic.parent_id else None,
    }


def _baseline(topic: Topic) -> dict:
    """What the file last gave this topic: `seeded`, or for a topic from before it was
    recorded, the topic as the import first created it (its first history record, with
    no user). A topic an admin created has no baseline: every field is theirs."""
    if topic.seeded:
        return topic.seeded
    first = topic.history.order_by("history_date", "history_id").first()
    if first is None or first.history_user_id is not None:
        return {}
    parent = (
        Topic.objects.filter(pk=first.parent_id).first() if first.parent_id else None
    )
    return {
        "slug": first.slug,
        "name": first.name,
        "description": first.description,
        "key_phrases": list(first.key_phrases or []),
        "parent": parent.slug if parent else None,
    }


def _empty(value) -> bool:
    return value in (None, "", [])


@transaction.atomic
def sync_topics(path=TOPICS_FILE) -> SyncSummary:
    """Creates the file's topics that are missing and brings the others up to date,
    field by field: a field still as the file last gave it follows the file; a field
    an admin changed is kept. Nothing is deleted. Then adds any missing major-topic
    links (a topic that just got its parent)."""
    from .extraction.topics import load_topics

    summary = SyncSummary()
    if not path or not path.exists():
        return summary
    wanted = load_topics(path)
    # Majors first, so a subtopic's parent exists when it is saved.
    wanted.sort(key=lambda t: t["parent"] is not None)
    by_slug = {t.slug: t for t in Topic.objects.select_related("parent")}
    by_seeded_slug = {t.seeded.get("slug"): t for t in by_slug.values() if t.seeded}
    reparented = []
    for spec in wanted:
        new = {f: spec[f] for f in SYNCED_FIELDS}
        topic = by_slug.get(spec["slug"]) or by_seeded_slug.get(spec["slug"])
        if topic is None:
            topic = Topic(slug=spec["slug"])
            _apply(topic, new, by_slug)
            topic.seeded = {"slug": spec["slug"], **new}
            topic._change_reason = SYNC_REASON
            topic.save()
            by_slug[topic.slug] = topic
            summary.created.append(topic.slug)
            continue
        base, current = _baseline(topic), _values(topic)
        changes, kept = {}, []
        for f in SYNCED_FIELDS:
            if current[f] == new[f]:
                continue
            follows_file = current[f] == base[f] if f in base else _empty(current[f])
            if follows_file:
                changes[f] = new[f]
            else:
                kept.append(f)
        if kept:
            summary.kept[topic.slug] = kept
        seeded = {"slug": spec["slug"], **new}
        if not changes and topic.seeded == seeded:
            continue
        old_parent = topic.parent_id
        _apply(topic, changes, by_slug)
        topic.seeded = seeded
        if changes:
            topic._change_reason = SYNC_REASON
            topic.save()
            summary.updated.append(topic.slug)
            if topic.parent_id and topic.parent_id != old_parent:
                reparented.append(topic.pk)
        else:
            Topic.objects.filter(pk=topic.pk).update(seeded=seeded)
    if reparented:
        link_major_topics(topic_ids=reparented)
    return summary


def _apply(topic: Topic, values: dict, by_slug: dict) -> None:
    for f, value in values.items():
        if f == "parent":
            parent = by_slug.get(value) if value else None
            if value and parent is None:
                raise ValueError(f"{topic.slug}: its parent {value!r} is not a topic")
            if parent is not None and parent.parent_id is not None:
                raise ValueError(
                    f"{topic.slug}: its parent {value!r} is a subtopic (two levels only)"
                )
            topic.parent = parent
        else:
            setattr(topic, f, value)


class TopicLinks:
    """Topic ids by slug, with their major topics: the links a statement gets."""

    def __init__(self):
        rows = Topic.objects.values_list("pk", "slug", "parent_id")
        self.by_slug = {slug: pk for pk, slug, _ in rows}
        self.parent = {pk: parent for pk, _, parent in rows}

    def ids(self, slugs: Iterable[str]) -> list[int]:
        """The ids of these slugs (unknown ones left out) and of their major topics."""
        return self.closed(self.by_slug[s] for s in slugs if s in self.by_slug)

    def closed(self, topic_ids: Iterable[int]) -> list[int]:
        out = {}
        for pk in topic_ids:
            out[pk] = None
            parent = self.parent.get(pk)
            if parent:
                out[parent] = None
        return list(out)


@transaction.atomic
def set_statement_topics(topics_by_statement: Mapping[int, Iterable[int]]) -> int:
    """The bulk rewrite: each statement's topic links become exactly the topics given
    (ids) and their major topics, through corrections.set_topics (one transaction, the
    links that differ, one recount of the statements that changed). Review statuses
    stay as they are. Returns how many statements changed."""
    if not topics_by_statement:
        return 0
    links = TopicLinks()
    wanted = {sid: links.closed(tids) for sid, tids in topics_by_statement.items()}
    changed = 0
    ids = sorted(wanted)
    for start in range(0, len(ids), CHUNK):
        changed += corrections.set_topics(
            {sid: wanted[sid] for sid in ids[start : start + CHUNK]}
        )
    return changed


@transaction.atomic
def link_major_topics(statement_ids=None, topic_ids=None) -> int:
    """Links to its major topic every statement linked to a subtopic and not to it:
    of these statements, or linked to these (sub)topics, or all. Returns how many
    statements got a link."""
    through = Statement.topics.through
    rows = through.objects.filter(topic__parent__isnull=False)
    if statement_ids is not None:
        rows = rows.filter(statement_id__in=list(statement_ids))
    if topic_ids is not None:
        rows = rows.filter(topic_id__in=list(topic_ids))
    sids = sorted(set(rows.values_list("statement_id", flat=True)))
    if not sids:
        return 0
    links = TopicLinks()
    current: dict[int, set[int]] = {sid: set() for sid in sids}
    for start in range(0, len(sids), CHUNK):
        for sid, tid in through.objects.filter(
            statement_id__in=sids[start : start + CHUNK]
        ).values_list("statement_id", "topic_id"):
            current[sid].add(tid)
    wanted = {
        sid: links.closed(tids)
        for sid, tids in current.items()
        if set(links.closed(tids)) != tids
    }
    return set_statement_topics(wanted)
