"""Hostile input to the admin's add forms (person, company, tenure, source, transaction): every
field, their inline rows' fields too. The answer is the form again with its errors, or the
record saved, never a 500; a refused form writes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.models import Company, Role, Source
from people.models import Person
from tests.hostile_inputs import WORST, fuzz, hostile_text, record_state, sendable

INLINE_MANAGEMENT = {"INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def good_forms() -> dict[str, dict[str, dict[str, str]]]:
    """For each add form, its fields and each inline's row, with values it accepts."""
    person = str(Person.objects.get(slug="marc-b-crossman").pk)
    company = str(Company.objects.get(slug="innovo-group").pk)
    director = str(Role.objects.get(slug="director").pk)
    source = str(Source.objects.first().pk)
    return {
        "/admin/people/person/add/": {
            "": {"name": "Fuzz Person", "sort_name": "Person, Fuzz", "notes": "n", "cik": ""},
            "other_names": {"name": "F. Person", "kind": "alias", "note": "n"},
            "tenures": {"company": company, "role": director, "title": "Director", "start": "2010"},
        },
        "/admin/governance/company/add/": {
            "": {"name": "Fuzz Co", "ticker": "FZZ", "exchange": "NASDAQ", "founded": "1999"},
            "former_names": {"name": "Fuzz Company", "start": "1990", "end": "1999-05"},
            "founders": {"person": person, "source": source, "quote": "founded"},
            "tenures": {"person": person, "role": director, "title": "Director", "start": "2011"},
        },
        "/admin/governance/tenure/add/": {
            "": {
                "person": person,
                "company": company,
                "role": director,
                "title": "Director",
                "start": "2012-03",
                "end": "2013",
                "end_reason": "resigned",
                "notes": "n",
            },
            "citations": {"source": source, "quote": "elected", "position": "1"},
            "attestations": {"day": "2012-06-01", "source": source, "quote": "a director"},
        },
        "/admin/governance/source/add/": {
            "": {"kind": "press_release", "title": "Fuzz release", "date": "2004-09-08"},
            "parties": {"person": person, "part": "signatory", "name_as_written": "M. C."},
        },
        "/admin/governance/transaction/add/": {
            "": {
                "company": company,
                "kind": "loan",
                "instrument": "note",
                "date": "2003-02-07",
                "amount": "1000.00",
                "currency": "USD",
                "interest_rate": "8",
                "due": "2003-08",
            },
            "parties": {"person": person, "part": "lender"},
            "citations": {"source": source, "quote": "note", "position": "1"},
        },
    }


def post_data(form: dict[str, dict[str, str]], changes: dict[tuple[str, str], str]) -> dict:
    """The form's fields and one row of each inline, with changes[(prefix, field)] put in."""
    data = {"change_reason": "Fuzzing"}
    for prefix, fields in form.items():
        values = {**fields, **{name: v for (p, name), v in changes.items() if p == prefix}}
        if prefix == "":
            data.update(values)
            continue
        data[f"{prefix}-TOTAL_FORMS"] = "1"
        data.update({f"{prefix}-{name}": value for name, value in INLINE_MANAGEMENT.items()})
        data.update({f"{prefix}-0-{name}": value for name, value in values.items()})
    return data


def post(client, url: str, data: dict):
    before = record_state()
    response = client.post(url, {name: sendable(value) for name, value in data.items()})
    assert response.status_code in {200, 302}, (url, data, response.status_code)
    if response.status_code == 200:  # the form again, saying what is wrong
        assert record_state() == before
        assert b'class="errornote"' in response.content
    return response


@pytest.fixture
def forms(demo, editor_client) -> dict:
    editor_client.raise_request_exception = False
    return good_forms()


def all_fields(form: dict) -> list[tuple[str, str]]:
    return [(prefix, name) for prefix, fields in form.items() for name in fields]


@pytest.mark.parametrize("name", ["ß" * 150, "\ufdfa" * 200])
def test_a_name_whose_search_key_outgrows_its_column_is_a_form_error(editor_client, forms, name):
    # A 500 on PostgreSQL (the key too long for its column), in the person and its other names.
    form = forms["/admin/people/person/add/"]
    for field in [("", "name"), ("other_names", "name")]:
        response = post(editor_client, "/admin/people/person/add/", post_data(form, {field: name}))
        assert response.status_code == 200
        assert "at most 200 fit: shorten the name." in response.content.decode()


def test_an_autocomplete_field_holding_an_id_no_record_can_have_is_a_form_error(
    editor_client, forms
):
    # The form came back with its error, and its widget put the value in a query: a 500.
    url = "/admin/governance/tenure/add/"
    for value in ["x", "9" * 30]:
        for field in [("", "person"), ("citations", "source")]:
            response = post(editor_client, url, post_data(forms[url], {field: value}))
            assert response.status_code == 200
            assert "Select a valid choice." in response.content.decode()


def test_the_good_forms_are_saved(editor_client, forms):
    for url, form in forms.items():
        response = post(editor_client, url, post_data(form, {}))
        assert response.status_code == 302, response.context["errors"]


def test_every_field_at_once_holding_each_worst_value_is_refused_or_saved(editor_client, forms):
    # A form checks every field: one post per value tries them all.
    for url, form in forms.items():
        for value in WORST[1:-1]:  # not "" (a required field's error) nor "\udc80" ("?")
            post(editor_client, url, post_data(form, dict.fromkeys(all_fields(form), value)))


@fuzz(examples=30)
@given(data=st.data())
def test_a_hostile_value_in_any_field_is_refused_or_saved(editor_client, forms, data):
    url = data.draw(st.sampled_from(sorted(forms)))
    fields = data.draw(st.lists(st.sampled_from(all_fields(forms[url])), min_size=1, max_size=3))
    values = {field: data.draw(hostile_text) for field in fields}
    post(editor_client, url, post_data(forms[url], values))
