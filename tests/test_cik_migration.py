"""Migration 0011: existing company CIKs become ten digits; one that duplicates another's, or is
not a CIK at all, is cleared into the company's notes with a history row, and reported."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("governance", "0006_sec_filings"), ("people", "0002_person_cik")]
AFTER = [("governance", "0008_company_cik_unique")]


@pytest.mark.django_db(transaction=True)
def test_existing_ciks_are_normalised_and_duplicates_cleared_and_reported(capsys):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Company = apps.get_model("governance", "Company")
    # Written as raw values, as an older version of the record held them.
    rows = [("Apple Inc.", "apple", "320193"), ("Apple (dup)", "apple-dup", "0000320193"),
            ("Odd", "odd", "n/a"), ("Innovo", "innovo", " 844143 ")]  # fmt: skip
    for name, slug, cik in rows:
        Company.objects.create(name=name, slug=slug)
        Company.objects.filter(slug=slug).update(cik=cik)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        Company = apps.get_model("governance", "Company")
        ciks = dict(Company.objects.values_list("slug", "cik"))
        assert ciks == {"apple": "0000320193", "apple-dup": "", "odd": "", "innovo": "0000844143"}
        duplicate = Company.objects.get(slug="apple-dup")
        assert "SEC CIK 0000320193 cleared" in duplicate.notes
        history = apps.get_model("governance", "HistoricalCompany")
        reason = history.objects.get(id=duplicate.pk).history_change_reason
        assert reason.startswith("Migration 0011")
        printed = capsys.readouterr().out
        assert "'Apple (dup)': SEC CIK 0000320193 cleared" in printed
        assert "'Odd': SEC CIK 'n/a' cleared: not one to ten digits" in printed
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
