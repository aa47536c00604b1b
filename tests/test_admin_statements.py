import datetime

import pytest
from django.contrib.auth.models import User

from statements.models import Article, Country, Speaker, SpeakerAlias, Statement
from tests.users import staff_user

TEXT = (
    "Leaders met in Paris on Monday. "
    "Mr Smith said that <b>taxes</b> & spending would rise. "
    "Ms Jones disagreed. She left early."
)
QUOTE = "that <b>taxes</b> & spending would rise"


@pytest.fixture
def alice(db):
    """Staff, and may change statements."""
    return staff_user("alice", "view_statement", "change_statement", "view_speaker")


@pytest.fixture
def bob(db):
    """Staff, but may only look at statements."""
    return staff_user("bob", "view_statement")


@pytest.fixture
def charlie(db):
    """Not staff."""
    return User.objects.create_user("charlie", password="pw")


@pytest.fixture
def smith(db):
    return Speaker.objects.create(
        name="Ann Smith", country=Country.objects.get(code="GB")
    )


@pytest.fixture
def jones(db):
    return Speaker.objects.create(
        name="Bea Jones", country=Country.objects.get(code="FR")
    )


@pytest.fixture
def statement(smith):
    article = Article.objects.create(
        title="Paris talks",
        text=TEXT,
        content_hash="h1",
        published=datetime.date(2025, 2, 17),
    )
    start = TEXT.index(QUOTE)
    return Statement.objects.create(
        article=article,
        speaker=smith,
        speaker_mention="Mr Smith",
        kind="indirect",
        cue="said",
        text=QUOTE,
        start=start,
        end=start + len(QUOTE),
        confidence=0.4,
    )


def url(statement):
    return f"/admin/statements/statement/{statement.pk}/change/"


def form_data(statement, **changes):
    data = {
        "speaker": statement.speaker_id or "",
        "review_status": statement.review_status,
        "kind": statement.kind,
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_a_non_staff_user_is_sent_to_the_login_page(client, charlie, statement):
    client.force_login(charlie)
    r = client.get(url(statement))
    assert r.status_code == 302
    assert r.url.startswith("/admin/login/")


def test_a_staff_user_without_change_permission_can_look_but_not_edit(
    client, bob, statement, jones
):
    client.force_login(bob)
    r = client.get(url(statement))
    assert r.status_code == 200
    assert b'name="_save"' not in r.content
    r = client.post(url(statement), form_data(statement, speaker=jones.pk))
    assert r.status_code == 403
    statement.refresh_from_db()
    assert statement.speaker == statement.speaker  # unchanged
    assert statement.speaker_id != jones.pk
    assert statement.review_status == "auto"


def test_changing_the_speaker_marks_the_statement_corrected(
    client, alice, statement, jones
):
    client.force_login(alice)
    r = client.post(url(statement), form_data(statement, speaker=jones.pk))
    assert r.status_code == 302
    statement.refresh_from_db()
    assert statement.speaker == jones
    assert statement.review_status == "corrected"
    assert statement.country.code == "FR"


def test_the_history_records_who_corrected_it(client, alice, statement, jones):
    client.force_login(alice)
    client.post(url(statement), form_data(statement, speaker=jones.pk))
    latest = statement.history.first()
    assert latest.history_user == alice
    assert latest.speaker_id == jones.pk
    r = client.get(f"/admin/statements/statement/{statement.pk}/history/")
    assert r.status_code == 200
    assert b"alice" in r.content


def test_it_learns_the_mention_as_an_alias_when_asked(client, alice, statement, jones):
    client.force_login(alice)
    client.post(
        url(statement), form_data(statement, speaker=jones.pk, learn_alias="on")
    )
    alias = SpeakerAlias.objects.get(normalised="mr smith")
    assert alias.speaker == jones
    assert alias.learnt_from_correction


def test_it_takes_a_learnt_alias_from_the_speaker_who_had_it(
    client, alice, statement, smith, jones
):
    SpeakerAlias.objects.create(speaker=smith, alias="Mr Smith")
    client.force_login(alice)
    client.post(
        url(statement), form_data(statement, speaker=jones.pk, learn_alias="on")
    )
    assert SpeakerAlias.objects.get(normalised="mr smith").speaker == jones
    assert SpeakerAlias.objects.filter(normalised="mr smith").count() == 1


def test_it_does_not_learn_an_alias_unless_asked(client, alice, statement, jones):
    client.force_login(alice)
    client.post(url(statement), form_data(statement, speaker=jones.pk))
    assert not SpeakerAlias.objects.filter(normalised="mr smith").exists()


def test_it_never_learns_a_pronoun(client, alice, statement, jones):
    statement.speaker_mention = "She"
    statement.save()
    client.force_login(alice)
    r = client.post(
        url(statement),
        form_data(statement, speaker=jones.pk, learn_alias="on"),
        follow=True,
    )
    assert not SpeakerAlias.objects.filter(normalised="she").exists()
    assert "never learnt" in r.content.decode()


def test_it_shows_the_statement_in_context_escaped_and_highlighted(
    client, alice, statement
):
    client.force_login(alice)
    body = client.get(url(statement)).content.decode()
    assert "Leaders met in Paris on Monday." in body
    assert "Ms Jones disagreed." in body
    assert "She left early" not in body
    assert "that &lt;b&gt;taxes&lt;/b&gt; &amp; spending would rise</mark>" in body
    assert "<b>taxes</b>" not in body


def test_the_actions_mark_verified_and_reject(client, alice, statement, smith):
    other = Statement.objects.create(
        article=statement.article,
        speaker=smith,
        kind="direct",
        text="Ms Jones disagreed.",
        start=TEXT.index("Ms Jones"),
        end=TEXT.index("Ms Jones") + len("Ms Jones disagreed."),
    )
    client.force_login(alice)
    changelist = "/admin/statements/statement/"
    client.post(
        changelist, {"action": "mark_verified", "_selected_action": [statement.pk]}
    )
    client.post(changelist, {"action": "reject", "_selected_action": [other.pk]})
    statement.refresh_from_db()
    other.refresh_from_db()
    assert statement.review_status == "verified"
    assert other.review_status == "rejected"
    assert other.history.first().history_user == alice


def test_a_user_who_may_only_look_cannot_run_the_actions(client, bob, statement):
    client.force_login(bob)
    r = client.get("/admin/statements/statement/")
    assert b'value="reject"' not in r.content
    client.post(
        "/admin/statements/statement/",
        {"action": "reject", "_selected_action": [statement.pk]},
    )
    statement.refresh_from_db()
    assert statement.review_status == "auto"


def test_the_low_confidence_filter_lists_only_doubtful_statements(
    client, alice, statement, smith
):
    sure = Statement.objects.create(
        article=statement.article,
        speaker=smith,
        kind="direct",
        text="Ms Jones disagreed.",
        start=TEXT.index("Ms Jones"),
        end=TEXT.index("Ms Jones") + len("Ms Jones disagreed."),
        confidence=0.9,
    )
    client.force_login(alice)
    r = client.get("/admin/statements/statement/?confidence=low")
    ids = [obj.pk for obj in r.context["cl"].result_list]
    assert ids == [statement.pk]
    r = client.get("/admin/statements/statement/?confidence=high")
    assert [obj.pk for obj in r.context["cl"].result_list] == [sure.pk]


def test_the_list_filters_by_country_and_search(client, alice, statement):
    client.force_login(alice)
    r = client.get(
        f"/admin/statements/statement/?country__id__exact={statement.country_id}"
    )
    assert r.status_code == 200
    assert [obj.pk for obj in r.context["cl"].result_list] == [statement.pk]
    r = client.get("/admin/statements/statement/?q=spending")
    assert [obj.pk for obj in r.context["cl"].result_list] == [statement.pk]


def test_the_speaker_autocomplete_leaves_out_merged_speakers(
    client, alice, smith, jones
):
    Speaker.objects.create(name="Ann Smyth", merged_into=smith)
    client.force_login(alice)
    r = client.get(
        "/admin/autocomplete/",
        {
            "term": "Ann",
            "app_label": "statements",
            "model_name": "statement",
            "field_name": "speaker",
        },
    )
    assert r.status_code == 200
    names = [row["text"] for row in r.json()["results"]]
    assert names == ["Ann Smith"]


def test_statements_are_not_added_by_hand(client, db):
    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    assert client.get("/admin/statements/statement/add/").status_code == 403
    assert client.get("/admin/statements/article/add/").status_code == 403


def test_it_shows_the_position_the_speaker_held_on_the_date(
    client, alice, statement, smith
):
    from statements.models import Position

    Position.objects.create(
        speaker=smith, title="Minister", end_date=datetime.date(2019, 12, 31)
    )
    Position.objects.create(
        speaker=smith, title="Chancellor", start_date=datetime.date(2020, 1, 1)
    )
    client.force_login(alice)
    body = client.get(url(statement)).content.decode()
    assert "Chancellor" in body
    assert "Minister" not in body


def test_changing_the_kind_or_topics_is_a_correction_too(client, alice, statement):
    from statements.models import Topic

    topic = Topic.objects.create(name="Taxes", slug="taxes")
    client.force_login(alice)
    client.post(url(statement), form_data(statement, topics=[topic.pk]))
    statement.refresh_from_db()
    assert statement.review_status == "corrected"
    assert list(statement.topics.all()) == [topic]


def test_saving_without_a_change_leaves_the_status_alone(client, alice, statement):
    client.force_login(alice)
    client.post(url(statement), form_data(statement))
    statement.refresh_from_db()
    assert statement.review_status == "auto"


def test_a_rejected_statement_stays_rejected_when_its_speaker_changes(
    client, alice, statement, jones
):
    client.force_login(alice)
    client.post(
        url(statement), form_data(statement, speaker=jones.pk, review_status="rejected")
    )
    statement.refresh_from_db()
    assert statement.review_status == "rejected"
    assert statement.speaker == jones


@pytest.fixture
def second(statement, smith):
    start = TEXT.index("Ms Jones disagreed.")
    return Statement.objects.create(
        article=statement.article,
        speaker=smith,
        speaker_mention="She",
        kind="direct",
        text="Ms Jones disagreed.",
        start=start,
        end=start + len("Ms Jones disagreed."),
    )


def test_change_speaker_first_asks_which_speaker(client, alice, statement, second):
    client.force_login(alice)
    r = client.post(
        "/admin/statements/statement/",
        {"action": "set_speaker", "_selected_action": [statement.pk, second.pk]},
    )
    assert r.status_code == 200
    assert "admin/statements/statement/set_speaker.html" in [
        t.name for t in r.templates
    ]
    statement.refresh_from_db()
    assert statement.review_status == "auto"


def test_change_speaker_names_one_statement_in_the_singular(client, alice, statement):
    client.force_login(alice)
    r = client.post(
        "/admin/statements/statement/",
        {"action": "set_speaker", "_selected_action": [statement.pk]},
    )
    body = r.content.decode()
    assert "This statement will be attributed" in body
    assert "keeps it." in body
    assert "These 1" not in body


def test_change_speaker_names_several_statements_in_the_plural(
    client, alice, statement, second
):
    client.force_login(alice)
    r = client.post(
        "/admin/statements/statement/",
        {"action": "set_speaker", "_selected_action": [statement.pk, second.pk]},
    )
    assert "These 2 statements will be attributed" in r.content.decode()


def test_the_list_shows_five_columns_that_fit_a_laptop(client, alice, statement):
    client.force_login(alice)
    body = client.get("/admin/statements/statement/").content.decode()
    for column in ("short_text", "speaker_display", "article_link", "review_display"):
        assert f"column-{column}" in body
    assert "column-speaker_mention" not in body
    assert "css/admin.css" in body
    assert 'style="' not in body.split('id="result_list"')[1].split("</table>")[0]


def test_change_speaker_corrects_every_selected_statement(
    client, alice, statement, second, jones
):
    client.force_login(alice)
    r = client.post(
        "/admin/statements/statement/",
        {
            "action": "set_speaker",
            "_selected_action": [statement.pk, second.pk],
            "apply": "1",
            "speaker": jones.pk,
            "learn_alias": "on",
        },
        follow=True,
    )
    assert "2 statement(s) now attributed to Bea Jones" in r.content.decode()
    for st in (statement, second):
        st.refresh_from_db()
        assert (st.speaker, st.review_status) == (jones, "corrected")
        assert st.history.first().history_user == alice
    assert SpeakerAlias.objects.get(normalised="mr smith").speaker == jones
    assert not SpeakerAlias.objects.filter(normalised="she").exists()


def test_the_attribution_filter_separates_unattributed_statements(
    client, alice, statement
):
    unattributed = Statement.objects.create(
        article=statement.article,
        speaker=None,
        speaker_mention="",
        kind="indirect",
        cue="said",
        text="nobody knows who",
        start=0,
        end=5,
        confidence=0.2,
    )
    client.force_login(alice)
    listing = "/admin/statements/statement/"
    shown = lambda query: client.get(listing + query).context["cl"].result_list  # noqa: E731
    assert list(shown("?attributed=no")) == [unattributed]
    assert list(shown("?attributed=yes")) == [statement]
    assert len(shown("")) == 2
