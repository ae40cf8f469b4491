"""python manage.py import_sec_ownership: its summary, its exit status, and --dry-run."""

import pytest
from django.core.management import CommandError, call_command

from governance.models import AppliedFiling
from tests.sec_helpers import FIXTURES, ownership_xml, write

pytestmark = pytest.mark.django_db


def test_it_prints_a_summary_of_what_it_did(capsys):
    call_command("import_sec_ownership", str(FIXTURES))
    out = capsys.readouterr().out
    assert "Filings read: 7; applied: 7; skipped: 0" in out
    assert "Created: 2 companies, 6 persons, 13 tenures, 7 sources; attested days added: 14" in out
    assert "Owners skipped: 1" in out
    call_command("import_sec_ownership", str(FIXTURES))
    assert "applied: 0; skipped: 7 (already imported: 7;" in capsys.readouterr().out


def test_it_names_each_applied_file_at_verbosity_2(capsys):
    call_command("import_sec_ownership", str(FIXTURES / "0000990002-24-000020.txt"), verbosity=2)
    assert f"applied: {FIXTURES / '0000990002-24-000020.txt'}" in capsys.readouterr().out


def test_a_malformed_file_is_reported_and_the_exit_status_says_so(tmp_path, capsys):
    bad = write(tmp_path, "0000990009-24-000001.xml", ownership_xml(period="2022-13-01"))
    with pytest.raises(CommandError, match="1 files not applied"):
        call_command("import_sec_ownership", str(tmp_path), str(FIXTURES))
    out = capsys.readouterr().out
    assert f"{bad}: periodOfReport '2022-13-01' is not a date (YYYY-MM-DD)" in out
    assert "applied: 7" in out


def test_a_dry_run_writes_nothing(capsys):
    call_command("import_sec_ownership", str(FIXTURES), "--dry-run")
    assert "Dry run, nothing written. Filings read: 7; applied: 7" in capsys.readouterr().out
    assert not AppliedFiling.objects.exists()


def test_the_summary_says_one_company_not_one_companies():
    from governance.sec.report import ImportReport

    report = ImportReport(dry_run=False)
    report.counts.companies_created = 1
    report.counts.persons_created = 1
    assert "Created: 1 company, 1 person, 0 tenures, 0 sources;" in report.summary()
