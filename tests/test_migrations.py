"""Data migrations, run on rows as an older database holds them."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from statements import corrections
from statements.models import Country, Speaker

pytestmark = pytest.mark.django_db


def test_existing_countries_are_an_editors_where_a_person_set_them_else_an_articles():
    migration = importlib.import_module(
        "statements.migrations.0009_speaker_country_basis"
    )
    fr = Country.objects.get(code="FR")
    known = corrections.add_speaker("Jane Roe", country=fr, source="a register")
    edited = corrections.add_speaker("Mara Quist", country=fr)
    corrections.save_speaker(edited, User.objects.create(username="alice"), "edited")
    imported = corrections.add_speaker("Tobias Wendel", country=fr)
    without = corrections.add_speaker("Eric Roe")
    Speaker.objects.update(country_basis="")  # as before the field existed
    migration.existing_bases(apps, None)
    bases = dict(Speaker.objects.values_list("name", "country_basis"))
    assert bases == {
        known.name: "editor",
        edited.name: "editor",
        imported.name: "article",
        without.name: "",
    }
