"""Indexes for the A–Z index of people, for search and for the duplicate persons check.

The A–Z order and initials are plain indexes, on every backend. Search matches word starts
anywhere in a name (LIKE '% word%'), which a btree cannot serve: on PostgreSQL, pg_trgm GIN
indexes on the search keys of names and other names do; other backends keep scanning.
"""

import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "person_search_key_trgm": "people_person",
    "other_name_search_key_trgm": "people_othername",
}


class PostgresOnlyTrigramExtension(TrigramExtension):
    """TrigramExtension, whose reversal would ask SQLite for pg_extension: nothing to undo there."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_key gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_cik"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="person",
            options={"ordering": ["sort_name", "name", "id"], "verbose_name_plural": "people"},
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["sort_name", "name", "id"], name="person_sort"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Substr("sort_name", 1, 1)
                ),
                models.F("sort_name"),
                models.F("name"),
                models.F("id"),
                name="person_initial",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["search_key", "id"], name="person_search_key_id"),
        ),
        migrations.AddIndex(
            model_name="othername",
            index=models.Index(
                fields=["search_key", "person"], name="other_name_search_key_person"
            ),
        ),
        # Only on PostgreSQL (the operation does nothing elsewhere).
        PostgresOnlyTrigramExtension(),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
