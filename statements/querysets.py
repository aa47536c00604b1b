"""Chainable filters for statements, so views read like sentences:

Statement.objects.public().by_speaker(s).in_country(c).on_topic(t).search(q)
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db import connection, models
from django.db.models import F

SEARCH_CONFIG = "english"
# Marks around the words ts_headline matched; the browse templates escape the text and
# turn these into <mark>. Private-use characters, so no article text contains them.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


def statement_search_vector():
    """The statement's text as a tsvector: the column a trigger keeps and the GIN index
    covers on PostgreSQL (migration 0005), the same as SearchVector("text", config=SEARCH_CONFIG)."""
    return F("search_document")


class StatementQuerySet(models.QuerySet):
    """Each filter method records its call in `filter_calls`, so facets.summarise() can
    tell a filter it has pre-aggregated counts for from one it must count row by row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter_calls = ()

    def _clone(self):
        clone = super()._clone()
        clone.filter_calls = self.filter_calls
        return clone

    def _recorded(self, name, *args):
        self.filter_calls = (*self.filter_calls, (name, args))
        return self

    def public(self):
        """What analysts see: everything an admin has not rejected."""
        return self.exclude(review_status="rejected")._recorded("public")

    def newest_first(self):
        return self.order_by("-published", "-id")

    def by_speaker(self, *speakers):
        if not speakers:
            return self
        return self.filter(speaker__in=speakers)._recorded("by_speaker", *speakers)

    def in_country(self, *countries):
        """By the speaker's country, kept on the statement itself (see Statement.country)."""
        if not countries:
            return self
        return self.filter(country__in=countries)._recorded("in_country", *countries)

    def on_topic(self, *topics):
        """On any of these topics. A semi-join (EXISTS), not a join and DISTINCT, so a
        page of the newest can walk the date index and stop after one page."""
        if not topics:
            return self
        links = self.model.topics.through.objects.filter(
            statement=models.OuterRef("pk"), topic__in=topics
        )
        return self.filter(models.Exists(links))._recorded("on_topic", *topics)

    def of_kind(self, *kinds):
        if not kinds:
            return self
        return self.filter(kind__in=kinds)._recorded("of_kind", *kinds)

    def between(self, start=None, end=None):
        qs = self
        if start:
            qs = qs.filter(published__gte=start)
        if end:
            qs = qs.filter(published__lte=end)
        return qs._recorded("between", start, end) if start or end else qs

    def search(self, query):
        """Full-text search on PostgreSQL (websearch syntax, ranked); a contains match elsewhere."""
        query = (query or "").strip()
        if not query:
            return self
        if connection.vendor == "postgresql":
            q = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
            # Matched with @@ on the indexed column, so the GIN index can find the rows;
            # the rank is an alias, computed only if something orders by it.
            return (
                self.alias(search_rank=SearchRank(statement_search_vector(), q))
                .filter(search_document=q)
                ._recorded("search", query)
            )
        return self.filter(text__icontains=query)._recorded("search", query)

    def with_headline(self, query):
        """On PostgreSQL, annotate `headline`: the whole text with the words the search
        matched between HIGHLIGHT_START and HIGHLIGHT_STOP. Used on one page of results."""
        query = (query or "").strip()
        if not query or connection.vendor != "postgresql":
            return self
        q = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return self.annotate(
            headline=SearchHeadline(
                "text",
                q,
                config=SEARCH_CONFIG,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                highlight_all=True,
            )
        )

    def with_related(self):
        return self.select_related(
            "speaker", "speaker__country", "article", "country"
        ).prefetch_related("topics")


def _word_start(term: str) -> str:
    """A regular expression (Python's and PostgreSQL's) for `term` at the start of a word."""
    import re

    return r"(^|[^0-9A-Za-z\u00c0-\u024f])" + re.escape(term)


class SpeakerQuerySet(models.QuerySet):
    """Speaker.objects.leaders().matching("trump").with_statement_counts()"""

    def remaining(self):
        """Not merged into another speaker."""
        return self.filter(merged_into__isnull=True)

    def leaders(self):
        """Who can be picked as a leader: people and organisations not merged away.
        Groups ("officials", "aides") and countries are not leaders."""
        return self.remaining().filter(kind__in=["person", "organisation"])

    def matching(self, q: str):
        """Every word of `q` starts a word of the speaker's name or of one of their
        aliases: "trump" finds Donald Trump, "don tru" too."""
        from .models import SpeakerAlias

        queryset = self
        for term in q.split()[:6]:
            pattern = _word_start(term)
            queryset = queryset.filter(
                models.Q(name__iregex=pattern)
                | models.Exists(
                    SpeakerAlias.objects.filter(
                        speaker=models.OuterRef("pk"), alias__iregex=pattern
                    )
                )
            )
        return queryset

    def with_statement_counts(self):
        """`n_statements`: public statements, from the count tables (one indexed
        subquery per row listed, not a scan of the statements)."""
        from django.db.models.functions import Coalesce

        from .count_tables import CountSCK

        counted = (
            CountSCK.objects.filter(speaker=models.OuterRef("pk"))
            .order_by()
            .values("speaker")
            .annotate(total=models.Sum("n"))
            .values("total")
        )
        return self.annotate(
            n_statements=Coalesce(
                models.Subquery(counted, output_field=models.IntegerField()),
                models.Value(0),
            )
        )

    def by_statement_count(self):
        return self.with_statement_counts().order_by("-n_statements", "name", "pk")
