"""A unique key on each count table, on PostgreSQL (NULLS NOT DISTINCT needs 15+):
cache._upsert() adds changes with INSERT ... ON CONFLICT on it. SQLite does without."""

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
    dependencies = [("statements", "0009_alter_counts_n")]

    operations = [migrations.RunPython(create, drop)]
