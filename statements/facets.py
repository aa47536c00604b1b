"""Facet counts for a filtered set of statements: the total, top speakers, countries
and topics, and statements per month.

    summary = summarise(Statement.objects.public().by_speaker(s).search(q))

Runs a constant number of queries whatever the size of the set. Every count is
exact: the total is the sum of the timeline (plus any undated statements), so the
total and the facets come from the same rows as the results.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth

TOP = 10


@dataclass
class Summary:
    total: int = 0
    # False when the total is a lower bound ("10,000+"); every count here is exact today.
    total_is_exact: bool = True
    speakers: list = field(default_factory=list)  # [(Speaker, n)], most first
    countries: list = field(default_factory=list)  # [(Country, n)], most first
    topics: list = field(default_factory=list)  # [(Topic, n)], most first
    timeline: list = field(
        default_factory=list
    )  # [(first day of month, n)], oldest first
    undated: int = (
        0  # statements whose article has no date; in the total, not the timeline
    )


def summarise(queryset, top: int = TOP) -> Summary:
    """Count the statements of `queryset` (a filtered StatementQuerySet) by facet."""
    from .models import Country, Speaker, Statement, Topic

    # The filtered statements as a subquery, so joins and distinct() in the filter
    # (the topic filter has both) never count a statement twice.
    ids = queryset.order_by().values("pk")
    rows = Statement.objects.filter(pk__in=ids).order_by()

    summary = Summary()
    by_month = (
        rows.annotate(month=TruncMonth("published"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    for month, n in by_month:
        summary.total += n
        if month is None:
            summary.undated += n
        else:
            summary.timeline.append((_as_date(month), n))

    speaker_counts = list(
        rows.filter(speaker__isnull=False)
        .values_list("speaker")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker")[:top]
    )
    country_counts = list(
        rows.filter(country__isnull=False)
        .values_list("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")[:top]
    )
    topic_counts = list(
        Statement.topics.through.objects.filter(statement__in=ids)
        .values_list("topic")
        .annotate(n=Count("statement"))
        .order_by("-n", "topic")[:top]
    )
    summary.speakers = _with_objects(
        speaker_counts, Speaker.objects.select_related("country")
    )
    summary.countries = _with_objects(country_counts, Country.objects.all())
    summary.topics = _with_objects(topic_counts, Topic.objects.all())
    return summary


def _with_objects(counts, queryset):
    if not counts:
        return []
    objects = queryset.in_bulk([pk for pk, _ in counts])
    return [(objects[pk], n) for pk, n in counts if pk in objects]


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value
