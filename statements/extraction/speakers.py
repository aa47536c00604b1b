"""Who is speaking: names, titles, pronouns, groups, with one canonical speaker per person per article.

Resolution never hangs on NER labels alone (the small model tags "Trump" as ORG): a name is a run of
proper-noun tokens, stripped of titles and country words, and a surname is tied to the full name the
article gives. NER labels only break ties between a person and an organisation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from .lexicon import (
    Title,
    bodies,
    countries,
    demonyms,
    document_nouns,
    given_names,
    honorifics,
    institutions,
    international_words,
    not_names,
    organisation_words,
    places,
    position_words,
    speaker_nouns,
    speech_verbs,
    titles,
)
from .names import (
    given_name_gender,
    has_digit,
    is_date_word,
    is_given_name,
    is_particle,
    is_suffix,
    parse_name,
)
from .types import COUNTRY, GROUP, ORGANISATION, PERSON, SpeakerInfo

HONORIFICS = honorifics()
DOCUMENT_NOUNS = document_nouns()
# Words before a title that qualify it: "former President", "acting Prime Minister".
MODIFIERS = {
    "former",
    "senior",
    "deputy",
    "acting",
    "then",
    "outgoing",
    "incoming",
    "top",
    "special",
    "interim",
    "ex",
    "ex-",
    "late",
    "newly",
    "elected",
    "current",
    "veteran",
    "longtime",
    "chief",
}
# Small words of titles and headlines: not names ("Coalition Against X" is no person).
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "against",
        "from",
        "as",
        "or",
        "but",
        "nor",
        "into",
        "over",
        "after",
        "before",
        "about",
    ]
)
WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
# Words before a title that make it another office: "Deputy Premier", "Former President".
RANKS = {
    "deputy": "Deputy",
    "vice": "Vice",
    "acting": "Acting",
    "interim": "Interim",
    "former": "Former",
    "ex": "Former",
}
MAX_TITLE = max(len(p) for p in titles())
MAX_BODY = max(len(p) for p in bodies())
ORG_WORDS = organisation_words()
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
COORDINATORS = {"and", "&", "nor", "or"}
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


@dataclass(frozen=True)
class Descriptor:
    """What one mention says of a person: 'Polish Prime Minister', ', R-Tex.', ', the NATO chief'."""

    title: Title | None = None
    organisation: str | None = (
        None  # the body or jurisdiction: "NATO", "Texas", "Clinton campaign"
    )
    country: str | None = None  # from a country word or demonym in the descriptor
    state: str | None = (
        None  # a US state the descriptor names ("R-Tex.", "California Governor")
    )
    international: bool = False  # the body is the EU, NATO, the UN...
    owner: tuple[int, int] | None = (
        None  # "Roe’s envoy": the run of the person whose office it is
    )

    def weight(self) -> int:
        """How specific: an office with its body beats a bare title, which beats nothing."""
        return (
            (2 if self.title else 0)
            + (1 if self.organisation else 0)
            + (1 if self.country or self.state else 0)
        )


@dataclass
class Run:
    """A proper-noun run: a name once titles and country words before it are stripped."""

    start: int  # token indices of the name itself
    end: int
    text: str
    kind: str
    descriptors: list[Descriptor] = field(default_factory=list)
    written: str = ""  # the run with its descriptor, as written

    @property
    def position(self) -> str | None:
        best = _best(self.descriptors)
        return best.title.title if best and best.title else None

    @property
    def country(self) -> str | None:
        return next((d.country for d in self.descriptors if d.country), None)


def _best(descs) -> Descriptor | None:
    best = None
    for d in descs:
        if d.title and (best is None or d.weight() > best.weight()):
            best = d
    return best


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
    descriptors: list[Descriptor] = field(default_factory=list)
    position: str | None = None
    country: str | None = None
    organisation: str | None = None
    statements: int = (
        0  # how often this speaker is the subject of a speech verb or a main clause
    )


def _same_office(d: Descriptor, want: str) -> bool:
    """'the senator' is a Senator, 'the minister' a Foreign Minister; 'the premier' is a Premier,
    not the Deputy Premier (a rank makes another office)."""
    if d.title is None:
        return False
    have = d.title.title.lower()
    return have == want or (
        have.endswith(" " + want) and have.split()[0].capitalize() not in RANKS.values()
    )


class _Either:
    """Membership in either of two sets, without copying the large one for each article."""

    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a, self.b = a, b

    def __contains__(self, item) -> bool:
        return item in self.a or item in self.b


def _initial(word: str) -> bool:
    """A middle initial: "B.", "B"."""
    return len(word.rstrip(".")) == 1 and word[:1].isupper()


def _stems(word: str) -> list[str]:
    """What an inflected word may come from: "conflates" -> "conflate", "celebrities" ->
    "celebrity" (the tagger lemmatises a capitalised word as a name, leaving it as written)."""
    out = []
    for suffix, repl in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: len(word) - len(suffix)] + repl)
    return out


@cache
def _title_firsts() -> frozenset[str]:
    return frozenset(p[0] for p in titles())


def _phrase_of(text: str) -> tuple[str, ...]:
    return tuple(text.lower().replace("’", "'").replace("-", " - ").split())


def _cap(token) -> bool:
    return token.text[:1].isupper()


class Speakers:
    """Speaker resolution over one parsed article."""

    def __init__(
        self,
        doc,
        in_quote: list[int],
        table,
        everyday: frozenset[str] = frozenset(),
        nouns: frozenset[str] = frozenset(),
    ):
        self.nouns = nouns
        self.doc = doc
        self.T = table
        self.in_quote = in_quote
        # everyday words: the model's, and those this article writes in lower case ("year", "report")
        self.everyday = _Either(
            everyday,
            {
                table.lower[k]
                for k in range(table.n)
                if table.text[k] == table.lower[k]
                and table.lower[k].isalpha()
                and (
                    k == 0 or table.idx[k] > table.end(k - 1)
                )  # not "myung" of "Jae-myung"
            },
        )
        self.pos_words = position_words()
        self.titles = titles()
        self.title_at: dict[int, tuple[int, int, Title]] = {}
        self._find_titles()
        self.state_at: dict[int, tuple[int, int, str]] = {}
        self.country_at = self._countries()
        self.body_at = self._bodies()
        self.headline = self._headline_tokens()
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
        self._profiling: set[str] = set()
        # the people whose country the text states (an office, a descriptor, a party tag),
        # not only the article's home country or dateline
        self.stated: dict[str, bool] = {}

    # ---- titles, countries, places ---------------------------------------------------------
    def _find_titles(self) -> None:
        """Each token inside a position phrase -> (start, end, Title), longest match first."""
        lower, n, table = self.T.lower, self.T.n, self.titles
        firsts = _title_firsts()
        i = 0
        while i < n:
            if (
                lower[i] not in firsts
                and lower[i][:-1] not in firsts
                and lower[i] + "." not in firsts
            ):
                i += 1
                continue
            for k in range(min(MAX_TITLE, n - i), 0, -1):
                words = tuple(lower[i : i + k])
                title = table.get(words)
                end = i + k
                if title is None and self._period_after(end - 1):
                    # "Capt ." as the tokenizer splits an abbreviation it does not know
                    title = table.get((*words[:-1], words[-1] + "."))
                    end += title is not None
                if title is None and len(words[-1]) > 4 and words[-1].endswith("s"):
                    # plurals: "Attorneys", "Senators" (a plural title heads a group, not a name)
                    title = table.get((*words[:-1], words[-1][:-1]))
                # "will host", "to head": a title is a noun, never the verb spelt like it
                if title is not None and self.T.pos[i + k - 1] not in ("VERB", "AUX"):
                    for j in range(i, end):
                        self.title_at[j] = (i, end, title)
                    i = end
                    break
            else:
                i += 1

    def _period_after(self, k: int) -> bool:
        T = self.T
        return k + 1 < T.n and T.text[k + 1] == "." and T.idx[k + 1] == T.end(k)

    def _countries(self) -> dict[int, tuple[int, int, str]]:
        """Tokens of country names and demonyms -> (start, end, code). Sub-national places ("New
        Jersey", "New South Wales", Georgia in a US article) are not countries; US states go to state_at."""
        table = countries()
        pl = places()
        T, out = self.T, {}
        text, lower, n = T.text, T.lower, T.n
        us_context = self._us_context()
        # "Mark Cuban ... Cuban said": a demonym the article gives a person as a name is that
        # name wherever it stands alone as a noun or before another name (not "Cuban
        # leader", "the Cuban")
        surnames = {
            lower[i]
            for i in range(1, n)
            if (lower[i],) in demonyms() and self._in_a_persons_name(i)
        }
        i = 0
        while i < n:
            if not text[i][:1].isupper():
                i += 1
                continue
            matched = False
            for k in (4, 3, 2, 1):
                if i + k > n:
                    continue
                words = tuple(lower[i : i + k])
                state = pl.us_states.get(words)
                if state is not None and (words not in table or us_context):
                    for j in range(i, i + k):
                        self.state_at[j] = (i, i + k, state)
                    i += k
                    matched = True
                    break
                if words in pl.regions:
                    i += k
                    matched = True
                    break
                code = table.get(words)
                if (
                    code
                    and k == 1
                    and (
                        self._in_a_persons_name(i)
                        or lower[i] in surnames
                        and lower[i - 1] not in ("the", "a", "an")
                        and (
                            T.dep[i] not in ("amod", "compound")
                            or T.pos[T.head[i]] == "PROPN"  # "German Ortega", again
                        )
                    )
                ):
                    code = None  # "Mark Cuban", "Steve Israel", "Tom French": a surname
                if code:
                    for j in range(i, i + k):
                        out[j] = (i, i + k, code)
                    i += k
                    matched = True
                    break
            if not matched:
                i += 1
        return out

    def _in_a_persons_name(self, i: int) -> bool:
        """A country word or demonym that the NER reads as part of one person's name, with
        a given name right before it ("Mark Cuban", "Steve Israel") or being the given name
        itself before a surname ("German Ortega", "Jordan Roe"): a name, not a country."""
        T = self.T

        def joined(a: int) -> bool:
            """Tokens a and a + 1: one person's name, both capitalised."""
            return (
                0 <= a < T.n - 1
                and T.ent[a] == T.ent[a + 1] == "PERSON"
                and T.text[a][:1].isupper()
                and T.text[a + 1][:1].isupper()
                and T.idx[a + 1] > T.end(a)
            )

        return (joined(i - 1) and is_given_name(T.text[i - 1])) or (
            joined(i) and is_given_name(T.text[i])
        )

    def _us_context(self) -> bool:
        """Whether the article reads as American: a US state other than one that is also a
        country's name, or a party tag ("R-Tex."), is named."""
        pl, table = places(), countries()
        T = self.T
        for i in range(T.n):
            if not T.text[i][:1].isupper():
                continue
            if (
                T.text[i] in ("R", "D", "I")
                and i + 2 < T.n
                and T.text[i + 1] in ("-", "–")
                and T.lower[i + 2] in pl.us_abbreviations
            ):
                return True
            for k in (3, 2, 1):
                words = tuple(T.lower[i : i + k])
                if words in pl.us_states and words not in table:
                    return True
        return False

    def _bodies(self) -> dict[int, tuple[int, int, str]]:
        """Tokens of international bodies ("NATO", "the European Commission") -> (start, end, name)."""
        table = bodies()
        T, out = self.T, {}
        i = 0
        while i < T.n:
            if not T.text[i][:1].isupper():
                i += 1
                continue
            for k in range(min(MAX_BODY, T.n - i), 0, -1):
                name = table.get(tuple(T.lower[i : i + k]))
                if name is None:
                    continue
                # short forms must be written as acronyms: "UN", "EU", not "un"
                if k == 1 and len(T.text[i]) <= 4 and not T.text[i].isupper():
                    continue
                for j in range(i, i + k):
                    out[j] = (i, i + k, name)
                i += k
                break
            else:
                i += 1
        return out

    def _headline_tokens(self) -> set[int]:
        """Tokens of title-case lines ("Trump Addresses Munich Attack"): most words capitalised."""
        T, out = self.T, set()
        line_start = 0
        for i in range(T.n + 1):
            if i == T.n or "\n" in T.text[i]:
                words = [
                    k
                    for k in range(line_start, i)
                    if T.text[k][:1].isalpha() and T.lower[k] not in SMALL_WORDS
                ]
                caps = sum(1 for k in words if T.text[k][:1].isupper())
                if len(words) >= 3 and caps >= 0.75 * len(words):
                    out.update(range(line_start, i))
                line_start = i + 1
        return out

    def _is_title(self, token) -> bool:
        return self._is_title_i(token.i)

    def _is_title_i(self, i: int) -> bool:
        w = self.T.lower[i]
        return (
            i in self.title_at
            or w in HONORIFICS
            or w in MODIFIERS
            and (i + 1 in self.title_at)
        )

    def _title_len(self, i: int) -> int:
        """Tokens of the title, honorific or modifier starting at i (0 when none)."""
        w = self.T.lower[i]
        if w in HONORIFICS:
            return 1
        if w in MODIFIERS and i + 1 in self.title_at:
            return 1
        span = self.title_at.get(i)
        return span[1] - i if span is not None else 0

    # ---- names -------------------------------------------------------------------------------
    def _namelike(self, k: int) -> bool:
        # a proper noun, or a capitalised word the NER calls a person (the tagger slips on "O’Brien")
        T = self.T
        return T.text[k][:1].isupper() and (
            T.pos[k] == "PROPN"
            or T.ent[k] == "PERSON"
            and T.pos[k] in ("NOUN", "ADJ", "VERB")
            # "Vance said ..." opening the article, tagged NOUN: a word it writes as a name
            # elsewhere, or no English word at all ("Starmer said ...")
            or T.pos[k] in ("NOUN", "ADJ")
            and (T.text[k] in self._proper_words or self._unknown_word(k))
        )

    def _unknown_word(self, k: int) -> bool:
        T = self.T
        w = T.lower[k]
        return (
            T.text[k][:1].isupper()
            and not T.text[k].isupper()
            and w.isalpha()
            and w not in self.nouns
            and w not in self.everyday
            and not any(x in self.nouns or x in self.everyday for x in _stems(w))
        )

    def _raw_runs(self) -> list[tuple[int, int]]:
        T = self.T
        if not hasattr(self, "_proper_words"):
            self._proper_words = {
                T.text[k]
                for k in range(T.n)
                if T.pos[k] == "PROPN"
                and T.text[k][:1].isupper()
                and T.lower[k] not in self.everyday
            }
        text, n = T.text, T.n
        raw: list[tuple[int, int]] = []
        namelike = self._namelike
        i = 0
        while i < n:
            if not namelike(i):
                i += 1
                continue
            j = i + 1
            while j < n:
                if namelike(j):
                    j += 1
                    continue
                # O’Brien, Smith-Jones, Jae-myung: a mark inside a name, with no space around it
                if (
                    j + 1 < n
                    and text[j] in ("’", "'", "-")
                    and T.idx[j] == T.end(j - 1)
                    and T.idx[j + 1] == T.end(j)
                    and text[j + 1][:1].isalpha()
                    and (
                        text[j + 1][:1].isupper()
                        # "Jae-myung", not "Trump-led"
                        or text[j] == "-"
                        and T.lower[j + 1] not in self.everyday
                        and T.lemma[j + 1] not in self.everyday
                    )
                ):
                    j += 2
                    continue
                # particles: "Ursula von der Leyen", "Lula da Silva", "Mohammed bin Salman"
                p = j
                while p < n and p - j < 2 and is_particle(text[p]):
                    p += 1
                if p > j and p < n and namelike(p) and T.sent_of[p] == T.sent_of[i]:
                    j = p
                    continue
                # "Ferdinand Marcos Jr.", "Marcos, Jr."
                if is_suffix(text[j]) and text[j][:1].isupper():
                    j += 1
                break
            a = i
            # "said von der Leyen": particles before the first capitalised word
            while (
                a - 1 >= 0
                and i - a < 2
                and is_particle(text[a - 1])
                and (not raw or raw[-1][1] < a - 1)
                and T.sent_of[a - 1] == T.sent_of[i]
            ):
                a -= 1
            raw.append((a, j))
            i = j
        return raw

    def _sentence_initial(self, k: int) -> bool:
        """Token k opens its sentence or line (quotes and dashes aside): capitals say nothing there."""
        T = self.T
        sent = T.sents[T.sent_of[k]]
        j = k - 1
        while j >= sent.start and (T.punct[j] or T.space[j]):
            j -= 1
        return j < sent.start or "\n" in T.text[j]

    def _find_runs(self) -> None:
        T = self.T
        text, ent, n, lower = T.text, T.ent, T.n, T.lower
        person_labelled = {text[k] for k in range(n) if ent[k] == "PERSON"}
        self.person_texts = person_labelled
        raw = self._raw = self._raw_runs()
        # words the article writes as a name mid-sentence, in prose: those are names wherever they stand
        self.name_words: set[str] = set()
        # and those of them that are not a run's first word ("Billionaire Donald Trump")
        self.inner_name_words: set[str] = set()
        # the tails of names written in prose ("kelli ward" of "Dr. Kelli Ward"): what a
        # title-case headline's longer run may be cut to
        self.prose_tails: set[tuple[str, ...]] = set()
        for a, b in raw:
            for k in range(a, b):
                if k not in self.headline and not self._sentence_initial(k):
                    self.name_words.add(lower[k])
                    if k > a:
                        self.inner_name_words.add(lower[k])
            if a not in self.headline:
                self.prose_tails.update(tuple(lower[k:b]) for k in range(a, b - 1))
        for a, b in raw:
            if self._org_word(b - 1) and not (
                a in self.country_at and self.country_at[a][1] >= b
            ):
                # "State Department", "White House": the whole run names an organisation
                self._add_run(Run(a, b, self.doc[a:b].text, ORGANISATION))
                continue
            s = a
            while s < b:
                step = self._title_len(s)
                if step:
                    s += step
                elif T.text[s] == "." and s > a and T.idx[s] == T.end(s - 1):
                    s += 1  # "Sens ." as the tokenizer splits it
                elif (
                    s in self.country_at
                    and ent[s] != "PERSON"
                    or s in self.state_at
                    or T.lower[s] in PARTY_WORDS
                    or s in self.body_at
                    and self.body_at[s][1] < b
                ):
                    s += 1
                else:
                    break
            # title-case headlines: "Anna Lindqvist Explained", "Moreau May", "Trump Addresses Munich Attack"
            while (
                b - s > 1
                and b - 1 in self.headline
                and T.lower[b - 1] not in self.name_words
                and _verb_like(T.lower[b - 1])
            ):
                b -= 1
            # "Ohio Gov. Daniel Reyes", "Acme Radio Vice President": the name starts after the last title
            k, last_title = s, None
            while k < b - 1:
                step = self._title_len(k)
                if step and text[k][:1].isupper():
                    last_title = k + step
                    k += step
                else:
                    k += 1
            if last_title is not None and last_title < b:
                s = last_title
            elif last_title == b:
                continue  # "Acme Radio Vice President": a title and its body, no name
            # "Billionaire Donald Trump", "Liar of the Year Barack Obama", "Actress Jane Roe": a
            # common noun before a name of two words or more is a description, not a name;
            # but a word before a middle initial is a given name ("James B. Roe": not "jam")
            while (
                self._words_in(s, b) >= 3
                and self._descriptor_word(s)
                and not _initial(text[s + 1])
            ):
                s += 1
            # "County Recorder Helen Roe", "City Public Advocate Ann Roe": common words before a
            # given name that has a surname after it describe the person
            s = self._from_given_name(s, b)
            # "West Palm Beach Tuesday": a weekday ends no name
            while b - s > 1 and T.lower[b - 1] in WEEKDAYS:
                b -= 1
            # (a name right after a title is a name: "Mayor Tove Sand")
            if s == a and s < b and (s in self.headline or self._sentence_initial(s)):
                s, b = self._trim_stray_words(s, b)
            s = self._prose_form(s, b)
            if s >= b:
                # a bare country or title run
                if a in self.country_at and self.country_at[a][1] >= b:
                    self._add_run(
                        Run(
                            a,
                            b,
                            self.doc[a:b].text,
                            COUNTRY,
                            descriptors=[Descriptor(country=self.country_at[a][2])],
                        )
                    )
                continue
            if not self._can_be_name(s, b):
                continue
            kind = PERSON
            if (
                any(self._org_word(k) for k in range(s, b))
                or all(text[k].isupper() and 1 < len(text[k]) <= 5 for k in range(s, b))
                or any(
                    lower[k] in SMALL_WORDS and not is_particle(text[k])
                    for k in range(s, b)
                )
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
                    and not self._reads_as_a_name(s, b, labels)
                ):
                    kind = ORGANISATION
            run = Run(s, b, self.doc[s:b].text, kind)
            if (
                kind == PERSON or b - s == 1
            ):  # the NER calls some people ORG: "President Trump"
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

    def _org_word(self, k: int) -> bool:
        """'Department', 'House', 'UN' (an acronym only in capitals: "Kim Jong Un" is a person)."""
        w = self.T.lower[k]
        return w in ORG_WORDS and (len(w) > 3 or self.T.text[k].isupper())

    def _title_after_body(self, s: int, b: int) -> bool:
        """'NATO Secretary General Jens ...': a body right before a title inside one run."""
        end = self.body_at[s][1]
        return end < b and self._title_len(end) > 0

    def _trim_stray_words(self, s: int, b: int) -> tuple[int, int]:
        """'Year Barack Obama', 'Though Lee': an everyday word opening a sentence or a headline is
        not part of the name after it. In a title-case headline the name stops at the first word the
        article never writes as a name ("Moreau Weighs In")."""
        T = self.T
        while (
            b - s > 1 and self._stray(s) and T.idx[s + 1] > T.end(s)
        ):  # not "Anti-TPP"
            s += 1
        if s in self.headline:
            for k in range(s + 1, b):
                if self._stray(k) and T.lower[k] not in self.name_words:
                    return s, k
        return s, b

    def _prose_form(self, s: int, b: int) -> int:
        """A headline's run that the article's prose never writes whole, but whose tail from
        a given name it does ("McCain Challenger Kelli Ward" beside "Dr. Kelli Ward"): the
        name is that tail."""
        T = self.T
        if s not in self.headline or tuple(T.lower[s:b]) in self.prose_tails:
            return s
        for k in range(s + 1, b - 1):
            if (
                tuple(T.lower[k:b]) in self.prose_tails
                and T.text[k][:1].isupper()
                and (is_given_name(T.text[k]) or T.lower[k] in given_names())
            ):
                return k
        return s

    def _words_in(self, s: int, b: int) -> int:
        """Words of a run: 'Park Min-jun' is two."""
        T = self.T
        return sum(1 for k in range(s, b) if k == s or T.idx[k] > T.end(k - 1))

    def _descriptor_word(self, k: int) -> bool:
        T = self.T
        w = T.lower[k]
        # an everyday word or an inflected common word ("Conflates", "Celebrities"); a bare noun
        # outside the NER's person, or inside it right before a given name ("Recorder Helen
        # Purcell", "Democrat Dianne Roe"); a given name never ("Marcel Lehel Lazăr", "James
        # Andrew Roe": "marcel" and "james" are nouns too)
        common = (
            self._everyday_at(k)
            or any(x in self.nouns for x in _stems(w))
            or (
                w in self.nouns
                and (T.ent[k] != "PERSON" or is_given_name(T.text[k + 1]))
            )
        )
        return (
            len(w) > 1
            and T.idx[k + 1] > T.end(k)  # not "Jean" of "Jean-Claude", "R" of "R-OH"
            and common
            and w not in self.inner_name_words
            and w not in given_names()
            and not is_particle(w)
            and not is_given_name(T.text[k])
        )

    def _from_given_name(self, s: int, b: int) -> int:
        """Where the run's words before its first given name are all common words (none a
        given name, none joined to the next by a hyphen), the name starts at the given name."""
        T = self.T
        for k in range(s + 1, b - 1):
            if is_given_name(T.text[k]) and T.idx[k + 1] > T.end(k):
                common = all(
                    (
                        self._everyday_at(j)
                        or T.lower[j] in self.nouns
                        or any(x in self.nouns for x in _stems(T.lower[j]))
                    )
                    and T.idx[j + 1] > T.end(j)
                    and not is_given_name(T.text[j])
                    and T.lower[j] not in given_names()
                    and not is_particle(T.lower[j])
                    for j in range(s, k)
                )
                return k if common else s
        return s

    def _everyday_at(self, k: int) -> bool:
        w = self.T.lower[k]
        return (
            w in self.everyday
            or self.T.lemma[k] in self.everyday
            or any(x in self.everyday for x in _stems(w))
        )

    def _stray(self, k: int) -> bool:
        w = self.T.lower[k]
        return (
            self._everyday_at(k)
            and w not in self.name_words
            and w not in given_names()
            and not is_particle(w)
        )

    def _can_be_name(self, s: int, b: int) -> bool:
        """Weekdays, months, numbers, single letters ("Q:"), page furniture ("Report", "Correction")
        are never a speaker's name."""
        T = self.T
        if any(has_digit(T.text[k]) for k in range(s, b)) or T.punct[s]:
            return False  # "2016 9:12PMTrump", "-TPP"
        if b - s >= 3 and len(T.text[s]) == 1 and T.text[s + 1] in ("-", "–"):
            return False  # a party tag: "D-MA", "R-Tex."
        if b - s == 1:
            w = T.text[s]
            if len(w.rstrip(".")) <= 1:
                return False
            if T.lower[s] in WEEKDAYS or (
                is_date_word(w) and T.lower[s] not in self._surnames_of_longer(s)
            ):
                return False  # "Saturday", "Feb."; but "May" of "Theresa May"
            if T.lower[s] in not_names():
                return False
            # "Aides said", "Loyalty, he noted": a common word capitalised by its place only
            if (
                (
                    self._everyday_at(s)
                    or T.lower[s] in self.nouns
                    or any(x in self.nouns for x in _stems(T.lower[s]))
                )
                and T.lower[s] not in self.name_words
                and T.ent[s] != "PERSON"
                and (s in self.headline or self._sentence_initial(s))
            ):
                return False
        return True

    def _surnames_of_longer(self, s: int) -> set[str]:
        """Last words of the article's longer names ("May" of "Theresa May")."""
        found = getattr(self, "_longer_last", None)
        if found is None:
            found = self._longer_last = {
                self.T.lower[b - 1] for a, b in self._raw if b - a > 1
            }
        return found

    def _reads_as_a_name(self, s: int, b: int, labels: set[str]) -> bool:
        """'Carly Fiorina' tagged ORG: two or three capitalised words, none an everyday word or an
        organisation's, read as a person's name (places and nationalities are left to the NER)."""
        T = self.T
        if labels & {"GPE", "LOC", "NORP", "FAC"} or not 2 <= b - s <= 3:
            return False
        return all(
            T.text[k][:1].isupper()
            and not T.text[k].isupper()
            and (T.lower[k] not in self.everyday or T.lower[k] in given_names())
            for k in range(s, b)
        ) or all(T.lower[k] in self.name_words for k in range(s, b))

    def _add_run(self, run: Run) -> None:
        self.runs.append(run)
        for k in range(run.start, run.end):
            self.run_at[k] = run
        if run.kind == PERSON:
            self.by_surname.setdefault(self.T.lower[run.end - 1], []).append(run)

    # ---- what a mention says of a person ----------------------------------------------------
    def _describe(self, run: Run, title_start: int) -> None:
        """Position, body and country from 'Polish Prime Minister Donald Tusk', 'Italy’s Prime
        Minister, Giorgia Meloni', 'Mette Frederiksen, the Prime Minister of Denmark', 'Sen. Jane
        Roe, R-Tex.', 'NATO Secretary General ...', 'Trump’s special envoy for Ukraine, ...'."""
        doc, T = self.doc, self.T
        sent = T.sents[T.sent_of[run.start]]
        # the parser may start a sentence inside "President Trump": read back to the line's start
        line_start = run.start
        while (
            line_start > 0
            and "\n" not in T.text[line_start - 1]
            and run.start - line_start < 15
        ):
            line_start -= 1
        left = self._left_descriptor(run.start, line_start)
        right: list[int] = []
        k = run.end
        state = self._party_tag(run.end)
        if k < sent.end and doc[k].text == ",":
            k += 1
            seen_title = False
            loose = 0
            while k < sent.end:
                t = doc[k]
                if self._is_title(t):
                    seen_title = True
                elif (
                    k in self.country_at
                    or k in self.state_at
                    or k in self.body_at
                    or t.lower_ in ("of", "for", "the", "a", "an", "to", "at")
                    or t.text in POSSESSIVE
                    or _cap(t)
                    and t.pos_ == "PROPN"
                    and k not in self.run_at
                ):
                    pass
                elif t.pos_ in ("ADJ", "NOUN") and loose < 3 and not seen_title:
                    loose += 1
                else:
                    break
                right.append(k)
                k += 1
            if not (k >= sent.end or doc[k].is_punct) or not seen_title:
                right = []
        elif k < sent.end and T.lower[k] == "of" and k + 1 in self.state_at:
            # "Sen. Lindsey Graham of South Carolina"
            state = state or self.state_at[k + 1][2]
        for part in (left, right):
            if part:
                run.descriptors.append(self._parse_descriptor(part))
        if state:
            run.descriptors.append(Descriptor(organisation=state, state=state))
        a = left[0] if left else run.start
        b = (right[-1] + 1) if right else run.end
        run.written = doc[a:b].text

    def _left_descriptor(self, start: int, sent_start: int) -> list[int]:
        """Token indices of the title words before a name, read leftwards: titles, countries,
        bodies, 'of'/'for', a country's possessive, a few words qualifying a title
        ("far-right leader", "climate chief"), and one comma after a title ("Italy’s Prime Minister, Giorgia Meloni")."""
        doc, T = self.doc, self.T
        j = start - 1
        left: list[int] = []
        comma = False
        loose = 0
        seen_title = titled_before_comma = False
        while j >= sent_start:
            t = doc[j]
            if (
                t.text == ","
                and not comma
                and j - 1 >= sent_start
                and (self._is_title_i(j - 1) or j - 1 in self.country_at)
                and all(self._is_title_i(k) for k in left)
            ):
                comma = True
                j -= 1
                continue
            if (
                t.text == "."
                and j > sent_start
                and T.idx[j] == T.end(j - 1)
                and self._is_title_i(j - 1)
            ):
                left.append(j)  # "Sens ." as the tokenizer splits it
                j -= 1
                continue
            if t.text in (".", "!", "?", ";"):
                break
            if self._is_title_i(j):
                seen_title = True
                titled_before_comma = titled_before_comma or comma
                loose = 0
            elif (
                j in self.country_at
                or j in self.state_at
                or j in self.body_at
                or t.lower_ == "the"
                # "Prime Minister of ...", "Ambassador to the UN ...", not "members of President X"
                or t.lower_ in ("of", "for", "to", "at")
                and j > sent_start
                and (self._is_title_i(j - 1) or j - 1 in self.country_at)
            ):
                pass
            elif t.text in POSSESSIVE:
                # "Italy’s Prime Minister": a country's or a body's; "the German chancellor’s
                # spokesperson", "Roe’s special envoy": another person's, whose country it is
                owner = self.run_at.get(j - 1)
                if owner is not None and owner.kind == PERSON and seen_title:
                    left.append(j)
                    left.extend(range(j - 1, owner.start - 1, -1))
                    break
                if not (
                    j - 1 in self.country_at
                    or j - 1 in self.body_at
                    or seen_title
                    and self._is_title_i(j - 1)
                ):
                    break
            elif (
                seen_title
                and loose < 3
                and t.pos_ in ("ADJ", "NOUN", "PROPN")
                and self.in_quote[j] < 0
                and (j not in self.run_at or self.run_at[j].kind != PERSON)
                and T.lower[j] not in ("he", "she")
            ):
                loose += 1
            elif t.text == "-" and left and seen_title:  # "far-right leader"
                pass
            else:
                break
            left.append(j)
            j -= 1
        left.reverse()
        if comma and not titled_before_comma:
            # "the disaster in Libya, Roe said", "For the Chinese, Admiral Roe": before a comma,
            # only a title describes the person ("the Prime Minister of Italy, Jane Roe")
            return []
        while left and (
            doc[left[0]].lower_ in ("of", "for", "the", "to", "at")
            or doc[left[0]].text in POSSESSIVE
            or doc[left[0]].is_punct
        ):
            left.pop(0)
        if not any(
            self._is_title_i(k) or k in self.country_at or k in self.state_at
            for k in left
        ):
            return []
        return left

    def _party_tag(self, k: int) -> str | None:
        """'(R-Tex.)', ', D-Calif.,', '(D-NY)' right after a name: the US state it names."""
        T = self.T
        j = k
        if j < T.n and T.text[j] in ("(", ","):
            j += 1
        tag = ""
        start = j
        while (
            j < T.n and j - start < 6 and T.text[j] not in (")", ",") and not T.space[j]
        ):
            tag += T.text[j]
            j += 1
        if len(tag) < 3 or tag[0] not in "RDI" or tag[1] not in "-–":
            return None
        return places().us_abbreviations.get(tag[2:].strip().lower())

    def _parse_descriptor(self, idx: list[int]) -> Descriptor:
        """Title, body and country of a descriptor. Words before a possessive are another's: their
        country is this person's too ("the German chancellor’s spokesperson": DE), their title is not."""
        doc = self.doc
        cut = max(
            (n for n, i in enumerate(idx) if doc[i].text in POSSESSIVE and n > 0),
            default=None,
        )
        if cut is not None and cut + 1 < len(idx):
            own = self._parse_descriptor(idx[cut + 1 :])
            if own.country or own.state or own.international:
                return own
            owner = self._parse_descriptor(idx[:cut])
            person = self.run_at.get(idx[cut - 1])
            return Descriptor(
                own.title,
                own.organisation,
                owner.country,
                owner.state,
                owner.international and not owner.country,
                owner=(person.start, person.end)
                if person and person.kind == PERSON
                else None,
            )
        words = [doc[i].lower_ for i in idx]
        country = state = None
        after_for = False
        for n, i in enumerate(idx):
            if words[n] in ("for", "to", "at"):
                after_for = True
            if after_for:
                continue
            if country is None and i in self.country_at:
                country = self.country_at[i][2]
            if state is None and i in self.state_at:
                state = self.state_at[i][2]
        # the title: the longest phrase, the one nearest the name on ties
        best = None
        for n, i in enumerate(idx):
            span = self.title_at.get(i)
            if span is None or span[0] != i:
                continue
            length = span[1] - span[0]
            if best is None or length >= best[1]:
                best = (n, length, span[2])
        title = best[2] if best else None
        if best is not None and best[0] > 0:
            # "Deputy Premier", "Former President", "Acting Attorney General": another office
            before = doc[idx[best[0] - 1]].lower_.rstrip("-")
            ranked = titles().get(_phrase_of(f"{before} {title.title}"))
            if before in RANKS and idx[best[0] - 1] + 1 == idx[best[0]] and ranked:
                # only a ranked title of the controlled list ("Deputy Premier")
                title = Title(ranked.title, title.country, title.default_country)
        # the body: an international body, else capitalised words that are not the title or a country
        body = None
        international = False
        for i in idx:
            if i in self.body_at:
                body, international = self.body_at[i][2], True
                break
        if body is None:
            body = self._organisation_words(idx, best)
        if state and not body:
            body = state
        if body and not country:
            country = institutions().get(_phrase_of(body))
        if title and title.country and not country:
            country = title.country
        if international and country is None and state is None:
            return Descriptor(title, body, None, None, True)
        return Descriptor(title, body, country, state, False)

    def _organisation_words(self, idx: list[int], best) -> str | None:
        """'Senate Judiciary Committee Chairman', 'spokesman for the Clinton campaign': the body."""
        doc = self.doc
        title_tokens = set()
        if best is not None:
            n, length, _ = best
            title_tokens = set(idx[n : n + length])
        after = [
            i
            for i in idx
            if best is not None
            and i > max(title_tokens)
            and doc[i].lower_ not in ("the", "a", "an")
        ]
        if after and doc[after[0]].lower_ in ("for", "of", "at", "to"):
            # "envoy for Sudan", "spokesman for the Roe campaign": up to a comma or another title
            words = []
            for i in after[1:]:
                if (
                    doc[i].is_punct
                    or (words and i != words[-1] + 1)
                    or self._is_title_i(i)
                ):
                    break
                words.append(i)
            # a name: "for Sudan", "for the Hartley campaign"; not "for an attempted coup"
            if words and _cap(doc[words[0]]):
                return doc[words[0] : words[-1] + 1].text
        before = [
            i
            for i in idx
            if (not title_tokens or i < min(title_tokens))
            and _cap(doc[i])
            and (doc[i].pos_ == "PROPN" or doc[i].text.isupper())
            and i not in self.country_at
            and i not in self.title_at
            and doc[i].lower_ not in HONORIFICS
            and doc[i].lower_ not in MODIFIERS
            and doc[i].text not in POSSESSIVE
        ]
        if len(before) == 1 and doc[before[0]].lower_ in PARTY_WORDS:
            return None  # "Republican Rep. Roe": a party, not the office's body
        if before:
            # the words right before the title ("Pentagon spokesman Navy Capt.": Navy)
            a = before[-1]
            while a - 1 in before:
                a -= 1
            # "Scottish National Party leader": a country word inside the body's name is part of it
            while a - 1 in self.country_at and a - 1 in idx and _cap(doc[a - 1]):
                a -= 1
            return doc[a : before[-1] + 1].text
        return None

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
                and c.lower_ in ("of", "for", "at", "from", "in", "to")
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
            # "Sen. Ann Roe released a video that accuses Doe": the video speaks for Roe
            maker = head.head
            if (
                head.lemma_.lower() in DOCUMENT_NOUNS
                and head.dep_ == "dobj"
                and maker.pos_ == "VERB"
            ):
                subject = next(
                    (
                        c
                        for c in maker.children
                        if c.dep_ == "nsubj"
                        and c.i in self.run_at
                        and self.run_at[c.i].kind in (PERSON, ORGANISATION)
                    ),
                    None,
                )
                head = subject if subject is not None else head
        a, b, c = self.mention_span(head)
        mention = doc[a:c].text.rstrip(" ,")
        if c - 1 > head.i and doc[c - 1].text in POSSESSIVE:
            mention = doc[a : c - 1].text.rstrip(" ,")
        if mention.count("(") > mention.count(
            ")"
        ):  # "Sen. Ann Roe (Ky." -> "Sen. Ann Roe"
            mention = mention[: mention.rfind("(")].rstrip(" ,")
        low = head.lower_
        si = self.sent_of[head.i]
        if head.pos_ == "PRON":
            if low in PRONOUNS_PERSON:
                found = self._recent(
                    head.i, (PERSON,), gender="m" if low in ("he", "him") else "f"
                )
                # the NER called a person an organisation (a Scandinavian name, a lone surname as
                # ORG): "he" right after them says otherwise
                org = self._recent(
                    head.i,
                    (ORGANISATION,),
                    within=2 if found else 3,
                    only=lambda n: _looks_personal(n) or self._lone_name(n),
                )
                if org and (
                    found is None
                    or self._latest(org[0], head.i) > self._latest(found[0], head.i)
                ):
                    self.info[org[0]].kind = PERSON
                    for r in self.runs:
                        if r.kind == ORGANISATION and r.text == org[0]:
                            r.kind = PERSON
                            self._canon_cache.pop((r.start, r.end), None)
                    self.__dict__.pop("_runs_of", None)
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
        example = None
        if run is not None and run.kind == PERSON:
            # "Donald Trump and House Speaker Paul Ryan pledged": the parser made the last of
            # the named people the subject; the first named speaks for them
            run = self._first_coordinated(run, a)
        elif (example := self._named_example(head)) is not None:
            # "Several candidates, including Donald J. Trump and Ted Cruz, criticized",
            # "candidates like Marco Rubio": the first person the group is shown by
            run = example
            mention = doc[a : example.end].text
        else:
            # a person named in apposition ("BERLIN (AFP) — Former Finance Minister Hans
            # Keller"); of several ("the two leading Republicans, Donald J. Trump and Senator
            # Ted Cruz,"), the first
            after = [
                self.run_at[k]
                for k in range(b, c)
                if k in self.run_at and self.run_at[k].kind == PERSON
            ]
            if not after and low in self.pos_words:
                # "former Pennsylvania Gov. and Party Chairman Ed Roe": one person, two titles
                after = [
                    self.run_at[x.i]
                    for x in head.children
                    if x.dep_ == "conj"
                    and x.i in self.run_at
                    and self.run_at[x.i].kind == PERSON
                ]
            cands = after[:1] or [
                self.run_at[k]
                for k in range(a if run is None else b, b)
                if k in self.run_at
                and self.run_at[k].kind == PERSON
                and (run is not None or not self._named_of_a_thing(k, head))
            ]
            if cands:
                run = cands[-1]
        people = self._people_plural(head)
        if people is not None and (run is None or run.kind == ORGANISATION):
            # "Kenyans", "Angry Americans", "Democrats said": a people or a party's members,
            # a group (of their country where the word is a demonym), not an organisation
            return self._group(a, b, head, mention, si, country=people or None)
        if (
            run is not None
            and run.kind != COUNTRY
            and (
                head.pos_ == "PROPN"
                or run.kind == PERSON
                or run.start <= head.i < run.end
            )
        ):
            if run.kind == PERSON:
                name, method, conf = self._canonical(run)
                if (
                    example is not None
                ):  # one of a group: less sure than a named subject
                    conf = min(conf, 0.75)
                info = self._info(name, PERSON)
                desc = self._mention_descriptor(a, c, run, head)
                if desc is not None:
                    info.descriptors.append(desc)
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
        if head.pos_ == "PROPN" and run is None and low not in self.pos_words:
            # a capitalised word the runs turned down: "Saturday", "Correction", "Q"
            return Resolved(None, mention, None, "not-a-name", 0.1)
        # a title without a name: "The UK Prime Minister", "the senator"
        if (
            low in self.pos_words
            and head.pos_ in ("NOUN", "PROPN")
            and head.tag_ not in ("NNS", "NNPS")
        ):
            desc = self._parse_descriptor(list(range(a, b)))
            person = self._by_title(desc, head.i)
            if person:
                if desc.title is not None:
                    self._info(person, PERSON).descriptors.append(desc)
                return self._note(
                    Resolved(person, mention, PERSON, "title", 0.7),
                    head.i,
                    si,
                    alias_text=mention,
                )
            # a title is not a name: nobody the article names holds it
            return Resolved(None, mention, None, "title-unresolved", 0.2)
        if head.pos_ in ("NOUN", "PROPN", "NUM") and any(
            self.T.lemma[k] in speaker_nouns() or self.T.lower[k] in speaker_nouns()
            for k in range(a, b)
        ):  # "officials", "Nine in 10 voters"; not "a mere 9 percent", "the quiz"
            return self._group(a, b, head, mention, si)
        return Resolved(None, mention, None, "unresolved", 0.1)

    def _named_of_a_thing(self, k: int, head) -> bool:
        """'The timing of Roe’s surge', 'the mere mention of Roe': a person named after a
        preposition in a phrase about a thing that cannot speak is not its speaker ("Roe’s
        memoir", "a spokesman for Roe", "friends of Roe" still stand for Roe)."""
        lemma = head.lemma_.lower()
        if head.pos_ != "NOUN" or (
            lemma in speaker_nouns()
            or head.lower_ in self.pos_words
            or lemma in self.pos_words
            or lemma in DOCUMENT_NOUNS
            or lemma not in self.nouns
        ):
            return False
        node = self.doc[k]
        for _ in range(6):
            if node.i == head.i or node.head.i == node.i:
                return False
            if node.dep_ == "prep":
                return True
            node = node.head
        return False

    def _first_coordinated(self, run: Run, a: int) -> Run:
        """The first person of 'A and B' written before `run` in its mention (from token a):
        'Donald Trump and House Speaker Paul Ryan' -> Donald Trump."""
        T = self.T
        first, k = run, run.start - 1
        while k > a:
            # the titles of the later person: "and House Speaker", "and Sen."
            skipped = 0
            while (
                k > a
                and skipped < 4
                and T.text[k][:1].isupper()
                and (k not in self.run_at or self.run_at[k].kind != PERSON)
            ):
                k, skipped = k - 1, skipped + 1
            if not (T.lower[k] in COORDINATORS and T.pos[k] == "CCONJ"):
                break
            j = k - 1
            while j >= a and T.text[j] in (",", ")"):
                if T.text[j] == ")":  # "Sen. Jeff Merkley (D-Ore.) and ..."
                    while j > a and T.text[j] != "(":
                        j -= 1
                j -= 1
            before = self.run_at.get(j)
            if j < a or before is None or before.kind != PERSON:
                break
            first, k = before, before.start - 1
        return first

    def _named_example(self, head) -> Run | None:
        """The first person named after 'including', 'like' or 'such as' on a common noun."""
        if head.pos_ not in ("NOUN", "PRON") and head.tag_ not in ("NNS", "NNPS"):
            return None
        for c in head.children:
            if c.dep_ != "prep" or c.i < head.i:
                continue
            low = c.lower_
            if not (
                low in ("including", "like")
                or (low == "as" and c.i > 0 and self.doc[c.i - 1].lower_ == "such")
            ):
                continue
            for x in c.subtree:
                r = self.run_at.get(x.i)
                if r is not None and r.kind == PERSON:
                    return r
        return None

    def _group(self, a, b, head, mention, si, country=None) -> Resolved:
        """A group or a body named by common nouns: 'officials', 'Kenyans', 'the agency'."""
        name = self._strip_det(self.doc[a:b].text)
        kind = GROUP if head.tag_ in ("NNS", "NNPS") or country else ORGANISATION
        info = self._info(name, kind)
        codes = {self.country_at[k][2] for k in range(a, b) if k in self.country_at}
        if country:
            codes = {country}
        if len(codes) == 1 and not info.country:
            # "the leaders of Norway and Spain": none
            info.country = codes.pop()
        return self._note(
            Resolved(name, mention, kind, "group", 0.6),
            head.i,
            si,
            alias_text=mention,
        )

    def _national_group(self, name: str) -> bool:
        """'Officials', 'Democrats', 'State officials': a group that names no place, body or
        abroad, so belongs to the article's home country. Not 'European leaders', 'the
        leaders of Norway and Spain', 'small island nations'."""
        words = [w.strip(".,’'").lower() for w in name.split()]
        if any(w in international_words() for w in words):
            return False
        for n in range(len(words)):
            for m in range(n + 1, min(n + 4, len(words)) + 1):
                phrase = tuple(words[n:m])
                if phrase in countries() or _phrase_of(" ".join(phrase)) in bodies():
                    return False
        return True

    def _people_plural(self, head) -> str | None:
        """'Kenyans' -> 'KE'; 'Democrats', 'Officials' -> '' (a speaker noun in the plural);
        None for anything else. Only a plural ending in -s: 'Philippines' is a country."""
        low = head.lower_
        if head.tag_ not in ("NNS", "NNPS") or not low.endswith("s") or len(low) < 4:
            return None
        if (low[:-1],) in demonyms():
            return countries()[(low[:-1],)]
        if head.lemma_.lower() in speaker_nouns() or low[:-1] in speaker_nouns():
            return ""
        return None

    def _mention_descriptor(
        self, a: int, c: int, run: Run, head=None
    ) -> Descriptor | None:
        """What the mention's own words say of the person: 'the Danish prime minister', ', the
        NATO chief'. Not another person's words ("Trump’s envoy", "... and Attorney General Roe")."""
        T = self.T
        if head is not None and head.i < run.start and self._is_title_i(head.i):
            # "the EU High Representative for Foreign Affairs, Josep Borrell,": the title heads
            # the mention and the name stands in apposition to it
            idx = [k for k in range(a, run.start) if not T.punct[k]]
        else:
            idx = self._left_descriptor(run.start, a) if a < run.start else []
        for k in range(run.end, c):
            # "... and Attorney General Roe", "Salvini’s League party": not their words
            if (
                T.dep[k] == "cc"
                or T.lower[k] in ("and", "or")
                or T.text[k] in POSSESSIVE
            ):
                break
            idx.append(k)
        idx = [
            k
            for k in idx
            if k not in self.run_at
            or self.run_at[k] is run
            or self.run_at[k].kind != PERSON
        ]
        # a country word counts only with a title ("the Danish prime minister"), not anywhere in
        # the phrase ("Trump's Greenland plan")
        if not any(self._is_title_i(k) for k in idx):
            return None
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
        """A shorter mention of a longer name the article gives: the surname ("Scholz"), the end of
        the name ("Lula da Silva", "Cortez Masto"), or a single word of it ("Lula", "Mr Yoon" of
        "Yoon Suk Yeol"). Ties go to the name given most recently before."""
        lower = self.T.lower
        mine = [lower[k] for k in range(run.start, run.end)]
        n = len(mine)
        if run.kind != PERSON:
            return run.text, "name", 0.8
        suffix_hits, word_hits = [], []
        for r in self._runs_with_word(mine[-1]):
            if r.kind != PERSON or r.end - r.start <= n:
                continue
            theirs = lower[r.start : r.end]
            if theirs[-n:] == mine or (
                n == 1
                and len(theirs) > 2
                and theirs[-2] == mine[0]
                and is_suffix(theirs[-1])
            ):
                suffix_hits.append(r)
            elif (
                n == 1
                and mine[0] in theirs
                and not is_particle(mine[0])
                and self._person_name(r)
            ):
                word_hits.append(r)
        longer = suffix_hits or word_hits
        if not longer:
            return run.text, "name", 0.9 if n > 1 else 0.8
        if self.in_quote[run.start] < 0:
            # a full name only ever inside someone's quoted words is talked about ("If Anne
            # Roe could do that"), not the one the narrative's bare surname goes back to
            longer = [r for r in longer if self.in_quote[r.start] < 0] or longer
        longer = self._of_gender(longer, run.start)
        before = [r for r in longer if r.start < run.start]
        if before:
            # of two people of one surname, the one named in full more often so far ("Sen.
            # Chris Roe" of the whole article over "Anne Roe", named once); ties by recency
            named = Counter(r.text for r in before)
            most = max(named.values())
            r = [r for r in before if named[r.text] == most][-1]
        else:
            r = longer[0]
        # the longest form of that person's name: "Lula da Silva" -> "Luiz Inácio Lula da Silva"
        if r.text != run.text:
            deeper = self._canonical(r)
            if deeper[1] != "name":
                return deeper[0], "surname", 0.85
        return r.text, "surname", 0.85

    def _of_gender(self, longer: list[Run], start: int) -> list[Run]:
        """ "Mr. Clinton" where the article names Bill, Hillary and Chelsea Clinton: of the full
        names, those whose given name is not of the other gender (as gender-guesser's tables
        have it), when that leaves one name or more."""
        g = _GENDERED.get(self.T.lower[start - 1]) if start else None
        if g is None or len({r.text for r in longer}) < 2:
            return longer
        keep = [
            r for r in longer if given_name_gender(self.T.text[r.start]) in (None, g)
        ]
        return keep or longer

    def _runs_with_word(self, word: str) -> list[Run]:
        """The runs of two words or more that hold `word`, in text order (an index built once)."""
        index = self.__dict__.get("_word_index")
        if index is None:
            index = self._word_index = {}
            for r in self.runs:
                if r.end - r.start > 1:
                    for w in set(self.T.lower[r.start : r.end]):
                        index.setdefault(w, []).append(r)
        return index.get(word, [])

    def _person_name(self, run: Run) -> bool:
        """A run that reads as a person's full name, so its words stand for it: not "Trump Train",
        "EgyptAir Flight", "Facebook Friday" (an everyday or date word at the end)."""
        T, k = self.T, run.end - 1
        last = T.text[k]
        if k > run.start and T.idx[k] == T.end(k - 1):
            return True  # the end of "Min-jun", "O’Brien": a name's own piece
        return (
            last.lower() not in self.everyday
            and not is_date_word(last)
            and not self._org_word(run.end - 1)
        )

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
            if alias and text and text not in info.aliases and _fit_alias(text):
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
        self,
        token_i: int,
        kinds,
        within: int = 10**6,
        without_position: bool = False,
        gender: str | None = None,
        only=None,
    ):
        """The latest speaker of one of `kinds` before token_i. A gender the text gives breaks a tie:
        when the latest person is known to be of the other gender, the latest one of the pronoun's
        gender within the same stretch is taken instead (never on gender alone)."""
        si = self.sent_of[token_i]
        seen: list[tuple[int, str, str]] = []
        for ti, sj, name, kind in self.history:
            if ti >= token_i or kind not in kinds or si - sj > within:
                continue
            if without_position and self._has_title(name):
                continue
            if only is not None and not only(name):
                continue
            seen.append((ti, name, kind))
        if not seen:
            return None
        seen.sort(reverse=True)
        best = seen[0]
        if gender is not None and self.gender_of(best[1]) not in (None, gender):
            window = self.sent_of[best[0]] - 3
            for ti, name, kind in seen[1:]:
                if self.sent_of[ti] < window:
                    break
                if self.gender_of(name) == gender:
                    best = (ti, name, kind)
                    break
        return best[1], best[2]

    def gender_of(self, name: str) -> str | None:
        """'m' or 'f' where the text says it: an honorific ("Mrs May") or a gendered title
        ("spokeswoman"). Never guessed from the name itself."""
        cache = self.__dict__.setdefault("_genders", {})
        if name in cache:
            return cache[name]
        found = None
        T = self.T
        for run in self.runs_of(name):
            k = run.start - 1
            while k >= 0 and run.start - k <= 4 and not T.punct[k]:
                found = _GENDERED.get(T.lower[k], found)
                if found:
                    break
                k -= 1
            if found:
                break
        cache[name] = found
        return found

    def runs_of(self, name: str) -> list[Run]:
        """The person runs whose canonical name is `name` (computed once, after the runs are found)."""
        table = self.__dict__.get("_runs_of")
        if table is None:
            table = self._runs_of = {}
            for r in self.runs:
                if r.kind == PERSON:
                    table.setdefault(self._canonical(r)[0], []).append(r)
        return table.get(name, [])

    def _latest(self, name: str, before: int) -> int:
        return max(
            (ti for ti, _, n, _ in self.history if n == name and ti < before),
            default=-1,
        )

    def _lone_name(self, name: str) -> bool:
        """A single capitalised word that can be a surname: not an everyday word, an acronym, an
        organisation's word, a body or an institution ("Thune" tagged ORG, not "Reuters"? both: the
        caller asks only when a personal pronoun follows it)."""
        T = self.T
        tokens = [r.start for r in self.runs if r.text == name and r.end - r.start == 1]
        return (
            " " not in name
            and name[:1].isupper()
            and not name.isupper()
            and bool(tokens)
            and all(
                T.tag[k] != "NNPS"
                and T.ent[k] in ("ORG", "PERSON", "GPE", "")
                and k not in self.country_at
                and k not in self.state_at
                for k in tokens
            )
            and name.lower() not in self.everyday
            and name.lower() not in self.nouns
            and name.lower() not in ORG_WORDS
            and (name.lower(),) not in bodies()
            and (name.lower(),) not in institutions()
        )

    def _has_title(self, name: str) -> bool:
        info = self.info.get(name)
        if info and any(d.title for d in info.descriptors):
            return True
        return any(r.position for r in self.runs_of(name))

    def _titles_of(self, name: str) -> list[Descriptor]:
        descs = list(self.info[name].descriptors) if name in self.info else []
        for r in self.runs_of(name):
            descs.extend(r.descriptors)
        return descs

    def _by_title(self, desc: Descriptor, token_i: int) -> str | None:
        """The person a bare title stands for ("the Danish prime minister", "the senator"): one the
        article gave that title (and a compatible country), the latest before it first; else the
        person just spoken of, if untitled; else the one person the article names most, if untitled."""
        if desc.title is None:
            return None
        want = desc.title.title.lower()
        names: list[tuple[int, str]] = []
        holders = self.__dict__.setdefault("_title_holders", {})
        for r in self.runs:
            if r.kind != PERSON or r.start >= token_i + 200:
                continue
            name = self._canonical(r)[0]
            titled = holders.get(name)
            if titled is None:
                titled = holders[name] = [d for d in self._titles_of(name) if d.title]
            for d in titled:
                if (
                    _same_office(d, want)
                    and (desc.country is None or d.country in (None, desc.country))
                    and (desc.state is None or d.state in (None, desc.state))
                ):
                    names.append((r.start, name))
                    break
        if names:
            before = [x for x in names if x[0] < token_i]
            return (before[-1] if before else names[0])[1]
        found = self._recent(token_i, (PERSON,), within=2, without_position=True)
        if found:
            return found[0]
        counts = Counter(
            self._canonical(r)[0]
            for r in self.runs
            if r.kind == PERSON and r.start < token_i
        )
        if not counts:
            return None
        (top, n), *rest = counts.most_common(2) + [(None, 0)]
        if n >= 2 and n > rest[0][1] and not self._has_title(top):
            country = self._explicit_country(top)
            if desc.country is None or country in (None, desc.country):
                return top
        return None

    def _explicit_country(self, name: str) -> str | None:
        return next((d.country for d in self._titles_of(name) if d.country), None)

    # ---- the article's people, once everything is read ----------------------------------------
    def profile(self, name: str) -> tuple[str | None, str | None, str | None]:
        """(position, organisation, country) of a person: the most specific office the article
        gives them anywhere, and their own country (from their office, descriptor, party tag),
        else none for an official of an international body, else the article's home country.
        Whether the text states the country or it is only the article's is in `self.stated`."""
        cache = self.__dict__.setdefault("_profiles", {})
        if name in cache:
            return cache[name]
        descs = self._titles_of(name)
        best = _best(descs)
        position = best.title.title if best and best.title else None
        organisation = best.organisation if best else None
        if organisation is None:
            organisation = next((d.organisation for d in descs if d.organisation), None)
        votes = Counter(d.country for d in descs if d.country)
        if best is not None and best.country:
            votes[best.country] += 1
        owners = [d.owner for d in descs if d.owner and not d.country]
        if not votes and owners and name not in self._profiling:
            # "Roe’s special envoy": the country of the person whose envoy they are
            self._profiling.add(name)
            run = next((r for r in self.runs if (r.start, r.end) == owners[0]), None)
            # only what the text says of them, not a guess ("President X" is not said to be American)
            owner_country = (
                self._explicit_country(self._canonical(run)[0]) if run else None
            )
            self._profiling.discard(name)
            if owner_country:
                votes[owner_country] += 1
        stated = bool(votes) or any(d.state for d in descs)
        if votes:
            country = votes.most_common(1)[0][0]
        elif any(d.international for d in descs):
            country = None
        elif any(d.state for d in descs):
            country = "US"
        else:
            # "WASHINGTON (AP) —": the dateline's country; else the country an unqualified title
            # means ("President Roe"); else the article's own
            datelines = set(self._dateline_countries())
            default = next(
                (
                    d.title.default_country
                    for d in descs
                    if d.title and d.title.default_country
                ),
                None,
            )
            if len(datelines) == 1:
                country = datelines.pop()
            else:
                country = default or self.home_country()
        cache[name] = (position, organisation, country)
        self.stated[name] = stated and country is not None
        return cache[name]

    def home_country(self) -> str | None:
        """The country the article is about, when it is clear: its datelines, the countries of the
        people it describes, the US states it names. None when no country clearly leads, or
        when the people it describes come from three or more countries, none of them most."""
        if hasattr(self, "_home"):
            return self._home
        votes: Counter = Counter()
        for code in self._dateline_countries():
            votes[code] += 3
        people: dict[str, set[str]] = {}
        for r in self.runs:
            if r.kind != PERSON:
                continue
            name = self._canonical(r)[0]
            for d in r.descriptors:
                if d.country:
                    people.setdefault(name, set()).add(d.country)
                elif d.state:
                    people.setdefault(name, set()).add("US")
        described: Counter = Counter()
        for codes in people.values():
            for code in codes:
                votes[code] += 2 / len(codes)
                described[code] += 1 / len(codes)
        self._home = None
        if len(described) >= 3 and 2 * described.most_common(1)[0][1] < sum(
            described.values()
        ):
            # a summit, a war, a UN vote: people of many countries and none the majority;
            # the article has no home country to lend to someone it does not place
            return None
        mentions: Counter = Counter(
            code for i, (a, _b, code) in self.country_at.items() if i == a
        )
        mentions.update(self._plural_demonyms())
        mentions.update(self._capitals())
        for code, n in mentions.items():
            votes[code] += min(n * 0.5, 2.5)
        states = {self.state_at[i][2] for i in self.state_at}
        votes["US"] += len(states) * 0.5 if states else 0
        if votes:
            (top, n), *rest = votes.most_common(2) + [(None, 0)]
            if n >= 1.5 and n >= 1.5 * rest[0][1]:
                self._home = top
        return self._home

    def _capitals(self) -> list[str]:
        """'a Rome court', 'talks in Nairobi': the capitals and big cities named (data/places.json)."""
        T, table = self.T, places().capitals
        out = []
        for i in range(T.n):
            if not T.text[i][:1].isupper():
                continue
            for k in (3, 2, 1):
                code = table.get(tuple(T.lower[i : i + k]))
                if code:
                    out.append(code)
                    break
        return out

    def _plural_demonyms(self) -> list[str]:
        """'Australians', 'Kenyans': a people named speaks of their country."""
        table = countries()
        return [
            table[(w[:-1],)]
            for w, t in zip(self.T.lower, self.T.text, strict=True)
            if w.endswith("s") and t[:1].isupper() and (w[:-1],) in table
        ]

    def _dateline_countries(self) -> list[str]:
        """'WASHINGTON (AP) —', 'BERLIN, March 3 —', 'WASHINGTON, DC:' at a paragraph's start."""
        found = self.__dict__.get("_datelines_found")
        if found is None:
            found = self._datelines_found = self._find_dateline_countries()
        return found

    def _find_dateline_countries(self) -> list[str]:
        T, pl, table = self.T, places(), countries()
        out = []
        for i in range(T.n):
            if not (i == 0 or "\n" in T.text[i - 1]) or not T.text[i].isupper():
                continue
            words = []
            k = i
            while (
                k < T.n
                and k - i < 4
                and T.text[k].isupper()
                and T.text[k][:1].isalpha()
            ):
                words.append(T.lower[k])
                k += 1
            if not words or k >= T.n or T.text[k][:1] not in "—–-(,:":
                continue
            key = tuple(words)
            code = pl.capitals.get(key) or table.get(key)
            if code is None and key in pl.us_states:
                code = "US"
            if code:
                out.append(code)
        return out

    def speaker_infos(self, used: set[str]) -> list[SpeakerInfo]:
        out = []
        for name, info in self.info.items():
            if name not in used:
                continue
            aliases = list(info.aliases)
            parts = None
            if info.kind == PERSON:
                for run in self.runs_of(name):
                    for text in (run.text, run.written):
                        if text and text != name and text not in aliases:
                            aliases.append(text)
                position, organisation, country = self.profile(name)
                stated = self.stated[name]
                parts = parse_name(name)
            else:
                position, organisation, country = (
                    info.position,
                    info.organisation,
                    info.country,
                )
                stated = country is not None
                if (
                    info.kind == GROUP
                    and country is None
                    and self._national_group(name)
                ):
                    country = self.home_country()
            aliases = [x for x in aliases if x != name and _fit_alias(x)]
            out.append(
                SpeakerInfo(
                    name,
                    info.kind,
                    tuple(aliases),
                    position,
                    country,
                    organisation,
                    country_stated=stated,
                    given=parts.given if parts else "",
                    middle=parts.middle if parts else "",
                    surname=parts.surname if parts else "",
                    suffix=parts.suffix if parts else "",
                )
            )
        return out


_GENDERED = {
    "mr": "m",
    "mr.": "m",
    "sir": "m",
    "lord": "m",
    "king": "m",
    "prince": "m",
    "congressman": "m",
    "spokesman": "m",
    "chairman": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
    "queen": "f",
    "princess": "f",
    "congresswoman": "f",
    "spokeswoman": "f",
    "chairwoman": "f",
}


__all__ = ["Speakers", "Resolved", "demonyms"]
