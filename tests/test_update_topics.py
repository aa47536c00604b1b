"""manage.py update_topics: the topic file into an existing database, keeping every
admin edit, and new topics for stored statements without importing again."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from statements import corrections
from statements.facets import summarise
from statements.models import Article, Country, Speaker, Statement, Topic
from statements.topic_writes import sync_topics
from tests.users import staff_user

pytestmark = pytest.mark.django_db

TEXT = (
    "Vera Lund said the sanctions on the regime would stay. "
    "Omar Fisk said the new tariffs would hurt farmers. "
    "Vera Lund said she was glad to be back."
)


def span(fragment):
    start = TEXT.index(fragment)
    return start, start + len(fragment)


@pytest.fixture
def old_database():
    """A database from before the 21 topics: the seed's six topics, as the import
    created them, and statements stored with their old topic links."""
    sanctions = Topic.objects.create(
        name="Sanctions", slug="sanctions", key_phrases=["sanction", "embargo"]
    )
    Topic.objects.create(name="NATO", slug="nato", key_phrases=["NATO"])
    article = Article.objects.create(
        title="Talks", text=TEXT, content_hash="t", published=datetime.date(2025, 5, 6)
    )
    vera = Speaker.objects.create(name="Vera Lund")
    omar = Speaker.objects.create(name="Omar Fisk")
    rows = [
        (vera, "the sanctions on the regime would stay", [sanctions]),
        (omar, "the new tariffs would hurt farmers", []),
        (vera, "she was glad to be back", [sanctions]),
    ]
    out = []
    for speaker, fragment, topics in rows:
        start, end = span(fragment)
        s = Statement.objects.create(
            article=article,
            speaker=speaker,
            kind="indirect",
            text=fragment,
            start=start,
            end=end,
        )
        s.topics.set(topics)
        out.append(s)
    return out


def run(*args):
    out = io.StringIO()
    call_command("update_topics", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def slugs(statement):
    return sorted(statement.topics.values_list("slug", flat=True))


def test_it_brings_the_major_topics_and_retags_stored_statements(old_database):
    output = run()
    assert Topic.objects.filter(parent__isnull=True).count() == 21
    assert Topic.objects.get(slug="sanctions").parent.slug == "international-affairs"
    assert Topic.objects.get(slug="nato").parent.slug == "defence"
    sanctions, tariffs, glad = old_database
    assert "international-affairs" in slugs(sanctions)
    assert "sanctions" in slugs(sanctions)
    assert "trade" in slugs(tariffs)
    assert slugs(glad) == []
    assert "got new topics" in output


def test_its_counts_match_the_statements_afterwards(old_database):
    run()
    public = Statement.objects.public()
    for topic in Topic.objects.filter(statements__isnull=False).distinct():
        assert summarise(public.on_topic(topic)).total == public.on_topic(topic).count()


def test_a_second_run_changes_nothing(old_database):
    run()
    assert "0 of 3 automatic statement(s)" in run()


def test_a_dry_run_saves_nothing(old_database):
    output = run("--dry-run")
    assert output.startswith("Dry run, nothing saved.")
    assert Topic.objects.count() == 2
    assert slugs(old_database[2]) == ["sanctions"]


def test_sync_only_leaves_the_statements_alone(old_database):
    run("--sync-only")
    assert Topic.objects.filter(parent__isnull=True).count() == 21
    assert slugs(old_database[1]) == []


def test_a_reviewed_statement_keeps_its_topics_and_gains_their_major_topic(
    old_database,
):
    glad = old_database[2]
    corrections.set_status([glad], Statement.ReviewStatus.VERIFIED)
    run()
    assert slugs(glad) == ["international-affairs", "sanctions"]


def test_an_admins_topic_edit_in_the_admin_survives_a_rerun(old_database, client):
    run()
    editor = staff_user("alice", "view_topic", "change_topic")
    client.force_login(editor)
    trade = Topic.objects.get(slug="trade")
    response = client.post(
        f"/admin/statements/topic/{trade.pk}/change/",
        {
            "name": "Trade and tariffs",
            "slug": "trade",
            "parent": "",
            "description": trade.description,
            "key_phrases": "tariff\nexport\nbe back | 1",
        },
    )
    assert response.status_code == 302
    run()
    trade.refresh_from_db()
    assert trade.name == "Trade and tariffs"
    assert trade.key_phrases == ["tariff", "export", "be back"]
    # The admin's phrases tag the statements from now on.
    assert "trade" in slugs(old_database[2])


def test_an_admins_statement_topics_survive_a_rerun(old_database):
    tariffs = old_database[1]
    health = Topic.objects.create(name="Health", slug="health")
    corrections.edit(tariffs, {"topics": [health]})  # a correction
    run()
    assert slugs(tariffs) == ["health"]


def test_a_field_follows_the_file_until_an_admin_edits_it(db, tmp_path):
    path = tmp_path / "topics.json"

    def write(name, description):
        topic = {"name": name, "slug": "farming", "description": description}
        path.write_text(json.dumps({"topics": [topic]}), encoding="utf-8")

    write("Farming", "Farms.")
    assert sync_topics(path).created == ["farming"]
    write("Farming", "Farms and farmers.")
    assert sync_topics(path).updated == ["farming"]
    assert Topic.objects.get().description == "Farms and farmers."
    topic = Topic.objects.get()
    topic.name = "Agriculture"
    topic.save()
    write("Farms", "Farms, farmers and fisheries.")
    summary = sync_topics(path)
    topic.refresh_from_db()
    assert topic.name == "Agriculture"
    assert topic.description == "Farms, farmers and fisheries."
    assert summary.kept == {"farming": ["name"]}


def test_a_topic_an_admin_created_is_left_alone(db, tmp_path):
    admin = staff_user("alice")
    topic = Topic(name="Fishing", slug="fishing", key_phrases=["trawler"])
    topic._history_user = admin
    topic.save()
    path = tmp_path / "topics.json"
    spec = {"name": "Fisheries", "slug": "fishing", "key_phrases": ["fishery"]}
    path.write_text(json.dumps({"topics": [spec]}), encoding="utf-8")
    sync_topics(path)
    topic.refresh_from_db()
    assert (topic.name, topic.key_phrases) == ("Fishing", ["trawler"])


def test_an_unknown_article_is_an_error(db):
    with pytest.raises(CommandError, match="No article with id 999"):
        run("--article", "999")


def test_it_refuses_zero_processes(db):
    with pytest.raises(CommandError, match="--processes"):
        run("--processes", "0")


def test_a_speakers_own_country_is_not_foreign_affairs_on_a_rerun(db):
    text = (
        "Pierre Roux said France would keep its word. Ana Ruiz said France would too."
    )
    france, spain = Country.objects.get(code="FR"), Country.objects.get(code="ES")
    article = Article.objects.create(title="Word", text=text, content_hash="w")
    rows = []
    for name, fragment, country in [
        ("Pierre Roux", "France would keep its word", france),
        ("Ana Ruiz", "France would too", spain),
    ]:
        start = text.index(fragment)
        rows.append(
            Statement.objects.create(
                article=article,
                speaker=Speaker.objects.create(name=name, country=country),
                kind="indirect",
                text=fragment,
                start=start,
                end=start + len(fragment),
                country=country,
            )
        )
    run()
    frenchman, spaniard = rows
    assert slugs(frenchman) == []
    assert slugs(spaniard) == ["international-affairs"]


def test_a_remark_continues_the_same_speakers_statement_on_a_rerun(db):
    text = "Vera Lund said the sanctions would stay. Vera Lund said she was glad."
    article = Article.objects.create(title="Glad", text=text, content_hash="g")
    vera = Speaker.objects.create(name="Vera Lund")
    rows = []
    for fragment in ["the sanctions would stay", "she was glad"]:
        start = text.index(fragment)
        rows.append(
            Statement.objects.create(
                article=article,
                speaker=vera,
                kind="indirect",
                text=fragment,
                start=start,
                end=start + len(fragment),
            )
        )
    run()
    assert slugs(rows[1]) == ["international-affairs", "sanctions"]
