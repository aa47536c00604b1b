"""Chainable filters for statements, so views read like sentences:

Statement.objects.public().by_speaker(s).in_country(c).on_topic(t).search(q)
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, models

SEARCH_CONFIG = "english"
# Marks around the words ts_headline matched; the browse templates escape the text and
# turn these into <mark>. Private-use characters, so no article text contains them.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


def statement_search_vector():
    """The expression the PostgreSQL GIN index is built on; search() must use the same one."""
    return SearchVector("text", config=SEARCH_CONFIG)


class StatementQuerySet(models.QuerySet):
    def public(self):
        """What analysts see: everything an admin has not rejected."""
        return self.exclude(review_status="rejected")

    def newest_first(self):
        return self.order_by("-published", "-id")

    def by_speaker(self, *speakers):
        return self.filter(speaker__in=speakers) if speakers else self

    def in_country(self, *countries):
        """By the speaker's country, kept on the statement itself (see Statement.country)."""
        return self.filter(country__in=countries) if countries else self

    def on_topic(self, *topics):
        return self.filter(topics__in=topics).distinct() if topics else self

    def of_kind(self, *kinds):
        return self.filter(kind__in=kinds) if kinds else self

    def between(self, start=None, end=None):
        qs = self
        if start:
            qs = qs.filter(published__gte=start)
        if end:
            qs = qs.filter(published__lte=end)
        return qs

    def search(self, query):
        """Full-text search on PostgreSQL (websearch syntax, ranked); a contains match elsewhere."""
        query = (query or "").strip()
        if not query:
            return self
        if connection.vendor == "postgresql":
            q = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
            return self.annotate(
                search_rank=SearchRank(statement_search_vector(), q)
            ).filter(search_rank__gt=0)
        return self.filter(text__icontains=query)

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
