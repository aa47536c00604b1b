"""Atom feeds of the newest statements by a speaker and on a topic."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from .forms import KIND_LABELS
from .models import Speaker, Statement, Topic

FEED_ITEMS = 50


class _StatementFeed(Feed):
    feed_type = Atom1Feed

    def items(self, obj):
        return (
            self.statements(obj)
            .public()
            .select_related("speaker", "article")
            .order_by("-published", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item):
        who = item.speaker.name if item.speaker else item.speaker_mention or "Unknown"
        text = item.text if len(item.text) <= 90 else item.text[:89].rstrip() + "…"
        if item.kind == Statement.Kind.DIRECT:
            text = f"“{text}”"
        return f"{who}: {text}"

    def item_description(self, item):
        kind = KIND_LABELS.get(item.kind, item.kind)
        source = item.article.outlet or item.article.title
        return f"{item.text}\n\n({kind}{', ' + source if source else ''})"

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
        return item.speaker.name if item.speaker else item.speaker_mention or None


class SpeakerFeed(_StatementFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Speaker, slug=slug)

    def statements(self, speaker):
        return Statement.objects.by_speaker(speaker)

    def title(self, speaker):
        return f"Who Said What: {speaker.name}"

    def subtitle(self, speaker):
        return f"The newest statements by {speaker.name}."

    def link(self, speaker):
        return speaker.get_absolute_url()


class TopicFeed(_StatementFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def statements(self, topic):
        return Statement.objects.on_topic(topic)

    def title(self, topic):
        return f"Who Said What: {topic.name}"

    def subtitle(self, topic):
        return f"The newest statements on {topic.name}."

    def link(self, topic):
        return topic.get_absolute_url()
