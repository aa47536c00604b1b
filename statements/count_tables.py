"""The pre-aggregated statement counts behind the browse facets: plain model declarations.

The public (not rejected) statements are counted at several grains, each a small table of
(dimensions..., n). Three families:

- statement grains count statements, by some of speaker, country, kind and month;
- topic grains count statements on a topic, by topic and some of the others;
- pair grains count, for a topic, the statements on it that are also on another topic
  (the topic facet of a topic filter), by topic, other topic and some of the others.

This module only declares the tables (it imports nothing of the app, so models.py can
import it). The SQL that fills and updates them is statements/counting.py; the functions
that write statements (statements/corrections.py) call it.
"""

from django.db import models

STATEMENT, TOPIC, PAIR = "statement", "topic", "pair"


def _topic():
    return models.ForeignKey(
        "statements.Topic", on_delete=models.CASCADE, related_name="+"
    )


def _speaker():
    # Not CASCADE: deleting a speaker leaves their statements unattributed, and
    # corrections.delete_speakers() moves their counts to "no speaker" first.
    return models.ForeignKey(
        "statements.Speaker", null=True, on_delete=models.DO_NOTHING, related_name="+"
    )


def _country():
    return models.ForeignKey(
        "statements.Country", null=True, on_delete=models.CASCADE, related_name="+"
    )


def _kind():
    return models.CharField(max_length=10)


def _month():
    return models.DateField(null=True)


class CountTable(models.Model):
    """One row per combination of the grain's dimensions, with its count `n`.

    `n` is not a PositiveIntegerField: PostgreSQL checks a CHECK before ON CONFLICT, and
    counting._upsert() proposes negative changes."""

    family: str
    dims: tuple[str, ...]
    n = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.__class__.__name__} {self.pk}: {self.n}"


# The indexes serve counting and facets.summarise(): the topic filter (with the speaker
# or country where the grain has one), the speaker filter (with the month: a recount
# reads and rewrites only the (speaker, month) slices it changed), the country filter.


class CountKM(CountTable):
    """Public statements by kind and month: the unfiltered page's timeline."""

    family, dims = STATEMENT, ("kind", "month")
    kind = _kind()
    month = _month()


class CountCK(CountTable):
    """Public statements by country and kind."""

    family, dims = STATEMENT, ("country", "kind")
    country = _country()
    kind = _kind()

    class Meta:
        indexes = [models.Index(fields=["country"], name="countck_country")]


class CountSCK(CountTable):
    """Public statements by speaker, country and kind."""

    family, dims = STATEMENT, ("speaker", "country", "kind")
    speaker = _speaker()
    country = _country()
    kind = _kind()

    class Meta:
        indexes = [
            models.Index(fields=["speaker"], name="countsck_speaker"),
            models.Index(fields=["country"], name="countsck_country"),
        ]


class CountCKM(CountTable):
    """Public statements by country, kind and month."""

    family, dims = STATEMENT, ("country", "kind", "month")
    country = _country()
    kind = _kind()
    month = _month()

    class Meta:
        indexes = [models.Index(fields=["country"], name="countckm_country")]


class CountSCKM(CountTable):
    """Public statements by speaker, country, kind and month: the statement family's
    finest grain, which the coarser ones are summed from."""

    family, dims = STATEMENT, ("speaker", "country", "kind", "month")
    speaker = _speaker()
    country = _country()
    kind = _kind()
    month = _month()

    class Meta:
        indexes = [
            models.Index(fields=["speaker", "month"], name="countsckm_speaker"),
            models.Index(fields=["country"], name="countsckm_country"),
        ]


class TopicCountTK(CountTable):
    """Public statements on a topic, by kind."""

    family, dims = TOPIC, ("topic", "kind")
    topic = _topic()
    kind = _kind()

    class Meta:
        indexes = [models.Index(fields=["topic"], name="topiccounttk_topic")]


class TopicCountTCK(CountTable):
    """Public statements on a topic, by country and kind."""

    family, dims = TOPIC, ("topic", "country", "kind")
    topic = _topic()
    country = _country()
    kind = _kind()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "country"], name="topiccounttck_topic"),
            models.Index(fields=["country"], name="topiccounttck_country"),
        ]


class TopicCountTKM(CountTable):
    """Public statements on a topic, by kind and month."""

    family, dims = TOPIC, ("topic", "kind", "month")
    topic = _topic()
    kind = _kind()
    month = _month()

    class Meta:
        indexes = [models.Index(fields=["topic"], name="topiccounttkm_topic")]


class TopicCountTSCK(CountTable):
    """Public statements on a topic, by speaker, country and kind."""

    family, dims = TOPIC, ("topic", "speaker", "country", "kind")
    topic = _topic()
    speaker = _speaker()
    country = _country()
    kind = _kind()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "speaker"], name="topiccounttsck_topic"),
            models.Index(fields=["speaker"], name="topiccounttsck_speaker"),
            models.Index(fields=["country"], name="topiccounttsck_country"),
        ]


class TopicCountTCKM(CountTable):
    """Public statements on a topic, by country, kind and month."""

    family, dims = TOPIC, ("topic", "country", "kind", "month")
    topic = _topic()
    country = _country()
    kind = _kind()
    month = _month()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "country"], name="topiccounttckm_topic"),
            models.Index(fields=["country"], name="topiccounttckm_country"),
        ]


class TopicCountTSCKM(CountTable):
    """Public statements on a topic, by speaker, country, kind and month: the topic
    family's finest grain."""

    family, dims = TOPIC, ("topic", "speaker", "country", "kind", "month")
    topic = _topic()
    speaker = _speaker()
    country = _country()
    kind = _kind()
    month = _month()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "speaker"], name="topiccounttsckm_topic"),
            models.Index(fields=["speaker", "month"], name="topiccounttsckm_speaker"),
            models.Index(fields=["country"], name="topiccounttsckm_country"),
        ]


class PairCountK(CountTable):
    """Public statements on a topic and on another topic, by kind."""

    family, dims = PAIR, ("topic", "other", "kind")
    topic = _topic()
    other = _topic()
    kind = _kind()

    class Meta:
        indexes = [models.Index(fields=["topic"], name="paircountk_topic")]


class PairCountCK(CountTable):
    """Public statements on a topic and on another topic, by country and kind."""

    family, dims = PAIR, ("topic", "other", "country", "kind")
    topic = _topic()
    other = _topic()
    country = _country()
    kind = _kind()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "country"], name="paircountck_topic"),
            models.Index(fields=["country"], name="paircountck_country"),
        ]


class PairCountKM(CountTable):
    """Public statements on a topic and on another topic, by kind and month."""

    family, dims = PAIR, ("topic", "other", "kind", "month")
    topic = _topic()
    other = _topic()
    kind = _kind()
    month = _month()

    class Meta:
        indexes = [models.Index(fields=["topic"], name="paircountkm_topic")]


class PairCountSCK(CountTable):
    """Public statements on a topic and on another topic, by speaker, country and kind."""

    family, dims = PAIR, ("topic", "other", "speaker", "country", "kind")
    topic = _topic()
    other = _topic()
    speaker = _speaker()
    country = _country()
    kind = _kind()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "speaker"], name="paircountsck_topic"),
            models.Index(fields=["speaker"], name="paircountsck_speaker"),
            models.Index(fields=["country"], name="paircountsck_country"),
        ]


class PairCountSCKM(CountTable):
    """Public statements on a topic and on another topic, by speaker, country, kind and
    month: the pair family's finest grain."""

    family, dims = PAIR, ("topic", "other", "speaker", "country", "kind", "month")
    topic = _topic()
    other = _topic()
    speaker = _speaker()
    country = _country()
    kind = _kind()
    month = _month()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "speaker"], name="paircountsckm_topic"),
            models.Index(fields=["speaker", "month"], name="paircountsckm_speaker"),
            models.Index(fields=["country"], name="paircountsckm_country"),
        ]


# Smallest first within each family: facets.summarise() takes the first grain that has
# every dimension it filters or groups on. The last of each family is its finest grain.
GRAINS = (
    CountKM,
    CountCK,
    CountSCK,
    CountCKM,
    CountSCKM,
    TopicCountTK,
    TopicCountTCK,
    TopicCountTKM,
    TopicCountTSCK,
    TopicCountTCKM,
    TopicCountTSCKM,
    PairCountK,
    PairCountCK,
    PairCountKM,
    PairCountSCK,
    PairCountSCKM,
)
FINEST = {STATEMENT: CountSCKM, TOPIC: TopicCountTSCKM, PAIR: PairCountSCKM}


class DataVersion(models.Model):
    """A token that changes whenever the statements or their counts change (every write
    of statements/corrections.py bumps it, in the same transaction). Cached facet counts
    are keyed on it, so no process ever serves counts from before a correction; cached
    pages are keyed on it too, and send `changed_at` as their Last-Modified."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(null=True)

    def __str__(self):
        return self.token
