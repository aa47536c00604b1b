"""The query-string filters of the browse pages, checked by a plain form.

    /?speaker=keir-starmer&country=gb&topic=defence&kind=direct&since=2025-01-01&q=troops

Every parameter but the dates and `q` may repeat. Unknown speakers, countries or
topics, unknown kinds, malformed dates and dates outside statements.dates' range are
errors the view turns into a 400.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db.models import Q

from .dates import RANGE, in_range
from .extraction.normalise import normalise_mention
from .models import Country, Speaker, Statement, Topic

KINDS = {
    "direct": ["direct"],
    "indirect": ["indirect"],
    "mixed": ["mixed"],
    # The UI's "reported speech" is what is not a plain direct quote.
    "reported": ["indirect", "mixed"],
}
MAX_VALUES = 20


def _values(data, name):
    """The non-empty values of a repeatable parameter, first occurrence first."""
    seen = []
    for value in data.getlist(name):
        value = value.strip()
        if "\x00" in value or len(value) > 200:
            raise forms.ValidationError(f"“{name}” has a value that is not valid.")
        if value and value not in seen:
            seen.append(value)
    if len(seen) > MAX_VALUES:
        raise forms.ValidationError(
            f"Too many values for “{name}”: at most {MAX_VALUES}.", code="too_many"
        )
    return seen


def _list(items):
    return ", ".join(f"“{i}”" for i in items)


@dataclass
class Filters:
    """Resolved filters: model instances, not strings."""

    speakers: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    kinds: list = field(default_factory=list)  # as asked for: direct, reported, ...
    since: datetime.date | None = None
    until: datetime.date | None = None
    q: str = ""
    sort: str = ""  # "" (newest first) or "relevance" (with a search only)

    @property
    def by_relevance(self):
        return bool(self.q) and self.sort == "relevance"

    @property
    def statement_kinds(self):
        kinds = []
        for k in self.kinds:
            kinds += [x for x in KINDS[k] if x not in kinds]
        return kinds

    def apply(self, queryset):
        return (
            queryset.by_speaker(*self.speakers)
            .in_country(*self.countries)
            .on_topic(*self.topics)
            .of_kind(*self.statement_kinds)
            .between(self.since, self.until)
            .search(self.q)
        )

    @property
    def active(self):
        return bool(
            self.speakers
            or self.countries
            or self.topics
            or self.kinds
            or self.since
            or self.until
            or self.q
        )

    def params(self):
        """The filters as query-string pairs, for links that keep them."""
        pairs = [("speaker", s.slug) for s in self.speakers]
        pairs += [("country", c.code.lower()) for c in self.countries]
        pairs += [("topic", t.slug) for t in self.topics]
        pairs += [("kind", k) for k in self.kinds]
        if self.since:
            pairs.append(("since", self.since.isoformat()))
        if self.until:
            pairs.append(("until", self.until.isoformat()))
        if self.q:
            pairs.append(("q", self.q))
        if self.by_relevance:
            pairs.append(("sort", "relevance"))
        return pairs


class FilterForm(forms.Form):
    """Checks the query string; `filters` holds the result once is_valid()."""

    since = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    until = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    q = forms.CharField(required=False, max_length=200, strip=True)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Newest first"),
            ("newest", "Newest first"),
            ("relevance", "Best match"),
        ],
    )

    error_messages = {
        "since": "“since” must be a date written YYYY-MM-DD.",
        "until": "“until” must be a date written YYYY-MM-DD.",
        "sort": "“sort” must be “newest” or “relevance”.",
    }

    def __init__(self, data, *, fixed=()):
        """`fixed` names parameters a page sets itself (the speaker on a speaker page)."""
        super().__init__(data)
        self.fixed = set(fixed)
        self.filters = Filters()

    def clean(self):
        cleaned = super().clean()
        f = self.filters
        for name in ("since", "until", "sort"):
            if name in self.errors:
                # Replace Django's "Enter a valid date." with one naming the parameter.
                self.errors[name] = self.error_class([self.error_messages[name]])
        for name in ("since", "until"):
            day = cleaned.get(name)
            if day and not in_range(day):
                self.add_error(name, f"“{name}” must be a date {RANGE}.")
        f.since, f.until = cleaned.get("since"), cleaned.get("until")
        if f.since and f.until and f.since > f.until:
            self.add_error(None, "“since” is after “until”.")
        f.q = cleaned.get("q") or ""
        f.sort = cleaned.get("sort") or ""

        for name, resolve in (
            ("speaker", self._speakers),
            ("country", self._countries),
            ("topic", self._topics),
            ("kind", self._kinds),
        ):
            if name in self.fixed:
                continue
            try:
                resolve(_values(self.data, name))
            except forms.ValidationError as e:
                self.add_error(None, e)
        return cleaned

    def _speakers(self, values):
        if not values:
            return
        found = {s.slug: s for s in Speaker.objects.filter(slug__in=values)}
        missing = [v for v in values if v not in found]
        for v in missing:
            # A name or an alias works too (the no-JavaScript speaker box takes names).
            speaker = (
                Speaker.objects.filter(
                    Q(name__iexact=v) | Q(aliases__normalised=normalise_mention(v))
                )
                .order_by("merged_into", "pk")
                .first()
            )
            if speaker:
                found[v] = speaker
        missing = [v for v in values if v not in found]
        if missing:
            raise forms.ValidationError(
                f"No speaker {_list(missing)}. Use a speaker’s slug, as in /speakers/<slug>/."
            )
        speakers = []
        for v in values:
            s = found[v]
            # A merged speaker stands for the one it was merged into.
            if s.merged_into_id:
                s = s.merged_into
            if s not in speakers:
                speakers.append(s)
        self.filters.speakers = speakers

    def _countries(self, values):
        if not values:
            return
        codes = [v.upper() for v in values]
        found = {c.code: c for c in Country.objects.filter(code__in=codes)}
        missing = [
            v for v, code in zip(values, codes, strict=True) if code not in found
        ]
        if missing:
            raise forms.ValidationError(
                f"No country with the code {_list(missing)}. Use ISO 3166 two-letter codes, such as gb or fr."
            )
        self.filters.countries = list(dict.fromkeys(found[c] for c in codes))

    def _topics(self, values):
        if not values:
            return
        found = {t.slug: t for t in Topic.objects.filter(slug__in=values)}
        missing = [v for v in values if v not in found]
        if missing:
            raise forms.ValidationError(f"No topic {_list(missing)}.")
        self.filters.topics = [found[v] for v in values]

    def _kinds(self, values):
        unknown = [v for v in values if v not in KINDS]
        if unknown:
            raise forms.ValidationError(
                f"No kind {_list(unknown)}. Use direct, reported, indirect or mixed."
            )
        self.filters.kinds = values

    def messages(self):
        """Every error as one readable sentence each."""
        out = []
        for name, errors in self.errors.items():
            for e in errors:
                # Name the parameter where Django's own message does not.
                named = name == "__all__" or f"“{name}”" in e
                out.append(e if named else f"“{name}”: {e}")
        return out


KIND_LABELS = {
    Statement.Kind.DIRECT: "Direct quote",
    Statement.Kind.INDIRECT: "Reported speech",
    Statement.Kind.MIXED: "Partly quoted",
}
