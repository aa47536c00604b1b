import csv
import io
import json

import pytest

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
