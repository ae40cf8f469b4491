from django.core.paginator import Paginator
from django.shortcuts import render

from governance.history.feed import describe, history_rows
from governance.views.responses import BadParameter, bad_parameters_give_400, page_param

PER_PAGE = 50


@bad_parameters_give_400
def changes(request):
    """Recent edits to the record, newest first: who, what, when, why."""
    paginator = Paginator(history_rows(), PER_PAGE)
    number = page_param(request)
    if number > paginator.num_pages:
        raise BadParameter(f"?page={number} is past the last page ({paginator.num_pages}).")
    page = paginator.page(number)
    return render(
        request,
        "governance/changes.html",
        {"page": page, "changes": describe(list(page.object_list))},
    )
