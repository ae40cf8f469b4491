"""SEC ownership filings in the admin (Sources → Import SEC filings): upload one or many
ownership .xml or full-submission .txt files, or a .zip of them; preview what the import would
apply, skip and hold back; confirm. The steps run as background jobs
(governance/admin/import_jobs.py); the import is governance/sec/importer.py's."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from governance import jobs
from governance.admin.import_jobs import ImportPagesMixin
from governance.models import ImportJob
from governance.sec import files as sec_files
from governance.sec import jobs as sec_jobs

ACCEPTED = ".xml,.txt,.zip"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilingsField(forms.FileField):
    """One or many files (Django's documented pattern for a multiple file input)."""

    widget = MultipleFileInput(attrs={"accept": ACCEPTED})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] or single(None, initial)
        return [single(data, initial)]


class SecFilingsUploadForm(forms.Form):
    filings = FilingsField(
        error_messages={"required": "Choose one or more filings (.xml, .txt) or a .zip."},
        help_text="Ownership documents (.xml, named by accession number as EDGAR names them), "
        "EDGAR full submissions (.txt), or .zip archives of them.",
    )

    def clean_filings(self):
        """Refuse at once what the import could never read: another kind of file, a filing
        larger than any could be, a zip that is not one or is past the limits."""
        problems = []
        for uploaded in self.cleaned_data["filings"]:
            name, suffix = uploaded.name, PurePath(uploaded.name).suffix.lower()
            if suffix not in sec_files.SUFFIXES | {".zip"}:
                problems.append(f"{name}: not an .xml, .txt or .zip file.")
            elif suffix != ".zip" and uploaded.size > sec_files.MAX_FILE_BYTES:
                problems.append(
                    f"{name}: {filesizeformat(uploaded.size)}, larger than the "
                    f"{filesizeformat(sec_files.MAX_FILE_BYTES)} an ownership filing could be."
                )
            elif suffix == ".zip" and (problem := _zip_problem(uploaded)):
                problems.append(f"{name}: {problem}.")
        if problems:
            raise ValidationError(problems)
        return self.cleaned_data["filings"]


def _zip_problem(uploaded) -> str:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return sec_files.zip_problem(archive)
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
        return f"not a readable zip archive ({error})"
    finally:
        uploaded.seek(0)


def _filename(names: list[str]) -> str:
    """The job's name for its upload: the first file's, and how many more."""
    more = len(names) - 1
    return names[0] + (f" and {more} more file{'s' if more > 1 else ''}" if more else "")


class SecUploadAdminMixin(ImportPagesMixin):
    """Adds the SEC filings import pages to the source admin."""

    change_list_template = "admin/governance/source/change_list.html"
    import_kind = sec_jobs.SEC_FILINGS
    import_label = "Import SEC filings"
    import_title = "Import SEC ownership filings (Forms 3, 4, 5)"
    upload_form = SecFilingsUploadForm
    upload_template = "admin/governance/source/import.html"

    def submit_preview(self, user, form) -> ImportJob:
        uploaded = form.cleaned_data["filings"]
        job_id, upload = jobs.new_upload()
        folder = sec_jobs.save_uploads(upload, [(file.name, file.chunks()) for file in uploaded])
        return jobs.submit(
            sec_jobs.SEC_FILINGS,
            user,
            filename=_filename([file.name for file in uploaded]),
            upload_path=folder,
            dry_run=True,
            job_id=job_id,
        )
