"""Search over every name a person bears, and over companies: word starts, any case, accents."""

import pytest

from governance.models import Company, FormerName
from people.models import OtherName, Person


def found(text: str) -> list[str]:
    return sorted(person.name for person in Person.objects.search(text))


@pytest.fixture
def people(db):
    ada = Person.objects.create(name="Ada Lovelace-Byron")
    OtherName.objects.create(person=ada, name="Augusta Ada King")
    OtherName.objects.create(person=ada, name="Countess of Lovelace")
    Person.objects.create(name="Adam Smith")
    Person.objects.create(name="Béatrice Adamson")


@pytest.mark.parametrize(
    "text, names",
    [
        ("ada", ["Ada Lovelace-Byron", "Adam Smith", "Béatrice Adamson"]),  # word starts
        ("byron", ["Ada Lovelace-Byron"]),  # after punctuation
        ("augusta king", ["Ada Lovelace-Byron"]),  # another name, words in any order
        ("countess love", ["Ada Lovelace-Byron"]),
        ("BEATRICE", ["Béatrice Adamson"]),  # case and accents
        ("damson", []),  # inside a word: no
        ("ada smith", ["Adam Smith"]),
        # Every word in one of the names: "augusta" and "smith" are in no single name.
        ("augusta smith", []),
        ("", []),
        ("  ,.  ", []),
    ],
)
def test_every_word_starts_a_word_of_one_name(people, text, names):
    assert found(text) == names


def test_a_person_bearing_several_matching_names_is_found_once(people):
    assert found("lovelace") == ["Ada Lovelace-Byron"]


def test_search_keeps_its_queryset_chainable(people):
    assert Person.objects.search("ada").filter(name__startswith="Adam").count() == 1
    assert Person.objects.filter(name__startswith="Adam").search("ada").count() == 1


def companies(text: str) -> list[str]:
    return sorted(company.name for company in Company.objects.search(text))


def test_companies_by_name_inside_words_ticker_or_former_name(db):
    acme = Company.objects.create(name="Acme Holdings", ticker="ACM")
    FormerName.objects.create(company=acme, name="Roadrunner Supplies")
    Company.objects.create(name="Macmillan", ticker="MCM")
    assert companies("acme") == ["Acme Holdings"]  # name
    assert companies("acm") == ["Acme Holdings", "Macmillan"]  # inside a word, or ticker
    assert companies("mcm") == ["Macmillan"]  # the ticker, in any case
    assert companies("runner") == ["Acme Holdings"]  # a former name
    assert companies("zzz") == [] and companies("") == []
