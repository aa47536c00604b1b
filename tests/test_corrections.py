"""statements/corrections.py: every write, atomic, with history, counts kept in step."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import corrections, counting, signals
from statements.count_tables import CountCK, CountSCKM
from statements.counting import CountsOutOfStep
from statements.extraction.types import ArticleResult, SpeakerInfo
from statements.extraction.types import Statement as Extracted
from statements.facets import summarise
from statements.importing.speakers import SpeakerResolver
from statements.models import (
    Article,
    Country,
    Position,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
)
from tests.users import staff_user

pytestmark = pytest.mark.django_db


def grains():
    return {
        counting.table(g): sorted(
            g.objects.order_by().values_list(*counting.dims(g), "n"), key=repr
        )
        for g in counting.GRAINS
    }


def assert_counts_are_exact():
    kept = grains()
    counting.rebuild()
    assert grains() == kept


@pytest.fixture
def without_safety_net():
    """The signals of statements/signals.py off: the write path must not need them."""
    signals.disconnect()
    yield
    signals.connect()


@pytest.fixture
def cast(without_safety_net):
    gb, fr = Country.objects.get(code="GB"), Country.objects.get(code="FR")
    ann = corrections.add_speaker("Ann Archer", country=gb, aliases=["Ann Archer"])
    bea = corrections.add_speaker("Bea Bishop", country=fr, aliases=["Bea Bishop"])
    cy = corrections.add_speaker("Cy Carter", aliases=["Cy Carter"])
    topics = [
        Topic.objects.create(name=n.title(), slug=n) for n in ("economy", "health")
    ]
    articles = []
    for n, published in enumerate(
        [datetime.date(2024, 1, 5), datetime.date(2024, 2, 9), None]
    ):
        [article] = corrections._create(
            Article,
            [Article(text="x" * 500, content_hash=f"h{n}", published=published)],
            None,
            "test",
        )
        articles.append(article)
    statements = []
    for i in range(12):
        article = articles[i % 3]
        speaker = [ann, bea, cy, None][i % 4]
        statements += corrections.add_statements(
            article,
            [
                Statement(
                    speaker=speaker,
                    speaker_mention="he" if i % 5 == 0 else f"Mention {i}",
                    kind=["direct", "indirect", "mixed"][i % 3],
                    text=f"Statement {i}",
                    start=i * 20,
                    end=i * 20 + 10,
                )
            ],
            [[t.pk for t in topics[: i % 3]]],
        )
    return {
        "ann": ann,
        "bea": bea,
        "cy": cy,
        "topics": topics,
        "articles": articles,
        "statements": statements,
        "gb": gb,
        "fr": fr,
    }


@pytest.fixture
def alice(db):
    return staff_user("alice", "view_statement", "change_statement")


def test_a_correction_marks_the_statement_corrected_and_copies_the_country(cast):
    st = cast["statements"][0]
    result = corrections.correct(st, cast["bea"])

    st.refresh_from_db()
    assert result.changed == 1
    assert st.speaker == cast["bea"]
    assert st.country == cast["fr"]
    assert st.review_status == "corrected"
    assert_counts_are_exact()


def test_a_correction_keeps_a_rejected_statement_rejected(cast):
    st = cast["statements"][1]
    corrections.set_status([st], "rejected")
    corrections.correct(st, cast["ann"])
    st.refresh_from_db()
    assert st.review_status == "rejected"
    assert st.speaker == cast["ann"]


def test_a_correction_records_who_made_it_and_why(cast, alice):
    st = cast["statements"][0]
    corrections.correct(st, cast["bea"], alice)
    last = st.history.latest()
    assert last.history_user == alice
    assert last.history_change_reason == "speaker set to Bea Bishop"
    assert last.speaker_id == cast["bea"].pk


def test_learning_takes_the_alias_from_whoever_had_it_and_refuses_pronouns(cast):
    SpeakerAlias.objects.create(speaker=cast["ann"], alias="Mention 1")
    result = corrections.correct_many(
        [cast["statements"][0], cast["statements"][1]], cast["cy"], learn_alias=True
    )
    assert result.learnt == ["Mention 1"]
    assert result.refused == ["he"]
    alias = SpeakerAlias.objects.get(normalised="mention 1")
    assert alias.speaker == cast["cy"]
    assert alias.learnt_from_correction
    assert not SpeakerAlias.objects.filter(normalised="he").exists()


def test_an_edit_of_kind_or_topics_is_a_correction_and_a_status_alone_is_not(cast):
    a, b = cast["statements"][0], cast["statements"][1]
    corrections.edit(a, {"topics": [cast["topics"][1]]})
    corrections.edit(b, {"review_status": "verified"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.review_status == "corrected"
    assert list(a.topics.all()) == [cast["topics"][1]]
    assert b.review_status == "verified"
    assert_counts_are_exact()


def test_set_status_changes_only_what_differs(cast):
    some = cast["statements"][:4]
    assert corrections.set_status(some, "verified") == 4
    assert corrections.set_status(some, "verified") == 0
    with pytest.raises(ValueError):
        corrections.set_status(some, "approved")


def test_merging_moves_everything_and_keeps_the_merged_speaker(cast, alice):
    ann, bea = cast["ann"], cast["bea"]
    ann_n, bea_n = ann.statements.count(), bea.statements.count()
    merged = corrections.merge([ann], bea, alice)

    ann.refresh_from_db()
    assert merged.statements == ann_n
    assert ann.merged_into == bea
    assert ann.statements.count() == 0
    assert bea.statements.count() == ann_n + bea_n
    assert set(bea.statements.values_list("country", flat=True)) == {cast["fr"].pk}
    assert SpeakerAlias.objects.get(normalised="ann archer").speaker == bea
    assert ann.history.latest().history_user == alice
    assert_counts_are_exact()


def test_merging_leaves_no_duplicate_positions_and_widens_their_dates(cast):
    ann, bea = cast["ann"], cast["bea"]
    Position.objects.create(
        speaker=ann, title="Mayor", start_date=datetime.date(2019, 1, 1)
    )
    Position.objects.create(
        speaker=bea, title="mayor", start_date=datetime.date(2020, 1, 1)
    )
    Position.objects.create(speaker=ann, title="Senator")
    corrections.merge([ann], bea)
    titles = sorted(bea.positions.values_list("title", "start_date"))
    assert titles == [("Senator", None), ("mayor", datetime.date(2019, 1, 1))]


def test_merging_points_earlier_merges_at_the_new_target(cast):
    corrections.merge([cast["cy"]], cast["ann"])
    corrections.merge([cast["ann"]], cast["bea"])
    cast["cy"].refresh_from_db()
    assert cast["cy"].merged_into == cast["bea"]


def test_merging_into_itself_or_a_merged_speaker_is_refused(cast):
    corrections.merge([cast["cy"]], cast["ann"])
    with pytest.raises(ValueError):
        corrections.merge([cast["bea"]], cast["cy"])
    with pytest.raises(ValueError):
        corrections.merge([cast["cy"]], cast["bea"])
    assert corrections.merge([cast["bea"]], cast["bea"]).speakers == []


def test_a_merge_that_fails_half_way_changes_nothing(cast, monkeypatch):
    ann, bea = cast["ann"], cast["bea"]
    before = (
        sorted(Statement.objects.values_list("pk", "speaker_id", "country_id")),
        sorted(SpeakerAlias.objects.values_list("normalised", "speaker_id")),
        grains(),
    )

    def fail(cells):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(counting, "recount", fail)  # after statements and aliases moved
    with pytest.raises(RuntimeError):
        corrections.merge([ann, cast["cy"]], bea)

    ann.refresh_from_db()
    assert ann.merged_into is None
    after = (
        sorted(Statement.objects.values_list("pk", "speaker_id", "country_id")),
        sorted(SpeakerAlias.objects.values_list("normalised", "speaker_id")),
        grains(),
    )
    assert after == before


def test_a_bulk_correction_that_fails_half_way_changes_nothing(cast, monkeypatch):
    statements = cast["statements"]
    before = sorted(Statement.objects.values_list("pk", "speaker_id", "review_status"))

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(corrections, "learn_aliases", fail)  # after the update
    with pytest.raises(RuntimeError):
        corrections.correct_many(statements, cast["cy"], learn_alias=True)

    after = sorted(Statement.objects.values_list("pk", "speaker_id", "review_status"))
    assert after == before


# 53 on PostgreSQL and 60 on SQLite today: most recount the sixteen count tables, the
# rest are the admin page around them. 27 a statement (1,350) before the write path.
BULK_ACTION_QUERIES = 64


def queries(function):
    with CaptureQueriesContext(connection) as ctx:
        function()
    return len(ctx.captured_queries)


def many(cast, n, at):
    article = cast["articles"][0]
    return corrections.add_statements(
        article,
        [
            Statement(
                speaker=[cast["ann"], cast["bea"]][i % 2],
                speaker_mention=f"Speaker {i}",
                kind="direct",
                text=f"Many {i}",
                start=at + i * 10,
                end=at + 5 + i * 10,
            )
            for i in range(n)
        ],
        [[cast["topics"][i % 2].pk] for i in range(n)],
    )


def test_the_number_of_queries_does_not_grow_with_the_statements(cast):
    few, lots = many(cast, 5, 1000), many(cast, 50, 2000)
    # Batches of an INSERT (SQLite takes 999 parameters a query) are all that may grow.
    for write in (
        lambda rows: corrections.set_status(rows, "verified"),
        lambda rows: corrections.correct_many(rows, cast["cy"], learn_alias=True),
    ):
        assert queries(lambda w=write: w(lots)) <= queries(lambda w=write: w(few)) + 2
    # Merging a speaker of 5 statements, then one of 50.
    small, large = (corrections.add_speaker(n) for n in ("Dee Dalton", "Eve Ennis"))
    corrections.correct_many(few, small)
    corrections.correct_many(lots, large)
    assert queries(lambda: corrections.merge([large], cast["bea"])) <= (
        queries(lambda: corrections.merge([small], cast["bea"])) + 2
    )
    assert_counts_are_exact()


def test_an_admin_bulk_action_on_50_statements_runs_a_bounded_number_of_queries(
    cast, alice, client, django_assert_max_num_queries
):
    lots = many(cast, 50, 3000)
    client.force_login(alice)
    with django_assert_max_num_queries(BULK_ACTION_QUERIES):
        response = client.post(
            "/admin/statements/statement/",
            {"action": "reject", "_selected_action": [s.pk for s in lots]},
        )
    assert response.status_code == 302
    assert Statement.objects.filter(review_status="rejected").count() == 50


def test_a_count_that_would_go_negative_is_an_error(cast):
    CountSCKM.objects.update(n=100)  # written around the write path
    with pytest.raises(CountsOutOfStep):
        corrections.set_status([cast["statements"][0]], "rejected")


def test_out_of_the_tests_a_negative_count_is_logged_and_counted_again(
    cast, settings, caplog
):
    settings.COUNTS_STRICT = False
    CountSCKM.objects.update(n=100)
    corrections.set_status([cast["statements"][0]], "rejected")
    assert "would go negative" in caplog.text
    assert CountCK.objects.filter(n__lt=0).count() == 0


def extraction(article, n, seed):
    """An ArticleResult as the extractor would give it, for `reextract`."""
    rng = random.Random(seed)
    names = ["Ann Archer", "Bea Bishop", "Dee Dalton", None]
    statements = []
    for i in range(n):
        name = rng.choice(names)
        start = 5 + i * 20
        statements.append(
            Extracted(
                start=start,
                end=start + 8,
                text=article.text[start : start + 8],
                kind=rng.choice(["direct", "indirect", "mixed"]),
                cue="said",
                speaker=name,
                speaker_mention=name,
                topics=rng.sample(["economy", "health"], rng.randint(0, 2)),
            )
        )
    speakers = [SpeakerInfo(name=n) for n in names if n]
    return ArticleResult(statements=statements, speakers=speakers)


def test_every_count_equals_a_full_recount_after_a_random_series_of_writes(cast):
    rng = random.Random(20261125)
    resolver = SpeakerResolver()
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    for step in range(40):
        statements = list(Statement.objects.order_by("pk"))
        speakers = list(Speaker.objects.filter(merged_into=None))
        action = rng.choice(["correct", "status", "edit", "merge", "reextract"])
        if action == "correct" and statements:
            corrections.correct_many(
                rng.sample(statements, min(3, len(statements))),
                rng.choice(speakers),
                learn_alias=rng.random() < 0.5,
            )
        elif action == "status" and statements:
            corrections.set_status(
                rng.sample(statements, min(4, len(statements))),
                rng.choice(["verified", "rejected", "auto"]),
            )
        elif action == "edit" and statements:
            corrections.edit(
                rng.choice(statements),
                {
                    "kind": rng.choice(["direct", "indirect"]),
                    "topics": rng.sample(cast["topics"], rng.randint(0, 2)),
                },
            )
        elif action == "merge" and len(speakers) > 2:
            gone, into = rng.sample(speakers, 2)
            corrections.merge([gone], into)
        else:
            article = rng.choice(cast["articles"])
            corrections.reextract(
                article,
                extraction(article, rng.randint(1, 6), step),
                resolver=resolver,
                topic_ids=topic_ids,
                version="test",
            )
        if step % 10 == 9:
            assert_counts_are_exact()
    assert_counts_are_exact()
    assert summarise(Statement.objects.public()).total == (
        Statement.objects.public().count()
    )


def test_reextract_keeps_reviewed_statements_and_records_the_version(cast):
    article = cast["articles"][0]
    reviewed = article.statements.order_by("start").first()
    corrections.set_status([reviewed], "verified")
    created, kept = corrections.reextract(
        article,
        extraction(article, 5, 1),
        resolver=SpeakerResolver(),
        topic_ids={},
        version="v-test",
    )
    article.refresh_from_db()
    assert (reviewed.start, reviewed.end) in kept
    assert Statement.objects.filter(pk=reviewed.pk).exists()
    assert article.extractor_version == "v-test"
    assert all(not (s.start < reviewed.end and reviewed.start < s.end) for s in created)
    assert_counts_are_exact()


def test_deleting_statements_keeps_a_history_row_and_the_counts(cast, alice):
    st = cast["statements"][2]
    assert corrections.delete_statements([st], alice) == 1
    gone = Statement.history.filter(id=st.pk).latest()
    assert gone.history_type == "-"
    assert gone.history_user == alice
    assert_counts_are_exact()


def test_a_new_article_date_and_speaker_country_reach_their_statements(cast):
    article, ann = cast["articles"][0], cast["ann"]
    article.published = datetime.date(2020, 5, 5)
    corrections.update_article(article)
    ann.country = cast["fr"]
    corrections.save_speaker(ann)
    assert set(article.statements.values_list("published", flat=True)) == {
        datetime.date(2020, 5, 5)
    }
    assert set(ann.statements.values_list("country", flat=True)) == {cast["fr"].pk}
    assert_counts_are_exact()


def test_deleting_an_article_deletes_its_statements_and_their_counts(cast):
    corrections.delete_articles([cast["articles"][1]])
    assert not Statement.objects.filter(article_id=cast["articles"][1].pk).exists()
    assert_counts_are_exact()
