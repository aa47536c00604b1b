"""Finding quotations in raw text: curly, straight and single marks, apostrophes left alone,
and quotes that run over several paragraphs. Offsets are into the text exactly as given."""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
OPENING_CONTEXT = " \t\n([{—–-/:;,"


@dataclass
class Quote:
    mark_start: int  # offset of the opening mark
    mark_end: (
        int  # offset just after the closing mark (or the paragraph's end when unclosed)
    )
    start: int  # the words inside the marks, trimmed of spaces
    end: int
    group: int  # paragraphs of one multi-paragraph quote share a group
    closed: bool = True

    def words(self, text: str) -> int:
        return len(text[self.start : self.end].split())


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line."""
    out, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _is_open(text: str, i: int, start: int, end: int, ch: str) -> bool | None:
    """True for an opening mark, False for a closing one, None when it is neither (an apostrophe)."""
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    if ch in DOUBLE_OPEN:
        return True
    if ch in DOUBLE_CLOSE:
        return False
    if ch == '"':
        if prev in OPENING_CONTEXT or prev in DOUBLE_OPEN + SINGLE_OPEN:
            return not nxt.isspace()
        return False
    # single marks: an apostrophe sits between letters ("I’m") or closes a word ("leaders’")
    if ch in SINGLE_OPEN or ch == "'":
        if (prev in OPENING_CONTEXT or prev in DOUBLE_OPEN) and (
            nxt.isalnum() or nxt in '“"$'
        ):
            return True
        if ch in SINGLE_OPEN:
            return None
    if ch in SINGLE_CLOSE or ch == "'":
        if prev.isalnum() and nxt.isalnum():
            return None  # I’m, hasn’t, O’Malley
        if not prev.isspace() and (not nxt.isalnum()):
            return False
    return None


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    group = 0
    continuing = False  # the previous paragraph opened a quote without closing it
    for p_start, p_end in paragraphs(text):
        open_at: int | None = None
        marks: list[
            tuple[int, bool, bool, int]
        ] = []  # (offset, is_open, is_double, width)
        i = p_start
        while i < p_end:
            ch = text[i]
            if ch == "'" and i + 1 < p_end and text[i + 1] == "'":
                # ''two apostrophes'' stand for a double mark in some archives
                prev = text[i - 1] if i > p_start else " "
                nxt = text[i + 2] if i + 2 < p_end else " "
                if prev in OPENING_CONTEXT or prev in DOUBLE_OPEN:
                    kind = not nxt.isspace()
                else:
                    kind = False
                marks.append((i, kind, True, 2))
                i += 2
                continue
            if ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch == '"':
                kind = _is_open(text, i, p_start, p_end, ch)
                if kind is not None:
                    marks.append((i, kind, True, 1))
            elif ch in SINGLE_OPEN or ch in SINGLE_CLOSE or ch == "'":
                kind = _is_open(text, i, p_start, p_end, ch)
                if kind is not None:
                    marks.append((i, kind, False, 1))
            i += 1
        first = marks[0] if marks else None
        if not (
            continuing
            and first
            and first[1]
            and first[2]
            and text[p_start : first[0]].strip() == ""
        ):
            group += 1 if continuing else 0
            continuing = False
        found_here: list[Quote] = []
        single_open: int | None = None
        open_width = 1
        for offset, is_open, is_double, width in marks:
            if is_double:
                if is_open:
                    open_at, open_width = offset, width
                    single_open = None
                elif open_at is not None:
                    a, b = _trim(text, open_at + open_width, offset)
                    if b > a:
                        found_here.append(Quote(open_at, offset + width, a, b, group))
                    open_at = None
                    group += 1  # the next quote is another one, even after a multi-paragraph quote
                    continuing = False
            elif open_at is None:
                if is_open:
                    single_open = offset
                elif single_open is not None:
                    a, b = _trim(text, single_open + 1, offset)
                    if len(text[a:b].split()) >= 2:
                        found_here.append(Quote(single_open, offset + 1, a, b, group))
                        group += 1
                    single_open = None
        if open_at is not None:
            a, b = _trim(text, open_at + open_width, p_end)
            if b > a:
                found_here.append(Quote(open_at, p_end, a, b, group, closed=False))
            continuing = True
        else:
            continuing = False
        quotes.extend(found_here)
    return quotes
