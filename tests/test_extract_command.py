"""manage.py extract: json, jsonl and table output; bad files named on stderr, the rest still done."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

ARTICLE = "“The bridge opens in May,” Karin Solberg said.\nSolberg said the tolls would be low.\n"


def run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("extract", *map(str, args), stdout=out, stderr=err, **kwargs)
        error = None
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_it_prints_json_for_one_file(article):
    out, err, error = run(article, format="json")
    assert error is None and err == ""
    doc = json.loads(out)
    assert doc["path"] == str(article)
    first = doc["statements"][0]
    assert first["speaker"] == "Karin Solberg"
    assert ARTICLE[first["start"] : first["end"]] == first["text"]
    assert {
        "kind",
        "cue",
        "speaker_mention",
        "method",
        "confidence",
        "topics",
        "position",
        "country",
    } <= set(first)


def test_it_prints_each_speakers_name_in_parts_and_their_office(tmp_path):
    path = tmp_path / "senate.txt"
    path.write_text(
        "Sen. Rhoda Vance Jr. (R-Tex.) said the farm bill would pass.\n",
        encoding="utf-8",
    )
    out, _, error = run(path, format="json")
    assert error is None
    (speaker,) = json.loads(out)["speakers"]
    assert speaker["name"] == "Rhoda Vance Jr."
    assert (speaker["given"], speaker["surname"], speaker["suffix"]) == (
        "Rhoda",
        "Vance",
        "Jr.",
    )
    assert (speaker["position"], speaker["organisation"], speaker["country"]) == (
        "Senator",
        "Texas",
        "US",
    )
    assert speaker["office"] == "Senator for Texas"


def test_it_prints_one_json_line_per_file(article, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Lars Berg said the ferry was late.", encoding="utf-8")
    out, _, error = run(article, other, format="jsonl")
    assert error is None
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["path"] for d in lines] == [str(article), str(other)]
    assert lines[1]["statements"][0]["speaker"] == "Lars Berg"


def test_it_prints_a_table_for_people(article):
    out, _, error = run(article, format="table")
    assert error is None
    assert "Karin Solberg" in out
    assert "The bridge opens in May" in out


def test_it_refuses_json_for_several_files(article, tmp_path):
    _, _, error = run(article, article, format="json")
    assert error is not None


def test_it_names_a_missing_file_and_still_does_the_others(article, tmp_path):
    missing = tmp_path / "nope.txt"
    out, err, error = run(missing, article, format="jsonl")
    assert error is not None
    assert str(missing) in err and "no such file" in err
    assert json.loads(out.splitlines()[0])["path"] == str(article)


def test_it_names_a_binary_file(article, tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    out, err, error = run(binary, article, format="jsonl")
    assert error is not None
    assert str(binary) in err and "binary" in err
    assert len(out.splitlines()) == 1


def test_it_names_text_that_is_not_utf8(article, tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Søren Ås said the café was closed.".encode("latin-1"))
    out, err, error = run(latin, article, format="jsonl")
    assert error is not None
    assert str(latin) in err and "not UTF-8" in err
    assert len(out.splitlines()) == 1


def test_it_names_an_empty_file(article, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    out, err, error = run(empty, article, format="jsonl")
    assert error is not None
    assert str(empty) in err and "empty" in err
    assert len(out.splitlines()) == 1


def test_it_names_a_file_over_the_size_limit(article, tmp_path, settings):
    settings.MAX_ARTICLE_BYTES = 1000
    big = tmp_path / "big.txt"
    big.write_text("Lars Berg said the ferry was late. " * 100, encoding="utf-8")
    out, err, error = run(big, article, format="jsonl")
    assert error is not None
    assert str(big) in err and "too large" in err
    assert len(out.splitlines()) == 1


def test_it_touches_no_database(article):
    # pytest-django blocks database access in tests without the django_db mark: any query would raise
    out, err, error = run(article, format="json")
    assert error is None and err == ""
    assert json.loads(out)["statements"]
