"""Topics: what each statement is about, from lexicons of weighted key phrases.

The topic list is data (seeds/topics.json, or the Topic rows an admin edits): major
topics, and subtopics that name their major topic as `parent`. Each topic has key
phrases, matched on lemmas and on lower-case words with spaCy's PhraseMatcher:

    "inflation"            weight 1: evidence enough on its own
    "budget | 0.5"         weight 0.5: weak alone; two weak phrases make a topic
    "press conference | 0" weight 0: counts for nothing, but being the longer match it
                           stops the words inside it ("press") from counting
    "@countries | 0.5"     any country's name or demonym (extraction/data/countries.json
                           and pycountry), each country once

A statement gets 0-3 major topics, most relevant first (`Statement.topics`), and the
subtopics of those that its words name (`Statement.subtopics`). Its own text counts in
full; the rest of its sentence (where "it" or "those plans" point) counts for
CONTEXT_WEIGHT. The article around it does not count. No Django here.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import PhraseMatcher

from .lexicon import countries, demonyms, shell_nouns
from .table import Table

# What the rest of the statement's sentence counts for, beside its own words: less
# than half, so one strong phrase there alone (0.45) does not add a second topic
# (THRESHOLD) to what the statement itself says.
CONTEXT_WEIGHT = 0.45
# The best topic needs this much evidence (a weight-0.5 phrase elsewhere in the
# sentence is enough when the statement says nothing itself)...
FIRST_THRESHOLD = 0.22
# ...the others this much, and at least RELATIVE of the best topic's evidence.
THRESHOLD = 0.5
RELATIVE = 0.35
MAX_TOPICS = 3
# A statement with no topic of its own or in its sentence takes what came before into
# account at this weight: the same speaker's statement just before, or the sentence
# before where a pronoun ("it", "those", "the move") points back to it.
EARLIER_WEIGHT = 0.5
# Country names count for this much together: two make relations between states, a
# list of ten is not five times more foreign affairs.
COUNTRY_CAP = 1.0
# The key phrase that stands for every country name and demonym.
COUNTRIES = "@countries"
COUNTRY_KEY = "country:"
# Country names that are more often something else in the news: US states.
NOT_COUNTRIES = {("georgia",), ("jersey",)}
COUNTRY_ENTITIES = {"GPE", "NORP", "LOC"}
ENTITY_PREFIXES = {"the", "anti", "pro", "-"}


@dataclass(frozen=True)
class KeyPhrase:
    text: str
    weight: float = 1.0


def parse_phrase(item) -> KeyPhrase:
    """'phrase' or 'phrase | 0.5' (or {"phrase": ..., "weight": ...}) as a KeyPhrase."""
    if isinstance(item, dict):
        text, weight = item.get("phrase", ""), item.get("weight", 1.0)
    else:
        text, sep, weight = str(item).rpartition("|")
        if not sep:
            text, weight = weight, 1.0
    text = " ".join(str(text).split())
    try:
        weight = float(weight)
    except (TypeError, ValueError):
        raise ValueError(f"{item!r}: the weight after “|” must be a number") from None
    if not text:
        raise ValueError(f"{item!r}: a key phrase needs some words")
    if not 0 <= weight <= 10:
        raise ValueError(f"{item!r}: the weight must be between 0 and 10")
    return KeyPhrase(text, weight)


def format_phrase(phrase: KeyPhrase) -> str:
    return phrase.text if phrase.weight == 1 else f"{phrase.text} | {phrase.weight:g}"


def load_topics(path) -> list[dict]:
    """Read and check a topic list: {"topics": [{name, slug, parent, description,
    key_phrases}]}. A parent must be a major topic (one without a parent) of the list."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    topics = data["topics"] if isinstance(data, dict) else data
    out = []
    for t in topics:
        if not t.get("slug") or not t.get("name"):
            raise ValueError(f"{path}: every topic needs a name and a slug: {t!r}")
        try:
            phrases = [parse_phrase(p) for p in t.get("key_phrases", [])]
        except ValueError as e:
            raise ValueError(f"{path}: topic {t['slug']}: {e}") from None
        out.append(
            {
                "name": t["name"],
                "slug": t["slug"],
                "parent": t.get("parent") or None,
                "description": t.get("description", ""),
                "key_phrases": [format_phrase(p) for p in phrases],
            }
        )
    check_hierarchy(out, where=str(path))
    return out


def check_hierarchy(topics: list[dict], where: str = "topics") -> None:
    slugs = [t["slug"] for t in topics]
    if len(set(slugs)) != len(slugs):
        twice = sorted({s for s in slugs if slugs.count(s) > 1})
        raise ValueError(f"{where}: slugs given twice: {', '.join(twice)}")
    parents = {t["slug"]: t.get("parent") for t in topics}
    for slug, parent in parents.items():
        if parent is None:
            continue
        if parent not in parents:
            raise ValueError(f"{where}: {slug}'s parent {parent!r} is not a topic")
        if parents[parent] is not None:
            raise ValueError(
                f"{where}: {slug}'s parent {parent!r} is itself a subtopic "
                "(two levels only)"
            )


@dataclass
class _Span:
    start: int  # token indices
    end: int
    start_char: int
    end_char: int
    weights: dict  # topic slug: weight
    key: str  # its lemmas: the same phrase found twice counts once


class TopicMatcher:
    """Finds the key phrases of every topic in a parsed doc and gives statements topics."""

    def __init__(self, topics: list[dict], nlp):
        self.parent = {t["slug"]: t.get("parent") or None for t in topics}
        self.major = {s: p or s for s, p in self.parent.items()}
        self.order = {t["slug"]: i for i, t in enumerate(topics)}
        entries = [
            (parse_phrase(p), t["slug"])
            for t in topics
            for p in t.get("key_phrases", [])
        ]
        self.country_weights = {
            slug: phrase.weight for phrase, slug in entries if phrase.text == COUNTRIES
        }
        entries = [(p, slug) for p, slug in entries if p.text != COUNTRIES]
        self.by_country = PhraseMatcher(nlp.vocab, attr="LOWER")
        if self.country_weights:
            plurals = _plural_demonyms()
            for words, code in countries().items():
                if words not in NOT_COUNTRIES:
                    forms = [words] + ([plurals[words]] if words in plurals else [])
                    self.by_country.add(
                        f"{COUNTRY_KEY}{code}",
                        [nlp.make_doc(" ".join(w)) for w in forms],
                    )
        self.keys: dict[int, tuple[str, float, bool]] = {}
        self.by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        if not entries:
            return
        # Only what gives lemmas: the phrases are parsed without the parser or NER.
        disabled = [n for n in ("parser", "ner") if n in nlp.pipe_names]
        with nlp.select_pipes(disable=disabled):
            docs = list(nlp.pipe(p.text for p, _ in entries))
        # Other forms of a phrase's words ("votes", "voted" for "voting") match at the
        # lowest weight any form of them has in the same major topic; the phrase's own
        # words match at its own weight.
        lowest: dict[tuple, float] = {}
        for (phrase, slug), doc in zip(entries, docs, strict=True):
            family = (self.major.get(slug, slug), _lemmas(doc))
            lowest[family] = min(lowest.get(family, phrase.weight), phrase.weight)
        grouped: dict[tuple[str, str], list] = {}
        for (phrase, slug), doc in zip(entries, docs, strict=True):
            # A phrase written in lower case is a common noun: it matches any form of
            # its words, in any case, but as one word not a proper noun ("bill" is not
            # Bill, "price" is not Mr Price). A phrase written with capitals is a name:
            # it matches as written, capitalised or in upper case ("House" is not
            # "house"), and an acronym only as written ("WHO" is not "who").
            common = phrase.text == phrase.text.lower()
            key = f"topic:{slug}:{phrase.weight:g}:{'common' if common else 'cased'}"
            self.keys[nlp.vocab.strings.add(key)] = (slug, phrase.weight, common)
            if common:
                grouped.setdefault(("lower", key), []).append(doc)
                weight = lowest[(self.major.get(slug, slug), _lemmas(doc))]
                key = f"topic:{slug}:{weight:g}:common"
                self.keys[nlp.vocab.strings.add(key)] = (slug, weight, common)
                grouped.setdefault(("lemma", key), []).append(doc)
            elif any(len(t.text) > 1 and t.text.isupper() for t in doc):
                grouped.setdefault(("orth", key), []).append(doc)
            else:
                text = phrase.text
                variants = {
                    text,
                    text[:1].upper() + text[1:],
                    _title(text),
                    text.upper(),
                }
                grouped.setdefault(("orth", key), []).extend(
                    nlp.make_doc(v) for v in sorted(variants)
                )
        for (matcher, key), pattern_docs in grouped.items():
            getattr(self, f"by_{matcher}").add(key, pattern_docs)

    def spans(self, doc) -> list[_Span]:
        """The key phrases found in `doc`, longest first where they overlap: a phrase
        inside a longer one does not count ("security" inside "security council")."""
        found: dict[tuple[int, int], dict] = {}
        keys: dict[tuple[int, int], str] = {}
        if self.country_weights:
            strings = doc.vocab.strings
            for key, a, b in self.by_country(doc):
                if _names_a_country(doc, a, b):
                    found[(a, b)] = dict(self.country_weights)
                    keys[(a, b)] = strings[key]
        for matcher in (self.by_lemma, self.by_lower, self.by_orth):
            for key, a, b in matcher(doc):
                slug, weight, common = self.keys[key]
                if common and b - a == 1 and doc[a].pos_ == "PROPN":
                    continue
                weights = found.setdefault((a, b), {})
                weights[slug] = max(weights.get(slug, 0.0), weight)
        taken = [False] * len(doc)
        kept = []
        for (a, b), weights in sorted(
            found.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0])
        ):
            if any(taken[a:b]):
                continue
            taken[a:b] = [True] * (b - a)
            last = doc[b - 1]
            key = keys.get((a, b)) or " ".join(t.lemma_.lower() for t in doc[a:b])
            kept.append(_Span(a, b, doc[a].idx, last.idx + len(last), weights, key))
        kept.sort(key=lambda s: s.start)
        return kept

    def assign(self, doc, statements) -> None:
        """Sets `topics` (major topic slugs, most relevant first) and `subtopics` on each
        statement (anything with start, end, sentence_start and sentence_end, and
        optionally `country`, the speaker's ISO code, and `speaker`, anything that
        tells speakers apart)."""
        spans = self.spans(doc)
        starts = [s.start_char for s in spans]
        token_starts = None
        # The statement just before each one, where the same speaker said it.
        previous = {}
        ordered = sorted(statements, key=lambda x: (x.start, x.end))
        for before, st in zip(ordered, ordered[1:], strict=False):
            speaker = getattr(st, "speaker", None)
            if speaker and getattr(before, "speaker", None) == speaker:
                previous[id(st)] = before
        for st in statements:
            lo = (
                st.start
                if st.sentence_start is None
                else min(st.start, st.sentence_start)
            )
            hi = st.end if st.sentence_end is None else max(st.end, st.sentence_end)
            # The speaker's own country is home, not foreign affairs ("the American
            # people" from an American).
            home = getattr(st, "country", None)
            home = f"{COUNTRY_KEY}{home.upper()}" if home else None
            own, context = [], []
            for span in self._between(spans, starts, lo, hi):
                if span.key == home:
                    continue
                inside = span.start_char >= st.start and span.end_char <= st.end
                (own if inside else context).append(span)
            st.topics, st.subtopics = self.rank(own, context)
            if st.topics:
                continue
            # Nothing topical in its own sentence. The same speaker's statement just
            # before ("Inflation is too high. We will not give up.") counts, at
            # EARLIER_WEIGHT...
            said = previous.get(id(st))
            if said is not None:
                before = [
                    span
                    for span in self._between(spans, starts, said.start, said.end)
                    if span.key != home
                ]
                st.topics, st.subtopics = self.rank(own, context, before)
                if st.topics:
                    continue
            # ...and so does the sentence before, where "it", "this", "those" or "the
            # move" point back to it.
            if not _has_anaphor(doc, st.start, st.end):
                continue
            if token_starts is None:
                token_starts = [t.idx for t in doc]
            i = bisect_left(token_starts, lo) - 1
            while i >= 0 and doc[i].is_space:
                i -= 1
            if i < 0:
                continue
            earlier = [
                span
                for span in self._between(
                    spans, starts, doc[i].sent.start_char, doc[i].idx + len(doc[i])
                )
                if span.key != home
            ]
            if earlier:
                st.topics, st.subtopics = self.rank(own, context, earlier)

    @staticmethod
    def _between(spans, starts, lo, hi):
        for span in spans[bisect_left(starts, lo) :]:
            if span.start_char >= hi:
                break
            if span.end_char <= hi:
                yield span

    def rank(self, own, context, earlier=()) -> tuple[list[str], list[str]]:
        """(major topics, subtopics) from the spans of the statement, of the rest of its
        sentence and of the sentence before. The same phrase twice is one piece of
        evidence; country names add up to COUNTRY_CAP at most."""
        major: dict[str, float] = {}
        minor: dict[str, float] = {}
        first_seen: dict[str, int] = {}
        seen: set[str] = set()
        countries_left = COUNTRY_CAP
        groups = ((1.0, own), (CONTEXT_WEIGHT, context), (EARLIER_WEIGHT, earlier))
        for factor, group in groups:
            for span in group:
                if span.key in seen:
                    continue
                seen.add(span.key)
                weights = span.weights
                if span.key.startswith(COUNTRY_KEY):
                    weights = {
                        k: min(w, countries_left / factor) for k, w in weights.items()
                    }
                    countries_left -= max(weights.values(), default=0.0) * factor
                best: dict[str, float] = {}
                for slug, weight in weights.items():
                    m = self.major.get(slug, slug)
                    best[m] = max(best.get(m, 0.0), weight)
                    if self.parent.get(slug):
                        minor[slug] = minor.get(slug, 0.0) + weight * factor
                for m, weight in best.items():
                    if weight:
                        major[m] = major.get(m, 0.0) + weight * factor
                        first_seen.setdefault(m, span.start_char)
        ranked = sorted(
            (m for m, score in major.items() if score >= FIRST_THRESHOLD),
            key=lambda m: (-major[m], first_seen[m], self.order.get(m, 0)),
        )
        if ranked:
            floor = max(THRESHOLD, major[ranked[0]] * RELATIVE)
            ranked = ranked[:1] + [m for m in ranked[1:] if major[m] >= floor]
            ranked = ranked[:MAX_TOPICS]
        chosen = set(ranked)
        subtopics = sorted(
            (
                s
                for s, score in minor.items()
                if score >= THRESHOLD and self.parent[s] in chosen
            ),
            key=lambda s: (-minor[s], self.order.get(s, 0)),
        )
        return ranked, subtopics


# Words that point back at something said before (as pronouns or determiners).
ANAPHORS = {
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "they",
    "them",
    "their",
    "such",
}


def _has_anaphor(doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    return any(
        (t.lower_ in ANAPHORS and t.pos_ in ("PRON", "DET") and not _expletive(t))
        or _shell_noun(t)
        for t in span
    )


def _shell_noun(tok) -> bool:
    """'the move', 'the plan', 'the deal': a definite noun that only names what was
    said or done before."""
    return (
        tok.lemma_.lower() in shell_nouns()
        and tok.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
    )


def _expletive(tok) -> bool:
    """'it' that points at nothing: "it is important to win", "it seems that ..."."""
    if tok.lower_ != "it":
        return False
    head = tok.head
    for child in head.children:
        clause = child.dep_ in ("ccomp", "xcomp", "csubj", "advcl") and child.i > tok.i
        if clause and any(
            g.dep_ in ("aux", "mark") and g.lower_ in ("to", "that")
            for g in child.children
        ):
            return True
        if child.dep_ in ("acomp", "attr") and any(
            g.dep_ in ("xcomp", "ccomp") for g in child.children
        ):
            return True
    return False


def _plural_demonyms() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Demonyms that name people in the plural with an -s ("Russians", "Israelis");
    "the French", "the Chinese" are already their plural."""
    return {
        words: (*words[:-1], words[-1] + "s")
        for words in demonyms()
        if words[-1].endswith(("an", "i"))
    }


def _title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def _lemmas(doc) -> tuple[str, ...]:
    return tuple(t.lemma_.lower() for t in doc)


def _names_a_country(doc, a: int, b: int) -> bool:
    """A capitalised country name or demonym that is not part of another name: the
    whole of a place or nationality entity ("New Mexico" is not Mexico, "us" is not
    the US, Jordan the person is not Jordan)."""
    first = doc[a]
    if not first.text[:1].isupper():
        return False
    if not first.ent_type_:
        return True
    if first.ent_type_ not in COUNTRY_ENTITIES:
        return False
    start = a
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = b
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    # "the United States", "anti-Israel": the name is the rest of the entity.
    while start < a and doc[start].lower_ in ENTITY_PREFIXES:
        start += 1
    return start == a and end == b


@dataclass
class Located:
    """A statement known only by its offsets (one already stored), with its topics."""

    start: int
    end: int
    sentence_start: int | None = None
    sentence_end: int | None = None
    topics: list | None = None
    subtopics: list | None = None
    country: str | None = None  # the speaker's ISO code, where known
    speaker: object = None  # who said it (any key), where known


def topics_of_spans(matcher: TopicMatcher, doc, spans) -> list[Located]:
    """The topics of statements given as (start, end) offsets into `doc`'s text, or
    (start, end, the speaker's country code, the speaker), with the sentences around
    them found as the pipeline finds them."""
    table = Table(doc)
    located = []
    for a, b, *speaker in spans:
        loc = Located(a, b, *sentence_bounds(table, a, b))
        loc.country, loc.speaker = (*speaker, None, None)[:2]
        located.append(loc)
    matcher.assign(doc, located)
    return located


def sentence_bounds(table: Table, start: int, end: int) -> tuple[int, int] | tuple:
    """The characters of the sentence(s) holding [start, end), as the pipeline's."""
    if not table.n:
        return (None, None)
    a = max(bisect_right(table.idx, start) - 1, 0)
    b = max(bisect_left(table.idx, end) - 1, 0)
    return (
        table.sents[table.sent_of[a]].start_char,
        table.sents[table.sent_of[b]].end_char,
    )
