"""Readers: turn each input (a file, a directory, stdin) into articles, or a clear error naming it.

Every reader reads and checks a whole input before anything from it is stored, so an input
with a problem anywhere is refused as a whole and nothing of it is half-written.

- `.txt`: plain UTF-8 text, with an optional header (see `parse_txt`).
- `.html` / `.htm`: the main text is taken with trafilatura; title, date and site name too.
- `.json`: one object, or a list of objects; `.jsonl`: one object a line. Each object has
  `text` and optionally `title`, `url`, `published` (YYYY-MM-DD) and `outlet`.
- a directory: the files above in it, recursively, in name order (hidden files skipped).
- `-`: stdin, read as JSON/JSONL when it starts with `{` or `[`, else as a .txt file.

Text is cleaned on the way in, before anything is extracted from it (so statements'
offsets index into the text as stored): see `clean_text`. A .txt or JSON article with
no title takes a short first line that reads as a headline (see `headline_of`).
"""

from __future__ import annotations

import datetime
import errno
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
STDIN = "-"
HEADER_FIELDS = {
    "title": "title",
    "url": "url",
    "published": "published",
    "outlet": "outlet",
}
_HEADER_LINE = re.compile(r"^([A-Za-z]+):[ \t]*(.*?)\s*$")
_DATED_NAME = re.compile(r"(?:^|[-_ ])(\d{4}-\d{2}-\d{2})(?:[-_ ]+(.*))?$")

logger = logging.getLogger(__name__)


class InputError(Exception):
    """An input that cannot be imported. str() names the input and says what is wrong."""

    def __init__(self, source: str, message: str):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


@dataclass(frozen=True)
class ArticleInput:
    source: str  # where it came from, for messages: "seeds/a.txt", "feed.jsonl line 3", "<stdin>"
    text: str
    title: str = ""
    url: str | None = None
    published: datetime.date | None = None
    outlet: str = ""


@dataclass
class InputFile:
    """One input and what came of reading it: its articles, or the error that refused it."""

    source: str
    articles: list[ArticleInput]
    error: InputError | None = None


def parse_date(
    value, source: str, what: str = "published date"
) -> datetime.date | None:
    from ..dates import RANGE, in_range

    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(source, f"{what} must be a YYYY-MM-DD string, not {value!r}")
    try:
        day = datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputError(
            source, f"{what} {value!r} is not a date (use YYYY-MM-DD)"
        ) from None
    if not in_range(day):
        raise InputError(source, f"{what} {value!r} is not a date {RANGE}")
    return day


# Control characters: no article means them, and XML (so the Atom feeds) cannot carry
# them. A vertical tab, a form feed, the separators and NEL break lines; every other
# one but tab and newline is removed. NUL means a binary file and is refused.
_LINE_BREAKS = dict.fromkeys(map(ord, "\v\f\x1c\x1d\x1e\x85"), "\n")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]+")


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def clean_text(text: str, source: str) -> str:
    """`text` (line ends already \\n) without control characters other than newline and
    tab; a warning naming `source` and the first line says what was changed. Raises
    InputError for a NUL character (a JSON escape can hold one)."""
    nul = text.find("\x00")
    if nul != -1:
        raise InputError(
            source, f"a NUL character on line {_line_of(text, nul)}: not article text"
        )
    first = _CONTROL.search(text)
    if first is None:
        return text
    count = len(_CONTROL.findall(text))
    logger.warning(
        "%s: %d control character(s) removed or made line breaks, the first (%r) on line %d",
        source,
        count,
        first.group(),
        _line_of(text, first.start()),
    )
    return _CONTROL.sub("", text.translate(_LINE_BREAKS))


def clean_line(value: str, source: str, what: str) -> str:
    """A one-line field (title, URL, outlet): control characters, new lines and tabs
    included, become a space."""
    if "\x00" in value:
        raise InputError(source, f"a NUL character in the {what}")
    return _ANY_CONTROL.sub(" ", value).strip()


# A first line this short that reads as a headline is the title of an article that
# gives none (the text keeps it: the offsets of what is said in it stay exact).
HEADLINE_MAX_CHARS = 150
HEADLINE_MAX_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_NOT_A_HEADLINE = re.compile(r"^(by|updated|published|posted)\b|https?://|www\.", re.I)


def headline_of(text: str) -> str:
    """The first line of `text` when it reads as a headline, else "".

    A headline is short (at most HEADLINE_MAX_WORDS words and HEADLINE_MAX_CHARS
    characters), is followed by more text, and either does not end like a sentence
    ("Starmer calls for US backstop"), is in title case ("The Ninth Circle: The View
    from Inside, #2."), or is a paragraph of its own (a blank line after it: "Scholz
    warns on troops."). Bylines, datelines and links are not headlines."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    words = first.split()
    if (
        not rest.strip()
        or not 2 <= len(words) <= HEADLINE_MAX_WORDS
        or len(first) > HEADLINE_MAX_CHARS
        or _NOT_A_HEADLINE.search(first)
        or not any(c.isalpha() for c in first)
    ):
        return ""
    # Title case: most of the longer words (not "of", "the", "from") are capitalised.
    long_words = [w for w in words if sum(c.isalpha() for c in w) >= 4]
    capitalised = [w for w in long_words if w[:1].isupper() or w[:1].isdigit()]
    title_case = bool(long_words) and len(capitalised) >= 0.6 * len(long_words)
    own_paragraph = rest.startswith("\n") or rest.startswith("\r\n")
    if title_case or own_paragraph or not _SENTENCE_END.search(first):
        return first
    return ""


def decode(data: bytes, source: str, max_bytes: int) -> str:
    """Bytes to text, refusing what is empty, too large, binary or not UTF-8 (the checks of
    statements.extraction.reading, shared with the `extract` command). Line ends become \\n."""
    from ..extraction.reading import BadArticle, check_article_bytes

    try:
        text = check_article_bytes(data, source, max_bytes)
    except BadArticle as e:
        message = str(e).removeprefix(f"{source}: ")
        raise InputError(source, message) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_txt(text: str, source: str) -> ArticleInput:
    """A .txt article. An optional header comes first and ends at the first blank line:

        Title: Starmer calls for US backstop
        URL: https://example.com/news/123
        Published: 2025-02-17
        Outlet: Example News

        The article's text...

    Field names are case-insensitive and any may be left out. A file whose first line is not
    one of these fields has no header: all of it is the text. Without a Title: line, a
    first line that reads as a headline is the title (see `headline_of`).
    """
    text = clean_text(text, source)
    meta: dict[str, str] = {}
    lines = text.split("\n")
    first = _HEADER_LINE.match(lines[0]) if lines else None
    if first and first.group(1).lower() in HEADER_FIELDS:
        for i, line in enumerate(lines):
            if not line.strip():
                text = "\n".join(lines[i + 1 :])
                break
            m = _HEADER_LINE.match(line)
            if not m or m.group(1).lower() not in HEADER_FIELDS:
                raise InputError(
                    source,
                    f"header line {i + 1} {line[:60]!r} is not one of Title:, URL:, "
                    "Published:, Outlet: (the header ends at the first blank line)",
                )
            meta[HEADER_FIELDS[m.group(1).lower()]] = clean_line(
                m.group(2), source, m.group(1)
            )
        else:
            raise InputError(
                source, "a header but no text (the text follows the first blank line)"
            )
    text = text.strip("\n")
    if not text.strip():
        raise InputError(source, "no article text")
    return ArticleInput(
        source=source,
        text=text,
        title=meta.get("title") or headline_of(text),
        url=meta.get("url") or None,
        published=parse_date(meta.get("published"), source),
        outlet=meta.get("outlet", ""),
    )


def from_name(article: ArticleInput, path: Path) -> ArticleInput:
    """A file named like 2025-02-17-paris-summit.txt (or outlet_2025-02-17_paris-summit.txt)
    gives the date, and the title ("Paris summit"), where the file does not."""
    m = _DATED_NAME.search(path.stem)
    if not m:
        return article
    try:
        published = article.published or parse_date(m.group(1), article.source)
    except InputError:
        published = None  # not a real date (2025-13-45): the name is just a name
    words = (m.group(2) or "").replace("-", " ").replace("_", " ").strip()
    title = article.title or (words[:1].upper() + words[1:])
    return replace(article, published=published, title=title)


_SENTENCE = re.compile(r"\w+\W+\w+\W+\w+\W+\w+[^\n]*[.!?][\"'”’)]*\s*$", re.MULTILINE)


def _has_prose(text: str) -> bool:
    """At least one line of four words or more ending like a sentence; trafilatura falls
    back to a page's menus when it finds no article."""
    return bool(_SENTENCE.search(text))


def _valid_url(url: str | None) -> str | None:
    """A page's own canonical URL where it is a full http(s) URL; else none."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if not url:
        return None
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return None
    return url


def parse_html(html: str, source: str) -> ArticleInput:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, favor_recall=True, include_tables=False
    )
    text = clean_text((doc.text if doc is not None else "") or "", source).strip()
    title = clean_line((doc.title if doc is not None else "") or "", source, "title")
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :].strip()
    if not _has_prose(text):
        raise InputError(
            source,
            "no article text found in the HTML (no sentences, only menus or boilerplate)",
        )
    published = None
    if doc is not None and doc.date:
        try:
            published = parse_date(doc.date, source)
        except InputError:
            published = None
    return ArticleInput(
        source=source,
        text=text,
        title=title,
        url=_valid_url(doc.url if doc is not None else None),
        published=published,
        outlet=clean_line(
            (doc.sitename if doc is not None else "") or "", source, "outlet"
        ),
    )


def parse_object(obj, source: str, max_bytes: int) -> ArticleInput:
    if not isinstance(obj, dict):
        raise InputError(
            source, f"expected an object with a 'text', not {type(obj).__name__}"
        )
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(source, "no 'text' (a non-empty string is needed)")
    if len(text.encode("utf-8")) > max_bytes:
        raise InputError(
            source,
            f"'text' is too large (the limit is {max_bytes:,} bytes, MAX_ARTICLE_BYTES)",
        )
    fields = {}
    for key in ("title", "url", "outlet"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise InputError(source, f"'{key}' must be a string")
        fields[key] = clean_line(obj.get(key) or "", source, f"'{key}'")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = clean_text(text, source).strip("\n")
    if not text.strip():
        raise InputError(source, "no 'text' (a non-empty string is needed)")
    return ArticleInput(
        source=source,
        text=text,
        title=fields["title"] or headline_of(text),
        url=fields["url"] or None,
        published=parse_date(obj.get("published"), source),
        outlet=fields["outlet"],
    )


TOO_DEEP = "JSON nested too deep to read (an article is one object of strings)"


def parse_json(text: str, source: str, max_bytes: int) -> list[ArticleInput]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(
            source, f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}"
        ) from None
    except RecursionError:
        raise InputError(source, TOO_DEEP) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise InputError(source, "an empty JSON list: no articles")
    if len(items) == 1:
        return [parse_object(items[0], source, max_bytes)]
    return [
        parse_object(obj, f"{source} item {i}", max_bytes)
        for i, obj in enumerate(items, 1)
    ]


def parse_jsonl(text: str, source: str, max_bytes: int) -> list[ArticleInput]:
    articles = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(source, f"malformed JSON on line {n}: {e.msg}") from None
        except RecursionError:
            raise InputError(source, f"line {n}: {TOO_DEEP}") from None
        articles.append(parse_object(obj, f"{source} line {n}", max_bytes))
    if not articles:
        raise InputError(source, "no articles (every line is blank)")
    return articles


def json_size_limit(max_bytes: int) -> int:
    """A JSON/JSONL file holds many articles: the limit is on each article's text, and the
    file may be this much larger."""
    return max(max_bytes * 1000, 1 << 30)


def read_file(path: Path, max_bytes: int) -> list[ArticleInput]:
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in KNOWN_SUFFIXES:
        raise InputError(
            source,
            f"unknown file type {path.suffix or '(no extension)'!r}; "
            "use .txt, .html, .htm, .json or .jsonl",
        )
    limit = (
        json_size_limit(max_bytes)
        if suffix in JSON_SUFFIXES | JSONL_SUFFIXES
        else max_bytes
    )
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                source,
                f"too large ({size:,} bytes; the limit is {limit:,}, "
                "set MAX_ARTICLE_BYTES to change it)",
            )
        data = path.read_bytes()
    except OSError as e:
        raise InputError(source, f"cannot read it ({e.strerror})") from None
    text = decode(data, source, limit)
    if suffix in TEXT_SUFFIXES:
        return [from_name(parse_txt(text, source), path)]
    if suffix in HTML_SUFFIXES:
        return [from_name(parse_html(text, source), path)]
    if suffix in JSON_SUFFIXES:
        return parse_json(text, source, max_bytes)
    return parse_jsonl(text, source, max_bytes)


def read_stdin(max_bytes: int, stream=None) -> list[ArticleInput]:
    source = "<stdin>"
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read(json_size_limit(max_bytes) + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    start = data.lstrip()[:1]
    if start in (b"{", b"["):
        text = decode(data, source, json_size_limit(max_bytes))
        try:
            return parse_json(text, source, max_bytes)
        except InputError:
            if start == b"{" and "\n" in text.strip():
                return parse_jsonl(text, source, max_bytes)
            raise
    return [parse_txt(decode(data, source, max_bytes), source)]


def unreadable_link(path: Path) -> str | None:
    """What is wrong with `path` when it is a symlink that leads nowhere: a loop
    (a.txt -> b.txt -> a.txt) or a broken link; None otherwise."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symlink loop"
        if path.is_symlink():
            return f"a broken symlink (to {os.readlink(path)})"
    return None


def _walk(directory: Path, ancestors: frozenset[Path]) -> Iterator[Path]:
    """The files under `directory` in name order, following symlinks. A symlink loop
    (a directory link back to one of its own ancestors, or a file link that never
    ends) and a broken link are named in a warning and skipped."""
    try:
        entries = sorted(directory.iterdir())
    except OSError as e:
        logger.warning("%s: cannot be read (%s), skipped", directory, e.strerror)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        problem = unreadable_link(entry)
        if problem:
            logger.warning("%s: %s, skipped", entry, problem)
        elif entry.is_dir():
            real = entry.resolve()
            if real in ancestors:
                logger.warning(
                    "%s: a symlink loop (back to %s, already being read), skipped",
                    entry,
                    real,
                )
            else:
                yield from _walk(entry, ancestors | {real})
        elif entry.is_file():
            yield entry


def expand(
    paths: list[str], skip: frozenset[Path] = frozenset()
) -> Iterator[Path | str]:
    """Each path, with directories replaced by the article files in them (recursively,
    sorted). Files with other extensions, hidden files and the `skip` files (the topic list,
    seeds/topics.json) are left out of a directory; named on their own they are read.
    Symlink loops and broken links in a directory are named and skipped."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            yield from (
                p
                for p in _walk(path, frozenset({path.resolve()}))
                if p.suffix.lower() in KNOWN_SUFFIXES and p.resolve() not in skip
            )
        else:
            yield path


def read_inputs(
    paths: list[str], max_bytes: int, stdin=None, skip=frozenset()
) -> Iterator[InputFile]:
    """Each input file in turn, with its articles or the error that refused it."""
    for item in expand(paths, frozenset(Path(p).resolve() for p in skip)):
        source = "<stdin>" if item == STDIN else str(item)
        try:
            if item == STDIN:
                articles = read_stdin(max_bytes, stdin)
            elif problem := unreadable_link(item):
                raise InputError(source, problem)
            elif not item.exists():
                raise InputError(source, "no such file or directory")
            else:
                articles = read_file(item, max_bytes)
        except InputError as e:
            yield InputFile(source, [], e)
        else:
            yield InputFile(source, articles)
