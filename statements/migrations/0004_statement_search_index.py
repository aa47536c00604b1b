"""The full-text GIN index, on PostgreSQL only (SQLite searches with a plain contains).

It is built on exactly the expression StatementQuerySet.search() matches against,
querysets.statement_search_vector(), so the planner can use it. It is not in the
model's Meta because a GinIndex there would fail on SQLite.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

NAME = "statement_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from statements.querysets import statement_search_vector

    Statement = apps.get_model("statements", "Statement")
    index = GinIndex(statement_search_vector(), name=NAME)
    schema_editor.execute(index.create_sql(Statement, schema_editor))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("statements", "0003_facet_counts")]

    operations = [migrations.RunPython(create, drop)]
