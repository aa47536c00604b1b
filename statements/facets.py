"""Facet counts for a filtered set of statements: the total, top speakers, countries
and topics, and statements per month.

    summary = summarise(Statement.objects.public().by_speaker(s).search(q))

Runs a constant number of queries whatever the size of the set. Every count is
exact: the total is the sum of the timeline (plus any undated statements), so the
total and the facets come from the same rows as the results.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

TOP = 10
# "Who speaks most" lists people; organisations have a list of their own. Groups
# ("officials", "aides") and countries as speakers are in neither.
PERSON, ORGANISATION = "person", "organisation"
# Topics are all counted, whatever `top`: the pages group them under their major topics.
TOPICS_TOP = 500


def _topic_limit(top):
    return None if top is None else max(top, TOPICS_TOP)


@dataclass
class Summary:
    total: int = 0
    # False when the total is a lower bound ("10,000+"); every count here is exact today.
    total_is_exact: bool = True
    speakers: list = field(default_factory=list)  # [(Speaker, n)]: people, most first
    organisations: list = field(default_factory=list)  # [(Speaker, n)], most first
    countries: list = field(default_factory=list)  # [(Country, n)], most first
    topics: list = field(default_factory=list)  # [(Topic, n)], most first
    timeline: list = field(
        default_factory=list
    )  # [(first day of month, n)], oldest first
    undated: int = (
        0  # statements whose article has no date; in the total, not the timeline
    )

    @property
    def topic_tree(self) -> list:
        """[(major topic, n, [(subtopic, n), ...])], most first: the topics of
        `topics` under their major topics (a subtopic's statements are counted in its
        major topic too)."""
        majors = {t.pk: (t, n, []) for t, n in self.topics if t.parent_id is None}
        loose = []
        for t, n in self.topics:
            if t.parent_id is None:
                continue
            if t.parent_id in majors:
                majors[t.parent_id][2].append((t, n))
            else:
                loose.append((t, n, []))
        return sorted(
            [*majors.values(), *loose], key=lambda row: (-row[1], row[0].name)
        )


def summarise(queryset, top: int = TOP) -> Summary:
    """Count the statements of `queryset` (a filtered StatementQuerySet) by facet.

    From the pre-aggregated counts (statements/count_tables.py) when the filter is one they
    cover; by grouping the matching rows otherwise. Both give the same numbers."""
    spec = counted_filter(queryset)
    if spec is not None and not spec.edges:
        return _from_counts(spec, top)
    return _cached_grouping(queryset, top, spec)


def _cached_grouping(queryset, top, spec=None):
    """Counting rows costs hundreds of milliseconds for a common word at a million
    statements, so the counts are cached, keyed on the filter's SQL and the version of
    the data (counting.data_version(), bumped by every write), never on time alone:
    paging through a search, or the htmx swap after the full page, count once."""
    from .counting import data_version
    from .models import Country, Speaker, Topic
    from .page_cache import cache_get, cache_set

    seconds = getattr(settings, "FACETS_CACHE_SECONDS", 0)
    key = None
    if seconds > 0:
        try:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return Summary()
        digest = hashlib.sha256(repr((sql, params, top)).encode()).hexdigest()
        key = f"facets2:{data_version()}:{digest}"
        counts = cache_get(key)
        if counts is not None:
            return _summary(counts, Speaker, Country, Topic)
    counts = _edge_counts(spec, top) if spec is not None else None
    if counts is None:
        counts = _group_counts(queryset, top)
    if key:
        cache_set(key, counts, seconds)
    return _summary(counts, Speaker, Country, Topic)


def _summary(counts, Speaker, Country, Topic):
    timeline, speaker_counts, country_counts, topic_counts, org_counts = counts
    summary = Summary()
    for month, n in timeline:
        summary.total += n
        if month is None:
            summary.undated += n
        else:
            summary.timeline.append((_as_date(month), n))
    # People and organisations in one query.
    speakers = Speaker.objects.select_related("country").in_bulk(
        [pk for pk, _ in [*speaker_counts, *org_counts]]
    )
    summary.speakers = [(speakers[pk], n) for pk, n in speaker_counts if pk in speakers]
    summary.organisations = [
        (speakers[pk], n) for pk, n in org_counts if pk in speakers
    ]
    summary.countries = _with_objects(country_counts, Country.objects.all())
    summary.topics = _with_objects(topic_counts, Topic.objects.all())
    return summary


@dataclass
class CountedFilter:
    """A filter the pre-aggregated counts can answer."""

    speakers: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    topic: object = None
    since: datetime.date | None = None  # first day of a month
    until: datetime.date | None = None  # first day of a month, that month included
    # Days at either end that cut a month: (first, last) ranges counted from the rows.
    edges: list = field(default_factory=list)
    no_months: bool = False  # every day asked for is in the edges


def _pk(value):
    return getattr(value, "pk", value)


def counted_filter(queryset):
    """The filter of `queryset` as a CountedFilter, or None when the counts cannot
    answer it (a search, several topics, dates that cut a month, any other filter)."""
    from .models import Statement

    calls = getattr(queryset, "filter_calls", None)
    if not calls or sum(name == "public" for name, _ in calls) != 1:
        return None
    names = [name for name, _ in calls]
    if len(set(names)) != len(names):
        return None
    spec = CountedFilter()
    for name, args in calls:
        if name == "by_speaker":
            spec.speakers = [_pk(a) for a in args]
        elif name == "in_country":
            spec.countries = [_pk(a) for a in args]
        elif name == "of_kind":
            spec.kinds = list(args)
        elif name == "on_topic":
            if len(args) != 1:
                return None
            spec.topic = _pk(args[0])
        elif name == "between":
            start, end = args
            if any(
                d
                and (
                    isinstance(d, datetime.datetime) or not isinstance(d, datetime.date)
                )
                for d in (start, end)
            ):
                return None
            _split_dates(spec, start, end)
        elif name != "public":
            return None
    # The recorded calls must be the whole filter: replay them and compare the SQL.
    replayed = Statement.objects.all()
    for name, args in calls:
        replayed = getattr(replayed, name)(*args)
    try:
        same = str(replayed.order_by().values("pk").query) == str(
            queryset.order_by().values("pk").query
        )
    except Exception:
        return None
    return spec if same else None


def _split_dates(spec, start, end):
    """Whole months from the counts; the days that cut a month at either end from rows."""
    day = datetime.timedelta(days=1)
    if start and start.day != 1:
        last = _month_end(start.replace(day=1))
        if end and end <= last:
            spec.edges.append((start, end))
            spec.no_months = True
            return
        spec.edges.append((start, last))
        start = last + day
    if end and end != _month_end(end.replace(day=1)):
        first = end.replace(day=1)
        spec.edges.append((first, end))
        end = first - day
    spec.since = start
    spec.until = end.replace(day=1) if end else None
    if spec.since and end and spec.since > end:
        spec.no_months = True


def _from_counts(spec, top):
    """The summary of a filter of whole months, from the counts."""
    from .models import Country, Speaker, Topic

    return _summary(_month_counts(spec, top), Speaker, Country, Topic)


def _edge_counts(spec, top):
    """Whole months from the counts, plus the rows of the days that cut a month."""
    from .models import Statement

    parts = [] if spec.no_months else [_month_counts(spec, None)]
    for first, last in spec.edges:
        rows = (
            Statement.objects.public()
            .by_speaker(*spec.speakers)
            .in_country(*spec.countries)
            .of_kind(*spec.kinds)
            .between(first, last)
        )
        if spec.topic is not None:
            rows = rows.on_topic(spec.topic)
        parts.append(_group_counts(rows, None))
    return _merge(parts, top)


def _merge(parts, top):
    """Sum (timeline, speakers, countries, topics) counts; the top ones of each."""
    merged = [{}, {}, {}, {}, {}]
    for part in parts:
        for i, rows in enumerate(part):
            for key, n in rows:
                merged[i][key] = merged[i].get(key, 0) + n
    timeline = sorted(merged[0].items(), key=lambda r: (r[0] is not None, r[0]))
    return (
        timeline,
        *(sorted(m.items(), key=lambda r: (-r[1], r[0]))[:top] for m in merged[1:3]),
        sorted(merged[3].items(), key=lambda r: (-r[1], r[0]))[: _topic_limit(top)],
        *(sorted(m.items(), key=lambda r: (-r[1], r[0]))[:top] for m in merged[4:]),
    )


def _month_counts(spec, top):
    """(timeline, speakers, countries, topics) as (key, n) rows from the counts, the
    top `top` of each facet (all of them for None)."""
    from .counting import grain_for
    from .models import Statement

    dims, lookups = set(), {}
    if spec.speakers:
        dims.add("speaker")
        lookups["speaker__in"] = spec.speakers
    if spec.countries:
        dims.add("country")
        lookups["country__in"] = spec.countries
    if spec.kinds:
        dims.add("kind")
        lookups["kind__in"] = spec.kinds
    if spec.since:
        dims.add("month")
        lookups["month__gte"] = spec.since
    if spec.until:
        dims.add("month")
        lookups["month__lte"] = spec.until

    def grouped(family, dim, speaker_kind=None, **more):
        """Counts by `dim` from the smallest grain that has it and the filter's dims
        (of speakers of `speaker_kind` only, where given)."""
        needed = dims | {dim}
        if family != "statement":
            needed.add("topic")
        grain = grain_for(family, needed)
        if grain is None:
            return None
        rows = grain.objects.filter(**lookups, **more).order_by()
        if spec.topic is not None and family != "statement":
            rows = rows.filter(topic=spec.topic)
        if dim in ("speaker", "country"):
            rows = rows.filter(**{f"{dim}__isnull": False})
        if speaker_kind:
            rows = rows.filter(speaker__kind=speaker_kind)
        return rows.values_list(dim).annotate(n=Sum("n"))

    family = "statement" if spec.topic is None else "topic"
    timeline = list(grouped(family, "month").order_by("month"))
    speaker_counts = list(
        grouped(family, "speaker", PERSON).order_by("-n", "speaker")[:top]
    )
    org_counts = list(
        grouped(family, "speaker", ORGANISATION).order_by("-n", "speaker")[:top]
    )
    country_counts = list(grouped(family, "country").order_by("-n", "country")[:top])
    if spec.topic is None:
        topic_counts = list(
            grouped("topic", "topic").order_by("-n", "topic")[: _topic_limit(top)]
        )
    else:
        # The other topics of the statements on this topic.
        pairs = grouped("pair", "other")
        if pairs is not None:
            topic_counts = list(pairs.order_by("-n", "other")[: _topic_limit(top)])
        else:
            on_topic = (
                Statement.objects.public()
                .on_topic(spec.topic)
                .by_speaker(*spec.speakers)
                .in_country(*spec.countries)
                .of_kind(*spec.kinds)
                .between(spec.since, _month_end(spec.until))
            )
            topic_counts = _topic_counts(on_topic, _topic_limit(top))
    return timeline, speaker_counts, country_counts, topic_counts, org_counts


def _month_end(month):
    if month is None:
        return None
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(
        day=1
    ) - datetime.timedelta(days=1)


def _topic_counts(queryset, top):
    from .models import Statement

    return list(
        Statement.topics.through.objects.filter(
            statement__in=queryset.order_by().values("pk")
        )
        .values_list("topic")
        .annotate(n=Count("statement"))
        .order_by("-n", "topic")[:top]
    )


def _group_counts(queryset, top):
    """(timeline, speakers, countries, topics) as (key, n) rows, from the rows."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return _group_counts_in_one_query(queryset, top)
    from .models import Statement

    # The filtered statements as a subquery, so a join in the filter never counts a
    # statement twice.
    ids = queryset.order_by().values("pk")
    rows = Statement.objects.filter(pk__in=ids).order_by()
    timeline = list(
        rows.annotate(month=TruncMonth("published"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    speaker_counts, org_counts = (
        list(
            rows.filter(speaker__kind=kind)
            .values_list("speaker")
            .annotate(n=Count("pk"))
            .order_by("-n", "speaker")[:top]
        )
        for kind in (PERSON, ORGANISATION)
    )
    country_counts = list(
        rows.filter(country__isnull=False)
        .values_list("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")[:top]
    )
    return (
        timeline,
        speaker_counts,
        country_counts,
        _topic_counts(queryset, _topic_limit(top)),
        org_counts,
    )


def _group_counts_in_one_query(queryset, top):
    """On PostgreSQL: one pass over the matching rows (a materialised CTE) for all
    four facets, instead of four scans of the same rows."""
    from django.db import connection

    from .models import Speaker, Statement

    try:
        sql, params = (
            queryset.order_by()
            .values_list("pk", "speaker_id", "country_id", "published")
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return [], [], [], [], []
    links = Statement.topics.through._meta.db_table
    speakers = Speaker._meta.db_table
    query = f"""
        WITH m (id, speaker_id, country_id, published) AS MATERIALIZED ({sql})
        (SELECT 'month', NULL::bigint, date_trunc('month', published)::date, count(*)
         FROM m GROUP BY 3)
        UNION ALL
        (SELECT 'speaker', speaker_id, NULL, count(*) FROM m
         JOIN {speakers} sp ON sp.id = m.speaker_id AND sp.kind = 'person'
         GROUP BY 2 ORDER BY 4 DESC, 2 LIMIT %s)
        UNION ALL
        (SELECT 'organisation', speaker_id, NULL, count(*) FROM m
         JOIN {speakers} sp ON sp.id = m.speaker_id AND sp.kind = 'organisation'
         GROUP BY 2 ORDER BY 4 DESC, 2 LIMIT %s)
        UNION ALL
        (SELECT 'country', country_id, NULL, count(*) FROM m
         WHERE country_id IS NOT NULL GROUP BY 2 ORDER BY 4 DESC, 2 LIMIT %s)
        UNION ALL
        (SELECT 'topic', t.topic_id, NULL, count(*) FROM m
         JOIN {links} t ON t.statement_id = m.id GROUP BY 2 ORDER BY 4 DESC, 2 LIMIT %s)
    """
    out = {"month": [], "speaker": [], "organisation": [], "country": [], "topic": []}
    with connection.cursor() as cur:
        cur.execute(query, (*params, top, top, top, _topic_limit(top)))
        for facet, pk, month, n in cur.fetchall():
            out[facet].append((month if facet == "month" else pk, n))
    by_n = lambda rows: sorted(rows, key=lambda r: (-r[1], r[0]))  # noqa: E731
    return (
        sorted(out["month"], key=lambda r: (r[0] is not None, r[0])),
        by_n(out["speaker"]),
        by_n(out["country"]),
        by_n(out["topic"]),
        by_n(out["organisation"]),
    )


def _with_objects(counts, queryset):
    if not counts:
        return []
    objects = queryset.in_bulk([pk for pk, _ in counts])
    return [(objects[pk], n) for pk, n in counts if pk in objects]


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value
