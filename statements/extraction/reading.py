"""Reading an article file safely: the checks the extract and import commands share.

    from statements.extraction.reading import read_article_text, BadArticle
    try:
        text = read_article_text(path, max_bytes=settings.MAX_ARTICLE_BYTES)
    except BadArticle as exc:
        print(exc)   # "PATH: not UTF-8 text (invalid byte 0xff at offset 12)"

The text comes back exactly as decoded (newlines kept, nothing normalised), so statement offsets
index into it. A leading UTF-8 byte-order mark is the only thing dropped.
"""

from __future__ import annotations

import os
from pathlib import Path


class BadArticle(ValueError):
    """A file that can't be read as an article; the message names the file and says why."""


def check_article_bytes(data: bytes, name: str, max_bytes: int | None = None) -> str:
    """Decode an article's bytes, or raise BadArticle naming `name`."""
    if max_bytes is not None and len(data) > max_bytes:
        raise BadArticle(
            f"{name}: too large ({len(data)} bytes; the limit is {max_bytes} bytes, MAX_ARTICLE_BYTES)"
        )
    nul = data.find(
        b"\x00"
    )  # anywhere: one in the middle is as binary as one at the start
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise BadArticle(
            f"{name}: a binary file, not text (a NUL byte on line {line}, at byte {nul})"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadArticle(
            f"{name}: not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise BadArticle(f"{name}: empty (no text)")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > 8:
        raise BadArticle(f"{name}: a binary file, not text")
    return text


def read_article_text(path, max_bytes: int | None = None) -> str:
    """The text of the article at `path`, or BadArticle (a ValueError) saying what is wrong with it."""
    name = os.fspath(path)
    p = Path(path)
    if not p.exists():
        raise BadArticle(f"{name}: no such file")
    if p.is_dir():
        raise BadArticle(f"{name}: a directory, not a file")
    try:
        size = p.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise BadArticle(
                f"{name}: too large ({size} bytes; the limit is {max_bytes} bytes, MAX_ARTICLE_BYTES)"
            )
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1 if max_bytes is not None else -1)
    except OSError as exc:
        raise BadArticle(f"{name}: can't be read ({exc.strerror or exc})") from None
    return check_article_bytes(data, name, max_bytes)
