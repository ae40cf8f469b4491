"""The parameters pages, exports and commands take, as Django forms: one field and one message
per parameter, wherever it is given (a query string, a POST, a command option)."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from governance.csv.tenure_export import TenureFilters
from governance.models import Company, Role
from people.models import Person

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")
MAX_QUERY = 200


class DayField(forms.Field):
    """A day as YYYY-MM-DD; empty: none."""

    def to_python(self, value) -> datetime.date | None:
        text = (value or "").strip()
        if not text:
            return None
        if not _DAY.match(text):
            raise ValidationError(
                f"{self.label}={text!r} is not a day: give a day as YYYY-MM-DD, e.g. 2004-09-08."
            )
        try:
            return datetime.date.fromisoformat(text)
        except ValueError as error:
            raise ValidationError(f"{self.label}={text!r} is not a day: {error}.") from None


class MomentField(forms.Field):
    """A moment of record time: a day (YYYY-MM-DD, meaning the end of that day, UTC) or an ISO
    timestamp (a naive one taken as UTC); an aware UTC datetime."""

    def to_python(self, value) -> datetime.datetime | None:
        if value is None:  # absent; given but empty is an error
            return None
        text = value.strip()
        name = self.label
        if not text:
            raise ValidationError(
                f"{name} is empty: give a day (YYYY-MM-DD) or an ISO timestamp "
                "(e.g. 2005-01-01 or 2005-01-01T12:00:00Z)."
            )
        if len(text) == 10:
            try:
                day = datetime.date.fromisoformat(text)
            except ValueError:
                raise ValidationError(
                    f"{name}={text!r} is not a day: use YYYY-MM-DD, e.g. 2005-01-01."
                ) from None
            return datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                f"{name}={text!r} is neither a day (YYYY-MM-DD) nor an ISO timestamp "
                "(e.g. 2005-01-01T12:00:00Z or 2005-01-01T12:00:00+01:00)."
            ) from None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=datetime.UTC)
        try:
            # History is stored in UTC; some moments in range as written are not in UTC.
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(
                f"{name}={text!r} falls outside years 1 to 9999 once converted to UTC."
            ) from None


class PageField(forms.Field):
    """A page number, a whole number from 1; absent: 1."""

    def to_python(self, value) -> int:
        text = (value or "").strip()
        if not text:
            return 1
        # isdigit() alone passes "²", which int() refuses: ASCII digits only.
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise ValidationError(
                f"?page={text!r} is not a page number: give a whole number from 1."
            )
        return int(text)


class LetterField(forms.Field):
    """One letter or digit of the A–Z bar, upper-cased; absent: all."""

    def to_python(self, value) -> str:
        letter = (value or "").strip()
        if len(letter) > 1 or (letter and not letter.isalnum()):
            raise ValidationError(f"?letter={letter!r} is not a letter: give one letter, e.g. C.")
        return letter.upper()


class SlugRecordField(forms.Field):
    """A record named by its slug; an unknown slug is an error with code "unknown" (a 404)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        slug = (value or "").strip()
        if not slug:
            return None
        # A value that is not a slug names no record (and a NUL would fail the query on
        # PostgreSQL).
        record = self.model.objects.filter(slug=slug).first() if _SLUG.match(slug) else None
        if record is None:
            raise ValidationError(f"No {self.label} has the slug {slug!r}.", code="unknown")
        return record


class ParameterForm(forms.Form):
    """A form of parameters: one message for what is wrong, and whether it names no record."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        for name, field in self.fields.items():
            field.label = name
            field.required = False

    def error_message(self) -> str:
        return next(iter(self.errors.values()))[0]

    @property
    def names_no_record(self) -> bool:
        errors = self.errors.as_data().values()
        return any(error.code == "unknown" for field_errors in errors for error in field_errors)


class QueryField(forms.Field):
    """Search text, stripped and cut at MAX_QUERY characters; anything else is searchable (a NUL
    included: it finds nothing)."""

    def to_python(self, value) -> str:
        return (value or "").strip()[:MAX_QUERY]


class SearchForm(ParameterForm):
    q = QueryField()


class PageForm(ParameterForm):
    page = PageField()


class IndexForm(PageForm):
    letter = LetterField()


class RecordedForm(ParameterForm):
    recorded = MomentField()


class RecordPageForm(RecordedForm):
    """A company or person page: ?on= a day, ?recorded= a moment of record time."""

    on = DayField()


class CompanyPageForm(RecordPageForm):
    """A company page: also ?page= of its tenures."""

    page = PageField()


class TenureExportForm(RecordPageForm):
    """The tenure export's filters: company, person and role by slug, on, recorded."""

    company = SlugRecordField(Company)
    person = SlugRecordField(Person)
    role = SlugRecordField(Role)

    def filters(self) -> TenureFilters:
        data = self.cleaned_data
        return TenureFilters(data["company"], data["person"], data["role"], data["on"])


class RestoreForm(ParameterForm):
    deletion = MomentField()

    def clean_deletion(self):
        if self.cleaned_data.get("deletion") is None:
            raise ValidationError("deletion must be the moment of a deletion.")
        return self.cleaned_data["deletion"]
