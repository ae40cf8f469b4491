"""Pages of long lists that never count a whole table: exact up to a bound, estimated beyond.

Counting a million rows takes as long as reading them, on every page view. Instead:

- A paginator told which page it will serve reads that page first, with one row more than it
  shows. On page 1, a list that fits is then counted without a COUNT at all.
- Otherwise the count stops at EXACT_UP_TO + 1 rows (a LIMIT inside the COUNT): a list that
  short is counted exactly, as before. A longer one takes PostgreSQL's planner estimate
  (EXPLAIN's row count: pg_class.reltuples for a whole table, the column statistics for a
  filtered one) and says so (`estimated`), so a page reads "page 3 of about 4,000".
- Whether a next page exists is never estimated: it is the extra row. A page past the real
  end is empty and refused, whatever the estimate said.
- A page after the first (an offset of DEEP_OFFSET rows or more) first finds its rows' ids, a
  walk of the ordering's index that reads no table row (an index-only scan on PostgreSQL),
  then reads only those rows: page 2 and page 4,000 cost the same queries.

Other backends, small and local, count exactly.
"""

from __future__ import annotations

import json
from math import ceil

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

EXACT_UP_TO = 10_000
DEEP_OFFSET = 1
# The largest OFFSET both backends take: a signed 64-bit integer.
MAX_OFFSET = 2**63 - 1


def planner_estimate(queryset: QuerySet) -> int | None:
    """The number of rows PostgreSQL expects queryset to return, or None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def bounded_count(queryset: QuerySet, bound: int) -> int:
    """The number of rows of queryset, counting no further than bound."""
    if not queryset.query.combinator:
        queryset = queryset.values("pk")
    return queryset.order_by()[:bound].count()


def fast_count(queryset: QuerySet, exact_up_to: int = EXACT_UP_TO) -> tuple[int, bool]:
    """(count, estimated): exact up to exact_up_to rows, PostgreSQL's estimate beyond."""
    # Asked whatever the count, so a page costs the same queries at any size of the record.
    estimate = planner_estimate(queryset)
    if estimate is None:
        return queryset.count(), False
    counted = bounded_count(queryset, exact_up_to + 1)
    if counted <= exact_up_to:
        return counted, False
    return max(estimate, counted), True


class EstimatedPage(Page):
    def __init__(self, object_list, number, paginator, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next


class EstimatedPaginator(Paginator):
    """A Paginator whose count is exact up to EXACT_UP_TO rows and estimated beyond (on
    PostgreSQL); `estimated` says which. A page knows whether a next one exists without it.

    page_to_read: the page the caller will ask for, read first (see the module's docstring).
    """

    def __init__(
        self,
        object_list,
        per_page,
        *args,
        page_to_read: int | None = None,
        exact_up_to: int = EXACT_UP_TO,
        deep_offset: int = DEEP_OFFSET,
        **kwargs,
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.page_to_read = page_to_read
        self.exact_up_to = exact_up_to
        self.deep_offset = deep_offset
        self._count: int | None = None
        self._estimated = False
        self._read: dict[int, list] = {}  # page number: its rows and the one after

    def _measure(self) -> None:
        if self._count is not None:
            return
        if self.page_to_read is not None and self.page_to_read >= 1:
            rows = self._read_page(self.page_to_read)
            if self.page_to_read == 1 and len(rows) <= self.per_page:
                self._count = len(rows)
                return
        if isinstance(self.object_list, QuerySet):
            self._count, self._estimated = fast_count(self.object_list, self.exact_up_to)
        else:
            self._count = len(self.object_list)

    @property
    def count(self) -> int:
        self._measure()
        return self._count

    @property
    def estimated(self) -> bool:
        """True when count (and so num_pages) is the planner's estimate."""
        self._measure()
        return self._estimated

    @property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, ceil(max(1, self.count - self.orphans) / self.per_page))

    def complete_first_page(self) -> list | None:
        """The rows of the whole list when page 1, already read, holds them all; else None."""
        rows = self._read.get(1)
        return rows if rows is not None and len(rows) <= self.per_page else None

    def validate_number(self, number) -> int:
        if not self.estimated:
            return super().validate_number(number)
        # The last page is not known: page() refuses a page past the real end instead.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def _read_page(self, number: int) -> list:
        """The page's rows and, if there is one, the next row."""
        if number not in self._read:
            bottom = (number - 1) * self.per_page
            # No list reaches that far, and the databases refuse such an offset (an error).
            too_far = bottom + self.per_page >= MAX_OFFSET
            self._read[number] = [] if too_far else self._rows(bottom, bottom + self.per_page + 1)
        return self._read[number]

    def _rows(self, bottom: int, top: int) -> list:
        items = self.object_list
        deep = (
            bottom >= self.deep_offset
            and isinstance(items, QuerySet)
            and items._iterable_class is ModelIterable
            and not items.query.combinator
        )
        if not deep:
            return list(items[bottom:top])
        ids = list(items.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in items.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

    def page(self, number) -> EstimatedPage:
        number = self.validate_number(number)
        rows = self._read_page(number)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        has_next = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if self.estimated:
            # Never name a last page before the one being read, nor past it when it is last.
            seen = (number - 1) * self.per_page + len(rows) + has_next
            self._count = max(self._count, seen) if has_next else seen
        return EstimatedPage(rows, number, self, has_next)
