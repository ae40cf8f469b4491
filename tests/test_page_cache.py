"""Whole pages cached for anonymous readers (governance/views/caching.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Tenure
from governance.models.partial_date import PartialDate

URL = "/companies/innovo-group/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True


def get(client, url=URL, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def test_a_second_read_costs_one_query_and_says_the_same(client, demo):
    first, rendered = get(client)
    second, cached = get(client)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert cached == 1 < rendered


def test_an_edit_changes_the_page_at_once(client, demo):
    before, _ = get(client)
    tenure = Tenure.objects.get(
        person__slug="pat-anderson", role__slug="president", company__slug="innovo-group"
    )
    tenure.end = PartialDate(2004, 9, 7)
    tenure._change_reason = "Corrected from the 8-K"
    tenure.save()
    after, queries = get(client)
    assert queries > 1
    assert before["ETag"] != after["ETag"]
    assert "7 Sep 2004" in after.content.decode()


def test_an_unchanged_page_is_a_304_with_no_body(client, demo):
    first, _ = get(client)
    response, queries = get(client, **{"If-None-Match": first["ETag"]})
    assert response.status_code == 304 and response.content == b""
    assert queries == 1
    assert "no-cache" in response["Cache-Control"]


def test_each_query_string_is_its_own_page(client, demo):
    plain, _ = get(client)
    on_day, _ = get(client, f"{URL}?on=2004-09-01")
    assert plain["ETag"] != on_day["ETag"]
    assert "1 Sep 2004" in on_day.content.decode()


def test_a_logged_in_user_gets_a_fresh_private_page(admin_client, demo):
    _, first = get(admin_client)
    response, second = get(admin_client)
    assert first == second > 1
    assert "private" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_errors_are_not_cached(client, demo):
    response, _ = get(client, f"{URL}?on=nonsense")
    assert response.status_code == 400
    response, queries = get(client, f"{URL}?on=nonsense")
    assert response.status_code == 400 and queries >= 1


def test_a_response_that_sets_a_cookie_is_never_cached(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from governance.views.caching import cached_page

    calls = []

    @cached_page
    def view(request):
        calls.append(1)
        response = HttpResponse(f"page {len(calls)}")
        response.set_cookie("choice", str(len(calls)))
        return response

    for _ in range(2):
        request = rf.get("/somewhere/")
        request.user = AnonymousUser()
        response = view(request)
    assert len(calls) == 2 and response.content == b"page 2"
