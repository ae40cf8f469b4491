import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from records.urls import url_with_key


def test_it_gives_what_reverse_gives():
    assert url_with_key("person", "marc-b-crossman") == reverse("person", args=["marc-b-crossman"])
    assert url_with_key("company", "innovo_group-2") == reverse("company", args=["innovo_group-2"])
    assert url_with_key("source", 42) == reverse("source", args=[42])


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/timeline/")
        assert url_with_key("person", "anderson") == "/timeline/people/anderson/"
    finally:
        set_script_prefix("/")
    assert url_with_key("person", "anderson") == "/people/anderson/"


def test_it_refuses_a_key_the_route_refuses():
    with pytest.raises(NoReverseMatch):
        url_with_key("person", "two words")
    with pytest.raises(NoReverseMatch):
        url_with_key("person", "")
