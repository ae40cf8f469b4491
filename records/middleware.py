"""Guards every request passes before a view sees it."""

from django.shortcuts import render
from django.urls import reverse

NUL_IN_ADMIN_ADDRESS = (
    "The address holds a NUL character (%00), which no record, filter or search can contain: "
    "remove it."
)


def refuse_nul_in_admin_addresses(get_response):
    """Answer 400 to an admin address holding a NUL, in its path or any query name or value.

    PostgreSQL text cannot hold a NUL, so one that reaches a query fails it: every changelist
    filter of every model admin (ours, auth's, the task results') passed it straight to the
    database, a 500. The public pages read their parameters through forms that answer each
    bad value in their own words; the admin's are Django's and third parties', so they are
    guarded here, once, for every admin view."""
    admin_prefix = None

    def middleware(request):
        nonlocal admin_prefix
        if admin_prefix is None:
            admin_prefix = reverse("admin:index")
        if request.path.startswith(admin_prefix) and _holds_nul(request):
            return render(request, "400.html", {"message": NUL_IN_ADMIN_ADDRESS}, status=400)
        return get_response(request)

    return middleware


def _holds_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in request.GET.lists()
    )
