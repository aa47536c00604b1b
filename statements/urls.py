from django.urls import path

from . import views

app_name = "statements"

urlpatterns = [
    path("", views.statement_list, name="list"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("countries/<slug:slug>/", views.country_detail, name="country"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
]
