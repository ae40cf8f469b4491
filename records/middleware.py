"""Guards every request passes before a view sees it."""

from django.contrib.admin.views.main import SEARCH_VAR
from django.shortcuts import render
from django.urls import reverse

# A search of more words is refused: each word is a condition of one query, and a page of them
# fails it (SQLite: "Expression tree is too large").
MAX_ADMIN_SEARCH_WORDS = 20

NUL_IN_ADMIN_ADDRESS = (
    "The address holds a NUL character (%00), which no record, filter or search can contain: "
    "remove it."
)


def guard_admin_addresses(get_response):
    """Answer 400, with the reason, to an admin address no admin view can answer:

    - a NUL in its path or in any query name or value: PostgreSQL text cannot hold one, so every
      changelist filter of every model admin (ours, auth's, the task results') passed it to a
      query that failed, a 500;
    - a search of more than MAX_ADMIN_SEARCH_WORDS words, which Django's admin search (auth's
      user and group lists) turns into one query too deep for the database.

    The public pages read their parameters through forms that answer each bad value in their
    own words; the admin's are Django's and third parties', so they are guarded here, once."""
    admin_prefix = None

    def middleware(request):
        nonlocal admin_prefix
        if admin_prefix is None:
            admin_prefix = reverse("admin:index")
        if request.path.startswith(admin_prefix):
            if problem := _problem(request):
                return render(request, "400.html", {"message": problem}, status=400)
        return get_response(request)

    return middleware


def _problem(request) -> str | None:
    if "\x00" in request.path or any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in request.GET.lists()
    ):
        return NUL_IN_ADMIN_ADDRESS
    words = len(request.GET.get(SEARCH_VAR, "").split())
    if words > MAX_ADMIN_SEARCH_WORDS:
        return (
            f"The search holds {words:,} words; the admin searches for at most "
            f"{MAX_ADMIN_SEARCH_WORDS}: shorten it."
        )
    return None
