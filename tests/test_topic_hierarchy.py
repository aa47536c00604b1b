"""Major topics and subtopics: a statement on a subtopic is on its major topic too, so
the major topic's filter finds it and its pre-aggregated counts take it in, exactly."""

import datetime
from collections import Counter

import pytest

from statements import corrections, counting
from statements.facets import counted_filter, summarise
from statements.models import Article, Country, Speaker, Statement, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Economy with Taxes and Inflation under it; Defence with NATO; Health alone."""
    economy = Topic.objects.create(name="Economy", slug="economy")
    taxes = Topic.objects.create(name="Taxes", slug="taxes", parent=economy)
    inflation = Topic.objects.create(name="Inflation", slug="inflation", parent=economy)
    defence = Topic.objects.create(name="Defence", slug="defence")
    nato = Topic.objects.create(name="NATO", slug="nato", parent=defence)
    health = Topic.objects.create(name="Health", slug="health")
    return {
        "economy": economy,
        "taxes": taxes,
        "inflation": inflation,
        "defence": defence,
        "nato": nato,
        "health": health,
    }


@pytest.fixture
def said(tree):
    """Six statements by two speakers over two months, given topics by the bulk
    rewrite; the last one is rejected."""
    uk = Country.objects.get(code="GB")
    ann = Speaker.objects.create(name="Ann Oakes", country=uk)
    ben = Speaker.objects.create(name="Ben Pryce")
    march = Article.objects.create(
        text="…", content_hash="m", published=datetime.date(2025, 3, 4)
    )
    april = Article.objects.create(
        text="…", content_hash="a", published=datetime.date(2025, 4, 9)
    )
    plan = [
        (march, ann, [tree["taxes"]]),
        (march, ann, [tree["taxes"], tree["inflation"]]),
        (march, ben, [tree["economy"]]),
        (april, ben, [tree["nato"], tree["health"]]),
        (april, ann, [tree["inflation"], tree["defence"]]),
        (april, ben, [tree["taxes"]]),
    ]
    out = []
    for i, (article, speaker, _) in enumerate(plan):
        out.append(
            Statement.objects.create(
                article=article,
                speaker=speaker,
                kind="direct",
                text=f"Statement {i}.",
                start=i * 20,
                end=i * 20 + 12,
            )
        )
    corrections.set_status([out[-1]], Statement.ReviewStatus.REJECTED)
    corrections.set_topics(
        {
            s.pk: [t.pk for t in topics]
            for s, (_, _, topics) in zip(out, plan, strict=True)
        }
    )
    return out


def grains():
    return {
        counting.table(grain): sorted(
            grain.objects.order_by().values_list(*counting.dims(grain), "n"), key=repr
        )
        for grain in counting.GRAINS
    }


def row_counts(queryset):
    rows = list(queryset.prefetch_related("topics"))
    return (
        len(rows),
        Counter(s.speaker_id for s in rows if s.speaker_id),
        Counter(t.pk for s in rows for t in s.topics.all()),
    )


def assert_counts_match(queryset):
    summary = summarise(queryset)
    total, speakers, topics = row_counts(queryset)
    assert summary.total == total
    assert {s.pk: n for s, n in summary.speakers} == dict(speakers)
    assert {t.pk: n for t, n in summary.topics} == dict(topics)
    return summary


def test_a_statement_on_a_subtopic_is_on_its_major_topic_too(tree, said):
    assert set(said[0].topics.all()) == {tree["taxes"], tree["economy"]}
    assert set(said[3].topics.all()) == {tree["nato"], tree["defence"], tree["health"]}


def test_a_filter_on_a_major_topic_includes_its_subtopics(tree, said):
    public = Statement.objects.public()
    assert set(public.on_topic(tree["economy"])) == {said[0], said[1], said[2], said[4]}
    assert set(public.on_topic(tree["taxes"])) == {said[0], said[1]}


def test_a_major_topics_counts_match_its_statements_and_come_from_the_counts(
    tree, said
):
    public = Statement.objects.public()
    for topic in tree.values():
        assert counted_filter(public.on_topic(topic)) is not None
        assert_counts_match(public.on_topic(topic))
    summary = assert_counts_match(public.on_topic(tree["economy"]))
    assert summary.total == 4
    # The topic facet of a major topic: its subtopics among the topics of its statements.
    topics = dict(summary.topics)
    assert topics[tree["taxes"]] == 2
    assert topics[tree["inflation"]] == 2


def test_the_unfiltered_counts_give_each_major_topic_with_its_subtopics(tree, said):
    summary = assert_counts_match(Statement.objects.public())
    topics = dict(summary.topics)
    assert topics[tree["economy"]] == 4
    assert topics[tree["taxes"]] == 2
    assert topics[tree["defence"]] == 2


def test_the_bulk_rewrite_changes_only_what_differs_and_keeps_the_counts(tree, said):
    changed = corrections.set_topics(
        {
            said[0].pk: [tree["taxes"].pk],  # as before
            said[2].pk: [tree["nato"].pk],  # economy -> nato (and defence)
        }
    )
    assert changed == 1
    assert set(said[2].topics.all()) == {tree["nato"], tree["defence"]}
    public = Statement.objects.public()
    assert assert_counts_match(public.on_topic(tree["economy"])).total == 3
    assert assert_counts_match(public.on_topic(tree["defence"])).total == 3
    kept = grains()
    counting.rebuild()
    assert grains() == kept


def test_every_grain_equals_a_full_recount_after_topic_writes(tree, said):
    corrections.set_topics({said[1].pk: [], said[4].pk: [tree["health"].pk]})
    tree["health"].parent = tree["economy"]
    tree["health"].save()
    corrections.link_major_topics(topic_ids=[tree["health"].pk])
    corrections.set_topics(
        {said[3].pk: [t.pk for t in said[3].topics.all()] + [tree["inflation"].pk]}
    )
    kept = grains()
    counting.rebuild()
    assert grains() == kept
    assert_counts_match(Statement.objects.public().on_topic(tree["economy"]))


def test_a_subtopic_moved_under_a_major_topic_brings_its_statements(tree, said):
    tree["health"].parent = tree["economy"]
    tree["health"].save()
    assert corrections.link_major_topics(topic_ids=[tree["health"].pk]) == 1
    assert tree["economy"] in said[3].topics.all()
    assert_counts_match(Statement.objects.public().on_topic(tree["economy"]))


def test_each_subtopic_brings_its_major_topic_right_after_it(tree):
    taxes, nato = tree["taxes"].pk, tree["nato"].pk
    assert corrections.with_major_topics([[taxes, nato], [tree["economy"].pk]]) == [
        [taxes, tree["economy"].pk, nato, tree["defence"].pk],
        [tree["economy"].pk],
    ]


def test_a_subtopic_of_a_subtopic_is_refused(tree):
    from django.core.exceptions import ValidationError

    deeper = Topic(name="Income tax", slug="income-tax", parent=tree["taxes"])
    with pytest.raises(ValidationError, match="two levels only"):
        deeper.full_clean()


def test_a_major_topic_with_subtopics_cannot_become_a_subtopic(tree):
    from django.core.exceptions import ValidationError

    tree["economy"].parent = tree["defence"]
    with pytest.raises(ValidationError, match="must stay a major topic"):
        tree["economy"].full_clean()
