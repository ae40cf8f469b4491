"""Inferred facts (records.inferences): one rule for tenures, persons and companies."""

import pytest
from django.core.exceptions import ValidationError

from governance.models import Company, Role, Tenure
from people.models import Person


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make, good, listed",
    [
        (lambda: Person(name="Ann Example"), "name | cik", "name, cik"),
        (lambda: Company(name="Acme"), "cik", "cik"),
        (
            lambda: Tenure(
                person=Person.objects.create(name="Bo"),
                company=Company.objects.create(name="Co"),
                role=Role.objects.get(slug="director"),
            ),
            "start | end",
            "person, title, start, end, end_reason, replaces",
        ),
    ],
)
def test_only_the_models_own_facts_may_be_marked(make, good, listed):
    record = make()
    record.inferred = good
    record.full_clean(exclude=["slug", "sort_name", "search_key"])
    assert record.inferred_fields == good.split(" | ")
    record.inferred = f"{good} | colour"
    with pytest.raises(ValidationError) as refused:
        record.full_clean(exclude=["slug", "sort_name", "search_key"])
    assert refused.value.message_dict["inferred"] == [f"Unknown fields colour: use {listed}."]
