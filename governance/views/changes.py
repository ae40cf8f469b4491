"""The feed of recent changes to the record."""

from django.shortcuts import render

from governance.forms import PageForm
from governance.history.feed import describe, history_rows, in_runs
from governance.views.caching import cached_page
from governance.views.responses import bad_parameters_give_400, paginate, parameters

PER_PAGE = 50


@cached_page
@bad_parameters_give_400
def changes(request):
    """Recent edits to the record, newest first: who, what, when, why."""
    page = paginate(history_rows(), parameters(request, PageForm)["page"], PER_PAGE)
    return render(
        request,
        "governance/changes.html",
        {
            "page": page,
            "entries": in_runs(describe(list(page.object_list)), more_follow=page.has_next()),
        },
    )
