import datetime

import pytest
from django.contrib.auth.models import User

from statements.models import (
    Article,
    Country,
    Position,
    Speaker,
    SpeakerAlias,
    Statement,
)
from tests.users import staff_user

CHANGELIST = "/admin/statements/speaker/"


@pytest.fixture
def alice(db):
    """Staff, and may change speakers and statements."""
    return staff_user(
        "alice",
        "view_speaker",
        "change_speaker",
        "view_statement",
        "change_statement",
        "view_speakeralias",
        "change_speakeralias",
        "view_position",
        "change_position",
    )


@pytest.fixture
def bob(db):
    """Staff, but may only look at speakers."""
    return staff_user("bob", "view_speaker")


@pytest.fixture
def cast(db):
    """Keir Starmer, a duplicate "K. Starmer" with a statement, alias and position."""
    gb = Country.objects.get(code="GB")
    keir = Speaker.objects.create(name="Keir Starmer", country=gb)
    SpeakerAlias.objects.create(speaker=keir, alias="Keir Starmer")
    dup = Speaker.objects.create(name="K. Starmer")
    SpeakerAlias.objects.create(speaker=dup, alias="K. Starmer")
    Position.objects.create(speaker=dup, title="Prime Minister", country=gb)
    text = "K. Starmer said Europe must step up."
    article = Article.objects.create(
        text=text, content_hash="a1", published=datetime.date(2025, 2, 17)
    )
    st = Statement.objects.create(
        article=article,
        speaker=dup,
        speaker_mention="K. Starmer",
        kind="indirect",
        text="Europe must step up",
        start=16,
        end=35,
    )
    return keir, dup, st


def merge(client, speakers, target):
    return client.post(
        CHANGELIST,
        {
            "action": "merge",
            "_selected_action": [s.pk for s in speakers],
            "apply": "1",
            "target": target.pk,
        },
    )


def test_the_merge_action_first_asks_which_speaker_remains(client, alice, cast):
    keir, dup, _ = cast
    client.force_login(alice)
    r = client.post(CHANGELIST, {"action": "merge", "_selected_action": [dup.pk]})
    assert r.status_code == 200
    assert "admin/statements/speaker/merge.html" in [t.name for t in r.templates]
    assert "K. Starmer" in r.content.decode()
    dup.refresh_from_db()
    assert dup.merged_into is None


def test_merging_moves_statements_aliases_and_positions(client, alice, cast):
    keir, dup, st = cast
    client.force_login(alice)
    r = merge(client, [dup], keir)
    assert r.status_code == 302
    st.refresh_from_db()
    assert st.speaker == keir
    assert st.country.code == "GB"
    assert SpeakerAlias.objects.get(normalised="k. starmer").speaker == keir
    assert keir.positions.get().title == "Prime Minister"


def test_the_history_of_a_merge_names_the_speaker_not_a_deleted_one(
    client, alice, cast
):
    keir, dup, _ = cast
    client.force_login(alice)
    merge(client, [dup], keir)
    body = client.get(f"{CHANGELIST}{dup.pk}/history/").content.decode()
    assert "Merged into:" in body.replace("<strong>", "").replace("</strong>", "")
    assert "Keir Starmer" in body
    assert "pk=None" not in body
    assert "Deleted speaker" not in body


def test_merging_keeps_the_record_of_both_speakers(client, alice, cast):
    keir, dup, st = cast
    client.force_login(alice)
    merge(client, [dup], keir)
    dup.refresh_from_db()
    assert dup.merged_into == keir
    assert dup.history.first().history_user == alice
    assert "merged" in dup.history.first().history_change_reason
    assert st.history.first().speaker_id == keir.pk
    assert st.history.first().history_user == alice
    r = client.get(f"/admin/statements/speaker/{dup.pk}/history/")
    assert r.status_code == 200


def test_a_speaker_is_not_merged_into_itself(client, alice, cast):
    keir, dup, _ = cast
    client.force_login(alice)
    merge(client, [keir, dup], keir)
    keir.refresh_from_db()
    assert keir.merged_into is None
    assert keir.statements.count() == 1


def test_a_user_who_may_only_look_cannot_merge(client, bob, cast):
    keir, dup, st = cast
    client.force_login(bob)
    merge(client, [dup], keir)
    dup.refresh_from_db()
    assert dup.merged_into is None
    st.refresh_from_db()
    assert st.speaker == dup


def test_the_list_counts_statements_without_a_query_per_speaker(
    client, alice, cast, django_assert_max_num_queries
):
    keir, dup, _ = cast
    for i in range(20):
        Speaker.objects.create(name=f"Speaker {i}")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        r = client.get(CHANGELIST)
    assert r.status_code == 200
    counts = {s.name: s.n_statements for s in r.context["cl"].result_list}
    assert counts["K. Starmer"] == 1
    assert counts["Keir Starmer"] == 0


def test_the_change_page_shows_aliases_and_positions_inline(client, alice, cast):
    _, dup, _ = cast
    client.force_login(alice)
    body = client.get(f"/admin/statements/speaker/{dup.pk}/change/").content.decode()
    assert "K. Starmer" in body
    assert "Prime Minister" in body
    assert "1 statement<" in body


def test_a_non_staff_user_cannot_enter(client, db, cast):
    user = User.objects.create_user("charlie", password="pw")
    client.force_login(user)
    r = client.get(CHANGELIST)
    assert r.status_code == 302
    assert r.url.startswith("/admin/login/")


def test_the_facet_counts_follow_a_merge(client, alice, cast):
    from statements.facets import summarise

    keir, dup, _ = cast
    assert summarise(Statement.objects.public().by_speaker(dup)).total == 1
    client.force_login(alice)
    merge(client, [dup], keir)
    assert summarise(Statement.objects.public().by_speaker(dup)).total == 0
    summary = summarise(Statement.objects.public().by_speaker(keir))
    assert summary.total == 1
    assert [(c.code, n) for c, n in summary.countries] == [("GB", 1)]


def test_the_statements_link_lists_the_speakers_statements(client, alice, cast):
    keir, dup, st = cast
    client.force_login(alice)
    r = client.get(f"/admin/statements/statement/?speaker__id__exact={dup.pk}")
    assert r.status_code == 200
    assert [obj.pk for obj in r.context["cl"].result_list] == [st.pk]


def test_every_field_of_the_inlines_is_named_for_screen_readers(client, alice, cast):
    _, dup, _ = cast
    client.force_login(alice)
    body = client.get(f"/admin/statements/speaker/{dup.pk}/change/").content.decode()
    assert 'aria-label="Title"' in body
    assert 'aria-label="Country"' in body
    assert 'aria-label="Alias"' in body


# The registry's housekeeping.


def test_the_needs_review_list_shows_suspect_speakers_with_their_reasons(
    client, alice, cast
):
    for name, kind in [
        ("company", "organisation"),
        ("Roe 2016", "person"),
        ("Quist", "person"),
        ("Mara Quist", "organisation"),
        ("Jane Roe", "person"),
    ]:
        Speaker.objects.create(name=name, kind=kind)
    client.force_login(alice)
    r = client.get(CHANGELIST + "?review=yes")
    listed = {s.name: s for s in r.context["cl"].result_list}
    assert {"company", "Roe 2016", "Quist", "Mara Quist"} <= set(listed)
    assert "Jane Roe" not in listed and "Keir Starmer" not in listed
    body = r.content.decode()
    assert "lower-case" in body and "digits" in body and "doubtful kind" in body


def test_known_speakers_are_not_in_the_needs_review_list(client, alice, cast):
    Speaker.objects.create(name="Quist", source="a register")
    client.force_login(alice)
    r = client.get(CHANGELIST + "?review=yes")
    assert "Quist" not in {s.name for s in r.context["cl"].result_list}


def test_merge_suggestions_pair_compatible_names_and_spelling_variants(
    client, alice, cast
):
    jane = Speaker.objects.create(name="Jane Roe")
    Speaker.objects.create(name="Jane Q. Roe")
    Speaker.objects.create(name="Eric Roe")  # another person
    Speaker.objects.create(name="Reynold Priebe")
    Speaker.objects.create(name="Renold Priebe")
    client.force_login(alice)
    r = client.get(CHANGELIST + "suggestions/")
    groups = {
        frozenset([g.into.name, *(o.name for o in g.others)])
        for g in r.context["suggestions"]
    }
    assert frozenset(["Jane Roe", "Jane Q. Roe"]) in groups
    assert frozenset(["Reynold Priebe", "Renold Priebe"]) in groups
    assert frozenset(["Keir Starmer", "K. Starmer"]) in groups
    assert not any("Eric Roe" in g for g in groups)
    assert jane.pk  # kept for the record


def test_several_suggestions_are_merged_in_one_step(client, alice, cast):
    keir, dup, st = cast
    jane = Speaker.objects.create(name="Jane Roe")
    jane_q = Speaker.objects.create(name="Jane Q. Roe")
    client.force_login(alice)
    r = client.post(
        CHANGELIST + "suggestions/",
        {"merge": [f"{keir.pk}:{dup.pk}", f"{jane.pk}:{jane_q.pk}"]},
    )
    assert r.status_code == 302
    dup.refresh_from_db()
    jane_q.refresh_from_db()
    assert dup.merged_into == keir and jane_q.merged_into == jane
    st.refresh_from_db()
    assert st.speaker == keir


def test_a_user_who_may_only_look_cannot_merge_suggestions(client, bob, cast):
    keir, dup, _ = cast
    client.force_login(bob)
    r = client.post(CHANGELIST + "suggestions/", {"merge": [f"{keir.pk}:{dup.pk}"]})
    assert r.status_code == 403
    dup.refresh_from_db()
    assert dup.merged_into is None


def test_the_merge_target_list_leaves_out_the_speakers_being_merged(
    client, alice, cast
):
    keir, dup, _ = cast
    client.force_login(alice)
    r = client.post(CHANGELIST, {"action": "merge", "_selected_action": [dup.pk]})
    body = r.content.decode()
    assert f"/admin/statements/speaker/pick/?exclude={dup.pk}" in body
    picked = client.get(
        f"/admin/statements/speaker/pick/?exclude={dup.pk}&term=starmer"
        "&app_label=statements&model_name=statement&field_name=speaker"
    ).json()
    assert [o["text"].split(" · ")[0] for o in picked["results"]] == ["Keir Starmer"]


def test_the_speaker_picker_shows_kind_country_and_count(client, alice, cast):
    client.force_login(alice)
    picked = client.get(
        "/admin/statements/speaker/pick/?term=starmer"
        "&app_label=statements&model_name=statement&field_name=speaker"
    ).json()
    texts = [o["text"] for o in picked["results"]]
    assert texts == [
        "K. Starmer · person · 1 statement",
        "Keir Starmer · person · GB · 0 statements",
    ]


def change_country(client, speaker, code):
    """Posts the speaker's change form with another country (it has no aliases or
    positions inline)."""
    return client.post(
        f"/admin/statements/speaker/{speaker.pk}/change/",
        {
            "name": speaker.name,
            "slug": speaker.slug,
            "kind": speaker.kind,
            "country": Country.objects.get(code=code).pk,
            "source": "",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )


def test_a_country_an_editor_sets_is_theirs_and_no_import_changes_it(
    client, alice, cast
):
    from statements import corrections

    lone = corrections.add_speaker("Mara Quist")
    client.force_login(alice)
    assert change_country(client, lone, "IE").status_code == 302
    lone.refresh_from_db()
    assert (lone.country.code, lone.country_basis) == ("IE", "editor")
    body = client.get(f"/admin/statements/speaker/{lone.pk}/change/").content.decode()
    assert "set by an editor" in body
    corrections.learn_country(lone, Country.objects.get(code="US"), "stated")
    lone.refresh_from_db()
    assert lone.country.code == "IE"
