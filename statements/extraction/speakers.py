"""Who is speaking: names, titles, pronouns, groups, with one canonical speaker per person per article.

Resolution never hangs on NER labels alone (the small model tags "Trump" as ORG): a name is a run of
proper-noun tokens, stripped of titles and country words, and a surname is tied to the full name the
article gives. NER labels only break ties between a person and an organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import countries, demonyms, position_words, positions, speech_verbs
from .types import COUNTRY, GROUP, ORGANISATION, PERSON, SpeakerInfo

HONORIFICS = {
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "dr",
    "dr.",
    "sir",
    "dame",
    "lord",
    "lady",
}
ORG_WORDS = {
    "party",
    "house",
    "department",
    "ministry",
    "committee",
    "council",
    "union",
    "news",
    "times",
    "post",
    "journal",
    "press",
    "university",
    "institute",
    "foundation",
    "campaign",
    "association",
    "agency",
    "bank",
    "group",
    "corporation",
    "inc.",
    "corp.",
    "co.",
    "company",
    "network",
    "office",
    "senate",
    "congress",
    "court",
    "administration",
    "state",
    "states",
    "nations",
    "republic",
    "kingdom",
    "center",
    "centre",
    "fund",
    "organization",
    "organisation",
    "service",
    "commission",
    "bureau",
    "army",
    "forces",
    "navy",
    "police",
    "church",
    "tv",
    "radio",
    "media",
    "club",
    "kremlin",
    "pentagon",
    "parliament",
    "government",
    "alliance",
    "cnn",
    "fbi",
    "cia",
    "nato",
    "un",
    "eu",
    "gop",
    "tribune",
    "herald",
    "review",
    "magazine",
    "reuters",
    "cabinet",
    "board",
    "school",
    "college",
    "airlines",
    "motors",
    "street",
    "square",
}
PARTY_WORDS = {
    "democrat",
    "democratic",
    "republican",
    "gop",
    "independent",
    "conservative",
    "liberal",
    "labour",
    "tory",
}
NON_PERSON_LABELS = {
    "ORG",
    "GPE",
    "LOC",
    "FAC",
    "NORP",
    "WORK_OF_ART",
    "EVENT",
    "PRODUCT",
    "LAW",
    "LANGUAGE",
}
PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_GROUP = {"they", "them"}
PRONOUNS_THING = {"it"}
PRONOUNS_SELF = {"i", "we", "you", "me", "us"}
RELATIVES = {"who", "that", "which", "whom"}
POSSESSIVE = {"'s", "’s", "'", "’"}


MODALS = {
    "may",
    "might",
    "will",
    "would",
    "can",
    "could",
    "should",
    "must",
    "says",
    "said",
    "tells",
    "told",
    "writes",
    "wrote",
}


def _verb_like(word: str) -> bool:
    """A capitalised word at the end of a headline name that is really a verb ("Explained", "Says")."""
    if word in MODALS:
        return True
    lemmas = speech_verbs().lemmas
    return any(
        word.endswith(suf) and word[: len(word) - len(suf)] in lemmas
        for suf in ("s", "es", "ed", "d")
    )


def _looks_personal(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and not w.isupper() for w in words)
        and not any(w.lower() in ORG_WORDS for w in words)
    )


def _fit_alias(text: str) -> bool:
    """A mention worth keeping as an alias: not a pronoun, not a long description."""
    words = text.split()
    if (
        len(words) == 1
        and words[0].lower()
        in PRONOUNS_PERSON | PRONOUNS_GROUP | PRONOUNS_THING | PRONOUNS_SELF
    ):
        return False
    return len(words) <= 10 and ", who" not in text and ", which" not in text


@dataclass
class Run:
    """A proper-noun run: a name once titles and country words before it are stripped."""

    start: int  # token indices of the name itself
    end: int
    text: str
    kind: str
    position: str | None = None
    country: str | None = None
    organisation: str | None = None
    written: str = ""  # the run with its descriptor, as written


@dataclass
class Resolved:
    name: str | None
    mention: str
    kind: str | None
    method: str
    confidence: float


@dataclass
class _Info:
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    position: str | None = None
    country: str | None = None
    organisation: str | None = None


def _cap(token) -> bool:
    return token.text[:1].isupper()


class Speakers:
    """Speaker resolution over one parsed article."""

    def __init__(self, doc, in_quote: list[int], table):
        self.doc = doc
        self.T = table
        self.in_quote = in_quote
        self.pos_words = position_words()
        self.country_at = self._countries()
        self.runs: list[Run] = []
        self.run_at: dict[int, Run] = {}
        self.by_surname: dict[str, list[Run]] = {}
        self.person_texts: set[str] = set()
        self.info: dict[str, _Info] = {}
        self.history: list[
            tuple[int, int, str, str]
        ] = []  # (token, sentence, name, kind)
        self.sent_of = table.sent_of
        self._canon_cache: dict[tuple[int, int], tuple[str, str, float]] = {}
        self._find_runs()
        self.dateline_end = self._datelines()

    # ---- countries and names ---------------------------------------------------------------
    def _countries(self) -> dict[int, tuple[int, int, str]]:
        table = countries()
        T, out = self.T, {}
        text, lower, n = T.text, T.lower, T.n
        i = 0
        while i < n:
            if not text[i][:1].isupper():
                i += 1
                continue
            for k in (4, 3, 2, 1):
                if i + k > n:
                    continue
                code = table.get(tuple(lower[i : i + k]))
                if code:
                    for j in range(i, i + k):
                        out[j] = (i, i + k, code)
                    i += k
                    break
            else:
                i += 1
        return out

    def _is_title(self, token) -> bool:
        return token.lower_ in self.pos_words or token.lower_ in HONORIFICS

    def _is_title_i(self, i: int) -> bool:
        w = self.T.lower[i]
        return w in self.pos_words or w in HONORIFICS

    def _find_runs(self) -> None:
        T = self.T
        text, pos, ent, n = T.text, T.pos, T.ent, T.n
        i = 0
        person_labelled = {text[k] for k in range(n) if ent[k] == "PERSON"}
        self.person_texts = person_labelled
        raw: list[tuple[int, int]] = []

        def namelike(k: int) -> bool:
            # a proper noun, or a capitalised word the NER calls a person (the tagger slips on "O’Brien")
            return text[k][:1].isupper() and (
                pos[k] == "PROPN"
                or ent[k] == "PERSON"
                and pos[k] in ("NOUN", "ADJ", "VERB")
            )

        while i < n:
            if namelike(i):
                j = i
                while j < n and namelike(j):
                    j += 1
                    # O’Brien, Smith-Jones: a mark inside a name, with no space around it
                    if (
                        j + 1 < n
                        and text[j] in ("’", "'", "-")
                        and T.idx[j] == T.end(j - 1)
                        and T.idx[j + 1] == T.end(j)
                        and text[j + 1][:1].isupper()
                    ):
                        j += 1
                raw.append((i, j))
                i = j
            else:
                i += 1
        for a, b in raw:
            if T.lower[b - 1] in ORG_WORDS and not (
                a in self.country_at and self.country_at[a][1] >= b
            ):
                # "State Department", "White House": the whole run names an organisation
                self._add_run(Run(a, b, self.doc[a:b].text, ORGANISATION))
                continue
            s = a
            while s < b and (
                self._is_title_i(s)
                or s in self.country_at
                and ent[s] != "PERSON"
                or T.lower[s] in PARTY_WORDS
            ):
                s += 1
            # title-case headlines: "Anna Lindqvist Explained", "Moreau May"
            while b - s > 1 and _verb_like(T.lower[b - 1]):
                b -= 1
            # "Ohio Gov. Daniel Reyes", "Acme Radio Vice President": the name starts after the last title
            titles = [
                k
                for k in range(s, b - 1)
                if self._is_title_i(k) and text[k][:1].isupper()
            ]
            if titles:
                s = titles[-1] + 1
            if s >= b:
                # a bare country or title run
                if a in self.country_at and self.country_at[a][1] >= b:
                    self._add_run(
                        Run(
                            a,
                            b,
                            self.doc[a:b].text,
                            COUNTRY,
                            country=self.country_at[a][2],
                        )
                    )
                continue
            words = T.lower[s:b]
            kind = PERSON
            if any(w in ORG_WORDS for w in words) or all(
                text[k].isupper() and 1 < len(text[k]) <= 5 for k in range(s, b)
            ):
                kind = ORGANISATION
            elif b - s == 1:
                if ent[s] in NON_PERSON_LABELS and text[s] not in person_labelled:
                    kind = ORGANISATION
            else:
                labels = set(ent[s:b])
                if (
                    labels
                    and labels <= NON_PERSON_LABELS
                    and not any(text[k] in person_labelled for k in range(s, b))
                ):
                    kind = ORGANISATION
            run = Run(s, b, self.doc[s:b].text, kind)
            if kind == PERSON:
                self._describe(run, a)
            self._add_run(run)
        # single-word person runs whose word is the surname of a longer name are persons
        for run in self.runs:
            longer = self.by_surname.get(run.text.lower(), [])
            if (
                run.kind == ORGANISATION
                and run.end - run.start == 1
                and any(r.end - r.start > 1 for r in longer)
            ):
                run.kind = PERSON

    def _add_run(self, run: Run) -> None:
        self.runs.append(run)
        for k in range(run.start, run.end):
            self.run_at[k] = run
        if run.kind == PERSON:
            self.by_surname.setdefault(self.T.lower[run.end - 1], []).append(run)

    def _describe(self, run: Run, title_start: int) -> None:
        """Position and country from 'Polish Prime Minister Donald Tusk', 'Italy’s Prime Minister, Giorgia
        Meloni', 'Mette Frederiksen, the Prime Minister of Denmark', 'Trump’s special envoy for Ukraine, ...'."""
        doc = self.doc
        sent = self.T.sents[self.T.sent_of[run.start]]
        # left: title words, country words, 'of'/'for', possessives, and one comma after a title word
        j = run.start - 1
        left: list[int] = []
        comma = False
        while j >= sent.start:
            t = doc[j]
            if (
                t.text == ","
                and not comma
                and j - 1 >= sent.start
                and (self._is_title(doc[j - 1]) or j - 1 in self.country_at)
            ):
                comma = True
                j -= 1
                continue
            if (
                self._is_title(t)
                or j in self.country_at
                or t.lower_ in ("of", "for", "the")
                or t.text in POSSESSIVE
            ):
                left.append(j)
                j -= 1
                continue
            break
        left.reverse()
        while (
            left
            and doc[left[0]].lower_ in ("of", "for", "the")
            or left
            and doc[left[0]].text in POSSESSIVE
        ):
            left.pop(0)
        right: list[int] = []
        k = run.end
        if k < sent.end and doc[k].text == ",":
            k += 1
            while k < sent.end:
                t = doc[k]
                if (
                    self._is_title(t)
                    or k in self.country_at
                    or t.lower_ in ("of", "for", "the", "a", "an")
                    or t.text in POSSESSIVE
                ):
                    right.append(k)
                    k += 1
                    continue
                break
            if not (k >= sent.end or doc[k].is_punct) or not any(
                self._is_title(doc[x]) for x in right
            ):
                right = []
        for part in (left, right):
            if not part:
                continue
            pos, country = self._parse_descriptor(part)
            run.position = run.position or pos
            run.country = run.country or country
        a = left[0] if left else run.start
        b = (right[-1] + 1) if right else run.end
        run.written = doc[a:b].text

    def _parse_descriptor(self, idx: list[int]) -> tuple[str | None, str | None]:
        doc = self.doc
        words = [doc[i].lower_ for i in idx]
        country = None
        skip_after_for = False
        seen = set()
        for n, i in enumerate(idx):
            if words[n] == "for":
                skip_after_for = True
            if i in self.country_at and i not in seen and not skip_after_for:
                country = self.country_at[i][2]
                break
        best = None
        for n in range(len(idx)):
            for phrase in positions():
                m = len(phrase)
                if tuple(words[n : n + m]) == phrase and (
                    best is None or m > best[1] - best[0]
                ):
                    best = (n, n + m)
        if best is None:
            return None, country
        a, b = best
        while a > 0 and words[a - 1] in (
            "special",
            "deputy",
            "senior",
            "foreign",
            "acting",
        ):
            a -= 1
        # "special envoy for Ukraine": a for-phrase belongs to the position
        if b < len(idx) and words[b] == "for":
            b += 1
            while (
                b < len(idx)
                and idx[b] == idx[b - 1] + 1
                and doc[idx[b]].pos_ == "PROPN"
                and not self._is_title(doc[idx[b]])
            ):
                b += 1
        text = self.doc[idx[a] : idx[b - 1] + 1].text
        return text, country

    # ---- mentions --------------------------------------------------------------------------
    def mention_span(self, head) -> tuple[int, int, int]:
        """(start, end, appos_end) token range of the noun phrase headed by `head`, without relative clauses."""
        keep = [head.i]
        appos_end = head.i + 1
        for c in head.children:
            d = c.dep_
            if d in (
                "compound",
                "amod",
                "det",
                "poss",
                "nmod",
                "nummod",
                "quantmod",
                "case",
            ) or (
                d == "prep"
                and c.lower_ in ("of", "for", "at", "from", "in")
                and c.i > head.i
            ):
                keep.extend(x.i for x in c.subtree)
            elif d == "appos":
                excluded = {
                    y.i
                    for x in c.subtree
                    if x.dep_ in ("relcl", "acl")
                    for y in x.subtree
                }
                sub = [x.i for x in c.subtree if x.i not in excluded]
                if sub:
                    appos_end = max(appos_end, max(sub) + 1)
        a, b = min(keep), max(keep) + 1
        while a < head.i and self.doc[a].is_punct:
            a += 1
        while b - 1 > head.i and self.doc[b - 1].is_punct:
            b -= 1
        return a, b, max(b, appos_end)

    def _datelines(self) -> dict[int, int]:
        """Tokens of 'LONDON (Reuters) —', 'BERLIN, March 3 (AFP) —' at a paragraph's start -> the dash's index."""
        T, out = self.T, {}
        for i in range(T.n):
            if not (i == 0 or "\n" in T.text[i - 1]):
                continue
            for k in range(i, min(i + 12, T.n)):
                if (
                    T.text[k] in ("—", "–", "--", "-")
                    and k > i
                    and T.idx[k] > T.end(k - 1)
                ):
                    before = range(i, k)
                    if (
                        before
                        and any(T.text[x] == "(" for x in before)
                        or any(
                            T.text[x].isupper() and len(T.text[x]) >= 4 for x in before
                        )
                    ):
                        for x in before:
                            out[x] = k
                    break
                if T.pos[k] in ("VERB", "AUX"):
                    break
        return out

    def resolve(self, head) -> Resolved:
        doc = self.doc
        if head.i in self.dateline_end:
            # the dateline is not the speaker: the first person named after it is
            end = self.dateline_end[head.i]
            sent_end = self.T.sents[self.sent_of[head.i]].end
            after = [
                r for r in self.runs if end < r.start < sent_end and r.kind == PERSON
            ]
            if not after:
                return Resolved(None, head.text, None, "dateline", 0.1)
            head = doc[after[0].end - 1]
        if head.lower_ in RELATIVES and head.head.dep_ == "relcl":
            head = head.head.head
        a, b, c = self.mention_span(head)
        mention = doc[a:c].text.rstrip(" ,")
        if c - 1 > head.i and doc[c - 1].text in POSSESSIVE:
            mention = doc[a : c - 1].text.rstrip(" ,")
        low = head.lower_
        si = self.sent_of[head.i]
        if head.pos_ == "PRON":
            if low in PRONOUNS_PERSON:
                found = self._recent(head.i, (PERSON,))
                if found is None:
                    # the NER called a person an organisation (a Scandinavian name as ORG): "he" says otherwise
                    org = self._recent(head.i, (ORGANISATION,), within=3)
                    if org and _looks_personal(org[0]):
                        self.info[org[0]].kind = PERSON
                        for h in range(len(self.history)):
                            if self.history[h][2] == org[0]:
                                self.history[h] = (*self.history[h][:3], PERSON)
                        found = (org[0], PERSON)
            elif low in PRONOUNS_GROUP:
                found = self._recent(head.i, (GROUP, ORGANISATION, COUNTRY), within=3)
            elif low in PRONOUNS_THING:
                found = self._recent(head.i, (ORGANISATION, COUNTRY), within=2)
            else:
                found = None
            if found:
                return self._note(
                    Resolved(found[0], head.text, found[1], "pronoun", 0.7),
                    head.i,
                    si,
                    alias=False,
                )
            return Resolved(None, head.text, None, "pronoun-unresolved", 0.2)
        # a name in the mention: the head's own run first, then the apposition's
        run = self.run_at.get(head.i)
        if run is None or run.kind != PERSON:
            # a person named in apposition ("BERLIN (AFP) — Former Finance Minister Hans Keller")
            cands = [
                self.run_at[k]
                for k in range(a if run is None else b, c)
                if k in self.run_at and self.run_at[k].kind == PERSON
            ]
            if cands:
                run = cands[-1]
        if (
            run is not None
            and run.kind != COUNTRY
            and (head.pos_ == "PROPN" or run.kind == PERSON)
        ):
            if run.kind == PERSON:
                name, method, conf = self._canonical(run)
                info = self._info(name, PERSON)
                pos, country = self._mention_descriptor(a, c, run)
                info.position = info.position or run.position or pos
                info.country = info.country or run.country or country
                return self._note(
                    Resolved(name, mention, PERSON, method, conf),
                    head.i,
                    si,
                    alias_text=mention,
                )
            name = self._strip_det(doc[run.start : run.end].text)
            self._info(name, ORGANISATION)
            return self._note(
                Resolved(name, mention, ORGANISATION, "organisation", 0.8),
                head.i,
                si,
                alias_text=mention,
            )
        if (
            run is not None
            and run.kind == COUNTRY
            and head.i in range(run.start, run.end)
        ):
            name = self._strip_det(run.text)
            info = self._info(name, COUNTRY)
            info.country = run.country
            return self._note(
                Resolved(name, mention, COUNTRY, "country", 0.75),
                head.i,
                si,
                alias_text=mention,
            )
        # a title without a name: "The UK Prime Minister", "the senator"
        if low in self.pos_words and head.pos_ in ("NOUN", "PROPN"):
            words = list(doc[a:b])
            pos, country = self._parse_descriptor([t.i for t in words])
            person = self._by_position(pos, country, head.i)
            if person is None:
                found = self._recent(head.i, (PERSON,), within=2, without_position=True)
                person = found[0] if found else None
                if person:
                    info = self.info[person]
                    info.position = info.position or pos
                    info.country = info.country or country
            if person:
                return self._note(
                    Resolved(person, mention, PERSON, "title", 0.7),
                    head.i,
                    si,
                    alias_text=mention,
                )
            name = self._strip_det(doc[a:b].text)
            info = self._info(name, PERSON)
            info.position = info.position or pos
            info.country = info.country or country
            return self._note(
                Resolved(name, mention, PERSON, "title-unnamed", 0.6),
                head.i,
                si,
                alias_text=mention,
            )
        if head.pos_ in ("NOUN", "PROPN", "NUM"):  # "officials", "Nine in 10 voters"
            name = self._strip_det(doc[a:b].text)
            kind = GROUP if head.tag_ in ("NNS", "NNPS") else ORGANISATION
            info = self._info(name, kind)
            for k in range(a, b):
                if k in self.country_at and not info.country:
                    info.country = self.country_at[k][2]
            return self._note(
                Resolved(name, mention, kind, "group", 0.6),
                head.i,
                si,
                alias_text=mention,
            )
        return Resolved(None, mention, None, "unresolved", 0.1)

    def _mention_descriptor(
        self, a: int, c: int, run: Run
    ) -> tuple[str | None, str | None]:
        idx = [k for k in range(a, c) if not (run.start <= k < run.end)]
        if not idx or not any(
            self._is_title(self.doc[k]) or k in self.country_at for k in idx
        ):
            return None, None
        return self._parse_descriptor(idx)

    @staticmethod
    def _strip_det(text: str) -> str:
        words = text.split(" ")
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        return " ".join(words) or text

    def _canonical(self, run: Run) -> tuple[str, str, float]:
        key = (run.start, run.end)
        found = self._canon_cache.get(key)
        if found is None:
            found = self._canon_cache[key] = self._canonical_uncached(run)
        return found

    def _canonical_uncached(self, run: Run) -> tuple[str, str, float]:
        doc = self.doc
        n = run.end - run.start
        if n > 1:
            return run.text, "name", 0.9
        longer = [
            r
            for r in self.by_surname.get(doc[run.start].lower_, [])
            if r.end - r.start > 1
        ]
        if not longer:
            return run.text, "name", 0.8
        before = [r for r in longer if r.start < run.start]
        r = before[-1] if before else longer[0]
        return r.text, "surname", 0.85

    def _info(self, name: str, kind: str) -> _Info:
        info = self.info.get(name)
        if info is None:
            info = self.info[name] = _Info(name, kind)
        return info

    def _note(
        self,
        res: Resolved,
        token_i: int,
        si: int,
        alias: bool = True,
        alias_text: str | None = None,
    ) -> Resolved:
        if res.name:
            info = self._info(res.name, res.kind or PERSON)
            text = alias_text or res.mention
            if text and text not in info.aliases and _fit_alias(text):
                info.aliases.append(text)
            self.history.append((token_i, si, res.name, res.kind or PERSON))
        return res

    def remember(self, res: Resolved, token_i: int) -> None:
        """Keep a resolved subject in the history pronouns read from."""
        if res.name:
            self.history.append(
                (token_i, self.sent_of[token_i], res.name, res.kind or PERSON)
            )

    def _recent(
        self, token_i: int, kinds, within: int = 10**6, without_position: bool = False
    ):
        si = self.sent_of[token_i]
        best = None
        for ti, sj, name, kind in self.history:
            if ti >= token_i or kind not in kinds or si - sj > within:
                continue
            if without_position and self.info.get(name) and self.info[name].position:
                continue
            if best is None or ti > best[0]:
                best = (ti, name, kind)
        return (best[1], best[2]) if best else None

    def _by_position(
        self, pos: str | None, country: str | None, token_i: int
    ) -> str | None:
        if not pos:
            return None
        want = pos.lower()
        best = None
        for run in self.runs:
            if run.kind != PERSON or not run.position or run.start >= token_i + 50:
                continue
            if run.position.lower().endswith(want) and (
                country is None or run.country in (None, country)
            ):
                name = self._canonical(run)[0]
                best = name
        if best is None:
            for info in self.info.values():
                if (
                    info.kind == PERSON
                    and info.position
                    and info.position.lower().endswith(want)
                ) and (country is None or info.country in (None, country)):
                    best = info.name
        return best

    def speaker_infos(self, used: set[str]) -> list[SpeakerInfo]:
        out = []
        for name, info in self.info.items():
            if name not in used:
                continue
            aliases = list(info.aliases)
            if info.kind == PERSON:
                for run in self.runs:
                    if run.kind == PERSON and self._canonical(run)[0] == name:
                        for text in (run.text, run.written):
                            if text and text != name and text not in aliases:
                                aliases.append(text)
                        info.position = info.position or run.position
                        info.country = info.country or run.country
            aliases = [x for x in aliases if x != name]
            out.append(
                SpeakerInfo(
                    name,
                    info.kind,
                    tuple(aliases),
                    info.position,
                    info.country,
                    info.organisation,
                )
            )
        return out


__all__ = ["Speakers", "Resolved", "demonyms"]
