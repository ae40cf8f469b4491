"""Settings read from the environment, refusing values they cannot understand."""

import os
import secrets
import time

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


def secret_key_from_file(path: str) -> str:
    """The key kept in the file at `path`, written there first if the file does not exist yet.

    Several processes may start at once (the web server and the worker): the file is created
    exclusively, so the first one's key is the one every process reads.
    """
    if not path:
        return ""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as error:
        raise ImproperlyConfigured(
            f"SECRET_KEY_FILE {path!r} cannot be written: {error}"
        ) from error
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    for _ in range(50):  # another process may have created the file and not yet written it
        with open(path) as file:
            key = file.read().strip()
        if key:
            return key
        time.sleep(0.1)
    raise ImproperlyConfigured(f"SECRET_KEY_FILE {path!r} is empty.")
