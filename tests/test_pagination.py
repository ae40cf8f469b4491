"""Pages that never count a whole table (records.pagination), and the index pages using them."""

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Company
from people.models import OtherName, Person
from records.pagination import EstimatedPaginator
from tests.pages import count_queries, text_of

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def twelve_people(db):
    for n in range(12):
        person = Person.objects.create(name=f"Person {n:02d}")
        OtherName.objects.create(person=person, name=f"P. {n:02d}")
    return Person.objects.prefetch_related("other_names")


def names(page) -> list[str]:
    return [person.name for person in page.object_list]


def test_a_short_list_is_counted_exactly(twelve_people):
    paginator = EstimatedPaginator(twelve_people, 5)
    assert (paginator.count, paginator.estimated, paginator.num_pages) == (12, False, 3)
    last = paginator.page(3)
    assert names(last) == ["Person 10", "Person 11"]
    assert not last.has_next() and last.has_previous()
    with pytest.raises(EmptyPage):
        paginator.page(4)


def test_past_its_bound_the_count_is_estimated_on_postgresql(twelve_people):
    paginator = EstimatedPaginator(twelve_people, 5, exact_up_to=5)
    assert paginator.estimated is POSTGRESQL
    assert paginator.count >= 6 if POSTGRESQL else paginator.count == 12
    # Pages are exact whatever the estimate: the next page is known from one more row...
    assert paginator.page(2).has_next()
    last = paginator.page(3)
    assert names(last) == ["Person 10", "Person 11"] and not last.has_next()
    # ...the last one read names itself the last, and one past it is refused.
    assert paginator.num_pages == 3
    with pytest.raises(EmptyPage):
        paginator.page(4)


def test_a_list_past_its_bound_costs_the_queries_of_a_short_one(twelve_people):
    def queries_for_page_2(exact_up_to: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            paginator = EstimatedPaginator(twelve_people, 5, exact_up_to=exact_up_to)
            paginator.page(2)
        return len(queries)

    # What a bench sees at ten thousand tenures and at a million (the bound between them).
    assert queries_for_page_2(exact_up_to=100) == queries_for_page_2(exact_up_to=5)


def test_a_deep_page_reads_the_same_rows_in_the_same_order(twelve_people):
    shallow = EstimatedPaginator(twelve_people, 5)
    deep = EstimatedPaginator(twelve_people, 5, deep_offset=5)
    for number in (2, 3):
        assert names(deep.page(number)) == names(shallow.page(number))
    # Prefetched relations come with the rows.
    rows = deep.page(2).object_list
    with CaptureQueriesContext(connection) as queries:
        assert [o.name for p in rows for o in p.other_names.all()][0] == "P. 05"
    assert len(queries) == 0


def test_a_list_read_from_its_first_page_needs_no_count(twelve_people):
    with CaptureQueriesContext(connection) as queries:
        paginator = EstimatedPaginator(Person.objects.all(), 20, page_to_read=1)
        assert paginator.count == 12
        assert len(paginator.page(1).object_list) == 12
    assert len(queries) == 1
    assert paginator.complete_first_page() is not None


def test_a_longer_list_read_from_its_first_page_is_counted(twelve_people):
    paginator = EstimatedPaginator(Person.objects.all(), 5, page_to_read=1)
    assert paginator.count == 12
    assert paginator.complete_first_page() is None


def bulk_people(count: int, first: int = 0) -> None:
    Person.objects.bulk_create(
        Person(
            name=f"Member {n:04d}",
            sort_name=f"Member {n:04d}",
            slug=f"member-{n:04d}",
            search_key=f"member {n:04d}",
        )
        for n in range(first, first + count)
    )


def test_a_deep_page_of_people_lists_who_it_should(client, demo):
    bulk_people(1010)
    ordered = list(Person.objects.values_list("sort_name", flat=True))
    response = client.get("/people/", {"page": 21})
    assert [p.sort_name for p in response.context["page"].object_list] == ordered[1000:1050]
    assert "Page 21 of" in text_of(response)
    response = client.get("/people/", {"page": 22})
    assert response.status_code == 400
    assert "is past the last page (21)" in text_of(response)


def test_a_deep_page_runs_a_fixed_number_of_queries(client, demo):
    bulk_people(1010)
    # Past the first page, the ids of the page from the index, then its rows, however deep.
    assert count_queries(client, "/people/?page=21") == count_queries(client, "/people/?page=2")
    assert count_queries(client, "/people/") == count_queries(client, "/people/?page=2") - 1


def test_a_letters_page_is_paginated(client, demo):
    bulk_people(60)
    response = client.get("/people/", {"letter": "M"})
    assert "Page 1 of 2" in text_of(response)
    assert len(response.context["page"].object_list) == 50
    response = client.get("/people/", {"letter": "M", "page": 2})
    under_m = Person.objects.filter(sort_name__startswith="M").count()
    assert len(response.context["page"].object_list) == under_m - 50


def test_a_letters_page_runs_a_fixed_number_of_queries(client, demo):
    bulk_people(3)
    few = count_queries(client, "/people/?letter=M")
    bulk_people(100, first=3)
    assert count_queries(client, "/people/?letter=M") == few
    assert count_queries(client, "/people/?letter=M&page=3") == count_queries(
        client, "/people/?letter=M&page=2"
    )


def test_the_home_page_counts_the_companies(client, demo):
    for n in range(60):
        Company.objects.create(name=f"Firm {n:02d}")
    total = Company.objects.count()
    assert f"All {total} companies" in text_of(client.get("/"))
