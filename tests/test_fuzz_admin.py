"""Hostile input to the admin's addresses: every changelist's filters, search, order and page,
every object and history URL with ids no record has, for every registered model admin (ours,
auth's, the task results'). The answer is a page, a redirect, a 400 or a 404, never a 500."""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from governance.models import Tenure
from people.models import Person
from records.deletion import delete_with_history
from records.middleware import NUL_IN_ADMIN_ADDRESS
from tests.hostile_inputs import fuzz, hostile_query_text

# 403: what a superuser may not do either (delete a task result), or a bad autocomplete field.
ANSWERS = {200, 302, 400, 403, 404}
MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
CHANGELISTS = [
    reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for model, _ in MODEL_ADMINS
]
# The changelist parameters that are not filters: search, order, page, and the popups' field.
CHANGELIST_PARAMETERS = ["q", "o", "p", "_to_field"]
OBJECT_VIEWS = ["change", "delete", "history"]


@pytest.fixture
def hostile_client(editor_client):
    """A superuser's client that shows a 500 as a status, as a browser would see it."""
    editor_client.raise_request_exception = False
    return editor_client


@pytest.fixture
def changelist_filters(demo, hostile_client) -> dict[str, list[str]]:
    """Each changelist's filter parameters, as its filters expect them."""
    found = {}
    for url in CHANGELISTS:
        response = hostile_client.get(url)
        assert response.status_code == 200, url
        found[url] = [
            name
            for spec in response.context["cl"].filter_specs
            for name in spec.expected_parameters()
        ]
    return found


def get(client, url: str, params: dict | None = None):
    response = client.get(url, params or {})
    assert response.status_code in ANSWERS, (url, params, response.status_code)
    if response.status_code == 400:
        assert b'class="error-message"' in response.content
    return response


def test_a_nul_in_a_changelist_filter_is_a_400_with_a_message(demo, hostile_client):
    # PostgreSQL refused the query: a 500.
    response = hostile_client.get("/admin/governance/tenure/", {"end_reason": "\x00"})
    assert response.status_code == 400
    assert NUL_IN_ADMIN_ADDRESS in response.content.decode()


def test_a_search_of_too_many_words_is_a_400_with_a_message(demo, hostile_client):
    # Django's own admin search (auth's user and group lists) made one condition a word: too
    # deep a query for SQLite, a 500.
    for url in ["/admin/auth/group/", "/admin/governance/source/"]:
        response = hostile_client.get(url, {"q": " ".join(f"w{n}" for n in range(5000))})
        assert response.status_code == 400
        assert "The search holds 5,000 words; the admin searches for at most 20" in (
            response.content.decode()
        )
    assert hostile_client.get("/admin/auth/group/", {"q": "a " * 20}).status_code == 200


def test_an_id_no_record_can_have_in_a_history_url_is_a_404(demo, hostile_client):
    # simple-history gave "_" to the query: a ValueError, 88 of 92 admin 500s.
    for url in [
        "/admin/governance/tenure/_/history/",
        "/admin/people/person/_/history/",
        "/admin/governance/tenure/1/history/_/",
        "/admin/governance/tenure/_/history/1/",
        f"/admin/governance/tenure/{'9' * 30}/history/",
        f"/admin/governance/tenure/1/history/{'9' * 30}/",
    ]:
        assert hostile_client.get(url).status_code == 404, url
    response = hostile_client.get("/admin/governance/tenure/%00/history/")
    assert response.status_code == 400


def test_a_page_number_past_any_offset_is_refused(demo, hostile_client):
    # ?p= beyond a bigint reached the OFFSET on PostgreSQL (and SQLite's integers).
    response = hostile_client.get("/admin/governance/tenure/", {"p": "9" * 30})
    assert response.status_code == 200  # one page: Django's list shows it, whatever ?p= says


def test_the_history_of_a_tenure_deleted_with_its_person_names_them(demo, hostile_client):
    tenure = Tenure.objects.get(
        person__name="Pat Anderson", role__slug="president", company__slug="innovo-group"
    )
    delete_with_history(tenure.person, None, "Entered twice")
    response = hostile_client.get(f"/admin/governance/tenure/{tenure.pk}/history/")
    assert response.status_code == 200
    assert "Pat Anderson (deleted), President at Innovo Group Inc." in response.content.decode()
    version = Tenure.history.filter(id=tenure.pk).latest("history_date")
    response = hostile_client.get(
        f"/admin/governance/tenure/{tenure.pk}/history/{version.history_id}/"
    )
    assert response.status_code == 200


def test_every_changelist_filter_and_search_answers_the_worst_values(
    hostile_client, changelist_filters
):
    # What most often fails a query: a number past any integer column, a long text that
    # normalises to many words. (A NUL is refused before any view: above, and drawn below.)
    for url, filters in changelist_filters.items():
        for name in filters:
            for value in ["9" * 30, "\ufdfa" * 200]:
                get(hostile_client, url, {name: value})
        get(hostile_client, url, {"q": "\ufdfa" * 200 + " x" * 19})


@fuzz(examples=60)
@given(data=st.data())
def test_hostile_changelist_parameters_never_fail(hostile_client, changelist_filters, data):
    url = data.draw(st.sampled_from(CHANGELISTS))
    names = st.sampled_from([*changelist_filters[url], *CHANGELIST_PARAMETERS]) | hostile_query_text
    params = data.draw(st.dictionaries(names, hostile_query_text, min_size=1, max_size=3))
    get(hostile_client, url, params)


@fuzz(examples=40)
@given(
    model_admin=st.sampled_from(MODEL_ADMINS),
    view=st.sampled_from(OBJECT_VIEWS),
    object_id=hostile_query_text,
)
def test_hostile_object_ids_never_fail(demo, hostile_client, model_admin, view, object_id):
    opts = model_admin[0]._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{quote(object_id, safe='')}/{view}/"
    get(hostile_client, url)


@fuzz(examples=25)
@given(object_id=hostile_query_text | st.just("1"), version_id=hostile_query_text)
def test_hostile_history_version_ids_never_fail(demo, hostile_client, object_id, version_id):
    for model in [Tenure, Person]:
        opts = model._meta
        url = (
            f"/admin/{opts.app_label}/{opts.model_name}/{quote(object_id, safe='')}"
            f"/history/{quote(version_id, safe='')}/"
        )
        get(hostile_client, url)


@fuzz(examples=20)
@given(
    params=st.dictionaries(
        st.sampled_from(["term", "app_label", "model_name", "field_name", "page"]),
        hostile_query_text,
    )
)
def test_hostile_autocomplete_parameters_never_fail(demo, hostile_client, params):
    base = {"app_label": "governance", "model_name": "tenure", "field_name": "person"}
    get(hostile_client, reverse("admin:autocomplete"), {**base, **params})
