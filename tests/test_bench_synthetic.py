"""benchmarks/synthetic.py, which make bench-browse fills a million statements with,
still fits the models: a small fill loads, and its counts equal a full recount."""

import os

import pytest
from django.db import connection

from benchmarks import synthetic
from statements import counting
from statements.facets import summarise
from statements.models import Speaker, Statement, Topic

pytestmark = pytest.mark.skipif(
    os.getenv("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="the synthetic data is loaded with PostgreSQL's COPY",
)


def test_a_small_synthetic_fill_loads_into_the_current_models(transactional_db):
    connection.ensure_connection()
    synthetic.fill(connection.connection, 2_000, log=lambda message: None)
    counting.rebuild()

    assert Statement.objects.count() == 2_000
    assert Topic.objects.filter(parent__isnull=True).count() == 21
    assert all(s.given_name and s.surname for s in Speaker.objects.all()[:10])
    public = Statement.objects.public()
    assert summarise(public).total == public.count()
