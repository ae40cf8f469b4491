"""Companies, their former names and their founders."""

from django.db import models
from django.db.models.functions import Substr, Upper
from simple_history.models import HistoricForeignKey

from governance.models.partial_date import PartialDateField
from people.identifiers import CikField
from people.models import Person, unique_slug
from records.history_origin import record_history
from records.inferences import INFERRED_SEPARATOR, InferredFacts
from records.urls import url_with_key

# The facts of a company that may be marked inferred: a CIK linked by its name alone.
COMPANY_INFERABLE_FIELDS = ["cik"]


class CompanyQuerySet(models.QuerySet):
    def search(self, text: str) -> "CompanyQuerySet":
        """Companies whose name, former name or ticker contains text, in any case."""
        text = text.strip()
        if not text or "\x00" in text:
            # No stored name holds a NUL (PostgreSQL refuses the query outright).
            return self.none()
        # A UNION of indexed lookups (a trigram index on the name on PostgreSQL, migration
        # 0004) rather than an OR with an EXISTS, which scans every company.
        by_name = self.model.objects.filter(name__icontains=text).values("pk")
        by_ticker = self.model.objects.filter(ticker__iexact=text).values("pk")
        by_former_name = FormerName.objects.filter(name__icontains=text).values("company_id")
        return self.filter(
            pk__in=by_name.order_by().union(by_ticker.order_by(), by_former_name.order_by())
        )


class Company(InferredFacts, models.Model):
    inferable_fields = COMPANY_INFERABLE_FIELDS

    name = models.CharField(max_length=200, help_text='The current name, e.g. "Innovo Group Inc.".')
    slug = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        help_text="The company's address: /companies/<slug>/.",
    )
    ticker = models.CharField(max_length=12, blank=True, help_text='Trading symbol, e.g. "INNO".')
    exchange = models.CharField(
        max_length=40, blank=True, help_text='Where it trades, e.g. "NASDAQ".'
    )
    cik = CikField(help_text="The SEC's Central Index Key, if known (stored as ten digits).")
    jurisdiction = models.CharField(
        max_length=100, blank=True, help_text='Where it is incorporated, e.g. "Delaware".'
    )
    headquarters = models.CharField(
        max_length=200, blank=True, help_text='Where it is based, e.g. "Los Angeles, CA".'
    )
    # SET_NULL: a subsidiary outlives the record of its parent.
    parent = HistoricForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidiaries",
        help_text="The company that owns this one, if it is a subsidiary.",
    )
    founded = PartialDateField(
        null=True, blank=True, help_text="When it was founded: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    notes = models.TextField(
        blank=True, help_text="Anything a reader should know about this company."
    )
    inferred = models.CharField(
        max_length=40,
        blank=True,
        help_text=(
            "Which of its facts the record states beyond the words of its sources: "
            + ", ".join(COMPANY_INFERABLE_FIELDS)
            + f", separated by {INFERRED_SEPARATOR!r}."
        ),
    )
    inferred_note = models.TextField(
        blank=True, help_text="How the inferred facts were inferred, from what."
    )
    history = record_history()

    objects = CompanyQuerySet.as_manager()

    class Meta:
        # The id makes the order total, so pages of the A–Z index never share or skip a row.
        ordering = ["name", "id"]
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(
                fields=["cik"],
                condition=~models.Q(cik=""),
                name="company_cik_unique",
                violation_error_message="Another company has this SEC CIK.",
            ),
        ]
        indexes = [
            # /companies/, the home page's list and the admin's company list: a page is a walk
            # of this index.
            models.Index(fields=["name", "id"], name="company_name"),
            # /companies/?letter=X, its page count, and the letter bar
            # (governance.pages.alphabet: one probe per initial present).
            models.Index(Upper(Substr("name", 1, 1)), "name", "id", name="company_initial"),
            # Search by ticker (search(): ticker__iexact compares upper-cased).
            models.Index(Upper("ticker"), name="company_ticker_upper"),
            # Search by name (search(): name__icontains): on PostgreSQL, a trigram GIN index on
            # UPPER(name), created by migration 0010 (no other backend has one to declare).
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_with_key("company", self.slug)

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        if not self.slug:
            self.slug = unique_slug(Company, self.name)
        founded_changed = (
            self.pk is not None
            and Company.objects.filter(pk=self.pk).exclude(founded=self.founded).exists()
        )
        super().save(*args, **kwargs)
        if founded_changed:
            self.tenures.refresh_intervals()


class FormerName(models.Model):
    # CASCADE: a former name means nothing without the company that bore it.
    company = HistoricForeignKey(
        Company, on_delete=models.CASCADE, related_name="former_names", help_text="The company."
    )
    name = models.CharField(max_length=200, help_text="The name it went by.")
    start = PartialDateField(
        null=True, blank=True, help_text="Since when it bore the name, if known."
    )
    end = PartialDateField(
        null=True, blank=True, help_text="Until when it bore the name, if known."
    )
    note = models.TextField(
        blank=True,
        help_text='Where the name comes from, e.g. "as filed" in an SEC filing that names it so.',
    )
    history = record_history()

    class Meta:
        ordering = ["start", "name"]

    def __str__(self) -> str:
        return self.name


class Founder(models.Model):
    """A founding is an event, not a tenure: who founded the company (its date is Company.founded)."""

    # CASCADE both ways: the fact names both; without either there is nothing to say.
    company = HistoricForeignKey(
        Company, on_delete=models.CASCADE, related_name="founders", help_text="The company founded."
    )
    person = HistoricForeignKey(
        Person, on_delete=models.CASCADE, related_name="foundings", help_text="Who founded it."
    )
    # SET_NULL: the fact stays, unsourced, if its source is deleted.
    source = HistoricForeignKey(
        "governance.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="foundings",
        help_text="The document that says so.",
    )
    quote = models.TextField(blank=True, help_text="The passage of the source that says so.")
    history = record_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "person"], name="founder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} founded {self.company}"
