"""Pages of the audit trail: a record's history, deleted records, and data quality."""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, InvalidPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from governance.forms import PageForm, RestoreForm
from governance.history.tracked import record_version
from governance.history.versions import UnknownRecord, record_history
from governance.pages.quality import (
    CHECK_SLUGS,
    LIVE_SLUGS,
    BadCursor,
    quality_report,
    refresh_if_stale,
)
from governance.views.caching import cached_page
from governance.views.responses import (
    BadParameter,
    bad_parameters_give_400,
    bad_request,
    not_found,
    parameters,
)
from records.deletion import CannotRestore, deletions, restore_deletion

MAX_ID = 2**63 - 1  # beyond a bigint, the database would refuse the query


@require_GET
@cached_page
@bad_parameters_give_400
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    page = parameters(request, PageForm)["page"]
    if pk > MAX_ID:
        return not_found(request, f"There is no {kind} #{pk}.")
    try:
        record = record_history(kind, pk, page)
    except UnknownRecord as error:
        return not_found(request, str(error))
    except InvalidPage:
        return not_found(request, f"This history has no page {page}.")
    return render(request, "audit/history.html", {"record": record})


@staff_member_required
@require_GET
def deleted_records(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/deleted.html", {"deletions": deletions()})


@staff_member_required
@require_POST
def restore(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise PermissionDenied("Only a superuser may restore deleted records.")
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return bad_request(request, form.error_message())
    try:
        event = restore_deletion(form.cleaned_data["deletion"], request.user)
    except CannotRestore as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Restored {len(event.records)} records.")
    return redirect("deleted_records")


class QualityForm(PageForm):
    """/quality/: every check's first findings; ?check=SLUG&page=N: a page of a computed check;
    ?check=SLUG&after=CURSOR: a page of a live one, after the last one's end."""

    after = forms.CharField(max_length=60, strip=True)

    check = forms.ChoiceField(
        choices=[(slug, slug) for slug in CHECK_SLUGS],
        error_messages={
            "invalid_choice": f"?check=%(value)s is not a check: give one of {', '.join(CHECK_SLUGS)}."
        },
    )


@require_GET
@cached_page
@bad_parameters_give_400
def quality(request: HttpRequest) -> HttpResponse:
    params = parameters(request, QualityForm)
    check, page, after = params["check"], params["page"], params["after"]
    if (page > 1 or after) and not check:
        raise BadParameter(
            f"?{'page' if page > 1 else 'after'}= needs a ?check= to page through, "
            "e.g. ?check=unsourced."
        )
    if page > 1 and check in LIVE_SLUGS:
        raise BadParameter(f"?check={check} pages by ?after=: follow its Next link.")
    version = record_version()
    # In the background (the worker); the tests' immediate backend runs it here.
    refreshing = refresh_if_stale(version)
    try:
        report = quality_report(timezone.localdate(), version, check, page, after)
    except EmptyPage:
        where = f"?after={after}" if after else f"?page={page}"
        raise BadParameter(f"{where} is past the last page of {check}.") from None
    except BadCursor as error:
        raise BadParameter(str(error)) from None
    response = render(
        request,
        "audit/quality.html",
        {
            "report": report,
            "checks": report.checks,
            "single": bool(check),
            "refreshing": refreshing,
        },
    )
    # A page of stale findings changes when the recomputation ends, not with the record.
    response.uncacheable = report.stale
    return response
