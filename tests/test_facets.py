import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import corrections, counting
from statements.facets import counted_filter, summarise
from statements.models import Article, Country, Speaker, Statement, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    """A fixed cast: alice (UK) speaks most, bob (France), carol (UK), one unattributed."""
    uk = Country.objects.get(code="GB")
    fr = Country.objects.get(code="FR")
    alice = Speaker.objects.create(name="Alice Archer", country=uk)
    bob = Speaker.objects.create(name="Bob Bertrand", country=fr)
    carol = Speaker.objects.create(name="Carol Clarke", country=uk)
    climate = Topic.objects.create(name="Climate", slug="climate")
    trade = Topic.objects.create(name="Trade", slug="trade")
    war = Topic.objects.create(name="War", slug="war")

    def article(n, published):
        return Article.objects.create(
            title=f"Article {n}",
            text="…",
            content_hash=f"hash-{n}",
            published=published,
        )

    jan = article(1, datetime.date(2024, 1, 15))
    feb = article(2, datetime.date(2024, 2, 3))
    undated = article(3, None)
    plan = [
        (jan, alice, "direct", "Tariffs on steel will rise.", [trade]),
        (jan, alice, "indirect", "The climate plan is on track.", [climate, trade]),
        (feb, alice, "direct", "We will not send troops.", [war]),
        (
            feb,
            bob,
            "direct",
            "Steel tariffs hurt farmers and the climate.",
            [trade, climate],
        ),
        (feb, carol, "mixed", "The war must end.", [war, climate, trade]),
        (undated, bob, "indirect", "Talks resume next week.", []),
        (undated, None, "direct", "Nobody claims this one.", [war]),
    ]
    statements = []
    for i, (art, speaker, kind, text, topics) in enumerate(plan):
        statement = Statement(
            speaker=speaker,
            kind=kind,
            text=text,
            start=i * 100,
            end=i * 100 + len(text),
        )
        statements += corrections.add_statements(
            art, [statement], [[t.pk for t in topics]]
        )
    return {
        "uk": uk,
        "fr": fr,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "climate": climate,
        "trade": trade,
        "war": war,
        "statements": statements,
    }


def expected(queryset):
    """The counts worked out the slow way, from the result rows themselves."""
    rows = list(queryset.distinct().prefetch_related("topics"))
    speakers = Counter(s.speaker_id for s in rows if s.speaker_id)
    countries = Counter(s.country_id for s in rows if s.country_id)
    topics = Counter(t.pk for s in rows for t in s.topics.all())
    months = Counter(s.published.replace(day=1) for s in rows if s.published)
    return len(rows), speakers, countries, topics, months


def assert_counts_match(queryset):
    summary = summarise(queryset)
    total, speakers, countries, topics, months = expected(queryset)
    assert summary.total == total
    assert summary.total_is_exact
    assert {s.pk: n for s, n in summary.speakers} == dict(speakers)
    assert {c.pk: n for c, n in summary.countries} == dict(countries)
    assert {t.pk: n for t, n in summary.topics} == dict(topics)
    assert dict(summary.timeline) == dict(months)
    assert summary.timeline == sorted(summary.timeline)
    return summary


def test_it_counts_everything_public(cast):
    summary = assert_counts_match(Statement.objects.public())
    assert summary.total == 7
    assert summary.undated == 2
    assert summary.speakers[0] == (cast["alice"], 3)
    assert summary.countries[0] == (cast["uk"], 4)
    assert summary.topics[0] == (cast["trade"], 4)
    assert summary.timeline == [
        (datetime.date(2024, 1, 1), 2),
        (datetime.date(2024, 2, 1), 3),
    ]


def test_it_counts_by_leader(cast):
    summary = assert_counts_match(Statement.objects.public().by_speaker(cast["alice"]))
    assert summary.total == 3
    assert summary.speakers == [(cast["alice"], 3)]


def test_it_counts_by_country(cast):
    summary = assert_counts_match(Statement.objects.public().in_country(cast["uk"]))
    assert summary.total == 4
    assert summary.countries == [(cast["uk"], 4)]


def test_it_counts_a_topic_filter_without_counting_twice(cast):
    queryset = Statement.objects.public().on_topic(cast["climate"], cast["trade"])
    summary = assert_counts_match(queryset)
    assert summary.total == 4


def test_it_counts_the_filters_combined(cast):
    queryset = (
        Statement.objects.public()
        .by_speaker(cast["alice"], cast["carol"])
        .in_country(cast["uk"])
        .on_topic(cast["climate"])
        .of_kind("indirect", "mixed")
        .between(datetime.date(2024, 1, 1), datetime.date(2024, 2, 28))
    )
    summary = assert_counts_match(queryset)
    assert summary.total == 2


def test_it_counts_a_search(cast):
    summary = assert_counts_match(Statement.objects.public().search("steel"))
    assert summary.total == 2
    assert {s for s, _ in summary.speakers} == {cast["alice"], cast["bob"]}


def test_it_counts_a_search_with_filters(cast):
    queryset = Statement.objects.public().search("steel").in_country(cast["fr"])
    summary = assert_counts_match(queryset)
    assert summary.total == 1


def test_it_counts_nothing_when_nothing_matches(cast):
    summary = assert_counts_match(Statement.objects.public().search("zeppelin"))
    assert summary.total == 0
    assert summary.speakers == summary.countries == summary.topics == []
    assert summary.timeline == []


def test_it_keeps_the_top_ones_only_but_every_topic(cast):
    summary = summarise(Statement.objects.public(), top=1)
    assert summary.speakers == [(cast["alice"], 3)]
    assert summary.topics[0] == (cast["trade"], 4)
    assert len(summary.topics) == 3
    assert summary.total == 7


def queries(queryset):
    with CaptureQueriesContext(connection) as ctx:
        summarise(queryset)
    return len(ctx.captured_queries)


def test_it_runs_a_constant_number_of_queries_from_the_counts(cast):
    few = queries(Statement.objects.public().by_speaker(cast["bob"]))
    many = queries(Statement.objects.public())
    filtered = queries(
        Statement.objects.public().on_topic(cast["war"]).of_kind("mixed")
    )
    assert few == many == filtered


def test_it_runs_a_constant_number_of_queries_counting_rows(cast):
    few = queries(Statement.objects.public().search("troops"))
    many = queries(Statement.objects.public().search("climate"))
    filtered = queries(
        Statement.objects.public().on_topic(cast["war"], cast["trade"]).search("war")
    )
    assert few == many == filtered


def test_it_counts_a_search_once_then_reads_the_cache(cast):
    cold = queries(Statement.objects.public().search("steel"))
    warm = queries(Statement.objects.public().search("steel"))
    assert warm < cold
    assert_counts_match(Statement.objects.public().search("steel"))


def test_it_counts_a_search_again_after_a_correction(cast):
    summarise(Statement.objects.public().search("steel"))
    corrections.set_status([cast["statements"][3]], Statement.ReviewStatus.REJECTED)

    summary = assert_counts_match(Statement.objects.public().search("steel"))
    assert summary.total == 1


def test_it_counts_every_time_with_the_cache_off(cast, settings):
    settings.FACETS_CACHE_SECONDS = 0
    cold = queries(Statement.objects.public().search("steel"))
    again = queries(Statement.objects.public().search("steel"))
    assert again == cold


def test_it_shows_a_corrected_speaker_at_once(cast):
    summarise(Statement.objects.public())
    corrections.correct(cast["statements"][0], cast["bob"])

    summary = assert_counts_match(Statement.objects.public())
    assert dict(summary.speakers)[cast["alice"]] == 2
    assert dict(summary.speakers)[cast["bob"]] == 3
    assert dict(summary.countries)[cast["fr"]] == 3
    summary = assert_counts_match(Statement.objects.public().by_speaker(cast["bob"]))
    assert summary.total == 3


def test_it_drops_a_rejected_statement_at_once(cast):
    summarise(Statement.objects.public())
    corrections.set_status([cast["statements"][4]], Statement.ReviewStatus.REJECTED)

    summary = assert_counts_match(Statement.objects.public())
    assert summary.total == 6
    assert cast["carol"] not in dict(summary.speakers)


def test_it_shows_changed_topics_at_once(cast):
    summarise(Statement.objects.public().on_topic(cast["war"]))
    first = cast["statements"][0]
    corrections.edit(first, {"topics": [*first.topics.all(), cast["war"]]})

    summary = assert_counts_match(Statement.objects.public().on_topic(cast["war"]))
    assert summary.total == 4


def test_it_forgets_a_deleted_statement_at_once(cast):
    summarise(Statement.objects.public())
    corrections.delete_statements([cast["statements"][1]])

    summary = assert_counts_match(Statement.objects.public())
    assert summary.total == 6


def test_it_answers_plain_filters_from_the_counts(cast):
    assert counted_filter(Statement.objects.public()) is not None
    queryset = (
        Statement.objects.public()
        .by_speaker(cast["alice"])
        .in_country(cast["uk"])
        .on_topic(cast["trade"])
        .of_kind("direct", "indirect")
        .between(datetime.date(2024, 1, 1), datetime.date(2024, 2, 29))
        .newest_first()
        .with_related()
    )
    assert counted_filter(queryset) is not None
    assert assert_counts_match(queryset).total == 2


def test_it_counts_rows_for_what_the_counts_cannot_answer(cast):
    public = Statement.objects.public()
    assert counted_filter(public.search("steel")) is None
    assert counted_filter(public.on_topic(cast["war"], cast["trade"])) is None
    assert counted_filter(public.filter(cue="said")) is None
    assert counted_filter(Statement.objects.by_speaker(cast["alice"])) is None


def test_it_counts_a_date_range_that_cuts_a_month(cast):
    queryset = Statement.objects.public().between(
        datetime.date(2024, 1, 20), datetime.date(2024, 2, 10)
    )
    assert counted_filter(queryset) is not None
    assert assert_counts_match(queryset).total == 3


@pytest.mark.parametrize(
    "since, until, total",
    [
        (datetime.date(2024, 1, 10), None, 5),
        (datetime.date(2024, 1, 16), None, 3),
        (None, datetime.date(2024, 2, 2), 2),
        (None, datetime.date(2024, 2, 3), 5),
        (datetime.date(2024, 1, 15), datetime.date(2024, 1, 15), 2),
        (datetime.date(2024, 2, 4), datetime.date(2024, 2, 28), 0),
        (datetime.date(2023, 12, 31), datetime.date(2024, 3, 1), 5),
        (datetime.date(2024, 1, 1), datetime.date(2024, 1, 31), 2),
    ],
)
def test_it_counts_any_date_range_with_other_filters(cast, since, until, total):
    public = Statement.objects.public()
    assert assert_counts_match(public.between(since, until)).total == total
    assert_counts_match(public.between(since, until).by_speaker(cast["alice"]))
    assert_counts_match(public.between(since, until).on_topic(cast["climate"]))
    assert_counts_match(
        public.between(since, until).on_topic(cast["trade"]).of_kind("direct")
    )


def test_it_counts_the_other_topics_of_a_topic_filter(cast):
    summary = assert_counts_match(Statement.objects.public().on_topic(cast["war"]))
    assert dict(summary.topics) == {
        cast["war"]: 3,
        cast["climate"]: 1,
        cast["trade"]: 1,
    }


def test_it_shows_a_speakers_new_country_at_once(cast):
    summarise(Statement.objects.public())
    cast["carol"].country = cast["fr"]
    corrections.save_speaker(cast["carol"])

    summary = assert_counts_match(Statement.objects.public().in_country(cast["fr"]))
    assert summary.total == 3


def test_it_shows_an_articles_new_date_at_once(cast):
    summarise(Statement.objects.public())
    article = cast["statements"][0].article
    article.published = datetime.date(2023, 12, 31)
    corrections.update_article(article)

    summary = assert_counts_match(Statement.objects.public())
    assert summary.timeline[0] == (datetime.date(2023, 12, 1), 2)


def test_it_counts_everything_again_after_a_bulk_load(cast):
    Statement.objects.filter(speaker=cast["alice"]).update(review_status="rejected")
    counting.rebuild()

    summary = assert_counts_match(Statement.objects.public())
    assert summary.total == 4


def test_it_leaves_a_deleted_speakers_statements_unattributed(cast):
    summarise(Statement.objects.public())
    corrections.delete_speakers([cast["alice"]])

    summary = assert_counts_match(Statement.objects.public())
    assert summary.total == 7
    assert Statement.objects.filter(speaker=None, country=None).count() == 4


def grains_snapshot():
    return {
        counting.table(grain): sorted(
            grain.objects.order_by().values_list(*counting.dims(grain), "n"), key=repr
        )
        for grain in counting.GRAINS
    }


def test_every_count_matches_a_full_recount_after_corrections(cast):
    s = cast["statements"]
    corrections.correct(s[0], cast["carol"])
    corrections.edit(s[1], {"kind": "direct"})
    corrections.set_status([s[2]], Statement.ReviewStatus.REJECTED)
    corrections.edit(s[3], {"topics": [cast["trade"]]})
    corrections.edit(s[5], {"topics": [cast["war"]]})
    corrections.delete_statements([s[4]])
    cast["bob"].country = cast["uk"]
    corrections.save_speaker(cast["bob"])
    s[0].article.published = datetime.date(2023, 6, 6)
    corrections.update_article(s[0].article)
    corrections.merge([cast["carol"]], cast["bob"])
    corrections.delete_speakers([cast["alice"]])
    kept = grains_snapshot()

    counting.rebuild()
    assert grains_snapshot() == kept


def test_it_adds_statements_created_in_bulk(cast):
    article = cast["statements"][0].article
    created = corrections.add_statements(
        article,
        [
            Statement(
                speaker=speaker,
                kind=kind,
                text=f"Bulk {i}.",
                start=2000 + i * 10,
                end=2005 + i * 10,
            )
            for i, (speaker, kind) in enumerate(
                [(cast["bob"], "direct"), (cast["alice"], "mixed"), (None, "indirect")]
            )
        ],
        [[cast["war"].pk, cast["trade"].pk], [cast["war"].pk], []],
    )

    assert [s.country for s in created] == [cast["fr"], cast["uk"], None]
    assert {s.published for s in created} == {article.published}
    summary = assert_counts_match(Statement.objects.public())
    assert summary.total == 10
    assert_counts_match(Statement.objects.public().on_topic(cast["war"]))
    kept = grains_snapshot()
    counting.rebuild()
    assert grains_snapshot() == kept
