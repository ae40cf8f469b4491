"""The registry of tracked models (governance.history.tracked) against simple-history's."""

from governance.history.tracked import BY_MODEL, PAGE_KINDS
from records.history import history_models


def test_every_model_with_history_is_tracked_once():
    assert set(BY_MODEL) == set(history_models())
    assert len(BY_MODEL) == len(history_models())


def test_the_history_pages_are_of_persons_companies_tenures_sources_and_transactions():
    assert PAGE_KINDS == ["person", "company", "source", "tenure", "transaction"]
