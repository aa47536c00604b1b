"""read_article_text: the checks the extract and import commands share."""

import pytest

from statements.extraction.reading import BadArticle, read_article_text


def test_it_returns_the_text_exactly_as_decoded(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("line one\r\n\r\nline “two”\n".encode())
    assert read_article_text(path, 10_000) == "line one\r\n\r\nline “two”\n"


def test_it_drops_only_a_byte_order_mark(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfHello there.")
    assert read_article_text(path) == "Hello there."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\n \n", "empty"),
        (b"abc\x00\x01\x02def", "binary"),
        (b"caf\xe9 au lait", "not UTF-8"),
        (b"x" * 101, "too large"),
    ],
)
def test_it_raises_a_clear_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(BadArticle) as info:
        read_article_text(path, max_bytes=100)
    assert str(path) in str(info.value) and reason in str(info.value)
    assert isinstance(info.value, ValueError)


def test_it_names_a_missing_file_and_a_directory(tmp_path):
    with pytest.raises(BadArticle, match="no such file"):
        read_article_text(tmp_path / "nope.txt")
    with pytest.raises(BadArticle, match="directory"):
        read_article_text(tmp_path)


def test_it_finds_a_nul_byte_in_the_middle_of_a_large_file(tmp_path):
    path = tmp_path / "a.txt"
    line = b"Keir Starmer said the talks had gone well.\n"
    path.write_bytes(line * 250 + b"half\x00way\n" + line * 250)
    with pytest.raises(BadArticle) as info:
        read_article_text(path)
    assert f"{path}: a binary file, not text (a NUL byte on line 251" in str(info.value)
