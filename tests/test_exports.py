import csv
import io
import json

import pytest

from statements.models import Article, Speaker, Statement
from tests.browse_cast import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_csv_streams_the_current_filter(client, cast):
    r = client.get("/export.csv?speaker=keir-starmer")
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="statements.csv"' in r["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(r).lstrip("\ufeff"))))
    assert [row["text"] for row in rows] == [cast.deal.text, cast.troops.text]
    first = rows[0]
    assert first["speaker"] == "Keir Starmer"
    assert first["speaker_slug"] == "keir-starmer"
    assert first["position"] == "Prime Minister"
    assert first["country"] == "GB"
    assert first["kind"] == "indirect"
    assert first["date"] == "2025-03-03"
    assert first["topics"] == "trade"
    assert first["article_url"] == "https://news.example/trade"
    assert first["permalink"] == f"http://testserver/statements/{cast.deal.pk}/"


def test_csv_applies_every_filter(client, cast):
    r = client.get("/export.csv?country=fr&topic=trade&kind=direct&since=2025-03-01")
    rows = list(csv.DictReader(io.StringIO(body(r).lstrip("\ufeff"))))
    assert [row["text"] for row in rows] == [cast.tariffs.text]


def test_json_streams_the_current_filter(client, cast):
    r = client.get("/export.json?topic=defence")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body(r))
    assert [d["text"] for d in data] == [cast.spend.text, cast.troops.text]
    assert data[1]["topics"] == ["defence", "ukraine"]
    assert data[1]["speaker"] == "Keir Starmer"


def test_json_of_nothing_is_an_empty_list(client, cast):
    assert json.loads(body(client.get("/export.json?since=2030-01-01"))) == []


@pytest.mark.parametrize("url", ["/export.csv?country=zz", "/export.json?kind=loud"])
def test_bad_filters_get_a_400(client, cast, url):
    r = client.get(url)
    assert r.status_code == 400
    assert "No " in r.content.decode()


def test_limit_exports_the_newest_n(client, cast):
    rows = list(
        csv.DictReader(
            io.StringIO(body(client.get("/export.csv?limit=2")).lstrip("\ufeff"))
        )
    )
    assert [row["text"] for row in rows] == [cast.deal.text, cast.tariffs.text]
    data = json.loads(body(client.get("/export.json?limit=1&speaker=olaf-scholz")))
    assert [d["text"] for d in data] == [cast.premature.text]


@pytest.mark.parametrize(
    "limit", ["0", "-1", "ten", "99999999999", "²", "¹", "١٢", "%2B5", "1_0"]
)
def test_a_bad_limit_gets_a_400(client, cast, limit):
    r = client.get(f"/export.csv?limit={limit}")
    assert r.status_code == 400
    assert "“limit” must be a positive whole number" in r.content.decode()


def test_both_exports_carry_the_provenance_of_each_statement(client, cast):
    """Where the statement stands in its article's text, which article, which speaker."""
    rows = json.loads(body(client.get("/export.json?speaker=keir-starmer")))
    deal = rows[0]
    article = cast.deal.article
    assert (deal["start"], deal["end"]) == (cast.deal.start, cast.deal.end)
    assert article.text[deal["start"] : deal["end"]] == deal["text"]
    assert deal["article_id"] == article.pk
    assert deal["article_url"] == article.url
    assert deal["speaker_slug"] == "keir-starmer"
    assert deal["attribution"].startswith("Attributed by machine")
    text = body(client.get("/export.csv?speaker=keir-starmer")).lstrip("\ufeff")
    first = next(csv.DictReader(io.StringIO(text)))
    assert (int(first["start"]), int(first["end"])) == (cast.deal.start, cast.deal.end)
    assert int(first["article_id"]) == article.pk


@pytest.mark.parametrize("export", ["/export.csv", "/export.json"])
@pytest.mark.parametrize(
    "query", ["until=9999-12-31", "until=0001-01-01", "since=9999-12-02", "limit=²"]
)
def test_a_date_outside_the_range_or_a_superscript_limit_gets_a_400(
    client, cast, export, query
):
    r = client.get(f"{export}?{query}")
    assert r.status_code == 400
    assert query.split("=")[0] in r.content.decode()


FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+3+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def formulas(cast):
    """A speaker named like a formula, and statements that start like one."""
    evil = Speaker.objects.create(name="+3+cmd|' /C calc'!A0")
    text = "\n".join(FORMULAS) + "\n"
    article = Article.objects.create(
        title="=1+1", outlet="@outlet", text=text, content_hash="formulas"
    )
    for piece in FORMULAS:
        start = text.index(piece)
        Statement.objects.create(
            article=article,
            speaker=evil,
            speaker_mention=evil.name,
            kind="direct",
            cue="-said",
            text=piece,
            start=start,
            end=start + len(piece),
        )
    return evil


def test_a_csv_cell_starting_like_a_formula_is_neutralised(client, formulas):
    raw = body(client.get(f"/export.csv?speaker={formulas.slug}"))
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert sorted(row["text"] for row in rows) == sorted("'" + f for f in FORMULAS)
    for row in rows:
        assert row["speaker"] == "'+3+cmd|' /C calc'!A0"
        assert row["cue"] == "'-said"
        assert row["article_title"] == "'=1+1"
        assert row["outlet"] == "'@outlet"
        # No cell a spreadsheet would run is left, whatever it splits on.
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    # Every cell is quoted, so a ";" inside one cannot start a new cell.
    assert raw.splitlines()[1].startswith('"')


def test_the_json_export_keeps_the_exact_text(client, formulas):
    data = json.loads(body(client.get(f"/export.json?speaker={formulas.slug}")))
    assert sorted(d["text"] for d in data) == sorted(FORMULAS)
    assert {d["speaker"] for d in data} == {formulas.name}


def test_plain_cells_are_left_as_they_are(client, cast):
    rows = list(
        csv.DictReader(io.StringIO(body(client.get("/export.csv")).lstrip("\ufeff")))
    )
    assert {row["text"] for row in rows} == {
        s.text
        for s in (cast.troops, cast.spend, cast.premature, cast.tariffs, cast.deal)
    }
