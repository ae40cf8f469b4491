"""The SEC's Central Index Key (CIK), which persons and companies both bear: one normal form,
ten digits zero-padded, and a model field that stores and looks it up in that form."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

CIK_DIGITS = 10


class InvalidCik(ValueError):
    pass


def normalise_cik(value: str | int | None) -> str:
    """'320193', ' 0000320193 ', 320193 -> '0000320193'; '' or None -> ''. Anything but one to
    ten digits raises InvalidCik."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    if not text.isascii() or not text.isdigit() or len(text) > CIK_DIGITS:
        raise InvalidCik(f"{text!r} is not a CIK: one to {CIK_DIGITS} digits.")
    return text.zfill(CIK_DIGITS)


def lenient_cik(value: str | None) -> str:
    """The normal form where value is a CIK; otherwise value unchanged (for validation to refuse)."""
    try:
        return normalise_cik(value)
    except InvalidCik:
        return value if value is not None else ""


class CikField(models.CharField):
    """A CIK, stored zero-padded to ten digits; empty when unknown. Values are normalised when
    cleaned, saved and looked up, so '320193' finds '0000320193'."""

    default_validators = [
        RegexValidator(r"^\d{10}$", "A CIK is one to ten digits (stored zero-padded to ten).")
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", CIK_DIGITS)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("verbose_name", "SEC CIK")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return lenient_cik(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = lenient_cik(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
