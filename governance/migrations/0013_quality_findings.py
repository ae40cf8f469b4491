"""/quality/ in bounded time: the table of computed checks' findings (QualityFinding, QualityRun)
and the partial index tenure_unconfirmed for the oldest unconfirmed and undated tenures."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0012_uploads_import_job_kind"),
        ("people", "0003_a_z_and_search_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="QualityFinding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "check_slug",
                    models.CharField(help_text="The check that found it.", max_length=40),
                ),
                (
                    "position",
                    models.PositiveIntegerField(
                        help_text="Its place in the check's order, from 1."
                    ),
                ),
                (
                    "record_id",
                    models.BigIntegerField(
                        help_text="The tenure or person found; empty for a duplicate-name finding.",
                        null=True,
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        blank=True,
                        help_text="The shared normalised name, for duplicates.",
                        max_length=200,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="QualityRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "check_slug",
                    models.CharField(help_text="The check computed.", max_length=40, unique=True),
                ),
                ("computed_at", models.DateTimeField(help_text="When its findings were computed.")),
                ("seconds", models.FloatField(help_text="How long the computation took.")),
                ("findings", models.PositiveIntegerField(help_text="How many findings it stored.")),
                (
                    "record_version",
                    models.CharField(
                        help_text="The record's version it was computed against.", max_length=200
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="tenure",
            index=models.Index(
                condition=models.Q(
                    ("end__isnull", True), ("end_reason", ""), ("possible_end__isnull", True)
                ),
                fields=["last_confirmed", "id"],
                name="tenure_unconfirmed",
            ),
        ),
        migrations.AddConstraint(
            model_name="qualityfinding",
            constraint=models.UniqueConstraint(
                fields=("check_slug", "position"), name="quality_finding_position"
            ),
        ),
    ]
