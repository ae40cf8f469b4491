"""Persons and the other names they are known by, with search over every name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr, Upper
from django.utils.text import capfirst, slugify
from simple_history.models import HistoricForeignKey

from people.identifiers import CikField
from people.names import (
    NAME_MAX_LENGTH,
    SEARCH_KEY_MAX_LENGTH,
    normalise_name,
    search_key_problem,
    search_words,
)
from records.history_origin import record_history
from records.inferences import INFERRED_SEPARATOR, InferredFacts
from records.urls import url_with_key

# The facts of a person that may be marked inferred: a display name the record made (from a
# filed "LAST FIRST" form), a CIK linked by name alone.
PERSON_INFERABLE_FIELDS = ["name", "cik"]


def _word_prefix_filter(field: str, words: list[str]) -> Q:
    """Every word of the query starts a word of the key ("fur" finds "samuel j furrow jr")."""
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
    return condition


class PersonQuerySet(models.QuerySet):
    # Each lookup is a UNION of one over names and one over other names, each served by an
    # index (trigram GIN indexes on PostgreSQL, migration 0003; btree ones for equality),
    # rather than an OR with an EXISTS, which scans every person.
    def _bearing(self, condition: Q) -> "PersonQuerySet":
        by_name = self.model.objects.filter(condition).order_by().values("pk")
        by_other_name = OtherName.objects.filter(condition).order_by().values("person_id")
        return self.filter(pk__in=by_name.union(by_other_name))

    def search(self, text: str) -> "PersonQuerySet":
        """Persons any one of whose names holds every word of text, as a word or its start."""
        words = search_words(text)
        if not words:
            return self.none()
        return self._bearing(_word_prefix_filter("search_key", words))

    def containing(self, text: str) -> "PersonQuerySet":
        """Persons any one of whose names holds every word of text, anywhere ("ross" finds
        Crossman): the admin's search, as broad as its own, as indexed as search()."""
        words = search_words(text)
        if not words:
            return self.none()
        return self._bearing(Q(*[Q(search_key__contains=word) for word in words]))

    def named(self, name: str) -> "PersonQuerySet":
        """Persons whose name or one of whose other names is name, once normalised."""
        return self._bearing(Q(search_key=normalise_name(name)))


def unique_slug(model: type[models.Model], text: str, max_length: int = 80) -> str:
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
        n += 1
    return slug


def unique_slugs(model: type[models.Model], texts: list[str], max_length: int = 80) -> list[str]:
    """unique_slug for many new records at once, unique among themselves too: one query for the
    plain slugs, and one more for each that is taken."""
    bases = [slugify(text)[:max_length].strip("-") or model._meta.model_name for text in texts]
    manager = model._default_manager
    taken = set(manager.filter(slug__in=set(bases)).values_list("slug", flat=True))
    slugs, looked_up = [], set()
    for base in bases:
        slug, n = base, 2
        stem = base[: max_length - 7]
        if slug in taken and stem not in looked_up:
            looked_up.add(stem)
            taken |= set(manager.filter(slug__startswith=stem).values_list("slug", flat=True))
        while slug in taken:
            slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
            n += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _check_search_key(name: str) -> None:
    """A name fits its column but its search key may not: a form error, not a database one."""
    if problem := search_key_problem(name):
        raise ValidationError({"name": f"{capfirst(problem)}."})


class Person(InferredFacts, models.Model):
    inferable_fields = PERSON_INFERABLE_FIELDS

    name = models.CharField(
        max_length=NAME_MAX_LENGTH, help_text='The name to display, e.g. "Marc B. Crossman".'
    )
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        help_text='Family name first, for A–Z order, e.g. "Crossman, Marc B.". Empty: the last word of the name.',
    )
    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text="The person's address: /people/<slug>/."
    )
    notes = models.TextField(
        blank=True, help_text="Anything a reader should know about this person."
    )
    cik = CikField(
        help_text="The person's SEC Central Index Key as a filer of ownership reports, if known."
    )
    inferred = models.CharField(
        max_length=40,
        blank=True,
        help_text=(
            "Which of its facts the record states beyond the words of its sources: any of "
            + ", ".join(PERSON_INFERABLE_FIELDS)
            + f", separated by {INFERRED_SEPARATOR!r}."
        ),
    )
    inferred_note = models.TextField(
        blank=True, help_text="How the inferred facts were inferred, from what."
    )
    search_key = models.CharField(
        max_length=SEARCH_KEY_MAX_LENGTH,
        editable=False,
        db_index=True,
        help_text="The name, normalised for search.",
    )
    history = record_history()

    objects = PersonQuerySet.as_manager()

    class Meta:
        # The id makes the order total, so pages of the A–Z index never share or skip a row.
        ordering = ["sort_name", "name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["cik"],
                condition=~Q(cik=""),
                name="person_cik_unique",
                violation_error_message="Another person has this SEC CIK.",
            ),
        ]
        indexes = [
            # /people/ and the admin's person list: a page is a walk of this index.
            models.Index(fields=["sort_name", "name", "id"], name="person_sort"),
            # /people/?letter=X (a walk from the letter), its page count, and the letter bar
            # (governance.pages.alphabet: one probe per initial present).
            models.Index(
                Upper(Substr("sort_name", 1, 1)), "sort_name", "name", "id", name="person_initial"
            ),
            # The duplicate persons check (governance.pages.quality.DuplicateKeys) walks every
            # name in key order: with OtherName's, an index-only merge of two indexes.
            models.Index(fields=["search_key", "id"], name="person_search_key_id"),
            # Search (search()): on PostgreSQL, a trigram GIN index on search_key, created by
            # migration 0003 (no other backend has one to declare here).
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_with_key("person", self.slug)

    def clean(self) -> None:
        super().clean()
        _check_search_key(self.name)

    def fill_derived(self) -> None:
        """Set what save() derives from the name (sort name, search key), for writes that do not
        go through save(), such as bulk inserts; the slug is the caller's."""
        self.name = self.name.strip()
        if not self.sort_name:
            words = self.name.rsplit(" ", 1)
            self.sort_name = ", ".join(reversed(words)) if len(words) == 2 else self.name
        self.search_key = normalise_name(self.name)

    def save(self, *args, **kwargs):
        self.fill_derived()
        if not self.slug:
            self.slug = unique_slug(Person, self.name)
        super().save(*args, **kwargs)


class OtherName(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias or nickname"
        AS_FILED = "as_filed", "As written in a filing"
        FORMER = "former", "Former name"

    # CASCADE: another name means nothing without the person it names.
    person = HistoricForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="other_names",
        help_text="Whose name this is.",
    )
    name = models.CharField(
        max_length=NAME_MAX_LENGTH, help_text='The name as found, e.g. "Jay Furrow".'
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.ALIAS,
        help_text="What sort of name this is.",
    )
    note = models.TextField(
        blank=True,
        help_text="Where the name comes from, and whether linking it to this person is an inference.",
    )
    search_key = models.CharField(
        max_length=SEARCH_KEY_MAX_LENGTH,
        editable=False,
        db_index=True,
        help_text="The name, normalised for search.",
    )
    history = record_history()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="other_name_unique_per_person"),
        ]
        indexes = [
            # The duplicate persons check (governance.pages.quality.DuplicateKeys): see Person.
            models.Index(fields=["search_key", "person"], name="other_name_search_key_person"),
            # Search (PersonQuerySet.search): on PostgreSQL, a trigram GIN index on search_key,
            # created by migration 0003.
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        _check_search_key(self.name)

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.search_key = normalise_name(self.name)
        super().save(*args, **kwargs)
