"""A fixed, named cast for the browse-page tests.

Keir Starmer (GB) and Emmanuel Macron (FR) speak in two articles; Olaf Scholz (DE)
once, reported. Topics: defence, ukraine, trade.
"""

import datetime
from types import SimpleNamespace

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from statements.models import Article, Country, Position, Speaker, Statement, Topic

PARIS = (
    "Keir Starmer has called for a US backstop.\n"
    "“Europe must step up and send troops,” Starmer said after the summit.\n"
    "Macron said that Europe would spend more on defence.\n"
    "Olaf Scholz warned that the debate about peacekeepers was premature.\n"
)
TRADE = (
    "Trade talks resumed on Monday.\n"
    "“Tariffs hurt everyone,” said Emmanuel Macron.\n"
    "Starmer told reporters that a trade deal was close.\n"
)


def _span(text, piece):
    start = text.index(piece)
    return start, start + len(piece)


def make_cast():
    gb, fr, de = (Country.objects.get(code=c) for c in ("GB", "FR", "DE"))
    starmer = Speaker.objects.create(name="Keir Starmer", country=gb)
    macron = Speaker.objects.create(name="Emmanuel Macron", country=fr)
    scholz = Speaker.objects.create(name="Olaf Scholz", country=de)
    Position.objects.create(
        speaker=starmer,
        title="Leader of the Opposition",
        country=gb,
        start_date=datetime.date(2020, 4, 4),
        end_date=datetime.date(2024, 7, 5),
    )
    Position.objects.create(
        speaker=starmer,
        title="Prime Minister",
        country=gb,
        start_date=datetime.date(2024, 7, 5),
    )
    Position.objects.create(speaker=macron, title="President", country=fr)
    Position.objects.create(
        speaker=scholz,
        title="Chancellor",
        country=de,
        start_date=datetime.date(2021, 12, 8),
    )
    defence = Topic.objects.create(name="Defence", slug="defence")
    ukraine = Topic.objects.create(name="Ukraine", slug="ukraine")
    trade = Topic.objects.create(name="Trade", slug="trade")

    paris = Article.objects.create(
        title="Starmer calls for US backstop",
        url="https://news.example/paris",
        outlet="The Example",
        published=datetime.date(2025, 2, 17),
        text=PARIS,
        content_hash="paris",
    )
    talks = Article.objects.create(
        title="Trade talks resume",
        url="https://news.example/trade",
        outlet="Daily Example",
        published=datetime.date(2025, 3, 3),
        text=TRADE,
        content_hash="trade",
    )

    def say(article, speaker, piece, kind, cue, topics):
        start, end = _span(article.text, piece)
        s = Statement.objects.create(
            article=article,
            speaker=speaker,
            speaker_mention=speaker.name if speaker else "",
            kind=kind,
            cue=cue,
            text=piece,
            start=start,
            end=end,
        )
        s.topics.set(topics)
        return s

    troops = say(
        paris,
        starmer,
        "Europe must step up and send troops",
        "direct",
        "said",
        [defence, ukraine],
    )
    spend = say(
        paris,
        macron,
        "Europe would spend more on defence",
        "indirect",
        "said",
        [defence],
    )
    premature = say(
        paris,
        scholz,
        "the debate about peacekeepers was premature",
        "indirect",
        "warned",
        [ukraine],
    )
    tariffs = say(talks, macron, "Tariffs hurt everyone", "direct", "said", [trade])
    deal = say(
        talks,
        starmer,
        "a trade deal was close",
        "indirect",
        "told",
        [trade],
    )
    return SimpleNamespace(**locals())


def texts(response):
    return [s.text for s in response.context["page"]]


def count_queries(client, url, size):
    """Queries for one request, with nothing cached (facets.summarise caches counts)."""
    cache.clear()
    with (
        override_settings(STATEMENTS_PER_PAGE=size),
        CaptureQueriesContext(connection) as ctx,
    ):
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
