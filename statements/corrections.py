"""Every change to statements, speakers and articles: one module of explicit, atomic functions.

The admin's views and actions, `import_articles` (new articles and --reextract), merges
and any future API call these, and nothing else writes statements. Each function

- is atomic: a failure changes nothing;
- writes the history rows (django-simple-history) with the user who made the change;
- keeps the copied columns (Statement.published from the article, Statement.country
  from the speaker) and the count tables (statements/counting.py) in step, here and
  explicitly, in a number of queries that does not grow with the statements it touches
  (bulk updates in batches aside).

It writes with bulk operations, which send no signals: statements/signals.py is only a
safety net for saves made by hand in the Django shell, and nothing here relies on it.

    corrections.correct(statement, speaker, user, learn_alias=True)
    corrections.set_status(statements, Statement.ReviewStatus.VERIFIED, user)
    corrections.merge(speakers, into=keeper, user=user)
    corrections.add_article(article, result, resolver=resolver, topic_ids=ids)
    corrections.reextract(article, result, resolver=resolver, topic_ids=ids)
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import counting
from .extraction.normalise import is_pronoun, normalise_mention
from .models import (
    Article,
    Position,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
    unique_slug,
)

log = logging.getLogger(__name__)

AUTO = Statement.ReviewStatus.AUTO
CORRECTED = Statement.ReviewStatus.CORRECTED
REJECTED = Statement.ReviewStatus.REJECTED
# Editing any of these is a correction: --reextract keeps corrected statements.
ATTRIBUTION_FIELDS = frozenset(["speaker", "kind", "topics"])
IMPORT_REASON = "import"
REEXTRACT_REASON = "re-extract"
BATCH = 1000
# Concurrent imports: a transaction that lost a race (a unique key another import took
# first, a deadlock, SQLite's lock) is tried again, seeing what the other committed.
ATTEMPTS = 5


# --- Copied columns -------------------------------------------------------------------


def copied_date(article: Article | None):
    """What a statement copies from its article (so the browse filters need no join)."""
    return article.published if article is not None else None


def copied_country(speaker: Speaker | None):
    """What a statement copies from its speaker."""
    return speaker.country_id if speaker is not None else None


def copy_columns(statement: Statement) -> None:
    statement.published = copied_date(
        statement.article if statement.article_id else None
    )
    statement.country_id = copied_country(
        statement.speaker if statement.speaker_id else None
    )


def _reason(text: str) -> str:
    return text[:100]


def _history_rows(model, objs, history_type: str, user, reason: str) -> None:
    """History rows of `history_type` ("-" for a delete, which simple_history's bulk
    helpers do not write) for these instances, in one INSERT per batch."""
    history = model.history.model
    now = timezone.now()
    rows = [
        history(
            history_date=now,
            history_user=user,
            history_change_reason=reason,
            history_type=history_type,
            **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields},
        )
        for obj in objs
    ]
    history.objects.bulk_create(rows, batch_size=BATCH)


def _create(model, objs, user, reason):
    return bulk_create_with_history(
        objs, model, batch_size=BATCH, default_user=user, default_change_reason=reason
    )


def _update(model, objs, fields, user, reason) -> None:
    if objs:
        bulk_update_with_history(
            objs,
            model,
            fields,
            batch_size=BATCH,
            default_user=user,
            default_change_reason=reason,
        )


# --- Statements -----------------------------------------------------------------------


@dataclass
class Correction:
    """What a correction did: how many statements changed, which mentions were learnt
    as aliases, and which were refused (pronouns, empty mentions)."""

    changed: int = 0
    learnt: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def status_after_edit(status: str, changed_fields) -> str:
    """The review status after an admin's edit: any change of the attribution makes
    the statement corrected (so --reextract keeps it), unless it is rejected."""
    if ATTRIBUTION_FIELDS & set(changed_fields) and status != REJECTED:
        return CORRECTED
    return status


def _locked(statements) -> list[Statement]:
    """The statements, fresh from the database and locked for this transaction."""
    ids = [getattr(s, "pk", s) for s in statements]
    return list(
        Statement.objects.filter(pk__in=ids)
        .select_for_update()
        .defer("search_document")
        .order_by("pk")
    )


def _apply(statements, changes: dict, user, reason: str, *, correction: bool):
    """Apply `changes` (speaker, kind, review_status, topics) to these statements:
    one bulk update with history, the topic links, and one recount of the cells they
    left and entered. Returns (statements changed, the changed statements)."""
    rows = _locked(statements)
    old_cells = counting.cells_of(rows)
    topics = changes.get("topics")
    topic_ids = None
    if topics is not None:
        topic_ids = set(with_major_topics([[getattr(t, "pk", t) for t in topics]])[0])
    current_topics: dict[int, set[int]] = {}
    if topic_ids is not None:
        for statement_id, topic_id in Statement.topics.through.objects.filter(
            statement_id__in=[s.pk for s in rows]
        ).values_list("statement_id", "topic_id"):
            current_topics.setdefault(statement_id, set()).add(topic_id)
    now, changed = timezone.now(), []
    for st in rows:
        fields = set()
        if "speaker" in changes and st.speaker_id != getattr(
            changes["speaker"], "pk", None
        ):
            st.speaker = changes["speaker"]
            fields.add("speaker")
        if "kind" in changes and st.kind != changes["kind"]:
            st.kind = changes["kind"]
            fields.add("kind")
        if topic_ids is not None and current_topics.get(st.pk, set()) != topic_ids:
            fields.add("topics")
        status = changes.get("review_status", st.review_status)
        if correction:
            status = status_after_edit(status, fields)
        if status != st.review_status:
            st.review_status = status
            fields.add("review_status")
        if "speaker" in fields:
            st.country_id = copied_country(changes["speaker"])
        if fields:
            st.updated_at = now
            changed.append(st)
    _update(
        Statement,
        changed,
        ["speaker", "country", "kind", "review_status", "updated_at"],
        user,
        reason,
    )
    if topic_ids is not None:
        _set_topics({st.pk: topic_ids for st in changed}, current_topics)
    if changed:
        counting.recount(old_cells | counting.cells_of(changed))
    return changed


def _set_topics(wanted: dict[int, set[int]], current: dict[int, set[int]]) -> None:
    """Each statement's topic links become `wanted[statement id]`."""
    through = Statement.topics.through
    gone = Q()
    new = []
    for statement_id, topic_ids in wanted.items():
        have = current.get(statement_id, set())
        if have - topic_ids:
            gone |= Q(statement_id=statement_id, topic_id__in=have - topic_ids)
        new += [
            through(statement_id=statement_id, topic_id=t) for t in topic_ids - have
        ]
    if gone:
        through.objects.filter(gone).delete()
    through.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)


@transaction.atomic
def edit(statement, changes: dict, user=None, learn_alias: bool = False) -> Correction:
    """An admin's edit of one statement: any of speaker, kind, topics, review_status.
    Changing the attribution (speaker, kind, topics) marks it corrected unless it is
    rejected. With learn_alias, a new speaker also takes the statement's mention as an
    alias (never a pronoun), so later imports resolve it the same way."""
    speaker = changes.get("speaker")
    reason = _reason(f"speaker set to {speaker}") if "speaker" in changes else "edited"
    changed = _apply([statement], changes, user, reason, correction=True)
    result = Correction(changed=len(changed))
    if learn_alias and speaker is not None and "speaker" in changes:
        result.learnt, result.refused = learn_aliases(
            [statement.speaker_mention], speaker, user
        )
    return result


def correct(statement, speaker, user=None, learn_alias: bool = False) -> Correction:
    """Gives one statement a new speaker: it becomes corrected (unless rejected)."""
    return correct_many([statement], speaker, user, learn_alias)


@transaction.atomic
def correct_many(
    statements, speaker, user=None, learn_alias: bool = False
) -> Correction:
    """Gives these statements one speaker, each marked corrected (unless rejected); with
    learn_alias, their mentions (not pronouns) become aliases of the speaker."""
    statements = list(statements)
    changed = _apply(
        statements,
        {"speaker": speaker},
        user,
        _reason(f"speaker set to {speaker}"),
        correction=True,
    )
    result = Correction(changed=len(changed))
    if learn_alias:
        mentions = Statement.objects.filter(
            pk__in=[getattr(s, "pk", s) for s in statements]
        ).values_list("speaker_mention", flat=True)
        result.learnt, result.refused = learn_aliases(mentions, speaker, user)
    return result


@transaction.atomic
def set_status(statements, status: str, user=None) -> int:
    """Marks these statements verified, rejected (hidden from the browse pages, kept by
    --reextract), corrected or automatic. Returns how many changed."""
    if status not in Statement.ReviewStatus.values:
        raise ValueError(f"{status!r} is not a review status")
    changed = _apply(
        statements, {"review_status": status}, user, _reason(status), correction=False
    )
    return len(changed)


@transaction.atomic
def delete_statements(statements, user=None, reason: str = "deleted") -> int:
    """Deletes these statements, each with a "deleted" history row."""
    rows = _locked(statements)
    if not rows:
        return 0
    _history_rows(Statement, rows, "-", user, reason)
    _delete_rows([st.pk for st in rows])
    counting.recount(counting.cells_of(rows))
    return len(rows)


def _delete_rows(ids) -> None:
    """The statements and their topic links, in SQL (no per-row signals)."""
    through = Statement.topics.through
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        through.objects.filter(statement_id__in=chunk)._raw_delete(through.objects.db)
        Statement.objects.filter(pk__in=chunk)._raw_delete(Statement.objects.db)


def add_statements(
    article: Article, statements, topics, user=None, reason: str = IMPORT_REASON
) -> list[Statement]:
    """Stores new statements of an article (unsaved Statement instances, their speakers
    set) with `topics` (a list of topic ids per statement, most relevant first), in one
    INSERT each for the statements, their history and their topic links; then counts
    them. Call inside the article's transaction (add_article and reextract do)."""
    statements = list(statements)
    if not statements:
        return []
    for st in statements:
        st.article = article
        copy_columns(st)
    created = _create(Statement, statements, user, reason)
    through = Statement.topics.through
    links = [
        through(statement_id=st.pk, topic_id=topic_id)
        for st, topic_ids in zip(created, with_major_topics(topics), strict=True)
        for topic_id in topic_ids
    ]
    through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    counting.added([st.pk for st in created])
    return created


def with_major_topics(topic_lists) -> list[list[int]]:
    """Each list of topic ids with the major topic of each subtopic added after it (one
    query for all): a statement on a subtopic is always on its major topic too, so a
    major topic's filter is one EXISTS and its counts take in its subtopics."""
    topic_lists = [list(ts) for ts in topic_lists]
    ids = {t for ts in topic_lists for t in ts}
    majors = dict(
        Topic.objects.filter(pk__in=ids, parent__isnull=False).values_list(
            "pk", "parent_id"
        )
        if ids
        else ()
    )
    closed = []
    for ts in topic_lists:
        out = {}
        for t in ts:
            out[t] = None
            if t in majors:
                out[majors[t]] = None
        closed.append(list(out))
    return closed


TOPICS_CHUNK = 2000


@transaction.atomic
def set_topics(topics_by_statement: dict, user=None) -> int:
    """Gives statements new topics ({statement or id: [Topic or id, ...]}, each with its
    major topic), leaving their review status alone (for re-tagging automatic
    statements). Returns how many changed; their cells are recounted once a chunk."""
    ids = [getattr(s, "pk", s) for s in topics_by_statement]
    closed = with_major_topics(
        [getattr(t, "pk", t) for t in ts] for ts in topics_by_statement.values()
    )
    wanted = {sid: set(ts) for sid, ts in zip(ids, closed, strict=True)}
    changed = 0
    for start in range(0, len(ids), TOPICS_CHUNK):
        chunk = ids[start : start + TOPICS_CHUNK]
        rows = _locked(chunk)
        current: dict[int, set[int]] = {}
        for statement_id, topic_id in Statement.topics.through.objects.filter(
            statement_id__in=chunk
        ).values_list("statement_id", "topic_id"):
            current.setdefault(statement_id, set()).add(topic_id)
        rows = [st for st in rows if current.get(st.pk, set()) != wanted[st.pk]]
        _set_topics({st.pk: wanted[st.pk] for st in rows}, current)
        if rows:
            counting.recount(counting.cells_of(rows))
        changed += len(rows)
    return changed


@transaction.atomic
def link_major_topics(statement_ids=None, topic_ids=None) -> int:
    """Links to its major topic every statement linked to a subtopic and not to it: of
    these statements, or on these (sub)topics, or all (after a topic got a parent).
    Returns how many statements got a link."""
    through = Statement.topics.through
    rows = through.objects.filter(topic__parent__isnull=False)
    if statement_ids is not None:
        rows = rows.filter(statement_id__in=list(statement_ids))
    if topic_ids is not None:
        rows = rows.filter(topic_id__in=list(topic_ids))
    ids = sorted(set(rows.values_list("statement_id", flat=True)))
    current: dict[int, list[int]] = {sid: [] for sid in ids}
    for start in range(0, len(ids), TOPICS_CHUNK):
        for sid, tid in through.objects.filter(
            statement_id__in=ids[start : start + TOPICS_CHUNK]
        ).values_list("statement_id", "topic_id"):
            current[sid].append(tid)
    return set_topics(current)


# --- Speakers -------------------------------------------------------------------------


def learn_aliases(mentions: Iterable[str], speaker: Speaker, user=None):
    """An admin's correction taught these mentions: each resolves to `speaker` from now
    on, taken from any speaker that had it (a mention points to one speaker only).
    Pronouns and empty mentions are never learnt. Returns (learnt, refused)."""
    learnt, refused, keys = [], [], {}
    for mention in mentions:
        mention = (mention or "").strip()
        if not mention or is_pronoun(mention):
            refused.append(mention)
            continue
        keys.setdefault(normalise_mention(mention), mention)
    reason = "learnt from a correction"
    existing = list(SpeakerAlias.objects.filter(normalised__in=keys))
    for alias in existing:
        alias.speaker = speaker
        alias.learnt_from_correction = True
    _update(SpeakerAlias, existing, ["speaker", "learnt_from_correction"], user, reason)
    have = {alias.normalised for alias in existing}
    new = [
        SpeakerAlias(
            speaker=speaker,
            alias=mention[:200],
            normalised=key,
            learnt_from_correction=True,
        )
        for key, mention in keys.items()
        if key not in have
    ]
    _create(SpeakerAlias, new, user, reason)
    counting.bump_version()  # speaker pages list their aliases
    learnt = sorted(keys.values())
    return learnt, sorted(set(refused))


@transaction.atomic
def add_speaker(
    name: str,
    kind: str = Speaker.Kind.PERSON,
    country=None,
    *,
    country_basis: str = "",
    aliases: Iterable[str] = (),
    parts=None,
    source: str = "",
    user=None,
    reason: str = IMPORT_REASON,
) -> Speaker:
    """A new speaker, with these mentions as aliases; a person's name is stored in
    parts too (`parts`, a names.NameParts, else parsed from the name). An alias
    another speaker owns raises IntegrityError: the caller resolves against the
    speakers that exist first. `country_basis` says where the country comes from
    (Speaker.CountryBasis; an editor's where not given)."""
    if country is not None and not country_basis:
        country_basis = Speaker.CountryBasis.EDITOR
    speaker = Speaker(
        name=name[:200],
        slug=unique_slug(Speaker, name),
        kind=kind,
        country=country,
        country_basis=country_basis if country is not None else "",
        source=source[:500],
    )
    speaker.set_name_parts(parts)
    [speaker] = _create(Speaker, [speaker], user, reason)
    add_aliases(speaker, aliases, user, reason)
    return speaker


def add_aliases(
    speaker: Speaker, mentions: Iterable[str], user=None, reason=IMPORT_REASON
):
    """Plain (not admin-taught) aliases of a speaker. Each must be free: one another
    speaker owns raises IntegrityError."""
    keys = {}
    for mention in mentions:
        keys.setdefault(normalise_mention(mention), mention)
    _create(
        SpeakerAlias,
        [
            SpeakerAlias(speaker=speaker, alias=m[:200], normalised=k)
            for k, m in keys.items()
            if k
        ],
        user,
        reason,
    )


def move_aliases(aliases, speaker: Speaker, user=None, reason=IMPORT_REASON) -> None:
    """These aliases (SpeakerAlias rows) resolve to `speaker` from now on."""
    aliases = list(aliases)
    for alias in aliases:
        alias.speaker = speaker
    _update(SpeakerAlias, aliases, ["speaker"], user, reason)


@transaction.atomic
def add_position(speaker: Speaker, user=None, reason=IMPORT_REASON, **fields):
    """A position a speaker holds (title, country, organisation, dates, source, the
    dates it was seen). A person's country comes from their offices: a person without
    a country, or with only an article's guess, takes the position's
    (learn_country)."""
    [position] = _create(Position, [Position(speaker=speaker, **fields)], user, reason)
    if position.country_id and speaker.kind == Speaker.Kind.PERSON:
        learn_country(
            speaker,
            position.country,
            Speaker.CountryBasis.STATED,
            user,
            _reason(f"country from the office {position}"),
        )
    return position


_BASIS_RANK = {basis: rank for rank, basis in enumerate(Speaker.CountryBasis.values)}


@transaction.atomic
def learn_country(
    speaker: Speaker, country, basis: str, user=None, reason=IMPORT_REASON
):
    """What an article says of a speaker's country, taken only where it is stronger
    evidence than what the record holds (Speaker.CountryBasis, weakest first: an
    article's own country, a country an article states, an editor's). An editor's
    country never changes; nor does one stated first by another stated later. The
    speaker's statements take the new country, their counts with it. True if it
    changed."""
    if country is None or _BASIS_RANK[basis] <= _BASIS_RANK[speaker.country_basis]:
        return False
    # the row as it is now: an editor may have changed it since `speaker` was read
    current = Speaker.objects.select_for_update().get(pk=speaker.pk)
    old_country = current.country_id
    if _BASIS_RANK[basis] <= _BASIS_RANK[current.country_basis]:
        speaker.country, speaker.country_basis = current.country, current.country_basis
        return False
    for row in (current, speaker):
        row.country, row.country_basis = country, basis
    _update(Speaker, [current], ["country", "country_basis"], user, reason)
    _copy_country(current, old_country)
    counting.bump_version()
    return True


@transaction.atomic
def saw_position(position: Position, date, user=None, reason=IMPORT_REASON):
    """A position seen again in an article of `date`: its seen dates widen."""
    if date is None:
        return position
    changed = False
    if position.first_seen is None or date < position.first_seen:
        position.first_seen, changed = date, True
    if position.last_seen is None or date > position.last_seen:
        position.last_seen, changed = date, True
    if changed:
        _update(Position, [position], ["first_seen", "last_seen"], user, reason)
    return position


@transaction.atomic
def save_position(position: Position, user=None, reason: str = "edited") -> Position:
    """A new or changed position (import_speakers, the admin)."""
    if position.pk is None:
        return add_position(
            position.speaker,
            user,
            reason,
            **{
                f.name: getattr(position, f.name)
                for f in Position._meta.concrete_fields
                if f.name not in ("id", "speaker")
            },
        )
    _update(
        Position,
        [position],
        [
            "title",
            "country",
            "organisation",
            "start_date",
            "end_date",
            "first_seen",
            "last_seen",
        ],
        user,
        reason,
    )
    return position


SPEAKER_FIELDS = [
    "name",
    "slug",
    "kind",
    "country",
    "country_basis",
    "source",
    *Speaker.NAME_PART_FIELDS,
]


@transaction.atomic
def save_speaker(speaker: Speaker, user=None, reason: str = "") -> Speaker:
    """An admin's new or edited speaker. A new country is copied onto their
    statements, whose cells are recounted."""
    if not speaker.slug:
        speaker.slug = unique_slug(Speaker, speaker.name)
    speaker.set_name_parts()
    if speaker.pk is None:
        [speaker] = _create(Speaker, [speaker], user, reason or "added")
        return speaker
    old = Speaker.objects.select_for_update().get(pk=speaker.pk)
    _update(Speaker, [speaker], SPEAKER_FIELDS, user, reason or "edited")
    counting.bump_version()  # a new name or slug shows on the pages at once
    _copy_country(speaker, old.country_id)
    return speaker


def _copy_country(speaker: Speaker, old_country_id) -> None:
    """A speaker's new country onto their statements, whose cells are recounted."""
    if old_country_id == speaker.country_id:
        return
    mine = Statement.objects.filter(speaker=speaker)
    cells = set()
    for kind, published in mine.values_list("kind", "published").distinct():
        cells.add(counting.cell(speaker.pk, old_country_id, kind, published))
        cells.add(counting.cell(speaker.pk, speaker.country_id, kind, published))
    mine.update(country_id=copied_country(speaker))
    counting.recount(cells)


@dataclass
class Merged:
    speakers: list[Speaker]
    into: Speaker
    statements: int = 0
    aliases: int = 0
    positions: int = 0


def _position_key(p: Position):
    return (p.title.casefold(), p.country_id, p.organisation.casefold())


@transaction.atomic
def merge(speakers, into: Speaker, user=None) -> Merged:
    """Merges these speakers into `into`, all or nothing: their statements, aliases and
    positions move to it (a position it already holds is not duplicated: its dates
    widen instead), their names become its aliases where free, and each merged speaker
    is kept with `merged_into` set. Speakers merged into them earlier follow."""
    locked = {
        s.pk: s
        for s in Speaker.objects.select_for_update().filter(
            pk__in=[into.pk, *(s.pk for s in speakers)]
        )
    }
    into = locked[into.pk]
    gone = [locked[s.pk] for s in speakers if s.pk != into.pk]
    if into.merged_into_id:
        raise ValueError(f"{into} was itself merged into {into.merged_into}")
    for s in gone:
        if s.merged_into_id:
            raise ValueError(f"{s} was already merged into {s.merged_into}")
    result = Merged(speakers=gone, into=into)
    if not gone:
        return result
    ids = [s.pk for s in gone]
    reason = _reason(f"merged {', '.join(s.name for s in gone)} into {into}")
    now = timezone.now()

    # Statements: one bulk update (in batches), with history.
    statements = list(
        Statement.objects.filter(speaker_id__in=ids)
        .select_for_update()
        .defer("search_document")
    )
    cells = counting.cells_of(statements)
    for st in statements:
        st.speaker = into
        st.country_id = copied_country(into)
        st.updated_at = now
    _update(Statement, statements, ["speaker", "country", "updated_at"], user, reason)
    cells |= counting.cells_of(statements)
    result.statements = len(statements)

    # Aliases move; the merged names become aliases where no speaker has them.
    aliases = list(SpeakerAlias.objects.filter(speaker_id__in=ids))
    for alias in aliases:
        alias.speaker = into
    _update(SpeakerAlias, aliases, ["speaker"], user, reason)
    taken = set(
        SpeakerAlias.objects.filter(
            normalised__in=[normalise_mention(s.name) for s in gone]
        ).values_list("normalised", flat=True)
    )
    names = {}
    for s in gone:
        key = normalise_mention(s.name)
        if key and key not in taken:
            names.setdefault(key, s.name)
    _create(
        SpeakerAlias,
        [SpeakerAlias(speaker=into, alias=n, normalised=k) for k, n in names.items()],
        user,
        reason,
    )
    result.aliases = len(aliases) + len(names)

    # Positions move, one per (title, country, organisation): dates widen instead.
    kept = {_position_key(p): p for p in into.positions.all()}
    moved, widened, duplicates = [], {}, []
    for p in Position.objects.filter(speaker_id__in=ids).order_by("pk"):
        same = kept.get(_position_key(p))
        if same is None:
            p.speaker = into
            kept[_position_key(p)] = p
            moved.append(p)
            continue
        if p.start_date and (not same.start_date or p.start_date < same.start_date):
            same.start_date = p.start_date
            widened[same.pk] = same
        if p.end_date and same.end_date and p.end_date > same.end_date:
            same.end_date = p.end_date
            widened[same.pk] = same
        if p.first_seen and (not same.first_seen or p.first_seen < same.first_seen):
            same.first_seen = p.first_seen
            widened[same.pk] = same
        if p.last_seen and (not same.last_seen or p.last_seen > same.last_seen):
            same.last_seen = p.last_seen
            widened[same.pk] = same
        duplicates.append(p)
    _update(Position, moved, ["speaker"], user, reason)
    _update(
        Position,
        [p for p in widened.values() if p not in moved],
        ["start_date", "end_date", "first_seen", "last_seen"],
        user,
        reason,
    )
    if duplicates:
        _history_rows(Position, duplicates, "-", user, reason)
        gone_positions = Position.objects.filter(pk__in=[p.pk for p in duplicates])
        gone_positions._raw_delete(gone_positions.db)
    result.positions = len(moved)

    # Speakers merged into these earlier now point at `into`; these are kept, merged.
    earlier = list(Speaker.objects.filter(merged_into_id__in=ids))
    for s in [*earlier, *gone]:
        s.merged_into = into
    _update(Speaker, [*earlier, *gone], ["merged_into"], user, reason)
    counting.recount(cells)
    return result


@transaction.atomic
def delete_speakers(speakers, user=None) -> int:
    """Deletes speakers; their statements stay, unattributed, their counts moving to
    "no speaker". Aliases and positions go with the speaker."""
    ids = [getattr(s, "pk", s) for s in speakers]
    statements = list(
        Statement.objects.filter(speaker_id__in=ids)
        .select_for_update()
        .defer("search_document")
    )
    cells = counting.cells_of(statements)
    now = timezone.now()
    for st in statements:
        st.speaker, st.country_id, st.updated_at = None, None, now
    _update(
        Statement,
        statements,
        ["speaker", "country", "updated_at"],
        user,
        "unattributed",
    )
    counting.recount(cells | counting.cells_of(statements))
    deleted, _ = Speaker.objects.filter(pk__in=ids).delete()
    counting.bump_version()
    return len(ids) if deleted else 0


# --- Anything else the pages show -----------------------------------------------------


def data_changed() -> None:
    """Something the pages show changed besides statements, speakers and articles (a
    topic's name, a position, an alias saved in the admin): the data version moves on
    in the caller's transaction, so no cached page from before is served again."""
    counting.bump_version()


# --- Topics ---------------------------------------------------------------------------


@transaction.atomic
def delete_topics(topics) -> int:
    """Deletes topics: their links and their rows in the count tables go with them
    (CASCADE), so only the data version needs a bump."""
    deleted, _ = Topic.objects.filter(pk__in=[t.pk for t in topics]).delete()
    counting.bump_version()
    return deleted


# --- Articles -------------------------------------------------------------------------

ARTICLE_FIELDS = ["title", "url", "outlet", "published"]


@transaction.atomic
def update_article(article: Article, user=None, reason: str = "edited") -> Article:
    """An admin's edit of an article's metadata. A new date is copied onto its
    statements, whose cells are recounted."""
    old = Article.objects.select_for_update().only("published").get(pk=article.pk)
    _update(Article, [article], ARTICLE_FIELDS, user, reason)
    counting.bump_version()  # a new title or outlet shows on the pages at once
    if old.published != article.published:
        mine = Statement.objects.filter(article=article)
        cells = set()
        for speaker_id, country_id, kind in mine.values_list(
            "speaker_id", "country_id", "kind"
        ).distinct():
            cells.add(counting.cell(speaker_id, country_id, kind, old.published))
            cells.add(counting.cell(speaker_id, country_id, kind, article.published))
        mine.update(published=copied_date(article))
        counting.recount(cells)
    return article


@transaction.atomic
def delete_articles(articles, user=None) -> int:
    """Deletes articles with their statements (each with a "deleted" history row)."""
    ids = [getattr(a, "pk", a) for a in articles]
    delete_statements(
        Statement.objects.filter(article_id__in=ids).values_list("pk", flat=True),
        user,
        reason="article deleted",
    )
    deleted, _ = Article.objects.filter(pk__in=ids).delete()
    return len(ids) if deleted else 0


def _chosen(extracted, kept=()) -> list:
    """The extracted statements to store: none overlapping a kept (reviewed) statement
    or one taken before it."""
    taken, chosen = list(kept), []
    for st in extracted:
        if any(st.start < end and start < st.end for start, end in taken):
            continue
        taken.append((st.start, st.end))
        chosen.append(st)
    return chosen


def _rows(chosen, speakers, topic_ids: dict[str, int]):
    """Unsaved Statement instances (and their topic ids) for extracted statements."""
    rows, topics = [], []
    for st, speaker in zip(chosen, speakers, strict=True):
        rows.append(
            Statement(
                speaker=speaker,
                speaker_mention=(st.speaker_mention or "")[:300],
                kind=st.kind,
                cue=(st.cue or "")[:100],
                text=st.text,
                start=st.start,
                end=st.end,
                method=(st.method or "")[:50],
                confidence=float(st.confidence or 0.0),
            )
        )
        # The major topics (most relevant first), then the subtopics of those.
        slugs = [*(st.topics or []), *(getattr(st, "subtopics", None) or [])]
        topics.append([topic_ids[s] for s in slugs if s in topic_ids])
    return rows, topics


def _lock_keys(*keys: str) -> None:
    """Transaction-level PostgreSQL advisory locks on these keys, in a fixed order: a
    second import of the same article waits for the first to commit, then sees it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for key in sorted(k for k in keys if k):
            cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def retrying(write, resolver):
    """Runs `write()` (an atomic function) again when it lost a race with another
    transaction: a unique key taken first, a deadlock, SQLite's database lock. The
    resolver forgets what the failed attempt taught it and reads the database again."""
    for attempt in range(ATTEMPTS):
        resolver.begin()
        try:
            return write()
        except (IntegrityError, OperationalError) as e:
            resolver.discard()
            if attempt == ATTEMPTS - 1 or connection.in_atomic_block:
                raise  # inside an outer transaction, nothing can be tried again
            log.info("another writer got there first (%s); trying again", e)
            time.sleep(random.uniform(0.01, 0.05) * 2**attempt)
            resolver.reload()
    raise AssertionError("unreachable")


def add_article(
    article: Article,
    result,
    *,
    resolver,
    topic_ids: dict[str, int],
    user=None,
    reason: str = IMPORT_REASON,
    then=None,
):
    """Stores a new article (an unsaved Article with its content_hash) and the
    statements extraction found in it, their speakers resolved (and created) by
    `resolver`: all in one transaction, safe to run at the same time as another import.

    Returns (article, statements), or (the stored article, None) when an article with
    the same text or URL is already there. `then(article, statements)`, if given, runs
    last in the same transaction with that outcome (a queued import records it on its
    batch: statements/importing/batches.py), so both commit or neither does."""

    @transaction.atomic
    def write():
        _lock_keys(f"article:{article.content_hash}", f"url:{article.url or ''}")
        same = Q(content_hash=article.content_hash)
        if article.url:
            same |= Q(url=article.url)
        existing = Article.objects.filter(same).only("pk").first()
        if existing is not None:
            outcome = existing, None
        else:
            article.pk = None
            [stored] = _create(Article, [article], user, reason)
            chosen = _chosen(result.statements)
            speakers = resolver.resolve_article(chosen, result, stored, user=user)
            rows, topics = _rows(chosen, speakers, topic_ids)
            outcome = stored, add_statements(stored, rows, topics, user, reason)
            counting.bump_version()  # also when it has no statement: its page is new
        if then is not None:
            then(*outcome)
        return outcome

    return retrying(write, resolver)


def reextract(
    article: Article,
    result,
    *,
    resolver,
    topic_ids: dict[str, int],
    version: str,
    user=None,
):
    """Replaces an article's automatic statements with a new extraction `result`:
    reviewed statements (verified, corrected, rejected) stay exactly as the admin left
    them, and a new statement overlapping one of them is not added. The replaced
    automatic rows get no history row (nobody reviewed them). Returns (new, kept)."""

    @transaction.atomic
    def write():
        Article.objects.select_for_update().filter(pk=article.pk).first()
        mine = Statement.objects.filter(article=article)
        kept = list(mine.exclude(review_status=AUTO).values_list("start", "end"))
        auto = list(
            mine.filter(review_status=AUTO).values_list(
                "pk", "speaker_id", "country_id", "kind", "published"
            )
        )
        _delete_rows([row[0] for row in auto])
        counting.recount(counting.cell(*row[1:]) for row in auto)
        chosen = _chosen(result.statements, kept)
        speakers = resolver.resolve_article(chosen, result, article, user=user)
        rows, topics = _rows(chosen, speakers, topic_ids)
        created = add_statements(article, rows, topics, user, REEXTRACT_REASON)
        article.extractor_version = version
        _update(Article, [article], ["extractor_version"], user, REEXTRACT_REASON)
        return created, kept

    return retrying(write, resolver)
