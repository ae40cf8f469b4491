import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.models.partial_date import PartialDate, Precision, parse_partial_date


@st.composite
def partial_dates(draw) -> PartialDate:
    day = draw(st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))
    precision = draw(st.sampled_from(Precision))
    if precision is Precision.YEAR:
        return PartialDate(day.year)
    if precision is Precision.MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


def test_it_parses_each_precision():
    assert PartialDate.parse("1999") == PartialDate(1999)
    assert PartialDate.parse("1999-01") == PartialDate(1999, 1)
    assert PartialDate.parse("2004-09-08") == PartialDate(2004, 9, 8)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2004-13-01", "month 13 is not between 01 and 12"),
        ("2015-02-30", "day 30 does not exist in Feb 2015"),
        ("Sept 2004", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("99", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2004-9-8", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2004-09-08T00:00", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("0000", "year 0 is out of range"),
    ],
)
def test_it_rejects_what_is_not_a_partial_date(text, reason):
    with pytest.raises(ValueError) as error:
        PartialDate.parse(text)
    assert reason in str(error.value)
    assert repr(text) in str(error.value)


def test_it_renders_at_its_precision():
    assert PartialDate(1999).display() == "1999"
    assert PartialDate(1999, 1).display() == "Jan 1999"
    assert PartialDate(2004, 9, 8).display() == "8 Sep 2004"


def test_it_knows_its_first_and_last_days():
    assert (PartialDate(1999).first, PartialDate(1999).last) == (
        datetime.date(1999, 1, 1),
        datetime.date(1999, 12, 31),
    )
    assert PartialDate(2004, 2).last == datetime.date(2004, 2, 29)
    assert (
        PartialDate(2004, 9, 8).first == PartialDate(2004, 9, 8).last == datetime.date(2004, 9, 8)
    )


def test_it_orders_by_first_day_then_precision():
    dates = [
        PartialDate(1999, 1, 1),
        PartialDate(1999, 1),
        PartialDate(1998, 12, 31),
        PartialDate(1999),
    ]
    assert sorted(dates) == [
        PartialDate(1998, 12, 31),
        PartialDate(1999),
        PartialDate(1999, 1),
        PartialDate(1999, 1, 1),
    ]


def test_empty_text_is_an_unknown_date():
    assert parse_partial_date("") is None
    assert parse_partial_date(None) is None


@given(partial_dates())
def test_parse_and_isoformat_round_trip(date):
    assert PartialDate.parse(date.isoformat()) == date


@given(partial_dates())
def test_first_and_last_bound_the_span(date):
    assert date.first <= date.last
    assert PartialDate.from_date(date.first) >= date


@given(partial_dates(), partial_dates())
def test_text_order_is_date_order(a, b):
    # The stored ISO text sorts exactly as the dates do, so the database can order them.
    assert (a.isoformat() < b.isoformat()) == (a < b)


def test_a_parsed_text_gives_the_same_date_again_and_any_length_of_padding_parses():
    assert PartialDate.parse("2004-09") is PartialDate.parse("2004-09")
    assert PartialDate.parse(" " * 10_000 + "2004-09-08\n") == PartialDate(2004, 9, 8)
    with pytest.raises(ValueError, match="is not a date: use YYYY"):
        PartialDate.parse(2004)
    with pytest.raises(ValueError, match="day 30 does not exist in Feb 2004"):
        PartialDate.parse("2004-02-30")
