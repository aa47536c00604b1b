"""Resolving the speakers an article names against the speakers already in the database.

In order, for a statement's speaker:

1. the mention as written ("Starmer", "the Prime Minister") is an alias an admin taught by a
   correction: that speaker, so a correction wins in every later article;
2. the canonical name the extractor gave ("Keir Starmer") is an alias: that speaker;
3. one of the article's longer names for them (two words or more, e.g. "Keir Starmer" where
   the canonical is "Sir Keir Starmer") is an alias: that speaker;
4. a speaker not merged away whose name is the canonical name: that speaker; for a
   person, a known name of two words or more that ends the canonical one ("Donald Trump"
   for "Billionaire Jane Roe"): that person;
5. else a new speaker, with its country, the position the article gives, and as aliases the
   canonical name, the mentions that share a word with it ("German Chancellor Olaf
   Scholz"), and for a person the surname ("Scholz"), so a later article that names them
   by surname alone finds them.

A mention that is only a title ("The UK Prime Minister") or a pronoun is not learnt as an
alias: the office passes from one person to the next, and "he" is everybody. Nor is an
alias another speaker already owns (a mention points to one speaker only): "Johnson" stays
with the Johnson who had it first, and "Mike Johnson" is a speaker of its own.
Merged speakers resolve to the speaker they were merged into.
"""

from __future__ import annotations

import re

from .. import corrections
from ..extraction.normalise import is_pronoun, normalise_mention
from ..models import Country, Speaker, SpeakerAlias

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


def learnable(alias: str, canonical: str, kind: str = Speaker.Kind.PERSON) -> bool:
    """Whether `alias` names the same speaker as `canonical` by itself, everywhere.

    It shares a word with the canonical name, or is its acronym; titles, pronouns and
    descriptions ("Olaf Scholz, who…", "Cruz's speech", "candidate Moreau") do not. For a
    person it ends with their surname and every word is capitalised ("Sen. Jane Roe")."""
    a, c = normalise_mention(alias), normalise_mention(canonical)
    if not a or is_pronoun(alias):
        return False
    if a == c:
        return True
    if _NOT_IN_A_NAME.search(alias) or len(a.split()) > MAX_ALIAS_WORDS:
        return False
    if kind == Speaker.Kind.PERSON:
        words = alias.split()
        if words[0].casefold() in LEADING_WORDS:
            return False
        if any(not w[:1].isupper() and w.casefold() not in PARTICLES for w in words):
            return False
        return a.split()[-1] == c.split()[-1]
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


_MISSING = object()


class SpeakerResolver:
    """Resolves an article's speakers. One per import run: it reads the aliases and
    speaker names once, keeps them up to date with what it creates, and caches speakers
    by id. It creates through statements/corrections.py, inside the article's
    transaction; should that transaction fail, discard() forgets what it taught the
    resolver (corrections.retrying() calls begin() and discard()), so no later article
    points at a speaker that was rolled back."""

    def __init__(self):
        self.created: list[Speaker] = []
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
        # casefolded name -> id, speakers not merged away
        self.names: dict[str, int] = {}
        rows = Speaker.objects.filter(merged_into=None).values_list("pk", "name")
        for pk, name in rows.order_by("pk").iterator(chunk_size=5000):
            self.names.setdefault(name.casefold(), pk)
        self.speakers: dict[int, Speaker] = {}
        self.titles: dict[int, set[str]] = {}  # speaker id -> their positions' titles

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
                final(Speaker.objects.select_related("merged_into").get(pk=pk)),
            )
        return self.speakers[pk]

    def _alias(self, mention: str | None, learnt_only: bool = False) -> Speaker | None:
        key = normalise_mention(mention or "")
        if not key or is_pronoun(mention):
            return None
        pk = (self.learnt if learnt_only else self.aliases).get(key)
        return self.speaker(pk) if pk else None

    def find(self, name: str, info=None) -> Speaker | None:
        """Steps 2 to 4: an existing speaker for the extractor's canonical name."""
        speaker = self._alias(name)
        if speaker:
            return speaker
        for alias in getattr(info, "aliases", ()) or ():
            kind = getattr(info, "kind", None) or Speaker.Kind.PERSON
            if len(_words(normalise_mention(alias))) >= 2 and learnable(
                alias, name, kind
            ):
                speaker = self._alias(alias)
                if speaker:
                    return speaker
        pk = self.names.get(name.casefold())
        if pk:
            return self.speaker(pk)
        kind = getattr(info, "kind", None) or Speaker.Kind.PERSON
        if kind == Speaker.Kind.PERSON:
            # "Billionaire Jane Roe", "Prime Minister Keir Starmer": a known full name
            # at the end of the canonical one (two words or more, longest first).
            words = name.split()
            for i in range(1, len(words) - 1):
                tail = " ".join(words[i:])
                if tail[:1].isupper():
                    speaker = self._alias(tail)
                    if speaker and speaker.kind == Speaker.Kind.PERSON:
                        return speaker
        return None

    def resolve_article(
        self, statements, result, article, user=None
    ) -> list[Speaker | None]:
        """The speaker of each of these statements of the article; creating new speakers."""
        by_name: dict[str, Speaker] = {}
        resolved: list[Speaker | None] = []
        for st in statements:
            if not st.speaker:
                resolved.append(None)
                continue
            info = result.speaker(st.speaker)
            learnt = self._alias(st.speaker_mention, learnt_only=True)
            if learnt:
                resolved.append(learnt)
                continue
            if st.speaker not in by_name:
                by_name[st.speaker] = self.find(st.speaker, info) or self.create(
                    st, info, article, user
                )
                self.learn_position(by_name[st.speaker], st, info, article, user)
            resolved.append(by_name[st.speaker])
        return resolved

    def create(self, st, info, article, user=None) -> Speaker:
        name = st.speaker[:200]
        kind = getattr(info, "kind", None) or st.speaker_kind or Speaker.Kind.PERSON
        if kind not in Speaker.Kind.values:
            kind = Speaker.Kind.PERSON
        code = getattr(info, "country", None) or st.country
        mentions = [name, *(getattr(info, "aliases", ()) or ())]
        if st.speaker_mention:
            mentions.append(st.speaker_mention)
        surname = name.split()[-1] if len(name.split()) >= 2 else ""
        if kind == Speaker.Kind.PERSON and len(surname) >= 3 and surname[0].isupper():
            mentions.append(surname)  # "Starmer" in tomorrow's article
        aliases = {}
        for mention in mentions:
            key = normalise_mention(mention)
            if key not in self.aliases and learnable(mention, name, kind):
                aliases.setdefault(key, mention)
        speaker = corrections.add_speaker(
            name,
            kind,
            self.country(code),
            aliases=aliases.values(),
            user=user,
            reason=f"import of article {article.pk}",
        )
        self.created.append(speaker)
        self._remember(self.speakers, speaker.pk, speaker)
        if name.casefold() not in self.names:
            self._remember(self.names, name.casefold(), speaker.pk)
        self._remember(self.titles, speaker.pk, set())
        for key in aliases:
            self._remember(self.aliases, key, speaker.pk)
        return speaker

    def learn_position(self, speaker: Speaker, st, info, article, user=None) -> None:
        title = (getattr(info, "position", None) or st.position or "").strip()[:200]
        if not title:
            return
        if speaker.pk not in self.titles:
            self._remember(
                self.titles,
                speaker.pk,
                {
                    t.casefold()
                    for t in speaker.positions.values_list("title", flat=True)
                },
            )
        if title.casefold() in self.titles[speaker.pk]:
            return
        code = getattr(info, "country", None) or st.country
        corrections.add_position(
            speaker,
            user,
            title=title,
            country=self.country(code) or speaker.country,
            organisation=(getattr(info, "organisation", None) or "")[:200],
            source_article=article,
        )
        self._remember(
            self.titles, speaker.pk, self.titles[speaker.pk] | {title.casefold()}
        )
