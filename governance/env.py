"""Settings read from the environment, refusing values they cannot understand."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def envbool(name: str, default: str) -> bool:
    """A yes-or-no setting in any usual spelling (1/0, true/false, yes/no, on/off, any case)."""
    value = os.environ.get(name, default).strip().lower()
    if value not in TRUE + FALSE:
        raise ImproperlyConfigured(
            f"{name} must be one of {', '.join(TRUE)} or {', '.join(FALSE)}, not {value!r}"
        )
    return value in TRUE


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}")
    return int(value)
