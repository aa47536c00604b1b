"""A unique key on each facet-count table, on PostgreSQL only: counting._upsert() adds
changes with INSERT ... ON CONFLICT on it. NULLS NOT DISTINCT needs PostgreSQL 15+, and
would fail in a model's Meta on SQLite, which does without.

The tables and their key columns are written out here, not read from the app's code, so
this migration stays what it was whatever that code becomes.
"""

from django.db import migrations

KEYS = [
    ("statements_countkm", "kind, month"),
    ("statements_countck", "country_id, kind"),
    ("statements_countsck", "speaker_id, country_id, kind"),
    ("statements_countckm", "country_id, kind, month"),
    ("statements_countsckm", "speaker_id, country_id, kind, month"),
    ("statements_topiccounttk", "topic_id, kind"),
    ("statements_topiccounttck", "topic_id, country_id, kind"),
    ("statements_topiccounttkm", "topic_id, kind, month"),
    ("statements_topiccounttsck", "topic_id, speaker_id, country_id, kind"),
    ("statements_topiccounttckm", "topic_id, country_id, kind, month"),
    ("statements_topiccounttsckm", "topic_id, speaker_id, country_id, kind, month"),
    ("statements_paircountk", "topic_id, other_id, kind"),
    ("statements_paircountck", "topic_id, other_id, country_id, kind"),
    ("statements_paircountkm", "topic_id, other_id, kind, month"),
    ("statements_paircountsck", "topic_id, other_id, speaker_id, country_id, kind"),
    (
        "statements_paircountsckm",
        "topic_id, other_id, speaker_id, country_id, kind, month",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in KEYS:
        schema_editor.execute(
            f'CREATE UNIQUE INDEX IF NOT EXISTS "{table}_key" ON {table} '
            f"({columns}) NULLS NOT DISTINCT"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _ in KEYS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_key"')


class Migration(migrations.Migration):
    dependencies = [("statements", "0003_facet_counts")]

    operations = [migrations.RunPython(create, drop)]
