"""The admin's import pages, for any import that runs as a background job (governance/jobs.py):
upload, the job's page (progress, then the preview or the result), confirm, cancel.

Upload queues a preview: a dry run of the same import the command runs, so what it shows is
what confirm writes. Its page refreshes itself until the job is done, then shows what would
change (or every error) and a Confirm button when there is something to write, which queues
the real import of the same upload. A job is its submitter's alone: anyone else gets a 404.

An upload is limited to IMPORT_UPLOAD_MAX_BYTES in all: past it, the rest of the request is
read and dropped (nothing more reaches the disk) and the page says so.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from governance import jobs
from governance.models import ImportJob

RECENT_JOBS = 10
# Seconds between two loads of a job's page while it runs.
REFRESH_EVERY = 2


def too_large_message() -> str:
    limit = filesizeformat(settings.IMPORT_UPLOAD_MAX_BYTES)
    return (
        f"The upload is larger than the {limit} allowed (the IMPORT_UPLOAD_MAX_BYTES setting); "
        "nothing was kept. Split it, or import it with the command on the server."
    )


class UploadLimit(FileUploadHandler):
    """First of the request's upload handlers: once its files pass the limit, it stops the
    upload (the rest of the body is read and dropped) and remembers that it did."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler makes the file


class ImportPagesMixin:
    """The import pages of one ModelAdmin, for one kind of import. A subclass names it."""

    import_kind: jobs.ImportKind
    import_label: str  # the breadcrumb and link: "Import CSV"
    import_title: str  # the upload page's title
    upload_form: type[forms.Form]
    upload_template: str
    job_template = "admin/governance/import_job.html"

    def _url_name(self, step: str = "") -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_import" + (f"_{step}" if step else "")

    def get_urls(self):
        urls = super().get_urls()
        view = self.admin_site.admin_view
        return [
            path("import/", view(csrf_exempt(self.import_view)), name=self._url_name()),
            path("import/<uuid:job_id>/", view(self.import_job_view), name=self._url_name("job")),
            path(
                "import/<uuid:job_id>/confirm/",
                view(require_POST(self.import_confirm_view)),
                name=self._url_name("confirm"),
            ),
            path(
                "import/<uuid:job_id>/cancel/",
                view(require_POST(self.import_cancel_view)),
                name=self._url_name("cancel"),
            ),
            *urls,
        ]

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "import_label": self.import_label,
            "import_url": f"admin:{self._url_name()}",
            "job_url": f"admin:{self._url_name('job')}",
            "confirm_url": f"admin:{self._url_name('confirm')}",
            "cancel_url": f"admin:{self._url_name('cancel')}",
            "changelist_url": f"admin:{self._url_name().removesuffix('_import')}_changelist",
        }

    def _refuse_unless_allowed(self, request: HttpRequest) -> None:
        if not self.import_kind.allows(request.user):
            raise PermissionDenied

    def _job_for_user(self, request: HttpRequest, job_id) -> ImportJob:
        self._refuse_unless_allowed(request)
        try:
            return ImportJob.objects.submitted_by(request.user).get(
                pk=job_id, kind=self.import_kind.kind
            )
        except ImportJob.DoesNotExist:
            raise Http404("No such import job of yours.") from None

    def import_view(self, request: HttpRequest) -> HttpResponse:
        # Checked before the body is read: a refused upload is never stored.
        self._refuse_unless_allowed(request)
        # The limit must be in place before anything reads the body, CSRF's check included;
        # hence csrf_exempt on the URL and csrf_protect here.
        limit = UploadLimit(request, settings.IMPORT_UPLOAD_MAX_BYTES)
        request.upload_handlers.insert(0, limit)
        return csrf_protect(self._upload_view)(request, limit)

    def _upload_view(self, request: HttpRequest, limit: UploadLimit) -> HttpResponse:
        form = self.upload_form()
        upload_error = ""
        if request.method == "POST":
            # (More files than DATA_UPLOAD_MAX_NUMBER_FILES are a 400 before this.)
            form = self.upload_form(request.POST, request.FILES)
            valid = not limit.exceeded and form.is_valid()
            if limit.exceeded:
                form, upload_error = self.upload_form(), too_large_message()
            if valid:
                job = self.submit_preview(request.user, form)
                return redirect(f"admin:{self._url_name('job')}", job_id=job.pk)
        context = {
            **self._context(request, self.import_title),
            "form": form,
            "upload_error": upload_error,
            "max_bytes": settings.IMPORT_UPLOAD_MAX_BYTES,
            "recent_jobs": ImportJob.objects.submitted_by(request.user)
            .filter(kind=self.import_kind.kind)
            .order_by("-enqueued_at")[:RECENT_JOBS],
        }
        return TemplateResponse(request, self.upload_template, context)

    def submit_preview(self, user, form: forms.Form) -> ImportJob:
        """Keep the upload in a new private folder and queue its preview."""
        raise NotImplementedError

    def import_job_view(self, request: HttpRequest, job_id) -> HttpResponse:
        job = self._job_for_user(request, job_id)
        verb = "Preview" if job.dry_run else "Import"
        context = {
            **self._context(request, f"{verb} of {job.filename}"),
            "job": job,
            "done": jobs.work_done(job),
            "refresh_every": None if job.finished else REFRESH_EVERY,
            "confirmation": getattr(job, "confirmation", None),
            "can_confirm": jobs.can_be_confirmed(job),
            "upload_kept": job.upload.exists,
        }
        return TemplateResponse(request, self.job_template, context)

    def import_confirm_view(self, request: HttpRequest, job_id) -> HttpResponse:
        preview = self._job_for_user(request, job_id)
        if (confirmation := getattr(preview, "confirmation", None)) is not None:
            # Confirmed already (a second click, another tab): nothing is queued twice.
            return redirect(f"admin:{self._url_name('job')}", job_id=confirmation.pk)
        if not jobs.can_be_confirmed(preview):
            messages.error(request, "That preview cannot be confirmed; upload the file again.")
            return redirect(f"admin:{self._url_name()}")
        try:
            job = jobs.submit(
                self.import_kind,
                request.user,
                filename=preview.filename,
                upload_path=preview.upload_path,
                dry_run=False,
                preview=preview,
            )
        except IntegrityError:
            # Another request confirmed it in the meantime.
            job = ImportJob.objects.get(preview=preview)
        return redirect(f"admin:{self._url_name('job')}", job_id=job.pk)

    def import_cancel_view(self, request: HttpRequest, job_id) -> HttpResponse:
        preview = self._job_for_user(request, job_id)
        if jobs.cancel(preview):
            messages.info(request, f"{preview.filename}: cancelled; the upload is deleted.")
        return redirect(f"admin:{self._url_name()}")
