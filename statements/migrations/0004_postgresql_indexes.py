"""Indexes that only PostgreSQL can build, so they are not in any model's Meta
(a GinIndex or NULLS NOT DISTINCT there would fail on SQLite):

- the full-text GIN index, on exactly the expression StatementQuerySet.search()
  matches against (querysets.statement_search_vector()), so the planner uses it;
- a unique key on each facet-count table: cache._upsert() adds changes with
  INSERT ... ON CONFLICT on it (NULLS NOT DISTINCT needs PostgreSQL 15+).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

SEARCH_INDEX = "statement_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from statements.cache import GRAINS, unique_key_sql
    from statements.querysets import statement_search_vector

    Statement = apps.get_model("statements", "Statement")
    index = GinIndex(statement_search_vector(), name=SEARCH_INDEX)
    schema_editor.execute(index.create_sql(Statement, schema_editor))
    for grain in GRAINS:
        schema_editor.execute(unique_key_sql(grain))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from statements.cache import GRAINS

    schema_editor.execute(f'DROP INDEX IF EXISTS "{SEARCH_INDEX}"')
    for grain in GRAINS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{grain.table}_key"')


class Migration(migrations.Migration):
    dependencies = [("statements", "0003_facet_counts")]

    operations = [migrations.RunPython(create, drop)]
