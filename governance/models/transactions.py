"""Related-party transactions: a company's dealings with a person or another company (a loan, a
guarantee, a lease…), their parties with their parts, and the passages of the sources that
state their terms."""

from django.db import models
from simple_history.models import HistoricForeignKey

from governance.models.companies import Company
from governance.models.partial_date import PartialDateField
from governance.models.sources import Source
from people.models import Person
from records.history_origin import record_history
from records.urls import url_with_key


class TransactionQuerySet(models.QuerySet):
    def for_display(self) -> "TransactionQuerySet":
        """With company, parties and sources, in a fixed number of queries."""
        return self.select_related("company").prefetch_related(
            models.Prefetch(
                "parties", queryset=TransactionParty.objects.select_related("person", "company")
            ),
            models.Prefetch(
                "citations", queryset=TransactionSource.objects.select_related("source")
            ),
        )

    # From the person's or the source's rows (their foreign key's index), not an EXISTS
    # probe for every transaction.
    def involving(self, person: Person) -> "TransactionQuerySet":
        """Transactions the person is a party to."""
        parts = TransactionParty.objects.filter(person=person).values("transaction_id")
        return self.filter(pk__in=parts)

    def stated_by(self, source: Source) -> "TransactionQuerySet":
        """Transactions whose terms the source states."""
        cited = TransactionSource.objects.filter(source=source).values("transaction_id")
        return self.filter(pk__in=cited)


class Transaction(models.Model):
    class Kind(models.TextChoices):
        LOAN = "loan", "loan"
        GUARANTEE = "guarantee", "guarantee"
        SALE_OR_PURCHASE = "sale_or_purchase", "sale or purchase"
        LEASE = "lease", "lease"
        COMPENSATION = "compensation", "compensation arrangement"
        OTHER = "other", "other"

    # CASCADE: a transaction is a fact about the company that is party to it.
    company = HistoricForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="transactions",
        help_text="The company whose related party the other side is.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What sort of deal.")
    kind_inferred = models.BooleanField(
        default=False,
        help_text="The documents do not name the kind: it is read from their terms.",
    )
    instrument = models.CharField(
        max_length=200,
        blank=True,
        help_text='The document that makes it, as it calls itself, e.g. "promissory note".',
    )
    date = PartialDateField(null=True, blank=True, help_text="When it was made.")
    amount = models.DecimalField(
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The principal or price, in the currency below.",
    )
    currency = models.CharField(max_length=3, default="USD", help_text='ISO 4217 code, e.g. "USD".')
    interest_rate = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Per cent a year, e.g. 8 for 8%.",
    )
    due = PartialDateField(null=True, blank=True, help_text="When it falls due.")
    extended_due = PartialDateField(
        null=True, blank=True, help_text="The latest due date an extension allows, if any."
    )
    extension_terms = models.TextField(
        blank=True, help_text="Who may extend it, and how; as the document says."
    )
    security = models.TextField(blank=True, help_text="What secures it, as the document says.")
    inferred_note = models.TextField(
        blank=True, help_text="What the record states beyond its documents' words, and why."
    )
    notes = models.TextField(blank=True, help_text="Anything a reader should know about it.")
    history = record_history()

    objects = TransactionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            # A company's transactions, on its page and timeline.
            models.Index(fields=["company", "date"], name="transaction_company_date"),
        ]

    def __str__(self) -> str:
        what = self.instrument or self.get_kind_display()
        return f"{what}, {self.date or 'date unknown'}: {self.company}"

    def get_absolute_url(self) -> str:
        return url_with_key("company", self.company.slug) + f"#transaction-{self.pk}"

    @property
    def amount_display(self) -> str:
        """'$250,000' (cents shown only where there are some), or the currency code."""
        if self.amount is None:
            return ""
        whole = self.amount == self.amount.to_integral_value()
        number = f"{self.amount:,.0f}" if whole else f"{self.amount:,.2f}"
        return f"${number}" if self.currency == "USD" else f"{number} {self.currency}"

    @property
    def rate_display(self) -> str:
        """'8%', '7.25%'."""
        if self.interest_rate is None:
            return ""
        return f"{self.interest_rate.normalize():f}%".replace(".0%", "%")

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()


class TransactionParty(models.Model):
    class Part(models.TextChoices):
        LENDER = "lender", "lender"
        BORROWER = "borrower", "borrower"
        GUARANTOR = "guarantor", "guarantor"
        SELLER = "seller", "seller"
        BUYER = "buyer", "buyer"
        LESSOR = "lessor", "lessor"
        LESSEE = "lessee", "lessee"
        PAYER = "payer", "payer"
        RECIPIENT = "recipient", "recipient"
        OTHER = "other", "other"

    # CASCADE: a party is part of its transaction.
    transaction = HistoricForeignKey(
        Transaction, on_delete=models.CASCADE, related_name="parties", help_text="The deal."
    )
    # CASCADE: the line says nothing once the person or company it names is gone.
    person = HistoricForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="transaction_parts",
        help_text="The person, if a person.",
    )
    company = HistoricForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="transaction_parts",
        help_text="The company, if a company.",
    )
    part = models.CharField(max_length=20, choices=Part.choices, help_text="Its side of the deal.")
    part_as_written = models.CharField(
        max_length=200, blank=True, help_text='As the document calls it, e.g. "Payee".'
    )
    history = record_history()

    class Meta:
        verbose_name_plural = "transaction parties"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True, company__isnull=False)
                | models.Q(person__isnull=False, company__isnull=True),
                name="transaction_party_is_person_or_company",
                violation_error_message="A party is either a person or a company: give exactly one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.company}, {self.get_part_display()}"


class TransactionSource(models.Model):
    """A source stating a transaction's terms, with the passage that states them."""

    # CASCADE: the citation is part of both the transaction and the source.
    transaction = HistoricForeignKey(
        Transaction, on_delete=models.CASCADE, related_name="citations", help_text="The deal."
    )
    source = HistoricForeignKey(
        Source,
        on_delete=models.CASCADE,
        related_name="transaction_citations",
        help_text="The document.",
    )
    quote = models.TextField(blank=True, help_text="The passage, exactly as the source words it.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order among its sources.")
    history = record_history()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "source"], name="transaction_source_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} for {self.transaction}"
