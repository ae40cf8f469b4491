"""Sources (documents), their parties, the citations that quote them for a tenure, and the
days they attest a role."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from simple_history.models import HistoricForeignKey

from governance.models.companies import Founder
from governance.models.partial_date import PartialDateField
from people.models import Person
from records.history_origin import record_history
from records.urls import url_with_key


class SourceQuerySet(models.QuerySet):
    # One indexed lookup per way a document can be about a record, UNIONed: an OR over joins
    # would scan every party, citation and attestation (and need a DISTINCT over them).
    def _with_ids_from(self, *lookups: models.QuerySet) -> "SourceQuerySet":
        first, *rest = [lookup.order_by().values("source_id") for lookup in lookups]
        return self.filter(pk__in=first.union(*rest))

    def about_company(self, company) -> "SourceQuerySet":
        """Documents naming the company, or cited for its tenures, founding or attested days."""
        return self._with_ids_from(
            SourceParty.objects.filter(company=company),
            Citation.objects.filter(tenure__company=company),
            Attestation.objects.filter(tenure__company=company),
            Founder.objects.filter(company=company),
        )

    def about_person(self, person) -> "SourceQuerySet":
        """Documents naming the person, or cited for the person's tenures or foundings."""
        return self._with_ids_from(
            SourceParty.objects.filter(person=person),
            Citation.objects.filter(tenure__person=person),
            Attestation.objects.filter(tenure__person=person),
            Founder.objects.filter(person=person),
        )


class Source(models.Model):
    class Kind(models.TextChoices):
        SEC_FILING = "sec_filing", "SEC filing"
        SEC_EXHIBIT = "sec_exhibit", "SEC filing exhibit"
        PRESS_RELEASE = "press_release", "Press release"
        CONTRACT = "contract", "Contract"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What sort of document.")
    title = models.CharField(
        max_length=300,
        unique=True,
        help_text="How to cite it; also its reference in CSV files when it has no URL.",
    )
    form_type = models.CharField(
        max_length=20,
        blank=True,
        help_text='SEC form type, e.g. "8-K"; empty if the document does not say.',
    )
    exhibit = models.CharField(max_length=20, blank=True, help_text='Exhibit number, e.g. "99.1".')
    date = PartialDateField(null=True, blank=True, help_text="The document's or filing's date.")
    url = models.URLField(max_length=500, blank=True, help_text="Where to read it, e.g. on EDGAR.")
    accession_number = models.CharField(
        max_length=25, blank=True, help_text="SEC accession number, e.g. 0001019687-04-001234."
    )
    notes = models.TextField(
        blank=True, help_text="Anything a reader should know about this document."
    )
    history = record_history()

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~models.Q(url=""), name="source_url_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_with_key("source", self.pk)

    @property
    def short_label(self) -> str:
        """How a chart or an event list cites it: 'Exhibit 99.1', '8-K', 'Press release of 2004'."""
        parts = [self.form_type, f"Exhibit {self.exhibit}" if self.exhibit else ""]
        label = " ".join(part for part in parts if part)
        if label:
            return label
        return f"{self.get_kind_display()} of {self.date}" if self.date else self.get_kind_display()

    @property
    def reference(self) -> str:
        """How CSV files name this source: its URL, or else its title."""
        return self.url or self.title

    def save(self, *args, **kwargs):
        date_changed = (
            self.pk is not None
            and Source.objects.filter(pk=self.pk).exclude(date=self.date).exists()
        )
        super().save(*args, **kwargs)
        if date_changed:
            # The tenures this source dates: their intervals read its date.
            tenures = Citation._meta.get_field("tenure").related_model.objects
            tenures.filter(citations__source=self).distinct().refresh_intervals()


class SourceParty(models.Model):
    """Who a document names, and in what part: maker, payee, signatory as CEO..."""

    # CASCADE: a party is part of its document.
    source = HistoricForeignKey(
        Source, on_delete=models.CASCADE, related_name="parties", help_text="The document."
    )
    # CASCADE: the line says nothing once the person or company it names is gone.
    person = HistoricForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="source_parts",
        help_text="The person named, if a person.",
    )
    company = HistoricForeignKey(
        "governance.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="source_parts",
        help_text="The company named, if a company.",
    )
    part = models.CharField(
        max_length=200,
        help_text='Its part in the document, e.g. "maker", "payee", "signatory, as CEO".',
    )
    name_as_written = models.CharField(
        max_length=200,
        blank=True,
        help_text='The name as the document writes it, e.g. "MARC CROSSMAN".',
    )
    history = record_history()

    class Meta:
        verbose_name_plural = "source parties"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True, company__isnull=False)
                | models.Q(person__isnull=False, company__isnull=True),
                name="source_party_is_person_or_company",
                violation_error_message="A party is either a person or a company: give exactly one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.company}: {self.part}"


class Citation(models.Model):
    """A source cited for a tenure, with the passage that supports it."""

    # CASCADE: a citation is part of both the tenure and the source it links.
    source = HistoricForeignKey(
        Source, on_delete=models.CASCADE, related_name="citations", help_text="The document cited."
    )
    tenure = HistoricForeignKey(
        "governance.Tenure",
        on_delete=models.CASCADE,
        related_name="citations",
        help_text="The fact it supports.",
    )
    quote = models.TextField(blank=True, help_text="The passage of the source, as written.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in which the sources are cited for this tenure."
    )
    history = record_history()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenure", "source"], name="citation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} for {self.tenure.holder_label}"

    def save(self, *args, **kwargs):
        _save_refreshing_tenures(self, lambda: super(Citation, self).save(*args, **kwargs))

    # Deleting one, by itself or with its source, refreshes its tenure: see
    # governance.models.tenures._refresh_after_delete (a signal, as cascades skip delete()).


class Attestation(models.Model):
    """A day on which a source shows the person in the role, whether or not its start is known."""

    # CASCADE: an attested day is part of its tenure.
    tenure = HistoricForeignKey(
        "governance.Tenure",
        on_delete=models.CASCADE,
        related_name="attestations",
        help_text="The tenure attested.",
    )
    day = models.DateField(help_text="The day the source shows the person in the role.")
    # SET_NULL: the day stays known (unsourced) if the document is deleted.
    source = HistoricForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attestations",
        help_text="The document that shows it, where known.",
    )
    quote = models.TextField(blank=True, help_text="The passage of the source, as written.")
    history = record_history()

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                "tenure",
                "day",
                Coalesce("source", 0),
                name="attestation_unique",
                violation_error_message="This day is already attested for this tenure by this source.",
            ),
        ]
        indexes = [
            # The admin's list of attested days, ordered (day, id): a page is a walk of this.
            models.Index(fields=["day", "id"], name="attestation_day"),
        ]

    def __str__(self) -> str:
        return f"{self.tenure.holder_label} on {self.day:%-d %b %Y}"

    def clean(self):
        if self.tenure_id is None or self.day is None:
            return
        days = set(self.tenure.attestations.exclude(pk=self.pk).values_list("day", flat=True))
        conflict = self.tenure.first_conflict(attested_days=days | {self.day})
        if conflict is not None:
            raise ValidationError({"day": self.tenure.conflict_message(conflict)})

    def save(self, *args, **kwargs):
        _save_refreshing_tenures(self, lambda: super(Attestation, self).save(*args, **kwargs))


def _save_refreshing_tenures(fact: Citation | Attestation, save) -> None:
    """Save a citation or attested day, then recompute the intervals of its tenure, and of the
    tenure it was moved from, if it was."""
    previous_tenure_id = (
        type(fact).objects.filter(pk=fact.pk).values_list("tenure_id", flat=True).first()
        if fact.pk
        else None
    )
    save()
    fact.tenure.refresh_intervals()
    if previous_tenure_id and previous_tenure_id != fact.tenure_id:
        type(fact.tenure).objects.filter(pk=previous_tenure_id).refresh_intervals()
