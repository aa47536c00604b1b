"""Atom feeds of the newest statements for any filter of the browse pages.

    /feed/?country=gb&q=troops          any filter of the statements page
    /speakers/<slug>/feed/?q=tariffs    a speaker's (topic's, country's) statements,
                                        with the same filters as their page

Entries are plain text (`type="text"`), so a quote holding markup is shown as
written and never run by a reader. Characters XML 1.0 cannot carry (control
characters found in real articles) are dropped, so no stored text can break a feed.
"""

import datetime
import re
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from .forms import KIND_LABELS, FilterForm
from .models import Country, Speaker, Statement, Topic
from .pagination import NEWEST
from .templatetags.statements_tags import describe

FEED_ITEMS = 50

# What XML 1.0 cannot carry: C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    """`text` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text) if isinstance(text, str) else text


class _XmlSafeGenerator(SimplerXMLGenerator):
    """Drops what XML 1.0 cannot carry from every text and attribute, instead of
    failing the whole feed on one character."""

    def characters(self, content):
        super().characters(xml_safe(content))

    def startElement(self, name, attrs):
        super().startElement(name, {k: xml_safe(v) for k, v in (attrs or {}).items()})


class PlainTextAtomFeed(Atom1Feed):
    """Atom with plain-text summaries (Django's Atom1Feed declares them HTML, so a
    reader would run a quote's `<svg onload=…>`) and no character that breaks XML."""

    def write(self, outfile, encoding):
        handler = _XmlSafeGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class BadFilter(Exception):
    def __init__(self, messages):
        super().__init__("\n".join(messages))


class StatementsFeed(Feed):
    """The newest public statements matching the query-string filters, on top of what
    the URL fixes (`fixed` names the parameters a subject page sets itself)."""

    feed_type = PlainTextAtomFeed
    fixed = ()

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except BadFilter as e:
            return HttpResponseBadRequest(
                str(e), content_type="text/plain; charset=utf-8"
            )

    def get_object(self, request, *args, **kwargs):
        subject = self.subject(**kwargs)
        form = FilterForm(request.GET, fixed=self.fixed)
        if not form.is_valid():
            raise BadFilter(form.messages())
        subject.filters = form.filters
        return subject

    # What the URL fixes: overridden by the subject feeds below.
    def subject(self):
        return FeedSubject()

    def items(self, subject):
        return (
            subject.filters.apply(subject.statements)
            .select_related("speaker", "article")
            .defer("article__text", "search_document")
            .order_by(*NEWEST)[:FEED_ITEMS]
        )

    def title(self, subject):
        about = ", ".join(p for p in (subject.name, describe(subject.filters)) if p)
        return f"Who Said What: {about or 'all statements'}"

    def subtitle(self, subject):
        return "The newest statements" + (
            f" {subject.scope}." if subject.scope else "."
        )

    def link(self, subject):
        pairs = subject.filters.params()
        return subject.url + ("?" + urlencode(pairs) if pairs else "")

    def item_title(self, item):
        who = _who(item)
        text = item.text if len(item.text) <= 90 else item.text[:89].rstrip() + "…"
        return f"{who}: {_quoted(item, text)}"

    def item_description(self, item):
        """The statement in full, quoted as on the pages, then who, the kind and the source."""
        kind = KIND_LABELS.get(item.kind, item.kind)
        source = ": ".join(p for p in (item.article.outlet, item.article.title) if p)
        when = f"{item.published.day} {item.published:%B %Y}" if item.published else ""
        details = ", ".join(p for p in (kind, source, when) if p)
        return f"{_quoted(item, item.text)}\n\n— {_who(item)} ({details})"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        if item.published:
            return datetime.datetime.combine(
                item.published, datetime.time(), tzinfo=datetime.UTC
            )
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return _who(item)


def _who(item):
    return item.speaker.name if item.speaker else item.speaker_mention or "Unattributed"


def _quoted(item, text):
    """Direct quotes between quotation marks, opening and closing, as on the pages."""
    return f"“{text}”" if item.kind == Statement.Kind.DIRECT else text


class FeedSubject:
    """What a feed is about before its filters: everything, or a speaker, topic or country."""

    def __init__(self, name="", scope="", url=None, statements=None):
        self.name = name
        self.scope = scope
        self.url = url or reverse("statements:list")
        self.statements = (
            statements if statements is not None else Statement.objects.public()
        )
        self.filters = None


class SpeakerFeed(StatementsFeed):
    fixed = ("speaker",)

    def subject(self, slug):
        speaker = get_object_or_404(Speaker, slug=slug)
        return FeedSubject(
            speaker.name,
            f"by {speaker.name}",
            speaker.get_absolute_url(),
            Statement.objects.public().by_speaker(speaker),
        )


class TopicFeed(StatementsFeed):
    fixed = ("topic",)

    def subject(self, slug):
        topic = get_object_or_404(Topic, slug=slug)
        return FeedSubject(
            topic.name,
            f"on {topic.name}",
            topic.get_absolute_url(),
            Statement.objects.public().on_topic(topic),
        )


class CountryFeed(StatementsFeed):
    fixed = ("country",)

    def subject(self, slug):
        country = get_object_or_404(Country, slug=slug)
        return FeedSubject(
            country.name,
            f"from {country.name}",
            country.get_absolute_url(),
            Statement.objects.public().in_country(country),
        )
