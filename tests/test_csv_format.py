from hypothesis import given, settings
from hypothesis import strategies as st

from governance.csv.format import (
    csv_lines,
    escape_cell,
    join_list,
    split_list,
    unescape_cell,
)


def test_it_prefixes_formula_starts():
    for text in ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx", "'quoted"]:
        assert escape_cell(text) == "'" + text


def test_it_leaves_plain_text_alone():
    for text in ["Pat Anderson", "1999-01", "", "t Hart", "O'Brien"]:
        assert escape_cell(text) == text


def test_it_keeps_a_hand_typed_leading_quote():
    assert unescape_cell("'t Hart") == "'t Hart"


def test_it_removes_the_quote_only_before_a_formula_start():
    assert unescape_cell("'=SUM(A1)") == "=SUM(A1)"
    assert unescape_cell("''t Hart") == "'t Hart"
    assert unescape_cell("'") == "'"


@settings(max_examples=50, deadline=None)
@given(st.text())
def test_every_value_survives_escaping(text):
    assert unescape_cell(escape_cell(text)) == text


def test_lists_split_on_the_separator_only():
    assert split_list("") == []
    assert split_list("a | b|c") == ["a", "b|c"]
    assert split_list(join_list(["x", "y"])) == ["x", "y"]


def test_lines_end_with_crlf_and_quote_commas_and_newlines():
    lines = list(csv_lines(["a", "b"], [["x, y", "line\nbreak"], ["=1", "plain"]]))
    assert lines == ["a,b\r\n", '"x, y","line\nbreak"\r\n', "'=1,plain\r\n"]
