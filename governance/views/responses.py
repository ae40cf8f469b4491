"""What every view shares: reading its parameters through a form (a bad one is a 400 page saying
what was wrong), the 400 and 404 pages, and a page of a list."""

import functools

from django.core.paginator import EmptyPage, Page
from django.shortcuts import render

from governance.forms import ParameterForm
from records.pagination import EstimatedPaginator


class BadParameter(Exception):
    """A parameter the page cannot use; its message is shown to the reader."""


def parameters(request, form_class: type[ParameterForm]) -> dict:
    """The request's query parameters, cleaned by form_class; BadParameter when one is bad."""
    form = form_class(request.GET)
    if not form.is_valid():
        raise BadParameter(form.error_message())
    return form.cleaned_data


def paginate(items, number: int, per_page: int) -> Page:
    """A page of items, without counting a long list (records.pagination)."""
    paginator = EstimatedPaginator(items, per_page)
    try:
        return paginator.page(number)
    except EmptyPage:
        last = f"about {paginator.num_pages}" if paginator.estimated else paginator.num_pages
        raise BadParameter(f"?page={number} is past the last page ({last}).") from None


def bad_request(request, message: str):
    return render(request, "400.html", {"message": message}, status=400)


def not_found(request, message: str):
    return render(request, "404.html", {"message": message}, status=404)


def bad_parameters_give_400(view):
    """Turn a BadParameter raised while reading the parameters into a 400 page with its message."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return bad_request(request, str(error))

    return wrapper
