"""The parameters of pages, exports and commands (governance.forms): one message each."""

import datetime

import pytest

from governance.forms import IndexForm, RecordedForm, RecordPageForm, SearchForm, TenureExportForm

UTC = datetime.UTC


def parse_recorded(text: str) -> datetime.datetime:
    form = RecordedForm({"recorded": text})
    assert form.is_valid(), form.errors
    return form.cleaned_data["recorded"]


class TestParseRecorded:
    def test_a_day_means_its_end_in_utc(self):
        moment = parse_recorded("2005-01-01")
        assert moment == datetime.datetime(2005, 1, 1, 23, 59, 59, 999999, tzinfo=UTC)

    def test_a_naive_timestamp_is_utc(self):
        assert parse_recorded("2005-01-01T12:00") == datetime.datetime(2005, 1, 1, 12, tzinfo=UTC)

    def test_an_offset_is_converted_to_utc(self):
        assert parse_recorded("2005-01-01T12:00:00+02:00") == datetime.datetime(
            2005, 1, 1, 10, tzinfo=UTC
        )
        assert parse_recorded("2005-01-01T12:00:00Z").hour == 12

    @pytest.mark.parametrize(
        "bad",
        [
            "",
            "yesterday",
            "2005-13-01",
            "2005-02-30",
            "2005-01-01T25:00",
            # In range as given, out of range once converted to UTC: was an OverflowError.
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:30:00-01:00",
        ],
    )
    def test_it_refuses_bad_values_saying_why(self, bad):
        form = RecordedForm({"recorded": bad})
        assert not form.is_valid()
        assert "recorded" in form.error_message()

    def test_absent_is_none_and_given_empty_is_an_error(self):
        form = RecordedForm({})
        assert form.is_valid() and form.cleaned_data == {"recorded": None}
        assert "is empty" in RecordedForm({"recorded": " "}).errors["recorded"][0]


class TestDay:
    @pytest.mark.parametrize("bad", ["yesterday", "2004-9-8", "20040908"])
    def test_it_refuses_anything_but_a_day(self, bad):
        form = RecordPageForm({"on": bad})
        assert not form.is_valid()
        assert form.error_message() == (
            f"on={bad!r} is not a day: give a day as YYYY-MM-DD, e.g. 2004-09-08."
        )

    def test_it_says_why_a_day_does_not_exist(self):
        form = RecordPageForm({"on": "2004-13-01"})
        assert not form.is_valid()
        assert form.error_message() == "on='2004-13-01' is not a day: month must be in 1..12."

    def test_empty_is_none(self):
        form = RecordPageForm({"on": ""})
        assert form.is_valid() and form.cleaned_data["on"] is None


class TestIndex:
    def test_defaults(self):
        form = IndexForm({})
        assert form.is_valid()
        assert form.cleaned_data == {"page": 1, "letter": ""}

    def test_letter_is_upper_cased(self):
        form = IndexForm({"letter": "c", "page": "3"})
        assert form.is_valid() and form.cleaned_data == {"page": 3, "letter": "C"}


def test_a_query_is_stripped_and_cut_at_200_characters():
    form = SearchForm({"q": "  " + "a" * 300})
    assert form.is_valid() and form.cleaned_data["q"] == "a" * 200


@pytest.mark.django_db
class TestTenureExport:
    def test_unknown_slugs_name_no_record(self, demo):
        form = TenureExportForm({"company": "nope"})
        assert not form.is_valid()
        assert form.names_no_record
        assert form.error_message() == "No company has the slug 'nope'."

    def test_a_bad_day_is_not_about_a_record(self, demo):
        form = TenureExportForm({"company": "innovo-group", "on": "2004-13-01"})
        assert not form.is_valid() and not form.names_no_record


@pytest.mark.django_db
class TestOnAPage:
    def test_the_moment_reaches_the_page(self, client, demo):
        response = client.get("/companies/innovo-group/", {"recorded": "2030-01-01"})
        assert response.status_code == 200
        assert response.context["recorded"] == datetime.datetime(
            2030, 1, 1, 23, 59, 59, 999999, tzinfo=UTC
        )

    @pytest.mark.parametrize("bad", ["", "2005-02-30", "last tuesday", "2005-01-01T12:00+25:00"])
    def test_a_bad_value_is_a_400_with_a_message(self, client, demo, bad):
        response = client.get("/companies/innovo-group/", {"recorded": bad})
        assert response.status_code == 400
        assert b"recorded" in response.content
        assert b"YYYY-MM-DD" in response.content
