"""Existing company CIKs to ten digits, zero-padded, so that 0012 can make them unique.

A CIK that is not one to ten digits, or that a company with a lower id already bears once
normalised, is cleared: the company keeps it in its notes, gets a history row saying why, and
the migration prints each such company so an editor can review it. Nothing is lost.
"""

from django.db import migrations
from django.utils import timezone

CIK_DIGITS = 10
REASON = "Migration 0011: SEC CIKs are stored as ten digits and unique"


def _normal(text: str) -> str | None:
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= CIK_DIGITS:
        return text.zfill(CIK_DIGITS)
    return None


def normalise_ciks(apps, schema_editor):
    Company = apps.get_model("governance", "Company")
    HistoricalCompany = apps.get_model("governance", "HistoricalCompany")
    holder: dict[str, int] = {}
    reports = []
    rows = Company.objects.exclude(cik="").order_by("pk").values_list("pk", "cik")
    for pk, raw in rows.iterator():
        normal = _normal(raw)
        if normal is not None and normal not in holder:
            holder[normal] = pk
            if normal != raw:
                Company.objects.filter(pk=pk).update(cik=normal)
            continue
        company = Company.objects.get(pk=pk)
        if normal is None:
            why = f"SEC CIK {raw!r} cleared: not one to ten digits"
        else:
            why = f"SEC CIK {normal} cleared: company #{holder[normal]} already bears it"
        company.notes = f"{company.notes}\n{why}.".strip()
        company.cik = ""
        company.save()
        _history_row(HistoricalCompany, company, f"{REASON}: {why}")
        reports.append(f"  company #{pk} {company.name!r}: {why}")
    if reports:
        print("\nCompanies whose SEC CIK was cleared (kept in their notes):\n" + "\n".join(reports))


def _history_row(HistoricalCompany, company, reason: str) -> None:
    values = {
        field.attname: getattr(company, field.attname) for field in company._meta.concrete_fields
    }
    HistoricalCompany.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=reason,
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0006_sec_filings")]

    operations = [migrations.RunPython(normalise_ciks, migrations.RunPython.noop)]
