"""The browse pages analysts use: statements with filters and facets, and a page for
each speaker, country, topic, article and statement.

Every list reads the same query-string filters (statements.forms) and pages by keyset
(statements.pagination); an htmx request gets the template's #results partial. The
pages are served from the cache while the data's version stays the same
(statements.page_cache).
"""

import calendar
import csv
import json
import re
from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import (
    HttpRequest,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from .attribution import attribution
from .charts import timeline_svg
from .extraction.normalise import normalise_mention
from .facets import summarise
from .forms import KIND_LABELS, FilterForm
from .models import Article, Country, Position, Speaker, Statement, Topic, position_on
from .page_cache import cached_page
from .pagination import (
    NEWEST,
    BadCursor,
    paginate,
    paginate_by_relevance,
    parse_page_number,
)
from .querysets import SEARCH_CONFIG

HTMX_HEADERS = ("HX-Request", "HX-History-Restore-Request")
EXPORT_CHUNK = 2000
# Best match first (PostgreSQL's ts_rank, from StatementQuerySet.search), newest next.
RELEVANCE = (F("search_rank").desc(), *NEWEST)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _partial(request, template_name, partial="results"):
    """The #results partial for an htmx swap; the whole page otherwise (history
    restores ask for the whole page even though they come from htmx)."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template_name}#{partial}"
    return template_name


def _for_listing(queryset, query="", *, article_text=False):
    """Everything a result shows, in a fixed number of queries whatever the page size.
    The articles' full texts and the search documents stay in the database."""
    queryset = queryset.defer("search_document")
    if not article_text:
        queryset = queryset.defer("article__text")
    return (
        queryset.select_related("speaker", "country", "article")
        .prefetch_related(
            _topics_in_order(),
            Prefetch(
                "speaker__positions",
                queryset=Position.objects.select_related("country"),
            ),
        )
        .with_headline(query)
    )


def _topics_in_order():
    """A statement's topics, each major topic followed by its subtopics."""
    return Prefetch(
        "topics",
        queryset=Topic.objects.order_by(
            Coalesce("parent__name", "name"), F("parent").asc(nulls_first=True), "name"
        ),
    )


def _annotate_positions(statements):
    """The position each speaker held on the statement's date, from prefetched positions."""
    for s in statements:
        s.position = (
            position_on(s.speaker.positions.all(), s.published) if s.speaker else None
        )
        s.kind_label = KIND_LABELS.get(s.kind, s.kind)
        s.attribution = attribution(s)
    return statements


# A search with at most this many matches is paged by sorting its matches, found
# through the GIN index, instead of walking the newest statements until a page fills:
# walking reads about (statements / matches) rows per row shown, sorting about one
# row per match, and the two cost the same near sqrt(1,000,000 x 25), about 5,000.
# Only for a search alone: with a leader, country or topic, PostgreSQL walks that
# filter's own index, already dense in matches (at 1M, a common word with the busiest
# leader and topic: 72 ms sorted, 36 ms walked).
FEW_MATCHES = 5_000


def _page(request, queryset, filters, summary, narrowed=False):
    """The page of results; `narrowed`: the base queryset is one subject's (a speaker,
    country or topic page)."""
    listing = _for_listing(queryset, filters.q)
    if filters.by_relevance:
        number = parse_page_number(request.GET.get("page", ""))
        order = RELEVANCE if connection.vendor == "postgresql" else NEWEST
        return paginate_by_relevance(
            listing, settings.STATEMENTS_PER_PAGE, number, order
        )
    return paginate(
        listing,
        settings.STATEMENTS_PER_PAGE,
        before=request.GET.get("before", ""),
        after=request.GET.get("after", ""),
        sort_matches=bool(filters.q)
        and connection.vendor == "postgresql"
        and not (narrowed or filters.speakers or filters.countries or filters.topics)
        and summary.total <= FEW_MATCHES,
        ids_first=bool(filters.q) and connection.vendor == "postgresql",
    )


def _bad_request(request, template_name, ctx, messages):
    ctx = {**ctx, "errors": messages, "page": None, "summary": None}
    return render(request, _partial(request, template_name), ctx, status=400)


def _browse(request, template_name, base_queryset, ctx, fixed=()):
    """Filter, page and summarise `base_queryset` for a list page; 400 on bad input."""
    form = FilterForm(request.GET, fixed=fixed)
    ctx = {**ctx, "form": form, "filters": form.filters, "errors": []}
    if not form.is_valid():
        return _bad_request(request, template_name, ctx, form.messages())
    canonical = _canonical_url(request, form.filters)
    if not request.htmx and _has_empty_values(request):
        # A plain GET form sends its empty fields too; the link to share has none.
        return redirect(canonical)
    filtered = form.filters.apply(base_queryset)
    summary = summarise(filtered)
    try:
        page = _page(request, filtered, form.filters, summary, narrowed=bool(fixed))
    except BadCursor as e:
        return _bad_request(request, template_name, ctx, [str(e)])
    ctx["chosen"] = [c.code.lower() for c in form.filters.countries] + [
        t.slug for t in form.filters.topics
    ]
    _annotate_positions(page.items)
    ctx["page"] = page
    ctx["summary"] = summary
    first = _first_number(request, filtered, page, summary)
    ctx["shown"] = (first, first + len(page.items) - 1) if page.items else None
    if not summary.total and form.filters.active:
        ctx["only_stop_words"] = _only_stop_words(form.filters.q)
        ctx["drop_suggestions"] = _drop_suggestions(base_queryset, form.filters)
    ctx["topic_counts"] = {t.pk: n for t, n in summary.topics}
    ctx["timeline"] = timeline_svg(summary.timeline, form.filters)
    ctx["top_speaker_count"] = summary.speakers[0][1] if summary.speakers else 0
    response = render(request, _partial(request, template_name), ctx)
    if request.htmx and not request.htmx.history_restore_request:
        # Push the clean URL (no empty fields, slugs not names), not the form's.
        response = push_url(response, canonical)
    return response


def _first_number(request, queryset, page, summary):
    """The position of the page's first statement in the whole result, from 1, for
    "126–150 of 1,051". Keyset pages know no offset: the statements before the first
    one are the months after its month (from the summary's timeline, which the counts
    already hold), the undated ones, and the newer rows of its own month (one count)."""
    if not page.items:
        return 0
    if page.older_param == "page":  # relevance: numbered pages
        number = int(request.GET.get("page") or 1)
        return (number - 1) * settings.STATEMENTS_PER_PAGE + 1
    if not (request.GET.get("before") or request.GET.get("after")):
        return 1
    first = page.items[0]
    if first.published is None:
        return queryset.filter(published__isnull=True, id__gt=first.pk).count() + 1
    month = first.published.replace(day=1)
    later_months = sum(n for m, n in summary.timeline if m > month)
    same_month_newer = (
        queryset.filter(published__gte=month, published__lte=_month_end(month))
        .filter(
            Q(published__gt=first.published)
            | Q(published=first.published, id__gt=first.pk)
        )
        .count()
    )
    return summary.undated + later_months + same_month_newer + 1


def _month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _only_stop_words(q):
    """True for a search PostgreSQL's full-text search reads as no words at all ("the",
    "of it"): it matches nothing, and the page says why."""
    if not q or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))",
            [SEARCH_CONFIG, q],
        )
        return cursor.fetchone()[0] == 0


# Filter values an empty result suggests dropping, at most (one count each).
MAX_DROP_SUGGESTIONS = 8


def _drop_suggestions(base_queryset, filters):
    """For an empty result: each filter value, and how many statements there would
    be without it, for "Without France: 12 statements". Counts from the facet counts
    where they can be."""
    values = [p for p in filters.params() if p[0] != "sort"]
    if len(values) < 2:
        return []
    suggestions = []
    for name, value in values[:MAX_DROP_SUGGESTIONS]:
        fewer = _without(filters, name, value)
        total = summarise(fewer.apply(base_queryset)).total
        if total:
            suggestions.append(
                {
                    "label": _filter_label(filters, name, value),
                    "total": total,
                    "query": "?" + urlencode(fewer.params()),
                }
            )
    return sorted(suggestions, key=lambda s: -s["total"])


# The Filters attribute of each repeatable parameter, and how its values are written.
_LISTS = {
    "speaker": ("speakers", lambda s: s.slug),
    "country": ("countries", lambda c: c.code.lower()),
    "topic": ("topics", lambda t: t.slug),
    "kind": ("kinds", lambda k: k),
}


def _without(filters, name, value):
    """A copy of `filters` less one value of one parameter."""
    if name in _LISTS:
        attr, written = _LISTS[name]
        kept = [o for o in getattr(filters, attr) if written(o) != value]
        return replace(filters, **{attr: kept})
    if name == "q":
        return replace(filters, q="", sort="")
    return replace(filters, **{name: None})  # since, until


def _filter_label(filters, name, value):
    if name == "speaker":
        return next(s.name for s in filters.speakers if s.slug == value)
    if name == "country":
        return next(c.name for c in filters.countries if c.code.lower() == value)
    if name == "topic":
        return next(t.name for t in filters.topics if t.slug == value)
    if name == "kind":
        return {"direct": "direct quotes", "reported": "reported speech"}.get(
            value, f"{value} only"
        )
    if name == "q":
        return f"the search “{value}”"
    day = filters.since if name == "since" else filters.until
    return f"{'from' if name == 'since' else 'until'} {day.day} {day:%b %Y}"


def _canonical_url(request, filters):
    """This page's URL with its filters written the one way the links write them."""
    pairs = filters.params()
    for key in ("before", "after", "page"):
        if request.GET.get(key):
            pairs.append((key, request.GET[key]))
    return request.path + ("?" + urlencode(pairs) if pairs else "")


def _has_empty_values(request):
    return any(v.strip() == "" for values in request.GET.lists() for v in values[1])


def _topic_groups():
    """[(major topic, [its subtopics])], by name: the "add a topic" menu."""
    topics = list(Topic.objects.only("pk", "name", "slug", "parent_id"))
    subtopics = {}
    for t in topics:
        if t.parent_id:
            subtopics.setdefault(t.parent_id, []).append(t)
    return [
        (t, sorted(subtopics.get(t.pk, []), key=lambda s: s.name))
        for t in sorted(topics, key=lambda t: t.name)
        if t.parent_id is None
    ]


@cached_page
@vary_on_headers(*HTMX_HEADERS)
def statement_list(request: HtmxHttpRequest):
    ctx = {
        "kind_choices": [
            ("direct", "Direct quotes"),
            ("reported", "Reported speech"),
        ],
        "section": "statements",
    }
    if not request.htmx:
        # The <select>s of the page without JavaScript (inside <noscript>): never in
        # an htmx swap, whose filters are comboboxes that fetch their options.
        ctx["country_options"] = [
            (c.code.lower(), c.name) for c in _countries_with_statements()
        ]
        ctx["topic_options"] = _topic_groups()
    return _browse(request, "statements/list.html", Statement.objects.public(), ctx)


def _countries_with_statements():
    """Countries some public statement is from, by name: an EXISTS per country on the
    statements' (country, published, id) index."""
    public = Statement.objects.public().filter(country=OuterRef("pk"))
    return Country.objects.filter(Exists(public)).order_by("name")


def _matching(items, q, *names):
    """`items` whose names contain `q` (any case): exact matches first, then names
    starting with it, then the rest, each in their order."""
    q = q.casefold()
    if not q:
        return list(items)
    ranked = []
    for i, item in enumerate(items):
        texts = [(getattr(item, n) or "").casefold() for n in names]
        if any(q == t for t in texts):
            rank = 0
        elif any(t.startswith(q) for t in texts):
            rank = 1
        elif any(q in t for t in texts):
            rank = 2
        else:
            continue
        ranked.append((rank, i, item))
    return [item for _, _, item in sorted(ranked, key=lambda r: r[:2])]


def _options_response(request, name, groups, q):
    """The options of a filter's combobox (statements/_options.html)."""
    groups = [(heading, options) for heading, options in groups if options]
    ctx = {"name": name, "groups": groups, "q": q}
    return render(request, "statements/_options.html", ctx)


def _query(request):
    return request.GET.get("q", "").replace("\x00", "").strip()[:100]


@cached_page
def country_options(request):
    """Countries with statements whose name, short name or code matches ?q=."""
    q = _query(request)
    countries = _matching(_countries_with_statements(), q, "name", "short_name", "code")
    options = [(c.code.lower(), c.name, "") for c in countries]
    return _options_response(request, "country", [("", options)], q)


def topic_groups(topics):
    """Topics as [(heading, [topic])] for the topic box: each major topic heads itself
    and its subtopics among `topics` (select_related("parent")), in their order; a
    subtopic comes under its major topic's heading even when that did not match."""
    groups: dict[int, tuple] = {}
    for t in topics:
        major = t.parent if t.parent_id else t
        groups.setdefault(major.pk, (major.name, []))[1].append(t)
    return [
        (heading, sorted(group, key=lambda t: t.parent_id is not None))
        for heading, group in groups.values()
    ]


@cached_page
def topic_options(request):
    """Topics whose name or slug matches ?q=, under their major topics, each with its
    number of public statements (a major topic's takes in its subtopics')."""
    q = _query(request)
    topics = _matching(
        Topic.objects.select_related("parent").order_by("name"), q, "name", "slug"
    )
    counts = {t.pk: n for t, n in summarise(Statement.objects.public()).topics}
    groups = [
        (
            heading,
            [
                (
                    t.slug,
                    f"{t.name}, all"
                    if t.parent_id is None and t.has_subtopics
                    else t.name,
                    f"{counts.get(t.pk, 0):,}",
                )
                for t in group
            ],
        )
        for heading, group in topic_groups(_with_subtopic_flags(topics))
    ]
    return _options_response(request, "topic", groups, q)


def _with_subtopic_flags(topics):
    """The topics, each with `has_subtopics`."""
    parents = set(
        Topic.objects.filter(parent__isnull=False).values_list("parent_id", flat=True)
    )
    for t in topics:
        t.has_subtopics = t.pk in parents
    return topics


@cached_page
@vary_on_headers(*HTMX_HEADERS)
def speaker_detail(request: HtmxHttpRequest, slug):
    speaker = get_object_or_404(
        Speaker.objects.select_related("country", "merged_into"), slug=slug
    )
    if speaker.merged_into_id:
        return redirect(speaker.merged_into)
    ctx = {
        "speaker": speaker,
        "positions": speaker.positions.select_related("country"),
        # the name itself is stored as an alias too (it resolves mentions); not shown
        "aliases": speaker.aliases.exclude(normalised=normalise_mention(speaker.name)),
    }
    base = Statement.objects.public().by_speaker(speaker)
    return _browse(request, "statements/speaker.html", base, ctx, fixed={"speaker"})


@cached_page
@vary_on_headers(*HTMX_HEADERS)
def country_detail(request: HtmxHttpRequest, slug):
    country = get_object_or_404(Country, slug=slug)
    ctx = {"country": country}
    base = Statement.objects.public().in_country(country)
    return _browse(request, "statements/country.html", base, ctx, fixed={"country"})


@cached_page
@vary_on_headers(*HTMX_HEADERS)
def topic_detail(request: HtmxHttpRequest, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    subtopics = list(topic.subtopics.order_by("name"))
    # A major topic's page counts its subtopics among its statements.
    ctx = {"topic": topic, "subtopics": subtopics, "subtopics_of": subtopics and topic}
    base = Statement.objects.public().on_topic(topic)
    return _browse(request, "statements/topic.html", base, ctx, fixed={"topic"})


def _segments(text, statements):
    """The text cut into plain runs and statements, in order; overlaps are skipped."""
    segments, at = [], 0
    for s in sorted(statements, key=lambda s: (s.start, -s.end)):
        if s.start < at or s.end > len(text) or s.start >= s.end:
            continue
        if s.start > at:
            segments.append((text[at : s.start], None))
        segments.append((text[s.start : s.end], s))
        at = s.end
    if at < len(text):
        segments.append((text[at:], None))
    return segments


@cached_page
def article_detail(request, pk):
    article = get_object_or_404(Article, pk=pk)
    statements = _annotate_positions(
        list(
            article.statements.public()
            .select_related("speaker", "country")
            .prefetch_related(_topics_in_order(), "speaker__positions")
            .order_by("start")
        )
    )
    ctx = {
        "article": article,
        "statements": statements,
        # Blank lines between paragraphs: the text is shown with white-space: pre-line.
        "segments": [
            (text if s else text.replace("\n", "\n\n"), s)
            for text, s in _segments(article.text, statements)
        ],
    }
    return render(request, "statements/article.html", ctx)


def _context(text, start, end):
    """The paragraph holding [start, end) and one paragraph either side, as
    (before, statement, after) strings."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end == -1 else para_end
    # One more paragraph each way.
    if para_start > 0:
        para_start = text.rfind("\n", 0, para_start - 1) + 1
    if para_end < len(text):
        nxt = text.find("\n", para_end + 1)
        para_end = len(text) if nxt == -1 else nxt
    return (
        text[para_start:start].lstrip("\n"),
        text[start:end],
        text[end:para_end].rstrip("\n"),
    )


@cached_page
def statement_detail(request, pk):
    queryset = _for_listing(Statement.objects.all(), article_text=True)
    if not request.user.is_staff:
        queryset = queryset.public()
    statement = get_object_or_404(queryset, pk=pk)
    _annotate_positions([statement])
    text = statement.article.text
    before, quoted, after = _context(text, statement.start, statement.end)
    ctx = {
        "statement": statement,
        "before": before,
        "quoted": quoted,
        "after": after,
        "in_article_text": text[statement.start : statement.end] == statement.text,
    }
    return render(request, "statements/statement.html", ctx)


SPEAKERS_PER_PAGE = 10


def _speaker_entry(s, statements=None):
    """What a suggestion shows: kind, country, current office, statement count (the
    speaker's annotated count unless `statements` says how many)."""
    office = s.current_position
    return {
        "slug": s.slug,
        "name": s.name,
        "kind": s.kind,
        "country": s.country.code if s.country else None,
        "country_name": s.country.name if s.country else None,
        "office": office.office if office else None,
        "statements": s.n_statements if statements is None else statements,
        "url": s.get_absolute_url(),
    }


@cached_page
def speaker_autocomplete(request: HtmxHttpRequest):
    """People and organisations (not groups) any word of whose name or aliases starts
    with each word of ?q=, the most quoted first, ten a page (?page=)."""
    q = _query(request)
    try:
        number = parse_page_number(request.GET.get("page", ""))
    except BadCursor as e:
        return HttpResponseBadRequest(str(e), content_type="text/plain; charset=utf-8")
    speakers, more = [], False
    if q:
        start = (number - 1) * SPEAKERS_PER_PAGE
        rows = list(
            Speaker.objects.leaders()
            .matching(q)
            .by_statement_count()
            .select_related("country")
            .prefetch_related("positions")[start : start + SPEAKERS_PER_PAGE + 1]
        )
        speakers, more = rows[:SPEAKERS_PER_PAGE], len(rows) > SPEAKERS_PER_PAGE
    entries = [_speaker_entry(s) for s in speakers]
    link = lambda n: "?" + urlencode({"q": q, "page": n})  # noqa: E731
    next_url = link(number + 1) if more else None
    previous_url = link(number - 1) if number > 1 else None
    if request.GET.get("format") == "json":
        return JsonResponse({"results": entries, "page": number, "next": next_url})
    if request.htmx:
        return _options_response(request, "speaker", _speaker_groups(q, entries), q)
    ctx = {
        "q": q,
        "speakers": entries,
        "section": "speakers",
        "page_number": number,
        "next_url": next_url,
        "previous_url": previous_url,
    }
    if not q:
        # The page without JavaScript, before a search: the most quoted.
        summary = summarise(Statement.objects.public())
        ctx["most_quoted"] = _ranked_entries(summary.speakers)
        ctx["most_quoted_organisations"] = _ranked_entries(summary.organisations)
    return render(request, "statements/autocomplete.html", ctx)


def _ranked_entries(counted):
    """(speaker, count) pairs of a summary as entries, their offices in one query."""
    prefetch_related_objects([s for s, _ in counted], "positions")
    return [_speaker_entry(s, n) for s, n in counted]


def _entry_detail(kind, country, office, n):
    """ "Person · United States · President · 948 statements"."""
    parts = [kind.capitalize(), country, office, f"{n:,} statement{'s' * (n != 1)}"]
    return " · ".join(p for p in parts if p)


def _speaker_groups(q, entries):
    """The Leader combobox's options: the matches, or before typing the most quoted
    people and organisations, under their own headings."""
    if q:
        return [
            (
                "",
                [
                    (
                        e["slug"],
                        e["name"],
                        _entry_detail(
                            e["kind"], e["country_name"], e["office"], e["statements"]
                        ),
                    )
                    for e in entries
                ],
            )
        ]
    summary = summarise(Statement.objects.public())
    return [
        (
            heading,
            [
                (
                    s.slug,
                    s.name,
                    _entry_detail(s.kind, s.country.name if s.country else "", "", n),
                )
                for s, n in rows
            ],
        )
        for heading, rows in (
            ("People", summary.speakers),
            ("Organisations", summary.organisations),
        )
    ]


# Exports: the current filter, streamed, newest first.

EXPORT_FIELDS = [
    "id",
    "date",
    "speaker",
    "speaker_slug",
    "position",
    "country",
    "kind",
    "cue",
    "text",
    "topics",
    "outlet",
    "article_id",
    "article_title",
    "article_url",
    "start",
    "end",
    "permalink",
    "review_status",
    "attribution",
    "confidence",
]


def _export_rows(request, queryset, limit=None):
    base = request.build_absolute_uri("/").rstrip("/")
    queryset = (
        queryset.select_related("speaker", "country", "article")
        .defer("article__text", "search_document")
        .prefetch_related("topics", "speaker__positions")
        .order_by(*NEWEST)
    )
    if limit:
        queryset = queryset[:limit]
    rows = queryset.iterator(chunk_size=EXPORT_CHUNK)
    for s in rows:
        position = (
            position_on(s.speaker.positions.all(), s.published) if s.speaker else None
        )
        yield {
            "id": s.pk,
            "date": s.published.isoformat() if s.published else None,
            "speaker": s.speaker.name if s.speaker else s.speaker_mention,
            "speaker_slug": s.speaker.slug if s.speaker else None,
            "position": position.office if position else None,
            "country": s.country.code if s.country else None,
            "kind": s.kind,
            "cue": s.cue,
            "text": s.text,
            "topics": [t.slug for t in s.topics.all()],
            "outlet": s.article.outlet,
            "article_id": s.article_id,
            "article_title": s.article.title,
            "article_url": s.article.url,
            # article.text[start:end] == text: where the statement stands in its article
            "start": s.start,
            "end": s.end,
            "permalink": base + s.get_absolute_url(),
            "review_status": s.review_status,
            "attribution": attribution(s).summary,
            "confidence": round(s.confidence, 2),
        }


def _export_queryset(request):
    """The filtered statements and the `limit` (the newest N only), or a 400."""
    form = FilterForm(request.GET)
    messages = [] if form.is_valid() else form.messages()
    limit = request.GET.get("limit", "").strip()
    if limit:
        # ASCII digits only: str.isdigit() takes "²", which int() then refuses.
        if not re.fullmatch(r"[0-9]{1,10}", limit) or not 0 < int(limit) < 2**31:
            messages.append(f"“limit” must be a positive whole number, not “{limit}”.")
        else:
            limit = int(limit)
    if messages:
        return (
            None,
            None,
            HttpResponseBadRequest(
                "\n".join(messages), content_type="text/plain; charset=utf-8"
            ),
        )
    return form.filters.apply(Statement.objects.public()), limit or None, None


class _Echo:
    def write(self, value):
        return value


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading
    apostrophe, as OWASP recommends. Numbers and None are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(request):
    queryset, limit, error = _export_queryset(request)
    if error:
        return error
    # Every cell quoted, so a spreadsheet that splits on ";" cannot start a cell
    # half-way through one.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)

    def lines():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(EXPORT_FIELDS)
        for row in _export_rows(request, queryset, limit):
            row["topics"] = ";".join(row["topics"])
            yield writer.writerow(
                [
                    "" if row[f] is None else spreadsheet_safe(row[f])
                    for f in EXPORT_FIELDS
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statements.csv"'
    return response


def export_json(request):
    queryset, limit, error = _export_queryset(request)
    if error:
        return error

    def chunks():
        yield "["
        first = True
        for row in _export_rows(request, queryset, limit):
            yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "\n]\n"

    response = StreamingHttpResponse(
        chunks(), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="statements.json"'
    return response
