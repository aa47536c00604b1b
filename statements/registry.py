"""The registry's housekeeping for admins: speakers that need review, and merge suggestions.

    needs_review(Speaker.objects.all())   -> the suspect speakers, each with `review_reasons`
    merge_suggestions()                   -> [Suggestion(into, others, why)], most quoted first

Suggestions are never merged automatically: an admin ticks them in the admin's
"Merge suggestions" page, and corrections.merge() does the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from rapidfuzz import fuzz

from .importing.guard import organisation_words
from .models import Speaker
from .names import NameParts, fold, is_parseable_name, same_person

# Two spellings of one name part at least this similar (rapidfuzz's ratio, 0-100) are
# suggested as one person: "Rence" and "Reince" (91), not "Eric" and "Erica" (89).
SPELLING_SIMILARITY = 90


def _reasons_q():
    """(reason, Q) pairs that find suspect speakers in SQL."""
    org_words = "|".join(sorted(organisation_words()))
    return [
        ("lower-case", Q(name__regex=r"^[a-z]")),
        ("digits", Q(name__regex=r"[0-9]")),
        ("one word", ~Q(name__contains=" ") & Q(kind__in=["person", "organisation"])),
        (
            "not a parseable name",
            Q(kind="person") & (Q(given_name="") | Q(surname="")),
        ),
        (
            "doubtful kind",
            (
                Q(kind="organisation")
                & Q(name__regex=r"^[A-Z][a-z]+( [A-Z]\.)? [A-Z][a-z]+$")
            )
            | (Q(kind="person") & Q(name__iregex=rf"(^| )({org_words})( |$)")),
        ),
    ]


def needs_review(queryset):
    """The speakers of `queryset` (not merged away, not known ones) that look wrong: a
    person whose name does not parse as given name and surname, a lower-case name, a
    name with digits or of one word, an organisation named like a person or a person
    named like an organisation."""
    condition = Q()
    for _, q in _reasons_q():
        condition |= q
    return queryset.filter(condition, merged_into=None, source="")


def review_reasons(speaker) -> list[str]:
    """Why a speaker is in the "needs review" list, in words."""
    reasons = []
    name, kind = speaker.name, speaker.kind
    if name[:1].islower():
        reasons.append("lower-case")
    if any(c.isdigit() for c in name):
        reasons.append("digits")
    if " " not in name and kind in ("person", "organisation"):
        reasons.append("one word")
    if kind == "person" and not is_parseable_name(name):
        reasons.append("not a parseable name")
    words = {fold(w) for w in name.split()}
    if (kind == "person" and words & organisation_words()) or (
        kind == "organisation" and is_parseable_name(name) and len(words) <= 3
    ):
        reasons.append("doubtful kind")
    return reasons


@dataclass
class Suggestion:
    into: Speaker  # the record to keep: known first, then the most quoted
    others: list  # the records to merge into it
    why: str

    @property
    def key(self) -> str:
        """The form value that stands for this suggestion: "into:other,other"."""
        return f"{self.into.pk}:{','.join(str(s.pk) for s in self.others)}"


def _parts(s) -> NameParts:
    return NameParts(s.given_name, s.middle_names, s.surname, s.name_suffix)


def _keeper(group):
    return max(group, key=lambda s: (bool(s.source), s.n_statements, -s.pk))


def merge_suggestions(limit: int = 200) -> list[Suggestion]:
    """People who may be one: the same surname and compatible given names ("Jane Roe",
    "Jane Q. Roe", "J. Roe"), or a spelling variant of a given name or a surname
    ("Jane Rowe" beside "Jane Roe", by rapidfuzz). Never different given names."""
    people = list(
        Speaker.objects.remaining()
        .filter(kind="person")
        .exclude(surname="")
        .with_statement_counts()
        .select_related("country")
        .order_by("pk")
    )
    by_pk_all = {s.pk: s for s in people}
    by_surname, by_given = defaultdict(list), defaultdict(list)
    for s in people:
        by_surname[fold(s.surname)].append(s)
        if s.given_name:
            by_given[fold(s.given_name)].append(s)
    pairs: dict[tuple[int, int], str] = {}
    for group in by_surname.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                pa, pb = _parts(a), _parts(b)
                if same_person(pa, pb, initials=True):
                    pairs[a.pk, b.pk] = "same name, written another way"
                elif (
                    pa.is_full
                    and pb.is_full
                    and fold(pa.suffix) == fold(pb.suffix)
                    and fuzz.ratio(fold(pa.given), fold(pb.given))
                    >= SPELLING_SIMILARITY
                ):
                    pairs[a.pk, b.pk] = "given name spelt another way"
    for group in by_given.values():
        if len(group) > 2000:
            continue  # a very common given name: compared by surname above only
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if (a.pk, b.pk) in pairs or fold(a.surname) == fold(b.surname):
                    continue
                if (
                    fold(a.name_suffix) == fold(b.name_suffix)
                    and fuzz.ratio(fold(a.surname), fold(b.surname))
                    >= SPELLING_SIMILARITY
                ):
                    pairs[a.pk, b.pk] = "surname spelt another way"
    # "J. Roe" beside both "Jane Roe" and "John Roe": who J. is, nobody can say.
    givens = defaultdict(set)
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            gx, gy = fold(by_pk_all[x].given_name), fold(by_pk_all[y].given_name)
            if len(gx) == 1 and len(gy) > 1:
                givens[x].add(gy)
    ambiguous = {x for x, names in givens.items() if len(names) > 1}
    pairs = {k: v for k, v in pairs.items() if not set(k) & ambiguous}
    # Pairs that share a person become one suggestion (union-find).
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups = defaultdict(list)
    for a, b in pairs:
        groups[root(a)].append((a, b))
    by_pk = {s.pk: s for s in people}
    suggestions = []
    for members in groups.values():
        ids = {x for pair in members for x in pair}
        group = [by_pk[i] for i in sorted(ids)]
        into = _keeper(group)
        why = sorted({pairs[p] for p in members})
        suggestions.append(
            Suggestion(into, [s for s in group if s.pk != into.pk], "; ".join(why))
        )
    suggestions.sort(
        key=lambda g: -(g.into.n_statements + sum(s.n_statements for s in g.others))
    )
    return suggestions[:limit]


def parse_suggestion(value: str) -> tuple[int, list[int]] | None:
    """ "into:other,other" -> (into, [others]); None when it is not one."""
    into, _, others = (value or "").partition(":")
    try:
        ids = [int(x) for x in others.split(",") if x]
        return int(into), ids
    except ValueError:
        return None
