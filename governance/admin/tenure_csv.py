"""Tenure CSV in the admin: "export selected as CSV", and an import page (upload, preview,
confirm) whose steps run as background jobs (governance/admin/import_jobs.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from governance import jobs
from governance.admin.import_jobs import ImportPagesMixin
from governance.csv import jobs as csv_jobs
from governance.csv.format import csv_file_response, export_filename
from governance.csv.tenure_export import tenure_csv_chunks
from governance.models import ImportJob


@admin.action(description="Export selected as CSV")
def export_selected_as_csv(modeladmin, request, queryset):
    selected = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    return csv_file_response(export_filename("tenures-selected"), tenure_csv_chunks(selected))


class TenureCsvUploadForm(forms.Form):
    file = forms.FileField(
        error_messages={"required": "Choose a CSV file to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class TenureCsvAdminMixin(ImportPagesMixin):
    """Adds the CSV action and the import pages to the tenure admin."""

    actions = [export_selected_as_csv]
    change_list_template = "admin/governance/tenure/change_list.html"
    import_kind = csv_jobs.TENURE_CSV
    import_label = "Import CSV"
    import_title = "Import tenures from CSV"
    upload_form = TenureCsvUploadForm
    upload_template = "admin/governance/tenure/import.html"

    def submit_preview(self, user, form) -> ImportJob:
        uploaded = form.cleaned_data["file"]
        job_id, upload = jobs.new_upload()
        upload_path = upload.write(csv_jobs.UPLOAD_NAME, uploaded.chunks())
        return jobs.submit(
            csv_jobs.TENURE_CSV,
            user,
            filename=uploaded.name,
            upload_path=upload_path,
            dry_run=True,
            job_id=job_id,
        )
