"""Two tenures of a single-seat role at one company may not share two or more certain days.

PostgreSQL only: an exclusion constraint over the certain interval, half-open ('[)') so that
sharing exactly one day (a hand-over) is allowed. Other backends rely on Tenure.clean().
"""

from django.db import migrations

CONSTRAINT = "tenure_single_seat_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"""
        ALTER TABLE governance_tenure ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (
            company_id WITH =,
            role_id WITH =,
            daterange(certain_start, certain_end, '[)') WITH &&
        ) WHERE (single_seat AND has_certain_days)
        """
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE governance_tenure DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_role_catalogue")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
