from django.urls import path

from . import feeds, views
from .page_cache import cached_page

app_name = "statements"

urlpatterns = [
    path("", views.statement_list, name="list"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("feed/", cached_page(feeds.StatementsFeed()), name="feed"),
    path(
        "speakers/autocomplete/",
        views.speaker_autocomplete,
        name="speaker_autocomplete",
    ),
    path("countries/options/", views.country_options, name="country_options"),
    path("topics/options/", views.topic_options, name="topic_options"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    path(
        "speakers/<slug:slug>/feed/",
        cached_page(feeds.SpeakerFeed()),
        name="speaker_feed",
    ),
    path("countries/<slug:slug>/", views.country_detail, name="country"),
    path(
        "countries/<slug:slug>/feed/",
        cached_page(feeds.CountryFeed()),
        name="country_feed",
    ),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:slug>/feed/", cached_page(feeds.TopicFeed()), name="topic_feed"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
]
