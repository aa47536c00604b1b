"""seeds/topics.json into the Topic table, keeping every field an admin edited:
sync_topics(), atomic. The topics of statements are written by statements/corrections.py
(set_topics, link_major_topics), which keeps the rule of the hierarchy: a statement on a
subtopic is on its major topic too."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from . import corrections
from .models import Topic

TOPICS_FILE = settings.BASE_DIR / "seeds" / "topics.json"
# The fields the topic file gives, and an admin may edit.
SYNCED_FIELDS = ("name", "description", "key_phrases", "parent")
SYNC_REASON = "synced from seeds/topics.json"


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
        corrections.link_major_topics(topic_ids=reparented)
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
