"""What the extraction pipeline returns. Plain dataclasses: no Django here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"
PERSON, ORGANISATION, GROUP, COUNTRY = "person", "organisation", "group", "country"


@dataclass(frozen=True)
class SpeakerInfo:
    """One canonical speaker of an article, with what the article says of them."""

    name: (
        str  # canonical full name: "Olaf Scholz", "the Kremlin", "UK defence officials"
    )
    kind: str = PERSON  # person | organisation | group | country
    aliases: tuple[
        str, ...
    ] = ()  # mentions as written that resolved here: "Scholz", "German Chancellor Olaf Scholz"
    position: str | None = None  # "Chancellor", "Special Envoy for Ukraine"
    country: str | None = None  # ISO 3166-1 alpha-2: "DE"
    organisation: str | None = (
        None  # the office's body or jurisdiction: "NATO", "Texas"
    )
    # The text states the country (an office, a descriptor, a party tag: "German
    # Chancellor", "R-Tex."), rather than it being only the article's home country.
    country_stated: bool = False
    # A person's name in parts (nameparser): "Ursula von der Leyen" -> given "Ursula",
    # surname "von der Leyen"; "Ferdinand Marcos Jr." -> suffix "Jr.". Empty for other kinds.
    given: str = ""
    middle: str = ""
    surname: str = ""
    suffix: str = ""

    @property
    def office(self) -> str | None:
        """The position with its body: "Senator for Texas", "Spokesperson, Clinton campaign"."""
        if not self.position:
            return None
        if not self.organisation or self.organisation.lower() in self.position.lower():
            return self.position
        from .lexicon import is_place

        joint = " for " if is_place(self.organisation) else ", "
        return f"{self.position}{joint}{self.organisation}"


@dataclass
class Statement:
    """One thing somebody said, located exactly in the article text."""

    start: int  # text[start:end] == self.text, on the text exactly as given
    end: int
    text: str
    kind: str  # direct | indirect | mixed
    cue: (
        str  # the speech verb or phrase as written: "said", "according to", "called on"
    )
    speaker: (
        str | None
    )  # canonical full name (SpeakerInfo.name); None when unattributed
    speaker_mention: (
        str | None
    )  # as written where attributed: "he", "Scholz", "The UK Prime Minister"
    speaker_kind: str | None = PERSON
    method: str = ""  # how the speaker was found: e.g. "cue-subject", "quote-continuation", "pronoun", "according-to"
    confidence: float = 0.0  # 0..1
    position: str | None = None
    country: str | None = None  # ISO alpha-2 of the speaker's country
    # Major topic slugs, most relevant first (0-3), and the subtopics of those it names.
    topics: list[str] = field(default_factory=list)
    subtopics: list[str] = field(default_factory=list)
    cue_start: int | None = None
    cue_end: int | None = None
    sentence_start: int | None = (
        None  # the sentence (or sentences) the statement stands in
    )
    sentence_end: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ArticleResult:
    statements: list[Statement]
    speakers: list[SpeakerInfo]

    def speaker(self, name: str | None) -> SpeakerInfo | None:
        return next((s for s in self.speakers if s.name == name), None)
