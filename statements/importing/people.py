"""Known people from a CSV file: `manage.py import_speakers FILE.csv`.

One row per office a speaker held (a speaker without an office has one row with the
office columns empty); the rows of one speaker share the name:

    name,aliases,kind,country,position,body,start_date,end_date,source
    Jane Roe,Roe Jr.;J. Roe,person,US,Senator,Texas,2019-01-03,,https://senate.example/roe

- name: as people write it; a person's must be a given name and a surname ("Jane Roe",
  regnal names such as "Jane II" too);
- aliases: other ways the speaker is written, `;`-separated;
- kind: person (the default), organisation, group or country;
- country: ISO 3166-1 alpha-2 ("US", "XK"); empty for officials of international bodies;
- position, body: the office and its body or jurisdiction;
- start_date, end_date: YYYY-MM-DD, only where known;
- source: where the row can be checked. Required.

The whole file is read and checked first: any bad row gets a message naming the file and
the line, and nothing of the file is loaded. Then it is loaded in one transaction,
through statements/corrections.py: a speaker already in the registry (same name, or a
person whose name parts match) is updated, not made twice; offices are matched on title,
body and country, their dates filled in; loading the same file again changes nothing.
Known speakers are matched before any other by later imports, and their aliases are
taken from speakers made by an import (never from another known speaker).
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .. import corrections, offices
from ..extraction.normalise import is_pronoun, normalise_mention
from ..models import Country, Position, Speaker, SpeakerAlias
from ..names import is_parseable_name, name_words_ok, parse_name
from .speakers import SpeakerResolver

COLUMNS = [
    "name",
    "aliases",
    "kind",
    "country",
    "position",
    "body",
    "start_date",
    "end_date",
    "source",
]
REQUIRED = {"name", "source"}
REASON = "import_speakers"


class BadPeopleFile(ValueError):
    """The file cannot be loaded; `messages` names each bad line."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class Office:
    title: str
    body: str
    country: str
    start: datetime.date | None
    end: datetime.date | None
    line: int


@dataclass
class Person:
    name: str
    kind: str
    country: str
    source: str
    line: int
    aliases: list[str] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)


@dataclass
class Loaded:
    created: int = 0
    updated: int = 0
    positions: int = 0
    aliases: int = 0

    def __str__(self):
        return (
            f"{self.created} speaker(s) added, {self.updated} already known, "
            f"{self.positions} office(s) added or dated, {self.aliases} alias(es) added."
        )


def _date(value: str, where: str, column: str, errors: list):
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{where}: {column} “{value}” is not a date (YYYY-MM-DD)")
        return None


def read_people(path) -> list[Person]:
    """The people of a CSV file, or BadPeopleFile naming every bad line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadPeopleFile([f"{path}: no such file"]) from None
    except UnicodeDecodeError:
        raise BadPeopleFile([f"{path}: not UTF-8 text"]) from None
    except IsADirectoryError:
        raise BadPeopleFile([f"{path}: a folder, not a CSV file"]) from None
    rows = csv.DictReader(line for line in text.splitlines() if line.strip())
    missing = REQUIRED - set(rows.fieldnames or [])
    if missing:
        raise BadPeopleFile(
            [f"{path}, line 1: missing column(s) {', '.join(sorted(missing))}"]
        )
    unknown = set(rows.fieldnames or []) - set(COLUMNS)
    if unknown:
        raise BadPeopleFile(
            [f"{path}, line 1: unknown column(s) {', '.join(sorted(unknown))}"]
        )
    codes = set(Country.objects.values_list("code", flat=True))
    errors: list[str] = []
    people: dict[str, Person] = {}
    for row in rows:
        line = rows.line_num
        where = f"{path}, line {line}"
        if None in row:
            errors.append(f"{where}: more values than columns")
            continue
        get = {k: (row.get(k) or "").strip() for k in COLUMNS}
        name = " ".join(get["name"].split())
        kind = get["kind"].lower() or Speaker.Kind.PERSON
        country = get["country"].upper()
        if not name:
            errors.append(f"{where}: no name")
            continue
        if kind not in Speaker.Kind.values:
            errors.append(
                f"{where}: kind “{get['kind']}” is not one of "
                f"{', '.join(Speaker.Kind.values)}"
            )
        if kind == Speaker.Kind.PERSON and not (
            is_parseable_name(name) or (name_words_ok(name) and parse_name(name).suffix)
        ):
            errors.append(
                f"{where}: “{name}” is not a person's name (a given name and a surname)"
            )
        if country and country not in codes:
            errors.append(f"{where}: country “{get['country']}” is not an ISO code")
        if not get["source"]:
            errors.append(f"{where}: no source: say where the row can be checked")
        start = _date(get["start_date"], where, "start_date", errors)
        end = _date(get["end_date"], where, "end_date", errors)
        if start and end and end < start:
            errors.append(f"{where}: end_date {end} is before start_date {start}")
        if (start or end or get["body"]) and not get["position"]:
            errors.append(f"{where}: dates or a body without a position")
        person = people.get(name.casefold())
        if person is None:
            person = people[name.casefold()] = Person(
                name, kind, country, get["source"], line
            )
        else:
            if kind != person.kind:
                errors.append(
                    f"{where}: {name} is a {kind} here, a {person.kind} on line "
                    f"{person.line}"
                )
            if country and person.country and country != person.country:
                errors.append(
                    f"{where}: {name} is in {country} here, in {person.country} on "
                    f"line {person.line}"
                )
            person.country = person.country or country
        for alias in get["aliases"].split(";"):
            alias = " ".join(alias.split())
            if not alias:
                continue
            if is_pronoun(alias) or not normalise_mention(alias):
                errors.append(f"{where}: alias “{alias}” names nobody")
            elif alias not in person.aliases:
                person.aliases.append(alias)
        if get["position"]:
            found = offices.office(get["position"])
            title = found.title if found else get["position"]
            body = get["body"] or (found.body if found else "")
            person.offices.append(Office(title, body, country, start, end, line))
    owners: dict[str, Person] = {}
    for person in people.values():
        for mention in [person.name, *person.aliases]:
            key = normalise_mention(mention)
            other = owners.setdefault(key, person)
            if other is not person:
                errors.append(
                    f"{path}, line {person.line}: “{mention}” is also {other.name}'s "
                    f"(line {other.line}): a mention points to one speaker only"
                )
    if errors:
        raise BadPeopleFile(errors)
    return list(people.values())


def load_people(people: list[Person], path="", user=None) -> Loaded:
    """Loads checked people in one transaction (tried again should another import
    take a name first). BadPeopleFile where an alias belongs to another known speaker."""
    resolver = SpeakerResolver()

    @transaction.atomic
    def write():
        loaded = Loaded()
        countries = {c.code: c for c in Country.objects.all()}
        errors = []
        for person in people:
            _load(person, resolver, countries, loaded, errors, path, user)
        if errors:
            raise BadPeopleFile(errors)
        corrections.data_changed()  # names, aliases and offices show on the pages
        return loaded

    return corrections.retrying(write, resolver)


def _existing(person: Person, resolver: SpeakerResolver) -> Speaker | None:
    pk = resolver.aliases.get(normalise_mention(person.name)) or resolver.names.get(
        person.name.casefold()
    )
    if pk:
        return resolver.speaker(pk)
    if person.kind == Speaker.Kind.PERSON:
        found = resolver.find(person.name, kind=person.kind)
        if isinstance(found, Speaker):
            return found
    return None


def _load(person, resolver, countries, loaded, errors, path, user):
    country = countries.get(person.country)
    speaker = _existing(person, resolver)
    if speaker is None:
        speaker = corrections.add_speaker(
            person.name,
            person.kind,
            country,
            source=person.source,
            user=user,
            reason=REASON,
        )
        resolver.names[person.name.casefold()] = speaker.pk
        loaded.created += 1
    else:
        changed = (
            speaker.name != person.name
            or speaker.kind != person.kind
            or speaker.source != person.source
            or (
                country is not None
                and (
                    speaker.country_id != country.pk
                    or speaker.country_basis != speaker.CountryBasis.EDITOR
                )
            )
        )
        if changed:
            speaker.name, speaker.kind = person.name, person.kind
            speaker.source = person.source
            if country is not None:
                speaker.country = country
                speaker.country_basis = speaker.CountryBasis.EDITOR
            corrections.save_speaker(speaker, user, REASON)
        loaded.updated += 1
    # Aliases: the name and the file's aliases, taken from speakers an import made.
    wanted = {normalise_mention(m): m for m in [person.name, *person.aliases]}
    owned = {
        a.normalised: a
        for a in SpeakerAlias.objects.filter(normalised__in=wanted).select_related(
            "speaker"
        )
    }
    new, moving = [], []
    for key, mention in wanted.items():
        alias = owned.get(key)
        if alias is None:
            new.append(mention)
        elif alias.speaker_id != speaker.pk:
            if alias.speaker.source and not alias.learnt_from_correction:
                errors.append(
                    f"{path}, line {person.line}: “{mention}” is already "
                    f"{alias.speaker.name}'s, a known speaker"
                )
            elif not alias.learnt_from_correction:
                moving.append(alias)
    corrections.add_aliases(speaker, new, user, REASON)
    corrections.move_aliases(moving, speaker, user, REASON)
    for key in wanted:
        resolver.aliases[key] = speaker.pk
    loaded.aliases += len(new) + len(moving)
    # Offices: matched on title, body and country; their dates filled in.
    held = {
        (p.title.casefold(), p.organisation.casefold(), p.country_id): p
        for p in Position.objects.filter(speaker=speaker)
    }
    for office in person.offices:
        office_country = countries.get(office.country) or country
        key = (
            office.title.casefold(),
            office.body.casefold(),
            getattr(office_country, "pk", None),
        )
        position = held.get(key)
        if position is None:
            held[key] = corrections.add_position(
                speaker,
                user,
                REASON,
                title=office.title[:200],
                organisation=office.body[:200],
                country=office_country,
                start_date=office.start,
                end_date=office.end,
            )
            loaded.positions += 1
        elif (office.start, office.end) != (position.start_date, position.end_date):
            position.start_date = office.start or position.start_date
            position.end_date = office.end or position.end_date
            corrections.save_position(position, user, REASON)
            loaded.positions += 1
