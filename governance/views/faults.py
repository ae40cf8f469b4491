"""The database out of reach: every page answers 503 "try again shortly", not a traceback.

Django opens a connection again at the next query after one failed, and closes a broken one at
the end of the request (and, with CONN_HEALTH_CHECKS, checks a kept one before reusing it), so
pages come back by themselves once the database does.
"""

import logging
import sqlite3

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30

# PostgreSQL's error classes that say the server, not the query, failed: connection exception
# (08), insufficient resources (53: too many connections, disk full), operator intervention
# (57P: shut down, restarting, not yet accepting connections).
SERVER_FAULT_CLASSES = ("08", "53", "57P")
# SQLite's messages for a database file it cannot use.
SQLITE_FAULTS = (
    "unable to open database file",
    "disk i/o error",
    "database is locked",
    "attempt to write a readonly database",
    "file is not a database",
)


def is_unavailable(error: BaseException) -> bool:
    """Whether error says the database is out of reach (not that a query was wrong)."""
    if isinstance(error, InterfaceError):
        return True  # the connection is closed or unusable
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower() in SQLITE_FAULTS
    if not isinstance(error, OperationalError):
        return False
    code = getattr(cause, "sqlstate", None)
    # No code: the client could not reach the server or lost it (refused, reset, timed out).
    return code is None or code.startswith(SERVER_FAULT_CLASSES)


def unavailable_response() -> HttpResponse:
    # Rendered without the request: its context (the user, messages) would ask the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 with the page templates/503.html for a request the database failed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            and response.status_code == 200
            and not isinstance(response, FileResponse)
        ):
            # A download reads the database as it is sent, after its 200 went out: ask the
            # database first, so that one out of reach is a 503, not a cut-off 200. (A table,
            # not SELECT 1, which SQLite answers without reading the file.)
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            except DatabaseError as error:
                if not is_unavailable(error):
                    raise
                return self.unavailable(error)
        return response

    def process_exception(self, request, exception):
        if not is_unavailable(exception):
            return None
        return self.unavailable(exception)

    @staticmethod
    def unavailable(error: BaseException) -> HttpResponse:
        logger.error("The database is unavailable: %s", error)
        return unavailable_response()
