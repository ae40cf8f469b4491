"""A–Z indexes: the initials present in a list, and the entries under one initial.

The initial is computed by the database (upper-cased first character) both for the letter
bar and for the filter, so every initial shown leads to its entries, accented, non-Latin
and right-to-left ones included, on SQLite and PostgreSQL alike.
"""

import string

from django.db.models import QuerySet
from django.db.models.functions import Substr, Upper

LETTERS = list(string.ascii_uppercase)


def _with_initial(queryset: QuerySet, field: str) -> QuerySet:
    return queryset.annotate(initial=Upper(Substr(field, 1, 1)))


def letter_bar(queryset: QuerySet, field: str) -> list[tuple[str, bool]]:
    """(letter, has entries) for A–Z and any other initial present, in order."""
    present = set(
        _with_initial(queryset, field).order_by().values_list("initial", flat=True).distinct()
    )
    return [(letter, letter in present) for letter in sorted(set(LETTERS) | present)]


def starting_with(queryset: QuerySet, field: str, letter: str) -> QuerySet:
    return _with_initial(queryset, field).filter(initial=letter)
