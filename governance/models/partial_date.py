"""Partial dates: a year, a year and month, or a full day, kept at the precision given.

Stored as ISO text ("1999", "1999-01", "1999-01-08"). That one string is both the value
and its sort key: ISO strings of fixed-width fields order by their first day, and a shorter
string sorts before a longer one that it prefixes, so "1999" < "1999-01" < "1999-01-01"
(DESIGN.md: order by first day, then by precision).
"""

from __future__ import annotations

import calendar
import datetime
import enum
import functools
import re
from dataclasses import dataclass
from functools import total_ordering

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Partial dates are immutable and a page or an import reads the same few thousand again and
# again: each text is parsed once (the 8,192 latest, a few MB at most in each process).
_cached_parse = functools.lru_cache(maxsize=1 << 13)(lambda cls, text: cls._parse(text))
_FORMATS = "use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1999, 1999-01, 2004-09-08)"
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


class Precision(enum.IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3


@total_ordering
@dataclass(frozen=True, eq=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 01 and 12")
        if self.day is not None:
            try:
                datetime.date(self.year, self.month, self.day)
            except ValueError:
                raise ValueError(
                    f"day {self.day} does not exist in {_MONTHS[self.month - 1]} {self.year}"
                ) from None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse YYYY, YYYY-MM or YYYY-MM-DD; anything else raises ValueError saying why."""
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a date: {_FORMATS}")
        # Only texts as long as a date are cached: a hostile one could be any length.
        return _cached_parse(cls, text) if len(text) <= len("YYYY-MM-DD") else cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date: {_FORMATS}")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            return cls(year, month, day)
        except ValueError as error:
            raise ValueError(f"{text!r} is not a date: {error}") from None

    @classmethod
    def from_date(cls, day: datetime.date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def first(self) -> datetime.date:
        """The first day this date may mean."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> datetime.date:
        """The last day this date may mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return datetime.date(self.year, month, day)

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def display(self) -> str:
        """'1999', 'Jan 1999', '8 Sep 2004': never a day the source did not give."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return self.display()

    def __lt__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.first, self.precision) < (other.first, other.precision)


def start_key(start: PartialDate | None) -> tuple:
    """The order of starts (DESIGN.md): an unknown start counts as earliest, then by first day
    and precision (1999, Jan 1999, 1 Jan 1999). The one key for every "by start"."""
    return (0, datetime.date.min, 0) if start is None else (1, start.first, start.precision)


def end_before_start(start: PartialDate | None, end: PartialDate | None) -> str | None:
    """Why an end cannot close a start (it is surely before it: its last day before the start's
    first), or None. The model and the import both ask; a database constraint also refuses it."""
    if start is not None and end is not None and end.last < start.first:
        return f"the end ({end}) is surely before the start ({start})"
    return None


def parse_partial_date(value: PartialDate | str | None) -> PartialDate | None:
    """A PartialDate from stored or typed text; empty means unknown (None)."""
    if value is None or isinstance(value, PartialDate):
        return value
    if value.strip() == "":
        return None
    return PartialDate.parse(value)


class PartialDateAttribute(DeferredAttribute):
    """Text assigned to the field ("2001", "") becomes a PartialDate (or None) at once, so the
    model's own logic never sees a string; text that is not a date is kept for full_clean()
    to report."""

    def __set__(self, instance, value):
        if isinstance(value, str):
            try:
                value = parse_partial_date(value)
            except ValueError:
                pass
        instance.__dict__[self.field.attname] = value


class PartialDateField(models.Field):
    """A PartialDate stored as its ISO text; NULL is an unknown date."""

    description = "A partial date (YYYY, YYYY-MM or YYYY-MM-DD)"
    descriptor_class = PartialDateAttribute

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 10
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def get_internal_type(self):
        return "CharField"

    def from_db_value(self, value, expression, connection):
        return None if value is None else PartialDate.parse(value)

    def to_python(self, value):
        try:
            return parse_partial_date(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def get_prep_value(self, value):
        if isinstance(value, PartialDate):
            return value.isoformat()
        if value == "":
            return None
        return value

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat()

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})


class PartialDateFormField(forms.CharField):
    """Text input taking YYYY, YYYY-MM or YYYY-MM-DD; empty means unknown."""

    widget = forms.TextInput(attrs={"placeholder": "YYYY, YYYY-MM or YYYY-MM-DD", "size": 12})

    def __init__(self, *args, **kwargs):
        kwargs.pop("max_length", None)
        kwargs["empty_value"] = None
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return value.isoformat()
        return value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_partial_date(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None
