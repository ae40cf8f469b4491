"""Tenure CSV in the admin: "export selected as CSV", and an import page (upload, preview,
confirm) whose steps run as background jobs.

Upload queues a preview: a dry run of the same import the command runs, so what it shows is
what confirm writes. Its page refreshes itself until the job is done, then shows what would
change (or every error) and a Confirm button, which queues the real import of the same upload.
A job is its submitter's alone: anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST

from governance.csv import jobs
from governance.csv.format import csv_file_response, export_filename
from governance.csv.tenure_export import tenure_csv_chunks
from governance.models import ImportJob
from governance.permissions import refusal

RECENT_JOBS = 10
# Seconds between two loads of a job's page while it runs.
REFRESH_EVERY = 2


@admin.action(description="Export selected as CSV")
def export_selected_as_csv(modeladmin, request, queryset):
    selected = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    return csv_file_response(export_filename("tenures-selected"), tenure_csv_chunks(selected))


class TenureCsvAdminMixin:
    """Adds the CSV action and the import pages to the tenure admin."""

    actions = [export_selected_as_csv]
    change_list_template = "admin/governance/tenure/change_list.html"

    def get_urls(self):
        urls = super().get_urls()
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="governance_tenure_import"),
            path(
                "import/<uuid:job_id>/",
                view(self.import_job_view),
                name="governance_tenure_import_job",
            ),
            path(
                "import/<uuid:job_id>/confirm/",
                view(require_POST(self.import_confirm_view)),
                name="governance_tenure_import_confirm",
            ),
            path(
                "import/<uuid:job_id>/cancel/",
                view(require_POST(self.import_cancel_view)),
                name="governance_tenure_import_cancel",
            ),
            *urls,
        ]

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def _job_for_user(self, request: HttpRequest, job_id) -> ImportJob:
        _check_may_import(request)
        try:
            return ImportJob.objects.submitted_by(request.user).get(pk=job_id)
        except ImportJob.DoesNotExist:
            raise Http404("No such import job of yours.") from None

    def import_view(self, request: HttpRequest) -> HttpResponse:
        _check_may_import(request)
        context = self._context(request, "Import tenures from CSV")
        if request.method == "POST":
            uploaded = request.FILES.get("file")
            if uploaded is not None:
                upload_path = jobs.save_upload(uploaded.chunks())
                job = jobs.submit_import(
                    request.user, filename=uploaded.name, upload_path=upload_path, dry_run=True
                )
                return redirect("admin:governance_tenure_import_job", job_id=job.pk)
            context["upload_error"] = "Choose a CSV file to upload."
        context["recent_jobs"] = ImportJob.objects.submitted_by(request.user).order_by(
            "-enqueued_at"
        )[:RECENT_JOBS]
        return TemplateResponse(request, "admin/governance/tenure/import.html", context)

    def import_job_view(self, request: HttpRequest, job_id) -> HttpResponse:
        job = self._job_for_user(request, job_id)
        verb = "Preview" if job.dry_run else "Import"
        context = {
            **self._context(request, f"{verb} of {job.filename}"),
            "job": job,
            "rows_read": jobs.rows_read(job),
            "refresh_every": None if job.finished else REFRESH_EVERY,
            "confirmation": getattr(job, "confirmation", None),
            "can_confirm": _can_confirm(job),
        }
        return TemplateResponse(request, "admin/governance/tenure/import_job.html", context)

    def import_confirm_view(self, request: HttpRequest, job_id) -> HttpResponse:
        preview = self._job_for_user(request, job_id)
        if (confirmation := getattr(preview, "confirmation", None)) is not None:
            # Confirmed already (a second click, another tab): nothing is queued twice.
            return redirect("admin:governance_tenure_import_job", job_id=confirmation.pk)
        if not _can_confirm(preview):
            messages.error(request, "That preview cannot be confirmed; upload the file again.")
            return redirect("admin:governance_tenure_import")
        try:
            job = jobs.submit_import(
                request.user,
                filename=preview.filename,
                upload_path=preview.upload_path,
                dry_run=False,
                preview=preview,
            )
        except IntegrityError:
            # Another request confirmed it in the meantime.
            job = ImportJob.objects.get(preview=preview)
        return redirect("admin:governance_tenure_import_job", job_id=job.pk)

    def import_cancel_view(self, request: HttpRequest, job_id) -> HttpResponse:
        preview = self._job_for_user(request, job_id)
        if preview.dry_run and not hasattr(preview, "confirmation"):
            jobs.remove_upload(preview)
            messages.info(request, f"{preview.filename}: cancelled; the upload is deleted.")
        return redirect("admin:governance_tenure_import")


def _check_may_import(request: HttpRequest) -> None:
    """Refused before anything is stored, naming every permission the user lacks."""
    if missing := jobs.missing_permissions(request.user):
        raise PermissionDenied(refusal(request.user, missing))


def _can_confirm(job: ImportJob) -> bool:
    return job.dry_run and job.ok and not hasattr(job, "confirmation") and jobs.upload_exists(job)
