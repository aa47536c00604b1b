"""Topics: a list of {name, slug, key_phrases} (seeds/topics.json), matched on lemmas."""

from __future__ import annotations

import json
from pathlib import Path


def load_topics(path) -> list[dict]:
    """Read the topic list; each topic has a name, a slug and its key phrases."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    topics = data["topics"] if isinstance(data, dict) else data
    out = []
    for t in topics:
        if not t.get("slug") or not t.get("name"):
            raise ValueError(f"{path}: every topic needs a name and a slug: {t!r}")
        out.append(
            {
                "name": t["name"],
                "slug": t["slug"],
                "key_phrases": list(t.get("key_phrases", [])),
            }
        )
    return out


class TopicMatcher:
    """Finds topic key phrases in a parsed doc by lower-case lemma (and by lower-case word)."""

    def __init__(self, topics: list[dict], nlp):
        self.first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        phrases = [(p, t["slug"]) for t in topics for p in t.get("key_phrases", [])]
        if not phrases:
            return
        docs = nlp.pipe([p for p, _ in phrases])
        for (_phrase, slug), doc in zip(phrases, docs, strict=True):
            for seq in {
                tuple(t.lemma_.lower() for t in doc),
                tuple(t.lower_ for t in doc),
            }:
                if seq:
                    self.first.setdefault(seq[0], []).append((seq, slug))

    def matches(self, table) -> list[tuple[int, int, str]]:
        """(start_char, end_char, slug) of each key phrase in a parsed doc's token table."""
        if not self.first:
            return []
        lemmas, lowers = table.lemma, table.lower
        first = self.first
        out = []
        for i in range(table.n):
            if lemmas[i] not in first and lowers[i] not in first:
                continue
            for seqs in (
                self.first.get(lemmas[i]),
                self.first.get(lowers[i]) if lowers[i] != lemmas[i] else None,
            ):
                if not seqs:
                    continue
                for seq, slug in seqs:
                    n = len(seq)
                    if (
                        tuple(lemmas[i : i + n]) == seq
                        or tuple(lowers[i : i + n]) == seq
                    ):
                        out.append((table.idx[i], table.end(i + n - 1), slug))
        return out
