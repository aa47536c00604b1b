"""Resolving the speakers an article names against the speakers already in the database.

First the guard (statements/importing/guard.py): a name that is a weekday, a notice, a
number, a description or web-page furniture makes no speaker (the statement is kept,
unattributed, with its mention); an everyday word in front of a person's name goes
("Year Jane Roe" -> "Jane Roe"); an obvious organisation is not a person. Then, in
order, for a statement's speaker:

1. the mention as written ("Starmer", "the Prime Minister") is an alias an admin taught by a
   correction: that speaker, so a correction wins in every later article;
2. the canonical name the extractor gave ("Keir Starmer") or one of the article's longer
   names for them is an alias of a speaker (for a person, one whose name can be theirs):
   that speaker;
3. a speaker not merged away whose name is the canonical name: that speaker;
4. for a person, by the parts of their name (statements/names.py): a known person with
   the same surname, given name and suffix, whose middle names agree where both have
   one ("Donald J. Trump" and "Donald Trump" are one person; "Eric Roe" and "Jane Roe"
   are two; "Jane Roe Jr." is not "Jane Roe"). Known people (`import_speakers`) come
   first. A new full form of the name is learnt as an alias;
5. a bare surname ("Roe": the article never gives the full name) joins the one person
   of that surname in the registry; where there are none or several it stays
   unresolved rather than guessed (the statement keeps its mention, with no speaker).
   A surname the guard cut a possible given name from ("Matt Roe" -> "Roe", "matt"
   being an adjective too) joins only a person of that given name;
6. else a new speaker, with its name in parts, its country (see below), and as
   aliases the canonical name and the article's other full forms of it. A person's
   surname alone is never an alias (step 5 decides who a surname is), nor is a
   suffix ("Jr."); a person needs a given name and a surname ("Roland Z" has none).

A title alone ("The UK Prime Minister") or a pronoun is never learnt as an alias: the
office passes from one person to the next, and "he" is everybody. Nor is an alias
another speaker already owns (a mention points to one speaker only).

Positions: the article's position for the speaker, if its title is on the controlled
list (statements/offices.py), is attached to that speaker only, with its body or
jurisdiction and the date of the article as the dates it was seen (widened each time it
is seen again). An office has a country only where the article states it.

Countries (Speaker.country_basis): a new speaker takes the country the article gives
them, noting whether the text states it (an office, a descriptor, a party tag such as
"R-Tex.") or it is only the article's own country, a guess. A later article replaces a
guess with a stated country, and gives one to a speaker who had none; a stated country
is never replaced by another article, and an editor's (the admin, import_speakers) by
no article (corrections.learn_country).
Merged speakers resolve to the speaker they were merged into.
"""

from __future__ import annotations

import re

from .. import corrections, offices
from ..extraction.normalise import is_pronoun, normalise_mention
from ..models import Country, Position, Speaker, SpeakerAlias
from ..names import (
    NameParts,
    fold,
    is_parseable_name,
    is_suffix,
    parse_name,
    same_person,
)
from . import guard

STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "for",
        "in",
        "on",
        "at",
        "to",
        "de",
        "du",
        "la",
        "le",
        "von",
        "van",
        "der",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
    ]
)
MAX_ALIAS_WORDS = 6
PERSON = Speaker.Kind.PERSON
# "(R-Tex.)", "D-Calif.", "I-Vt.": a party tag is a US politician's.
PARTY_TAG = re.compile(r"(?<![\w-])[RDI]-[A-Z][A-Za-z.]{1,12}(?![\w-])")


def _words(normalised: str) -> set[str]:
    return {w for w in normalised.replace(".", " ").split() if w not in STOPWORDS}


_NOT_IN_A_NAME = re.compile(r"[,:;()\[\]\"“”]|[’']s\s")
# Capitalised at the start of a sentence, but not part of a name: "Then Brafman said".
LEADING_WORDS = frozenset(
    [
        "then",
        "both",
        "but",
        "and",
        "or",
        "as",
        "when",
        "while",
        "after",
        "before",
        "if",
        "so",
        "also",
        "even",
        "only",
        "now",
        "meanwhile",
        "however",
        "still",
        "yet",
        "later",
        "earlier",
    ]
)
PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "del",
        "della",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "bin",
        "al",
        "el",
    ]
)


def learnable(alias: str, canonical: str, kind: str = PERSON) -> bool:
    """Whether `alias` names the same speaker as `canonical` by itself, everywhere.

    It shares a word with the canonical name, or is its acronym; titles, pronouns and
    descriptions ("Olaf Scholz, who…", "Cruz's speech", "candidate Moreau") do not. For a
    person it is a full name (given name and surname) that can be theirs, every word
    capitalised ("Sen. Jane Roe", "Jane Q. Roe"): a surname or a suffix alone never is."""
    a, c = normalise_mention(alias), normalise_mention(canonical)
    if not a or is_pronoun(alias) or all(is_suffix(w) for w in alias.split()):
        return False
    if a == c:
        return True
    if _NOT_IN_A_NAME.search(alias) or len(a.split()) > MAX_ALIAS_WORDS:
        return False
    if kind == PERSON:
        words = alias.split()
        if words[0].casefold() in LEADING_WORDS:
            return False
        if any(not w[:1].isupper() and w.casefold() not in PARTICLES for w in words):
            return False
        if a.split()[-1] != c.split()[-1]:
            return False
        # "Sen. Jane Roe", "German Chancellor Jane Q. Roe": a full name of theirs at the end.
        person = parse_name(canonical)
        return any(
            same_person(parse_name(" ".join(words[i:])), person)
            for i in range(len(words) - 1)
        )
    if _words(a) & _words(c):
        return True
    initials = "".join(w[0] for w in c.replace(".", " ").split() if w not in STOPWORDS)
    return len(a) >= 2 and a.replace(".", "") == initials


def final(speaker: Speaker) -> Speaker:
    """Following merges to the speaker that remains."""
    seen = set()
    while speaker.merged_into_id and speaker.pk not in seen:
        seen.add(speaker.pk)
        speaker = speaker.merged_into
    return speaker


def party_country(mentions) -> str | None:
    """ "US" where a mention carries a party tag ("Jane Roe (R-Tex.)")."""
    return "US" if any(PARTY_TAG.search(m or "") for m in mentions) else None


_MISSING = object()
UNRESOLVED = object()


class SpeakerResolver:
    """Resolves an article's speakers. One per import run: it reads the aliases and
    speaker names once, keeps them up to date with what it creates, and caches speakers
    by id. It creates through statements/corrections.py, inside the article's
    transaction; should that transaction fail, discard() forgets what it taught the
    resolver (corrections.retrying() calls begin() and discard()), so no later article
    points at a speaker that was rolled back."""

    def __init__(self):
        self.created: list[Speaker] = []
        self.refused: list[str] = []  # names the guard refused, for the import's log
        self._journal: list | None = None
        self.reload()

    def reload(self) -> None:
        """(Re)read the registry: after another import committed speakers of its own."""
        self.countries = {c.code: c for c in Country.objects.all()}
        self.aliases: dict[str, int] = {}  # normalised alias -> speaker id
        self.learnt: dict[str, int] = {}  # the aliases admins taught by a correction
        rows = SpeakerAlias.objects.values_list(
            "normalised", "speaker_id", "learnt_from_correction"
        )
        for normalised, speaker_id, learnt in rows.iterator(chunk_size=5000):
            self.aliases[normalised] = speaker_id
            if learnt:
                self.learnt[normalised] = speaker_id
        # casefolded name -> id, and surname -> the people of that surname, not merged away
        self.names: dict[str, int] = {}
        self.people: dict[
            str, tuple
        ] = {}  # surname key -> ((id, NameParts, known), ...)
        rows = Speaker.objects.filter(merged_into=None).values_list(
            "pk",
            "name",
            "kind",
            "given_name",
            "middle_names",
            "surname",
            "name_suffix",
            "source",
        )
        for pk, name, kind, given, middle, surname, suffix, source in rows.order_by(
            "pk"
        ).iterator(chunk_size=5000):
            self.names.setdefault(name.casefold(), pk)
            if kind == PERSON and surname:
                parts = NameParts(given, middle, surname, suffix)
                key = fold(surname)
                self.people[key] = (
                    *self.people.get(key, ()),
                    (pk, parts, bool(source)),
                )
        self.speakers: dict[int, Speaker] = {}
        self.positions: dict[int, dict] = {}  # speaker id -> {office key: Position}

    # What one article's transaction teaches the resolver, undone if it rolls back.

    def begin(self) -> None:
        self._journal = []
        self._created_before = len(self.created)

    def discard(self) -> None:
        for mapping, key, old in reversed(self._journal or []):
            if old is _MISSING:
                mapping.pop(key, None)
            else:
                mapping[key] = old
        del self.created[self._created_before :]
        self._journal = None
        # Cached rows may hold what the failed transaction changed: read them again.
        self.speakers = {}
        self.positions = {}

    def _remember(self, mapping: dict, key, value) -> None:
        if self._journal is not None:
            self._journal.append((mapping, key, mapping.get(key, _MISSING)))
        mapping[key] = value

    def country(self, code: str | None) -> Country | None:
        return self.countries.get((code or "").upper())

    def speaker(self, pk: int) -> Speaker:
        if pk not in self.speakers:
            self._remember(
                self.speakers,
                pk,
                final(
                    Speaker.objects.select_related("merged_into", "country").get(pk=pk)
                ),
            )
        return self.speakers[pk]

    def _alias(self, mention: str | None, learnt_only: bool = False) -> Speaker | None:
        key = normalise_mention(mention or "")
        if not key or is_pronoun(mention):
            return None
        pk = (self.learnt if learnt_only else self.aliases).get(key)
        return self.speaker(pk) if pk else None

    def _person_alias(self, mention: str, parts: NameParts) -> Speaker | None:
        """The speaker a full name is an alias of, if it can be this person (an admin's
        alias always can)."""
        speaker = self._alias(mention)
        if speaker is None:
            return None
        if (
            normalise_mention(mention) in self.learnt
            or speaker.kind != PERSON
            or speaker.source  # a known person's aliases were checked by a person
        ):
            return speaker
        mine = NameParts(
            speaker.given_name,
            speaker.middle_names,
            speaker.surname,
            speaker.name_suffix,
        )
        if not mine.is_full or same_person(mine, parts):
            return speaker
        return None

    def _by_parts(self, parts: NameParts):
        """The one person these name parts can be (step 4), None for nobody, or
        UNRESOLVED when several different people could be meant."""
        candidates = [
            (pk, p, known)
            for pk, p, known in self.people.get(fold(parts.surname), ())
            if same_person(p, parts)
        ]
        if not candidates:
            return None
        known = [c for c in candidates if c[2]]
        pool = known or candidates
        if len(pool) == 1:
            return self.speaker(pool[0][0])
        exact = [c for c in pool if c[1] == parts]
        if len(exact) == 1:
            return self.speaker(exact[0][0])
        if all(same_person(a[1], b[1]) for a in pool for b in pool):
            return self.speaker(min(c[0] for c in pool))  # one person, several forms
        return UNRESOLVED

    def _by_surname(self, surname: str):
        """A bare surname (step 5): the one person of that surname, else UNRESOLVED."""
        people = self.people.get(fold(surname), ())
        ids = {final(self.speaker(pk)).pk for pk, _, _ in people}
        if len(ids) == 1:
            return self.speaker(ids.pop())
        return UNRESOLVED

    def find(self, name: str, info=None, kind: str | None = None):
        """Steps 2 to 5: an existing speaker for a canonical name; None when there is
        none (a new one may be made), UNRESOLVED when none may be."""
        kind = kind or getattr(info, "kind", None) or PERSON
        if kind == PERSON:
            return self._find_person(name, info)
        speaker = self._alias(name)
        if speaker:
            return speaker
        for alias in getattr(info, "aliases", ()) or ():
            if len(_words(normalise_mention(alias))) >= 2 and learnable(
                alias, name, kind
            ):
                speaker = self._alias(alias)
                if speaker:
                    return speaker
        pk = self.names.get(name.casefold())
        if pk:
            return self.speaker(pk)
        if " " not in name and name[:1].isupper() and fold(name) in self.people:
            # One capitalised word the tagger took for an organisation or a group,
            # that is a known person's surname: "Roe said" after "Jane Roe" earlier.
            return self._by_surname(name)
        return None

    def _find_person(self, name: str, info=None):
        parts = parse_name(name)
        if not parts.is_full:
            speaker = self._alias(name, learnt_only=True)
            if speaker:
                return speaker
            return self._by_surname(parts.surname) if parts.surname else UNRESOLVED
        speaker = self._person_alias(name, parts)
        if speaker:
            return speaker
        for alias in getattr(info, "aliases", ()) or ():
            if len(_words(normalise_mention(alias))) >= 2 and learnable(alias, name):
                speaker = self._person_alias(alias, parts)
                if speaker:
                    return speaker
        pk = self.names.get(name.casefold())
        if pk:
            speaker = self.speaker(pk)
            if speaker.kind == PERSON:
                return speaker
        found = self._by_parts(parts)
        if found is not None:
            return found
        # "Billionaire Jane Roe", "Prime Minister Keir Starmer": a known full name
        # at the end of the canonical one (two words or more, longest first).
        words = name.split()
        for i in range(1, len(words) - 1):
            tail = " ".join(words[i:])
            if tail[:1].isupper():
                found = self._by_parts(parse_name(tail))
                if isinstance(found, Speaker):
                    return found
        return None

    def resolve_article(
        self, statements, result, article, user=None
    ) -> list[Speaker | None]:
        """The speaker of each of these statements of the article; creating new speakers."""
        by_name: dict[str, Speaker | None] = {}
        resolved: list[Speaker | None] = []
        # Every mention of each speaker in the article ("he", "Ms. Roe"): what kind of
        # speaker the guard takes them for.
        self._mentions: dict[str, tuple] = {}
        for st in statements:
            if st.speaker and st.speaker_mention:
                self._mentions[st.speaker] = (
                    *self._mentions.get(st.speaker, ()),
                    st.speaker_mention,
                )
        for st in statements:
            if not st.speaker:
                resolved.append(None)
                continue
            learnt = self._alias(st.speaker_mention, learnt_only=True)
            if learnt:
                resolved.append(learnt)
                continue
            if st.speaker not in by_name:
                info = result.speaker(st.speaker)
                speaker = self._resolve(st, info, article, user)
                if speaker is not None:
                    self.learn_position(speaker, st, info, article, user)
                by_name[st.speaker] = speaker
            resolved.append(by_name[st.speaker])
        return resolved

    def _resolve(self, st, info, article, user=None) -> Speaker | None:
        kind = getattr(info, "kind", None) or st.speaker_kind or PERSON
        aliases = tuple(getattr(info, "aliases", ()) or ())
        aliases += getattr(self, "_mentions", {}).get(st.speaker, ())
        verdict = guard.check(st.speaker, kind, aliases, article.text)
        if not verdict:
            self.refused.append(verdict.refused)
            return None
        name, kind = verdict.name[:200], verdict.kind
        found = self.find(name, info, kind)
        if found is UNRESOLVED:
            return None
        if (
            verdict.dropped_given
            and isinstance(found, Speaker)
            and found.kind == PERSON
            and fold(found.given_name) != fold(verdict.dropped_given)
        ):
            return None  # "Matt Roe" cut to "Roe" is not Jane Roe: left unresolved
        if found is not None:
            if found.kind == PERSON:
                self._learn_forms(found, name, aliases, user, article)
            code, basis = self.country_of(kind, st, info, aliases)
            corrections.learn_country(
                found,
                self.country(code),
                basis,
                user,
                f"import of article {article.pk}",
            )
            return found
        if kind == PERSON and not is_parseable_name(name):
            # "Roe", "Roland Z": no given name and surname to file them under
            return None
        return self.create(name, kind, st, info, article, user, aliases)

    @staticmethod
    def country_of(kind, st, info, mentions) -> tuple[str | None, str]:
        """The country an article gives a speaker, and how (Speaker.CountryBasis): one
        the text states (an office, a descriptor, a party tag such as "R-Tex."), else
        the article's own country, a guess."""
        code = getattr(info, "country", None)
        if code and getattr(info, "country_stated", False):
            return code, Speaker.CountryBasis.STATED
        tagged = party_country(mentions) if kind == PERSON else None
        if tagged:
            return tagged, Speaker.CountryBasis.STATED
        return code or st.country, Speaker.CountryBasis.ARTICLE

    def _free_aliases(self, name: str, kind: str, mentions) -> dict[str, str]:
        out = {}
        for mention in mentions:
            key = normalise_mention(mention)
            if (
                key
                and key not in self.aliases
                and learnable(mention, name, kind)
                and (kind != PERSON or len(key.split()) >= 2)
            ):
                out.setdefault(key, mention[:200])
        return out

    def _learn_forms(self, speaker: Speaker, name: str, mentions, user, article):
        """A known person named another way ("Donald J. Trump" for "Donald Trump"):
        the new full forms become their aliases."""
        forms = self._free_aliases(speaker.name, PERSON, [name, *mentions])
        if not forms:
            return
        corrections.add_aliases(
            speaker, forms.values(), user, f"import of article {article.pk}"
        )
        for key in forms:
            self._remember(self.aliases, key, speaker.pk)

    def create(self, name, kind, st, info, article, user=None, mentions=()) -> Speaker:
        code, basis = self.country_of(kind, st, info, mentions)
        parts = parse_name(name) if kind == PERSON else None
        extracted = NameParts(
            getattr(info, "given", "") or "",
            getattr(info, "middle", "") or "",
            getattr(info, "surname", "") or "",
            getattr(info, "suffix", "") or "",
        )
        if kind == PERSON and extracted.is_full and name == getattr(info, "name", ""):
            parts = extracted  # the extractor parsed the name in its article
        aliases = self._free_aliases(name, kind, [name, *mentions])
        speaker = corrections.add_speaker(
            name,
            kind,
            self.country(code),
            country_basis=basis,
            aliases=aliases.values(),
            parts=parts,
            user=user,
            reason=f"import of article {article.pk}",
        )
        self.created.append(speaker)
        self._remember(self.speakers, speaker.pk, speaker)
        if name.casefold() not in self.names:
            self._remember(self.names, name.casefold(), speaker.pk)
        if kind == PERSON and speaker.surname:
            key = fold(speaker.surname)
            entry = (
                speaker.pk,
                NameParts(
                    speaker.given_name,
                    speaker.middle_names,
                    speaker.surname,
                    speaker.name_suffix,
                ),
                False,
            )
            self._remember(self.people, key, (*self.people.get(key, ()), entry))
        self._remember(self.positions, speaker.pk, {})
        for key in aliases:
            self._remember(self.aliases, key, speaker.pk)
        return speaker

    def _positions(self, speaker: Speaker) -> dict:
        if speaker.pk not in self.positions:
            self._remember(
                self.positions,
                speaker.pk,
                {_office_key(p): p for p in Position.objects.filter(speaker=speaker)},
            )
        return self.positions[speaker.pk]

    def learn_position(self, speaker: Speaker, st, info, article, user=None) -> None:
        """The article's office for this speaker, if on the controlled list: attached
        to them with the article's date as a date it was seen."""
        if speaker.kind != PERSON:
            return
        raw = getattr(info, "position", None) if info is not None else st.position
        found = offices.office(raw)
        if found is None:
            return
        body = found.body or (getattr(info, "organisation", None) or "")
        # the office's country: one the article states, else the speaker's own where it is
        # no guess ("Strategist" in an article about Russia is not a Russian office)
        code, basis = self.country_of(PERSON, st, info, ())
        if basis == Speaker.CountryBasis.STATED:
            country = self.country(code)
        elif speaker.country_basis in (
            Speaker.CountryBasis.STATED,
            Speaker.CountryBasis.EDITOR,
        ):
            country = speaker.country
        else:
            country = None
        held = self._positions(speaker)
        key = (
            found.title.casefold(),
            body.casefold()[:200],
            getattr(country, "pk", None),
        )
        if key in held:
            corrections.saw_position(held[key], article.published, user)
            return
        position = corrections.add_position(
            speaker,
            user,
            title=found.title,
            country=country,
            organisation=body[:200],
            source_article=article,
            first_seen=article.published,
            last_seen=article.published,
        )
        self._remember(self.positions, speaker.pk, {**held, key: position})


def _office_key(p: Position):
    return (p.title.casefold(), p.organisation.casefold(), p.country_id)
