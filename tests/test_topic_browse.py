"""Major topics and subtopics on the browse pages: the topic filter, the topic facet,
and a page for each topic of both levels."""

import datetime

import pytest

from statements import corrections
from statements.models import Article, Speaker, Statement, Topic
from tests.browse_cast import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def said():
    """Nina speaks on taxes (twice) and inflation; Olle on the economy and on NATO."""
    economy = Topic.objects.create(name="Economy", slug="economy")
    Topic.objects.create(name="Taxes", slug="taxes", parent=economy)
    Topic.objects.create(name="Inflation", slug="inflation", parent=economy)
    defence = Topic.objects.create(name="Defence", slug="defence")
    Topic.objects.create(name="NATO", slug="nato", parent=defence)
    Topic.objects.create(name="Housing", slug="housing")
    nina = Speaker.objects.create(name="Nina Berg")
    olle = Speaker.objects.create(name="Olle Dahl")
    plan = [
        (nina, "Taxes will fall.", ["taxes"]),
        (nina, "Tax cuts come first.", ["taxes"]),
        (nina, "Prices are rising.", ["inflation"]),
        (olle, "The economy is strong.", ["economy"]),
        (olle, "The alliance holds.", ["nato"]),
    ]
    ids = dict(Topic.objects.values_list("slug", "pk"))
    topics = {}
    for i, (speaker, text, slugs) in enumerate(plan):
        article = Article.objects.create(
            text=text, content_hash=f"h{i}", published=datetime.date(2025, 3, i + 1)
        )
        s = Statement.objects.create(
            article=article,
            speaker=speaker,
            kind="direct",
            text=text,
            start=0,
            end=len(text),
        )
        topics[s.pk] = [ids[slug] for slug in slugs]
    corrections.set_topics(topics)


def test_a_filter_on_a_major_topic_finds_the_statements_of_its_subtopics(client, said):
    r = client.get("/?topic=economy")
    assert sorted(texts(r)) == [
        "Prices are rising.",
        "Tax cuts come first.",
        "Taxes will fall.",
        "The economy is strong.",
    ]
    assert r.context["summary"].total == 4


def test_the_topic_menu_groups_subtopics_under_their_major_topic_with_counts(
    client, said
):
    html = client.get("/").content.decode()
    assert '<optgroup label="Economy">' in html
    assert '<option value="economy">Economy, all (4)</option>' in html
    assert '<option value="taxes">Taxes (2)</option>' in html
    assert '<option value="housing">Housing (0)</option>' in html


def test_the_topic_facet_shows_major_topics_with_their_subtopics(client, said):
    r = client.get("/")
    tree = [
        (major.slug, n, [(t.slug, m) for t, m in subs])
        for major, n, subs in r.context["summary"].topic_tree
    ]
    assert tree == [
        ("economy", 4, [("taxes", 2), ("inflation", 1)]),
        ("defence", 1, [("nato", 1)]),
    ]
    html = r.content.decode()
    assert 'class="counts counts--sub"' in html


def test_a_leaders_topic_facet_shows_what_they_talk_about(client, said):
    r = client.get("/speakers/nina-berg/")
    tree = [
        (major.slug, n, [(t.slug, m) for t, m in subs])
        for major, n, subs in r.context["summary"].topic_tree
    ]
    assert tree == [("economy", 3, [("taxes", 2), ("inflation", 1)])]
    assert "Topics they speak on" in r.content.decode()


def test_a_major_topics_page_lists_its_subtopics_with_their_counts(client, said):
    r = client.get("/topics/economy/")
    assert r.status_code == 200
    assert len(texts(r)) == 4
    html = r.content.decode()
    assert "<h2>Subtopics</h2>" in html
    assert '<a href="/topics/taxes/">Taxes</a> <span class="n">2</span>' in html


def test_a_subtopics_page_names_its_major_topic(client, said):
    r = client.get("/topics/taxes/")
    assert r.status_code == 200
    assert sorted(texts(r)) == ["Tax cuts come first.", "Taxes will fall."]
    html = r.content.decode()
    assert 'Subtopic of <a href="/topics/economy/">Economy</a>' in html


def test_a_statements_topics_show_each_major_topic_before_its_subtopics(client, said):
    statement = Statement.objects.get(text="The alliance holds.")
    ids = dict(Topic.objects.values_list("slug", "pk"))
    corrections.set_topics({statement.pk: [ids["taxes"], ids["nato"]]})
    r = client.get(f"/statements/{statement.pk}/")
    assert [t.name for t in r.context["statement"].topics.all()] == [
        "Defence",
        "NATO",
        "Economy",
        "Taxes",
    ]


def test_the_topic_box_lists_subtopics_under_their_major_topic_with_counts(
    client, said
):
    html = client.get("/topics/options/").content.decode()
    economy = html.index('class="combobox__group" id="topic-group-2">Economy</div>')
    assert html.index('data-value="economy"', economy) < html.index(
        'data-value="taxes"', economy
    )
    assert 'Economy, all <span class="muted">4</span>' in html
    assert 'Taxes <span class="muted">2</span>' in html


def test_a_subtopic_found_by_name_comes_under_its_major_topic(client, said):
    html = client.get("/topics/options/?q=tax").content.decode()
    assert ">Economy</div>" in html
    assert 'data-value="taxes"' in html
    assert 'data-value="economy"' not in html
