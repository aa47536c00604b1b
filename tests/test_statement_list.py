import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from statements.models import Speaker, Statement
from tests.browse_cast import count_queries, make_cast, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def test_it_shows_every_statement_newest_first(client, cast):
    r = client.get("/")
    assert r.status_code == 200
    assert texts(r) == [
        cast.deal.text,
        cast.tariffs.text,
        cast.premature.text,
        cast.spend.text,
        cast.troops.text,
    ]
    assert r.context["summary"].total == 5


def test_it_shows_what_each_result_needs(client, cast):
    r = client.get("/?speaker=keir-starmer&kind=direct")
    html = r.content.decode()
    assert "“Europe must step up and send troops”" in html
    assert "Prime Minister" in html
    assert "United Kingdom" in html
    assert "The Example" in html
    assert f'href="/articles/{cast.paris.pk}/#s{cast.troops.pk}"' in html
    assert f'href="/statements/{cast.troops.pk}/"' in html
    assert 'href="/topics/defence/"' in html


def test_it_marks_reported_speech(client, cast):
    r = client.get("/?speaker=olaf-scholz")
    html = r.content.decode()
    assert "Reported speech" in html
    assert "“the debate about peacekeepers was premature”" not in html


def test_it_shows_the_position_held_on_the_day(client, cast):
    old = cast.paris
    old.published = datetime.date(2023, 5, 1)
    old.save()
    for s in old.statements.all():
        s.save()
    r = client.get("/?speaker=keir-starmer")
    positions = {s.text: s.position.title for s in r.context["page"]}
    assert positions[cast.troops.text] == "Leader of the Opposition"
    assert positions[cast.deal.text] == "Prime Minister"


def test_it_filters_by_speaker(client, cast):
    r = client.get("/?speaker=keir-starmer")
    assert texts(r) == [cast.deal.text, cast.troops.text]
    assert r.context["summary"].total == 2


def test_it_filters_by_several_speakers(client, cast):
    r = client.get("/?speaker=keir-starmer&speaker=olaf-scholz")
    assert set(texts(r)) == {cast.deal.text, cast.troops.text, cast.premature.text}


def test_it_takes_a_speaker_name_too(client, cast):
    r = client.get("/?speaker=Emmanuel+Macron")
    assert set(texts(r)) == {cast.tariffs.text, cast.spend.text}


def test_it_filters_by_country_code_in_any_case(client, cast):
    assert set(texts(client.get("/?country=fr"))) == {
        cast.tariffs.text,
        cast.spend.text,
    }
    assert set(texts(client.get("/?country=FR"))) == {
        cast.tariffs.text,
        cast.spend.text,
    }


def test_it_filters_by_topic(client, cast):
    r = client.get("/?topic=ukraine")
    assert texts(r) == [cast.premature.text, cast.troops.text]
    assert r.context["summary"].total == 2


def test_it_filters_by_kind(client, cast):
    assert texts(client.get("/?kind=direct")) == [cast.tariffs.text, cast.troops.text]
    reported = texts(client.get("/?kind=reported"))
    assert reported == [cast.deal.text, cast.premature.text, cast.spend.text]
    assert texts(client.get("/?kind=indirect")) == reported


def test_it_filters_by_dates(client, cast):
    assert texts(client.get("/?since=2025-03-01")) == [
        cast.deal.text,
        cast.tariffs.text,
    ]
    assert len(texts(client.get("/?until=2025-02-17"))) == 3
    assert texts(client.get("/?since=2025-02-18&until=2025-03-02")) == []


def test_it_searches(client, cast):
    r = client.get("/?q=troops")
    assert texts(r) == [cast.troops.text]
    assert r.context["summary"].total == 1


def test_it_highlights_search_matches(client, cast):
    html = client.get("/?q=tariffs").content.decode()
    assert "<mark>Tariffs</mark> hurt everyone" in html


def test_it_combines_filters(client, cast):
    r = client.get("/?speaker=keir-starmer&country=gb&topic=trade&kind=reported")
    assert texts(r) == [cast.deal.text]
    r = client.get("/?country=gb&country=fr&topic=defence&since=2025-01-01&q=europe")
    assert set(texts(r)) == {cast.troops.text, cast.spend.text}
    assert r.context["summary"].total == 2


def test_counts_match_the_results(client, cast):
    r = client.get("/?topic=defence")
    summary = r.context["summary"]
    assert summary.total == len(texts(r)) == 2
    assert {s.slug: n for s, n in summary.speakers} == {
        "keir-starmer": 1,
        "emmanuel-macron": 1,
    }
    assert {t.slug: n for t, n in summary.topics} == {"defence": 2, "ukraine": 1}


def test_it_hides_rejected_statements(client, cast):
    cast.troops.review_status = Statement.ReviewStatus.REJECTED
    cast.troops.save()
    r = client.get("/?speaker=keir-starmer")
    assert texts(r) == [cast.deal.text]
    assert r.context["summary"].total == 1


def test_facet_links_add_the_filter(client, cast):
    html = client.get("/?topic=trade").content.decode()
    assert 'href="?topic=trade&amp;speaker=keir-starmer"' in html
    assert 'href="?topic=trade&amp;country=fr"' in html


def test_it_draws_the_timeline(client, cast):
    html = client.get("/").content.decode()
    assert '<svg class="timeline"' in html
    assert "Feb 2025: 3 statements" in html
    assert "Mar 2025: 2 statements" in html


def test_htmx_gets_the_results_partial(client, cast):
    r = client.get("/?speaker=keir-starmer", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "Europe must step up" in html
    # The form comes with the results, so it shows the filters after history restores.
    assert 'value="keir-starmer" checked' in html
    assert "HX-Request" in r["Vary"]


def test_a_history_restore_gets_the_whole_page(client, cast):
    r = client.get(
        "/?speaker=keir-starmer",
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in r.content.decode()


def test_the_full_page_works_without_javascript(client, cast):
    html = client.get("/?speaker=keir-starmer").content.decode()
    assert "<html" in html
    assert '<form id="filters" class="filters" action="/" method="get"' in html
    assert 'name="speaker" value="keir-starmer" checked' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("speaker=nobody", "No speaker “nobody”"),
        ("country=zz", "No country with the code “zz”"),
        ("topic=gardening", "No topic “gardening”"),
        ("kind=shouted", "No kind “shouted”"),
        ("since=2025-13-01", "“since” must be a date written YYYY-MM-DD"),
        ("until=yesterday", "“until” must be a date written YYYY-MM-DD"),
        ("since=2025-03-01&until=2025-01-01", "“since” is after “until”"),
        ("before=nonsense", "is not a page cursor"),
        ("before=2025-01-01.1&after=2025-01-01.2", "not both"),
    ],
)
def test_it_rejects_bad_values_with_a_readable_400(client, cast, query, message):
    r = client.get(f"/?{query}")
    assert r.status_code == 400
    assert message in r.content.decode()


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("until=9999-12-31", "until"),
        ("until=0001-01-01", "until"),
        ("since=9999-12-02", "since"),
        ("since=1799-12-31", "since"),
        ("until=2200-01-01", "until"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_it_refuses_a_date_outside_the_sane_range(client, cast, query, parameter, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    r = client.get(f"/?{query}", headers=headers)
    assert r.status_code == 400
    assert f"“{parameter}” must be a date from 1800-01-01 to 2199-12-31" in (
        r.content.decode()
    )


def test_the_ends_of_the_sane_range_are_accepted(client, cast):
    assert client.get("/?since=1800-01-01&until=2199-12-31").status_code == 200
    assert client.get("/?since=2199-12-02").status_code == 200


# (Not named `page`: that is Playwright's fixture, and would make these browser tests.)
@pytest.mark.parametrize("number", ["²", "١", "¹²", "+2", "1.0"])
def test_a_page_number_in_other_digits_gets_a_400_naming_it(client, cast, number):
    r = client.get("/", {"q": "x", "sort": "relevance", "page": number})
    assert r.status_code == 400
    assert "“page” must be a whole number" in r.content.decode()


@pytest.mark.parametrize("cursor", ["2025-02-17.²", "2025-02-17.١٢", "none.1_0"])
def test_a_cursor_in_other_digits_gets_a_400(client, cast, cursor):
    r = client.get("/", {"before": cursor})
    assert r.status_code == 400
    assert "is not a page cursor" in r.content.decode()


def test_a_nul_in_any_parameter_gets_a_400_naming_it(client, cast):
    r = client.get("/?anything=a%00b")
    assert r.status_code == 400
    assert "“anything” holds a NUL character" in r.content.decode()


def test_a_bad_value_from_htmx_gets_the_partial_with_the_message(client, cast):
    r = client.get("/?country=zz", HTTP_HX_REQUEST="true")
    assert r.status_code == 400
    assert "No country with the code “zz”" in r.content.decode()
    assert "<html" not in r.content.decode()


@override_settings(STATEMENTS_PER_PAGE=2)
def test_it_pages_older_and_newer_keeping_the_filters(client, cast):
    r = client.get("/?country=gb&country=fr")
    assert texts(r) == [cast.deal.text, cast.tariffs.text]
    page = r.context["page"]
    assert page.newer is None
    older = f"?country=gb&amp;country=fr&amp;before={page.older}"
    # Without JavaScript the link lands on the results; htmx gets the same filters.
    assert f'href="{older}#statements"' in r.content.decode()
    assert f'hx-get="{older}"' in r.content.decode()

    r = client.get(f"/?country=gb&country=fr&before={page.older}")
    assert texts(r) == [cast.spend.text, cast.troops.text]
    assert r.context["page"].older is None

    r = client.get(f"/?country=gb&country=fr&after={r.context['page'].newer}")
    assert texts(r) == [cast.deal.text, cast.tariffs.text]
    assert r.context["page"].newer is None


@override_settings(STATEMENTS_PER_PAGE=2)
def test_undated_statements_come_first_and_page_through(client, cast):
    cast.talks.published = None
    cast.talks.save()
    for s in cast.talks.statements.all():
        s.save()
    r = client.get("/")
    assert texts(r) == [cast.deal.text, cast.tariffs.text]
    assert "Date unknown" in r.content.decode()
    r = client.get(f"/?before={r.context['page'].older}")
    assert texts(r) == [cast.premature.text, cast.spend.text]
    r = client.get(f"/?after={r.context['page'].newer}")
    assert texts(r) == [cast.deal.text, cast.tariffs.text]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?speaker=keir-starmer&speaker=emmanuel-macron",
        "/?country=gb&country=fr&topic=defence&kind=direct&kind=reported&q=europe",
        "/?q=europe",
    ],
)
def test_it_runs_the_same_number_of_queries_whatever_the_page_size(
    client, cast, url, django_assert_num_queries
):
    one_a_page = count_queries(client, url, 1)
    cache.clear()
    with (
        override_settings(STATEMENTS_PER_PAGE=50),
        django_assert_num_queries(one_a_page),
    ):
        assert len(client.get(url).context["page"]) > 1


@pytest.mark.parametrize(
    "query",
    ["q=the", "q=%21%21%21", "q=a+%26+b+%7C", 'q="unclosed', "q=-", "q=or"],
)
def test_odd_search_syntax_never_fails(client, cast, query):
    assert client.get(f"/?{query}").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "speaker=%00",
        "q=a%00b",
        "before=2025-01-01.99999999999999999999",
        "since=0000-01-01",
        f"q={'x' * 201}",
    ],
)
def test_hostile_values_get_a_400(client, cast, query):
    assert client.get(f"/?{query}").status_code == 400


def test_a_too_long_search_names_the_parameter(client, cast):
    r = client.get(f"/?q={'x' * 201}")
    assert "“q”: " in r.content.decode()


def test_a_plain_form_submission_redirects_to_the_clean_link(client, cast):
    r = client.get("/?q=&speaker=Keir+Starmer&country=&topic=&since=&until=")
    assert r.status_code == 302
    assert r["Location"] == "/?speaker=keir-starmer"


def test_htmx_pushes_the_clean_link(client, cast):
    r = client.get(
        "/?q=&speaker=keir-starmer&country=gb&topic=&kind=direct&since=",
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert r["HX-Push-Url"] == "/?speaker=keir-starmer&country=gb&kind=direct"


def test_a_search_can_be_sorted_by_best_match(client, cast):
    r = client.get("/?q=troops+or+europe&sort=relevance")
    assert r.status_code == 200
    if connection.vendor == "postgresql":
        # Both words beat one: ranked first, though it is the older of the two.
        assert texts(r) == [cast.troops.text, cast.spend.text]
        newest = client.get("/?q=troops+or+europe")
        assert texts(newest) == [cast.spend.text, cast.troops.text]
    html = r.content.decode()
    assert '<strong aria-current="true">Best match</strong>' in html
    assert 'name="sort" value="relevance"' in html


@override_settings(STATEMENTS_PER_PAGE=1)
def test_best_match_pages_by_number(client, cast):
    r = client.get("/?q=europe&sort=relevance")
    assert r.context["page"].older == "2"
    assert (
        'href="?q=europe&amp;sort=relevance&amp;page=2#statements"'
        in r.content.decode()
    )
    r = client.get("/?q=europe&sort=relevance&page=2")
    assert r.context["page"].older is None
    assert r.context["page"].newer == "1"
    assert len(texts(r)) == 1


@pytest.mark.parametrize(
    "query", ["sort=loudest", "q=x&sort=relevance&page=0", "q=x&sort=relevance&page=41"]
)
def test_bad_sorting_gets_a_400(client, cast, query):
    assert client.get(f"/?{query}").status_code == 400


def test_sort_without_a_search_is_newest_first(client, cast):
    r = client.get("/?sort=relevance")
    assert texts(r)[0] == cast.deal.text


def test_highlighting_escapes_the_text(client, cast):
    text = "<script>alert(1)</script> & more troops"
    cast.paris.text += text
    cast.paris.save()
    start = cast.paris.text.index(text)
    Statement.objects.create(
        article=cast.paris,
        speaker=cast.macron,
        kind="direct",
        text=text,
        start=start,
        end=start + len(text),
    )
    html = client.get("/?q=troops&speaker=emmanuel-macron").content.decode()
    assert "<script>alert(1)" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more <mark>troops</mark>" in html
    )


def test_a_merged_speakers_slug_filters_by_the_speaker_it_was_merged_into(client, cast):
    from statements.models import Speaker

    twin = Speaker.objects.create(name="K. Starmer", merged_into=cast.starmer)
    r = client.get(f"/?speaker={twin.slug}")
    assert texts(r) == [cast.deal.text, cast.troops.text]


@pytest.mark.parametrize("few_matches, sorts", [(0, False), (5_000, True)])
@override_settings(STATEMENTS_PER_PAGE=2)
def test_a_search_pages_newest_first_whether_it_sorts_its_matches_or_walks_the_dates(
    client, cast, monkeypatch, few_matches, sorts
):
    if connection.vendor != "postgresql":
        pytest.skip("the websearch syntax and the sorted path are PostgreSQL's")
    monkeypatch.setattr("statements.views.FEW_MATCHES", few_matches)
    q = "/?q=europe+or+tariffs+or+deal"
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(q)
    assert texts(r) == [cast.deal.text, cast.tariffs.text]
    assert any('"published" + 0' in c["sql"] for c in ctx.captured_queries) == sorts
    r = client.get(f"{q}&before={r.context['page'].older}")
    assert texts(r) == [cast.spend.text, cast.troops.text]
    r = client.get(f"{q}&after={r.context['page'].newer}")
    assert texts(r) == [cast.deal.text, cast.tariffs.text]


def test_a_search_with_a_leader_walks_the_leaders_statements_instead_of_sorting(
    client, cast
):
    if connection.vendor != "postgresql":
        pytest.skip("the sorted path is PostgreSQL's")
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/?q=europe+or+tariffs+or+deal&speaker=keir-starmer")
    assert texts(r) == [cast.deal.text, cast.troops.text]
    assert not any('"published" + 0' in c["sql"] for c in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/speakers/keir-starmer/?q=europe+or+tariffs+or+deal")
    assert texts(r) == [cast.deal.text, cast.troops.text]
    assert not any('"published" + 0' in c["sql"] for c in ctx.captured_queries)


def test_a_search_picks_its_pages_ids_on_the_statements_alone_then_reads_them(
    client, cast
):
    if connection.vendor != "postgresql":
        pytest.skip("the two steps are for PostgreSQL's full-text estimates")
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/?q=europe+or+tariffs+or+deal")
    assert texts(r) == [
        cast.deal.text,
        cast.tariffs.text,
        cast.spend.text,
        cast.troops.text,
    ]
    ids = [
        c["sql"]
        for c in ctx.captured_queries
        if c["sql"].startswith('SELECT "statements_statement"."id" AS "pk"')
        and "search_document" in c["sql"]
    ]
    assert ids and all(" JOIN " not in sql for sql in ids)


def test_it_links_the_feed_of_the_current_filter(client, cast):
    html = client.get("/?country=fr&q=tariffs").content.decode()
    assert 'href="/feed/?country=fr&amp;q=tariffs"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html


@override_settings(STATEMENTS_PER_PAGE=2)
def test_each_page_says_which_statements_it_shows_of_how_many(client, cast):
    r = client.get("/")
    assert "1–2 of 5" in r.content.decode()
    r = client.get(f"/?before={r.context['page'].older}")
    assert "3–4 of 5" in r.content.decode()
    r = client.get(f"/?before={r.context['page'].older}")
    assert texts(r) == [cast.troops.text]
    assert "5–5 of 5" in r.content.decode()
    r = client.get(f"/?after={r.context['page'].newer}")
    assert "3–4 of 5" in r.content.decode()


@override_settings(STATEMENTS_PER_PAGE=2)
def test_the_position_counts_undated_statements_first(client, cast):
    cast.talks.published = None
    cast.talks.save()
    r = client.get("/")
    assert texts(r) == [cast.deal.text, cast.tariffs.text]  # undated first
    r = client.get(f"/?before={r.context['page'].older}")
    assert "3–4 of 5" in r.content.decode()
    r = client.get(f"/?country=gb&before=none.{cast.deal.pk}")
    assert texts(r) == [cast.troops.text]
    assert "2–2 of 2" in r.content.decode()


@override_settings(STATEMENTS_PER_PAGE=1)
def test_the_position_is_right_within_one_month_and_one_day(client, cast):
    r = client.get("/?country=fr")
    seen = []
    for n in (1, 2):
        assert f"{n}–{n} of 2" in r.content.decode()
        seen += texts(r)
        if r.context["page"].older:
            r = client.get(f"/?country=fr&before={r.context['page'].older}")
    assert seen == [cast.tariffs.text, cast.spend.text]


def test_an_empty_result_suggests_which_filter_to_drop(client, cast):
    r = client.get("/?speaker=keir-starmer&country=fr&kind=direct")
    assert r.status_code == 200
    html = r.content.decode()
    assert "No statements match these filters" in html
    suggestions = {d["label"]: d["total"] for d in r.context["drop_suggestions"]}
    assert suggestions == {"Keir Starmer": 1, "France": 1}
    assert 'href="/?country=fr&amp;kind=direct"' in html
    assert "Without Keir Starmer" in html


def test_an_empty_search_suggests_other_words(client, cast):
    html = client.get("/?q=zebras").content.decode()
    assert "No statements match these filters" in html
    assert "Try other words" in html


def test_the_htmx_partial_does_not_resend_every_country(client, cast):
    full = client.get("/").content.decode()
    partial = client.get("/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert 'value="fr">France</option>' in full  # in <noscript>, for no JavaScript
    assert "<option" not in partial
    assert "Zimbabwe" not in partial
    assert 'id="country-input"' in partial


def test_the_no_javascript_country_menu_lists_only_countries_with_statements(
    client, cast
):
    html = client.get("/").content.decode()
    assert 'value="de">Germany</option>' in html
    assert "Zimbabwe" not in html


def test_the_country_box_offers_countries_with_statements_matching_the_text(
    client, cast
):
    html = client.get("/countries/options/?q=united", HTTP_HX_REQUEST="true")
    html = html.content.decode()
    assert 'data-value="gb"' in html
    assert "United States" not in html  # no statements
    html = client.get("/countries/options/?q=", HTTP_HX_REQUEST="true").content
    assert re.findall(rb'data-value="(\w+)"', html) == [b"fr", b"de", b"gb"]
    html = client.get("/countries/options/?q=uk", HTTP_HX_REQUEST="true").content
    assert re.findall(rb'data-value="(\w+)"', html) == [b"gb"]
    html = client.get("/countries/options/?q=zzz", HTTP_HX_REQUEST="true").content
    assert "Nothing matches “zzz”" in html.decode()


def test_the_topic_box_offers_topics_matching_the_text(client, cast):
    html = client.get("/topics/options/?q=tra", HTTP_HX_REQUEST="true").content
    assert re.findall(rb'data-value="([\w-]+)"', html) == [b"trade"]
    html = client.get("/topics/options/", HTTP_HX_REQUEST="true").content
    assert re.findall(rb'data-value="([\w-]+)"', html) == [
        b"defence",
        b"trade",
        b"ukraine",
    ]


def test_a_search_of_stop_words_only_says_why_it_matches_nothing(client, cast):
    if connection.vendor != "postgresql":
        pytest.skip("stop words are PostgreSQL full-text search's")
    html = client.get("/?q=the+of").content.decode()
    assert "made only of words too common to search for" in html
    html = client.get("/?q=the+troops").content.decode()
    assert "too common" not in html
    assert "Europe must step up" in html


def test_a_search_that_finds_nothing_is_not_called_stop_words(client, cast):
    html = client.get("/?q=zebras").content.decode()
    assert "too common" not in html


@override_settings(STATEMENTS_PER_PAGE=1)
def test_best_match_pages_say_their_position_too(client, cast):
    r = client.get("/?q=europe&sort=relevance&page=2")
    assert "2–2 of 2" in r.content.decode()


def test_every_statement_on_the_page_says_how_it_was_attributed(client, cast):
    html = client.get("/").content.decode()
    assert html.count('class="attribution') == len(Statement.objects.public())


def test_who_speaks_most_lists_people_and_organisations_apart(client, cast):
    nato = Speaker.objects.create(name="Example Alliance", kind="organisation")
    aides = Speaker.objects.create(name="Starmer aides", kind="group")
    Statement.objects.filter(pk=cast.spend.pk).update(speaker=nato)
    Statement.objects.filter(pk=cast.premature.pk).update(speaker=aides)
    from statements import counting

    counting.rebuild()
    summary = client.get("/").context["summary"]
    assert [s.name for s, _ in summary.speakers] == ["Keir Starmer", "Emmanuel Macron"]
    assert [s.name for s, _ in summary.organisations] == ["Example Alliance"]
    html = client.get("/").content.decode()
    assert "<h2>Organisations</h2>" in html
    assert "Starmer aides" not in html.split("Who speaks most")[1].split("</aside>")[0]
