"""Token attributes as plain Python lists: reading spaCy Token objects one by one is what costs."""

from __future__ import annotations

from spacy.attrs import (
    DEP,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    TAG,
)

ATTRS = [
    ORTH,
    LOWER,
    POS,
    TAG,
    DEP,
    LEMMA,
    ENT_TYPE,
    HEAD,
    IDX,
    SENT_START,
    IS_PUNCT,
    IS_SPACE,
]


class Sent:
    __slots__ = ("start", "end", "start_char", "end_char")

    def __init__(self, start: int, end: int, start_char: int, end_char: int):
        self.start, self.end, self.start_char, self.end_char = (
            start,
            end,
            start_char,
            end_char,
        )


class Table:
    def __init__(self, doc):
        n = len(doc)
        self.n = n
        if not n:
            self.text = self.lower = self.pos = self.tag = self.dep = self.lemma = (
                self.ent
            ) = []
            self.head = self.idx = self.punct = self.space = []
            self.sent_of, self.sents = [], []
            return
        arr = doc.to_array(ATTRS).T.tolist()
        strings = doc.vocab.strings
        cache: dict[int, str] = {0: ""}

        def names(col):
            out = []
            for h in col:
                v = cache.get(h)
                if v is None:
                    v = cache[h] = strings[h]
                out.append(v)
            return out

        self.text = names(arr[0])
        self.lower = names(arr[1])
        self.pos = names(arr[2])
        self.tag = names(arr[3])
        self.dep = names(arr[4])
        self.lemma = [x.lower() for x in names(arr[5])]
        self.ent = names(arr[6])
        self.head = [
            i + (h - (1 << 64) if h >= 1 << 63 else h) for i, h in enumerate(arr[7])
        ]
        self.idx = arr[8]
        self.punct = arr[10]
        self.space = arr[11]
        self.sent_of = [0] * n
        bounds: list[tuple[int, int]] = []  # token ranges
        start, si = 0, 0
        for i, s in enumerate(arr[9]):
            if s == 1 and i > 0:
                bounds.append((start, i))
                start, si = i, si + 1
            self.sent_of[i] = si
        bounds.append((start, n))
        self.sents = []
        for a, b in bounds:
            e = b
            while e - 1 > a and self.space[e - 1]:
                e -= 1
            self.sents.append(Sent(a, b, self.idx[a], self.end(e - 1)))

    def end(self, i: int) -> int:
        return self.idx[i] + len(self.text[i])
