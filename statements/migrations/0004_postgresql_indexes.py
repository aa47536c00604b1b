"""A unique key on each facet-count table, on PostgreSQL only: cache._upsert() adds
changes with INSERT ... ON CONFLICT on it. NULLS NOT DISTINCT needs PostgreSQL 15+, and
would fail in a model's Meta on SQLite, which does without.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from statements.cache import GRAINS, unique_key_sql

    for grain in GRAINS:
        schema_editor.execute(unique_key_sql(grain))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from statements.cache import GRAINS

    for grain in GRAINS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{grain.table}_key"')


class Migration(migrations.Migration):
    dependencies = [("statements", "0003_facet_counts")]

    operations = [migrations.RunPython(create, drop)]
