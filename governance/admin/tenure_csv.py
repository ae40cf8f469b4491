"""Tenure CSV in the admin: "export selected as CSV", and an import page (upload, preview, confirm).

The preview is a dry run of the same import the command runs, so what it shows is what confirm
writes; the uploaded file waits in a temporary folder between the two steps, named by a token
that only the uploader's session knows.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from governance.csv.format import TENURE_COLUMNS, csv_response, export_filename
from governance.csv.tenure_export import tenure_export_queryset, tenure_rows
from governance.csv.tenure_import import import_tenures

UPLOAD_DIR = Path(tempfile.gettempdir()) / "governance-tenure-imports"
SESSION_KEY = "tenure_csv_imports"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@admin.action(description="Export selected as CSV")
def export_selected_as_csv(modeladmin, request, queryset):
    selected = tenure_export_queryset(queryset.model.objects.filter(pk__in=queryset.values("pk")))
    return csv_response(export_filename("tenures-selected"), TENURE_COLUMNS, tenure_rows(selected))


class TenureCsvAdminMixin:
    """Adds the CSV action and the import page to the tenure admin."""

    actions = [export_selected_as_csv]
    change_list_template = "admin/governance/tenure/change_list.html"

    def get_urls(self):
        urls = super().get_urls()
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="governance_tenure_import",
            ),
            *urls,
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import tenures from CSV",
        }
        pending = request.session.get(SESSION_KEY, {})
        if request.method == "POST" and request.POST.get("token"):
            token = request.POST["token"]
            if not _TOKEN.match(token) or token not in pending:
                messages.error(request, "That upload has expired; upload the file again.")
                return redirect("admin:governance_tenure_import")
            filename = pending.pop(token)
            request.session[SESSION_KEY] = pending
            upload = UPLOAD_DIR / f"{token}.csv"
            try:
                with upload.open("rb") as file:
                    result = import_tenures(file, filename=filename, user=request.user)
            finally:
                upload.unlink(missing_ok=True)
            if result.ok:
                messages.success(request, f"{filename}: {result.summary()}")
                return redirect("admin:governance_tenure_changelist")
            return TemplateResponse(
                request, "admin/governance/tenure/import.html", {**context, "result": result}
            )
        if request.method == "POST" and request.FILES.get("file"):
            uploaded = request.FILES["file"]
            token = uuid.uuid4().hex
            UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
            upload = UPLOAD_DIR / f"{token}.csv"
            with upload.open("wb") as file:
                for chunk in uploaded.chunks():
                    file.write(chunk)
            with upload.open("rb") as file:
                result = import_tenures(file, filename=uploaded.name, dry_run=True)
            if result.ok:
                pending[token] = uploaded.name
                request.session[SESSION_KEY] = pending
            else:
                upload.unlink(missing_ok=True)
                token = None
            return TemplateResponse(
                request,
                "admin/governance/tenure/import.html",
                {**context, "result": result, "token": token},
            )
        if request.method == "POST":
            context["upload_error"] = "Choose a CSV file to upload."
        return TemplateResponse(request, "admin/governance/tenure/import.html", context)
