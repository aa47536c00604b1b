import datetime
import re

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .extraction.normalise import normalise_mention
from .names import parse_name
from .querysets import SpeakerQuerySet, StatementQuerySet


def unique_slug(model, text: str, max_length: int = 200) -> str:
    base = slugify(text)[:max_length] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - 6]}-{n}"
        n += 1
    return slug


class Country(models.Model):
    code = models.CharField("ISO 3166-1 alpha-2", max_length=2, unique=True)
    name = models.CharField(
        max_length=100, help_text="The name people use: “Russia”, “United Kingdom”."
    )
    official_name = models.CharField(max_length=200, blank=True)
    short_name = models.CharField(
        max_length=20, blank=True, help_text="“UK”, “US”, where there is one."
    )
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("statements:country", args=[self.slug])


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        GROUP = "group", "Group"
        COUNTRY = "country", "Country"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speakers",
    )

    class CountryBasis(models.TextChoices):
        # Weakest first: an import replaces a country only with stronger evidence.
        NONE = "", "none"
        ARTICLE = "article", "an article's country (a guess)"
        STATED = "stated", "stated in an article (office, descriptor, party tag)"
        EDITOR = "editor", "set by an editor or a known-people file"

    # Where the country came from: an import never overrides an editor's, and a country
    # an article only guesses gives way to one an article states.
    country_basis = models.CharField(
        "country from",
        max_length=10,
        choices=CountryBasis.choices,
        blank=True,
        default="",
        editable=False,
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        help_text="Set when this speaker was merged into another; kept for the record.",
    )
    # A person's name in parts (statements/names.py, nameparser): "Donald J. Trump" ->
    # given "Donald", middle "J.", surname "Trump". Filled from the name whenever a
    # person is saved through corrections.py; empty for other kinds.
    given_name = models.CharField(max_length=100, blank=True, editable=False)
    middle_names = models.CharField(max_length=100, blank=True, editable=False)
    surname = models.CharField(max_length=100, blank=True, editable=False)
    name_suffix = models.CharField(max_length=20, blank=True, editable=False)
    source = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where a known speaker's record comes from (import_speakers): "
        "known speakers are matched before any other.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The resolver's and the merge suggestions' lookups by surname.
            models.Index(fields=["surname"], name="speaker_surname"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # By hand (the shell) only: the app saves speakers through corrections.py.
        if not self.slug:
            self.slug = unique_slug(Speaker, self.name)
        self.set_name_parts()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("statements:speaker", args=[self.slug])

    NAME_PART_FIELDS = ("given_name", "middle_names", "surname", "name_suffix")

    def set_name_parts(self, parts=None) -> None:
        """The parts of a person's name (from `parts`, else parsed from the name)."""
        if self.kind != self.Kind.PERSON:
            self.given_name = self.middle_names = self.surname = self.name_suffix = ""
            return
        parts = parts or parse_name(self.name)
        self.given_name = parts.given[:100]
        self.middle_names = parts.middle[:100]
        self.surname = parts.surname[:100]
        self.name_suffix = parts.suffix[:20]

    @property
    def is_known(self) -> bool:
        return bool(self.source)

    def position_on(self, date):
        """The position held on a date, from positions already fetched (prefetch them for lists)."""
        return position_on(self.positions.all(), date)

    @property
    def current_position(self):
        """The position held today (prefetch positions for lists)."""
        return position_on(self.positions.all(), timezone.localdate())


def _held_on(p, date) -> bool:
    """Whether position `p` was held on `date`: its known start and end dates cover
    it; where neither is known, the dates it was seen in articles cover it (a position
    seen in no dated article stands in for any date)."""
    if p.start_date is not None or p.end_date is not None:
        return (p.start_date is None or p.start_date <= date) and (
            p.end_date is None or p.end_date >= date
        )
    if p.first_seen is None and p.last_seen is None:
        return True
    return (p.first_seen is None or p.first_seen <= date) and (
        p.last_seen is None or p.last_seen >= date
    )


def position_on(positions, date):
    """Of these positions, the one held on `date` (see _held_on): known dates before
    seen ones, the latest start first. None where nothing covers the date: an office
    seen in 2016 is not the caption of a statement of 2024."""
    if date is None:
        covering = [p for p in positions if p.end_date is None]
    else:
        covering = [p for p in positions if _held_on(p, date)]
    covering.sort(
        key=lambda p: (
            p.start_date is not None or p.end_date is not None,
            p.start_date or p.first_seen or datetime.date.min,
            p.last_seen or datetime.date.min,
        ),
        reverse=True,
    )
    return covering[0] if covering else None


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n+")


def text_in_context(text: str, start: int, end: int, sentences: int = 1):
    """Splits `text` around [start, end): the sentences before it, it, the sentences after."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    # The sentence starts at or before `start`, and ends at or after `end`.
    i = max(j for j, b in enumerate(bounds) if b <= start)
    k = min((j for j, b in enumerate(bounds) if b >= end), default=len(bounds) - 1)
    lo = bounds[max(0, i - sentences)]
    hi = bounds[min(len(bounds) - 1, k + sentences)]
    return text[lo:start], text[start:end], text[end:hi]


class SpeakerAlias(models.Model):
    """A mention that resolves to a speaker. A mention points to one speaker only."""

    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="aliases"
    )
    alias = models.CharField(
        max_length=200, help_text="As written: “The UK Prime Minister”."
    )
    normalised = models.CharField(max_length=200, unique=True, editable=False)
    learnt_from_correction = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "speaker aliases"
        ordering = ["alias"]

    def __str__(self):
        return self.alias

    def save(self, *args, **kwargs):
        self.normalised = normalise_mention(self.alias)
        super().save(*args, **kwargs)


class Topic(models.Model):
    """A major topic, or a subtopic of one (two levels only). A statement linked to a
    subtopic is also linked to its major topic (statements/topic_writes.py keeps it so),
    so the filter and the counts of a major topic take in its subtopics."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtopics",
        limit_choices_to={"parent__isnull": True},
        help_text="The major topic this is a subtopic of; empty for a major topic.",
    )
    description = models.TextField(blank=True)
    key_phrases = models.JSONField(
        default=list,
        blank=True,
        help_text="Phrases matched on lemmas; “phrase | 0.5” for weak evidence.",
    )
    # The values last taken from seeds/topics.json: a field that still holds them was
    # not edited here, so the next sync may update it; one that differs is an admin's.
    seeded = models.JSONField(default=dict, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["seeded"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("statements:topic", args=[self.slug])

    @property
    def is_major(self):
        return self.parent_id is None

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A topic cannot be its own parent."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": f"“{self.parent}” is itself a subtopic: two levels only."}
            )
        if self.pk and self.subtopics.exists():
            raise ValidationError(
                {"parent": "This topic has subtopics: it must stay a major topic."}
            )


class Article(models.Model):
    title = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=1000, null=True, blank=True, unique=True)
    outlet = models.CharField(max_length=200, blank=True)
    # Statement.published copies this date: corrections.update_article() keeps the
    # copies and the facet counts in step.
    published = models.DateField(null=True, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    imported_at = models.DateTimeField(default=timezone.now)
    extractor_version = models.CharField(max_length=50, blank=True)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["-published", "-id"]

    def __str__(self):
        return self.title or f"Article {self.pk}"

    def get_absolute_url(self):
        return reverse("statements:article", args=[self.pk])


class Position(models.Model):
    """An office a speaker holds: its title from the controlled list ("Senator"), its
    body or jurisdiction ("Texas", "Hillary Clinton campaign"), its country, the dates
    it was held where known (import_speakers) and the dates of the articles it was
    seen in, so the office on a statement's date means something."""

    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(max_length=200)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
    )
    organisation = models.CharField(
        "body or jurisdiction",
        max_length=200,
        blank=True,
        help_text="“Texas” for a senator, “NATO”, “Hillary Clinton campaign”.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    first_seen = models.DateField(
        null=True, blank=True, help_text="The date of the first article it was seen in."
    )
    last_seen = models.DateField(
        null=True, blank=True, help_text="The date of the last article it was seen in."
    )
    source_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions_learnt",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]

    def __str__(self):
        where = f", {self.country}" if self.country_id else ""
        return f"{self.office}{where}"

    @property
    def office(self) -> str:
        """The title with its body: "Senator for Texas", "Spokesperson, NATO"."""
        body = self.organisation.strip()
        if not body or body.casefold() in self.title.casefold():
            return self.title
        return f"{self.title}, {body}"


class Statement(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        INDIRECT = "indirect", "Reported speech"
        MIXED = "mixed", "Mixed"

    class ReviewStatus(models.TextChoices):
        AUTO = "auto", "Automatic"
        VERIFIED = "verified", "Verified"
        CORRECTED = "corrected", "Corrected"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="statements"
    )
    speaker = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    speaker_mention = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    cue = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    method = models.CharField(max_length=50, blank=True)
    confidence = models.FloatField(default=0.0)
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.AUTO
    )
    # Copied from the article and the speaker, so the browse filters need no join: the
    # article's date and the speaker's country (corrections.copy_columns() says how,
    # and every write of corrections.py keeps them in step).
    published = models.DateField(null=True, blank=True, editable=False)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The text as a tsvector, for full-text search: on PostgreSQL a trigger fills it from
    # `text` on every insert and update (migration 0005), and a GIN index covers it. It
    # stays empty on SQLite, which searches with a plain contains match.
    search_document = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["published", "country", "search_document"]
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="statement_unique_span"
            ),
        ]
        indexes = [
            # The statements page, newest first, and keyset pagination.
            models.Index(fields=["-published", "-id"], name="statement_newest"),
            # The leader filter and the speaker page.
            models.Index(
                fields=["speaker", "-published", "-id"], name="statement_speaker_newest"
            ),
            # The country filter and the country page.
            models.Index(
                fields=["country", "-published", "-id"], name="statement_country_newest"
            ),
            # The kind filter.
            models.Index(
                fields=["kind", "-published", "-id"], name="statement_kind_newest"
            ),
            # The admin's review-status filter.
            models.Index(fields=["review_status"], name="statement_review_status"),
        ]

    def __str__(self):
        who = self.speaker or self.speaker_mention or "Unattributed"
        return f"{who}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("statements:statement", args=[self.pk])

    def context(self, sentences: int = 1) -> tuple[str, str, str]:
        """(before, statement, after): the statement in its article, with `sentences`
        sentences either side of the sentence(s) it stands in. Plain text: escape it."""
        return text_in_context(self.article.text, self.start, self.end, sentences)

    @property
    def is_reviewed(self):
        return self.review_status != self.ReviewStatus.AUTO


# The count tables behind the facets, and the queued imports' batches: declared in
# modules of their own (which import nothing of this one), imported here so that Django
# registers them with the app.
from . import batch_tables, count_tables  # noqa: E402, F401
