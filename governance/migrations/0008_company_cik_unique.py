from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("governance", "0007_normalise_company_ciks")]

    operations = [
        migrations.AddConstraint(
            model_name="company",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cik", ""), _negated=True),
                fields=("cik",),
                name="company_cik_unique",
                violation_error_message="Another company has this SEC CIK.",
            ),
        ),
    ]
