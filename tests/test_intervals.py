"""DESIGN.md's worked examples of certain and possible intervals, on the pure rule."""

from datetime import date

from governance.models.intervals import derive_intervals
from governance.models.partial_date import PartialDate as P


def test_a_current_tenure_is_certain_from_the_last_day_of_its_start_onwards():
    intervals = derive_intervals(start=P(1999, 1), end=None, ended=False)
    assert intervals.has_certain_days
    assert (intervals.certain_start, intervals.certain_end) == (date(1999, 1, 31), None)
    assert (intervals.possible_start, intervals.possible_end) == (date(1999, 1, 1), None)


def test_an_ended_tenure_is_certain_from_start_last_to_end_first():
    intervals = derive_intervals(start=P(1990, 7), end=P(2004, 9), ended=True)
    assert (intervals.certain_start, intervals.certain_end) == (date(1990, 7, 31), date(2004, 9, 1))
    assert (intervals.possible_start, intervals.possible_end) == (
        date(1990, 7, 1),
        date(2004, 9, 30),
    )


def test_the_successors_certain_start_bounds_the_possible_end():
    intervals = derive_intervals(
        start=P(1990, 7), end=P(2004, 9), ended=True, successor_certain_start=date(2004, 9, 8)
    )
    assert intervals.possible_end == date(2004, 9, 8)
    assert intervals.certainly_held_on(date(2004, 9, 1))
    assert not intervals.certainly_held_on(date(2004, 9, 8))
    assert intervals.possibly_held_on(date(2004, 9, 8))
    assert not intervals.possibly_held_on(date(2004, 9, 9))


def test_nothing_is_possible_before_the_company_was_founded():
    intervals = derive_intervals(start=None, end=None, ended=False, founded=P(1989))
    assert intervals.possible_start == date(1989, 1, 1)


def test_with_neither_start_nor_end_only_the_attested_span_is_certain():
    intervals = derive_intervals(
        start=None, end=None, ended=False, attested_days=[date(2004, 9, 8), date(2003, 2, 7)]
    )
    assert (intervals.certain_start, intervals.certain_end) == (date(2003, 2, 7), date(2004, 9, 8))
    assert (intervals.possible_start, intervals.possible_end) == (None, None)


def test_with_no_start_no_end_and_no_attested_day_nothing_is_certain():
    intervals = derive_intervals(start=None, end=None, ended=False)
    assert not intervals.has_certain_days
    assert (intervals.certain_start, intervals.certain_end) == (None, None)


def test_an_unknown_start_makes_a_full_end_date_certain():
    intervals = derive_intervals(start=None, end=P(2011, 8, 24), ended=True)
    assert (intervals.certain_start, intervals.certain_end) == (
        date(2011, 8, 24),
        date(2011, 8, 24),
    )
    assert intervals.possible_end == date(2011, 8, 24)


def test_an_unknown_start_and_a_month_end_make_nothing_certain():
    intervals = derive_intervals(start=None, end=P(2011, 8), ended=True)
    assert not intervals.has_certain_days


def test_start_and_end_in_the_same_year_are_possible_all_year_but_certain_on_no_day():
    intervals = derive_intervals(start=P(2004), end=P(2004), ended=True)
    assert not intervals.has_certain_days
    assert (intervals.possible_start, intervals.possible_end) == (
        date(2004, 1, 1),
        date(2004, 12, 31),
    )


def test_an_attested_day_makes_a_same_year_tenure_certain_on_that_day():
    intervals = derive_intervals(
        start=P(2004), end=P(2004), ended=True, attested_days=[date(2004, 6, 1)]
    )
    assert (intervals.certain_start, intervals.certain_end) == (date(2004, 6, 1), date(2004, 6, 1))


def test_attested_days_widen_the_certain_interval():
    intervals = derive_intervals(
        start=P(2000, 5), end=P(2001, 3), ended=True, attested_days=[date(2000, 5, 2)]
    )
    assert (intervals.certain_start, intervals.certain_end) == (date(2000, 5, 2), date(2001, 3, 1))


def test_ended_at_an_unknown_date_ends_by_its_latest_dated_source():
    intervals = derive_intervals(
        start=P(1995, 3), end=None, ended=True, latest_source_day=date(2006, 4, 30)
    )
    assert not intervals.has_certain_days  # start.last is after end.first (= start.first)
    assert (intervals.possible_start, intervals.possible_end) == (
        date(1995, 3, 1),
        date(2006, 4, 30),
    )


def test_ended_at_an_unknown_date_with_no_dated_source_has_an_open_possible_end():
    intervals = derive_intervals(start=P(1995, 3, 6), end=None, ended=True)
    assert (intervals.certain_start, intervals.certain_end) == (date(1995, 3, 6), date(1995, 3, 6))
    assert intervals.possible_end is None
