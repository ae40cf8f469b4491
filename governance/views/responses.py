"""Query parameters, parsed strictly: a bad one is a 400 page saying what was wrong."""

import datetime
import functools
import re

from django.shortcuts import render

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadParameter(Exception):
    """A query parameter the page cannot use; its message is shown to the reader."""


def day_param(request, name: str = "on") -> datetime.date | None:
    """?on=YYYY-MM-DD as a date; absent or empty: None."""
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    if not _DAY.match(text):
        raise BadParameter(
            f"?{name}={text!r} is not a date: give a day as YYYY-MM-DD, e.g. 2004-09-08."
        )
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise BadParameter(f"?{name}={text!r} is not a date: {error}.") from None


def page_param(request) -> int:
    """?page=N, a whole number from 1; absent: 1."""
    text = request.GET.get("page", "").strip()
    if not text:
        return 1
    # isdigit() alone passes "²", which int() refuses: ASCII digits only.
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise BadParameter(f"?page={text!r} is not a page number: give a whole number from 1.")
    return int(text)


def bad_request(request, message: str):
    return render(request, "400.html", {"message": message}, status=400)


def not_found(request, message: str):
    return render(request, "404.html", {"message": message}, status=404)


def bad_parameters_give_400(view):
    """Turn a BadParameter raised while parsing the query into a 400 page with its message."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return bad_request(request, str(error))

    return wrapper
