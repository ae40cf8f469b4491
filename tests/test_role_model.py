"""The role catalogue: a role made single-seat must not leave two holders at once."""

import pytest
from django.core.exceptions import ValidationError

from governance.models import Company, Role, Tenure
from governance.models.partial_date import PartialDate as P
from people.models import Person


@pytest.fixture
def cto(db):
    return Role.objects.create(name="Chief Sustainability Officer", slug="cso", kind="officer")


def holder(cto, name, start, end=None):
    company, _ = Company.objects.get_or_create(name="Apple Inc.")
    return Tenure.objects.create(
        person=Person.objects.create(name=name), company=company, role=cto, start=start, end=end
    )


def test_making_a_role_single_seat_is_refused_while_two_hold_it_at_once(cto):
    # Accepted on SQLite, a 500 on PostgreSQL (the exclusion constraint): refused on both.
    holder(cto, "A", P(2000), P(2005))
    holder(cto, "B", P(2003), P(2010))
    cto.single_seat = True
    with pytest.raises(ValidationError, match="B, Chief Sustainability Officer at Apple Inc."):
        cto.full_clean()


def test_making_a_role_single_seat_is_accepted_when_holders_hand_over(cto):
    first = holder(cto, "A", P(2000, 1, 1), P(2005, 6, 30))
    holder(cto, "B", P(2005, 6, 30))
    cto.single_seat = True
    cto.full_clean()
    cto.save()
    first.refresh_from_db()
    assert first.single_seat
