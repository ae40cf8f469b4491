"""Import jobs for SEC filings too: a job's kind (tenure CSV or SEC ownership filings)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0011_history_origin"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="kind",
            field=models.CharField(
                choices=[("tenure_csv", "Tenure CSV"), ("sec_filings", "SEC ownership filings")],
                default="tenure_csv",
                help_text="Which import it runs, and so which task and which permissions it needs.",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="filename",
            field=models.CharField(
                help_text="The uploaded file's own name (the first of several, with how many more), quoted in history's reason.",
                max_length=255,
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="rows_done",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Rows (filings) read, when the job ends; while it runs, the worker reports them in a progress file beside the upload, since the import's transaction hides its writes.",
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="rows_total",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Rows in the file (filings in the upload, for SEC filings), counted when the job starts.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="upload_path",
            field=models.CharField(
                help_text="What the import reads (the CSV file; the folder of SEC filings), in the upload's own private folder under IMPORT_UPLOAD_DIR, named by the preview's id.",
                max_length=1000,
            ),
        ),
    ]
