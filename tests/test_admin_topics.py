"""The topic admin: key phrases one a line, parents of two levels only, and statements
that follow a subtopic to its major topic."""

import datetime

import pytest

from statements.models import Article, Statement, Topic
from tests.users import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client):
    """Staff, and may change topics and statements."""
    user = staff_user(
        "alice", "view_topic", "change_topic", "view_statement", "change_statement"
    )
    client.force_login(user)
    return user


@pytest.fixture
def topics():
    economy = Topic.objects.create(name="Economy", slug="economy")
    health = Topic.objects.create(name="Health", slug="health")
    taxes = Topic.objects.create(name="Taxes", slug="taxes", parent=economy)
    return economy, health, taxes


@pytest.fixture
def statement():
    text = "Mia Holm said taxes would rise."
    article = Article.objects.create(
        text=text, content_hash="h", published=datetime.date(2025, 1, 2)
    )
    return Statement.objects.create(
        article=article, kind="indirect", text="taxes would rise", start=14, end=30
    )


def change(client, topic, **fields):
    data = {
        "name": topic.name,
        "slug": topic.slug,
        "parent": topic.parent_id or "",
        "description": topic.description,
        "key_phrases": "\n".join(topic.key_phrases),
        **fields,
    }
    return client.post(f"/admin/statements/topic/{topic.pk}/change/", data)


def test_key_phrases_are_edited_one_a_line_with_their_weights(client, alice, topics):
    economy = topics[0]
    response = change(client, economy, key_phrases="inflation\n\n budget |0.5 \n")
    assert response.status_code == 302
    economy.refresh_from_db()
    assert economy.key_phrases == ["inflation", "budget | 0.5"]
    page = client.get(f"/admin/statements/topic/{economy.pk}/change/")
    assert "inflation\nbudget | 0.5" in page.content.decode()


def test_a_bad_weight_is_refused_naming_its_line(client, alice, topics):
    response = change(client, topics[0], key_phrases="inflation\nbudget | lots")
    assert response.status_code == 200
    assert "Line 2" in response.content.decode()
    topics[0].refresh_from_db()
    assert topics[0].key_phrases == []


def test_a_subtopic_cannot_be_the_parent_of_another(client, alice, topics):
    economy, health, taxes = topics
    response = change(client, health, parent=taxes.pk)
    assert response.status_code == 200
    health.refresh_from_db()
    assert health.parent is None


def test_a_topic_moved_under_a_major_topic_takes_its_statements_along(
    client, alice, topics, statement
):
    economy, health, _ = topics
    statement.topics.set([health])
    assert change(client, health, parent=economy.pk).status_code == 302
    assert set(statement.topics.all()) == {health, economy}


def test_a_subtopic_given_to_a_statement_brings_its_major_topic(
    client, alice, topics, statement
):
    economy, _, taxes = topics
    response = client.post(
        f"/admin/statements/statement/{statement.pk}/change/",
        {
            "speaker": "",
            "review_status": "auto",
            "kind": "indirect",
            "topics": [taxes.pk],
        },
    )
    assert response.status_code == 302
    assert set(statement.topics.all()) == {taxes, economy}
    assert Statement.objects.public().on_topic(economy).get() == statement


def test_the_list_shows_each_topics_major_topic(client, alice, topics):
    body = client.get("/admin/statements/topic/?level=sub").content.decode()
    assert "Taxes" in body
    assert "Health" not in body
