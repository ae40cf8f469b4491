"""Indexes for the pages, the admin and the quality checks at a million tenures.

Each index is declared, with the query it serves, in its model's Meta.indexes; the one
PostgreSQL-only index (a pg_trgm GIN index on company names, for search) is created here, the
pg_trgm extension having been created by people.0002.
"""

import django.db.models.functions.text
from django.db import migrations, models

TRIGRAM_INDEX = "company_name_upper_trgm"


def add_trigram_index(apps, schema_editor):
    # name__icontains compares UPPER("name"::text): the index is on that very expression.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON governance_company "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0009_sec_roles"),
        ("people", "0003_a_z_and_search_indexes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="company",
            options={"ordering": ["name", "id"], "verbose_name_plural": "companies"},
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["name", "id"], name="company_name"),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Substr("name", 1, 1)
                ),
                models.F("name"),
                models.F("id"),
                name="company_initial",
            ),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                django.db.models.functions.text.Upper("ticker"), name="company_ticker_upper"
            ),
        ),
        migrations.AddIndex(
            model_name="tenure",
            index=models.Index(fields=["start", "id"], name="tenure_start"),
        ),
        migrations.AddIndex(
            model_name="tenure",
            index=models.Index(
                condition=models.Q(
                    ("certain_end__isnull", True),
                    ("has_certain_days", True),
                    ("possible_end__isnull", True),
                ),
                fields=["start", "id"],
                name="tenure_current_start",
            ),
        ),
        migrations.AddIndex(
            model_name="tenure",
            index=models.Index(
                condition=models.Q(
                    ("end__isnull", True),
                    ("end_reason", ""),
                    models.Q(
                        ("certain_end__isnull", True),
                        ("has_certain_days", True),
                        ("possible_end__isnull", True),
                        _negated=True,
                    ),
                ),
                fields=["start", "id"],
                name="tenure_neither_start",
            ),
        ),
        migrations.AddIndex(
            model_name="tenure",
            index=models.Index(fields=["role", "start", "id"], name="tenure_role_start"),
        ),
        migrations.AddIndex(
            model_name="attestation",
            index=models.Index(fields=["day", "id"], name="attestation_day"),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
