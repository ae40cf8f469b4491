"""The ledger of SEC ownership filings (Forms 3, 4, 5) the import has read, one row per filing
and reporting owner, and the relationships it held back (for /quality/ to list)."""

from django.db import models

from people.identifiers import CikField


class AppliedFiling(models.Model):
    """A (filing, reporting owner) the SEC import has applied, or looked at and skipped: a second
    import of the same filing finds it here and writes nothing, so what an editor deleted since
    stays deleted. Bookkeeping of the import, not a fact of the record: no history."""

    accession_number = models.CharField(
        max_length=20, help_text="The filing's SEC accession number, e.g. 0000990001-24-000101."
    )
    owner_cik = CikField(help_text="The reporting owner's CIK.")
    owner_name = models.CharField(max_length=200, help_text="The owner's name as filed.")
    issuer_cik = CikField(help_text="The issuer's CIK.")
    form_type = models.CharField(max_length=10, help_text='"3", "4", "5", or an amendment "4/A".')
    period_of_report = models.DateField(help_text="The filing's periodOfReport.")
    filed = models.DateField(null=True, blank=True, help_text="The filing date, where known.")
    amends = models.CharField(
        max_length=20,
        blank=True,
        help_text="For an amendment: the accession number of the filing it amends, where known.",
    )
    # DO_NOTHING, no database constraint: the ledger outlives an editor's deletion of what it
    # wrote (that is its point), keeps the id it wrote, and a deletion never has to touch it.
    source = models.ForeignKey(
        "governance.Source",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="The source the filing became (it may have been deleted since).",
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="The person the owner became (it may have been deleted since); empty if skipped.",
    )
    skipped = models.TextField(
        blank=True, help_text="Why this owner was not applied (e.g. an entity); empty if applied."
    )
    path = models.CharField(max_length=500, blank=True, help_text="The file it was read from.")
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When the import read it.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["accession_number", "owner_cik"], name="applied_filing_unique"
            ),
        ]
        indexes = [
            # Finding the original of an amendment: the same issuer and owner's earlier filings.
            models.Index(fields=["issuer_cik", "owner_cik"], name="applied_filing_issuer_owner"),
        ]

    def __str__(self) -> str:
        return f"Form {self.form_type} {self.accession_number}, {self.owner_name}"


class HeldBackQuerySet(models.QuerySet):
    def for_review(self) -> "HeldBackQuerySet":
        """What /quality/ lists: newest first (by id, an index scan), with what each names."""
        return self.select_related(
            "filing",
            "person",
            "company",
            "role",
            "clashing_tenure__person",
            "clashing_tenure__company",
            "clashing_tenure__role",
        ).order_by("-id")


class HeldBackRelationship(models.Model):
    """A relationship a filing states that the import did not apply, because it would break a
    rule of the record (two holders of a single-seat role at once): for an editor to review."""

    # CASCADE: it is part of the ledger row of the filing that stated it.
    filing = models.ForeignKey(
        AppliedFiling,
        on_delete=models.CASCADE,
        related_name="held_back",
        help_text="The filing and owner that state it.",
    )
    # CASCADE: nothing to review once the person or company is gone.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", help_text="Who."
    )
    company = models.ForeignKey(
        "governance.Company", on_delete=models.CASCADE, related_name="+", help_text="Where."
    )
    # PROTECT, as tenures do: the catalogue keeps a role something refers to.
    role = models.ForeignKey(
        "governance.Role", on_delete=models.PROTECT, related_name="+", help_text="Which role."
    )
    title = models.CharField(max_length=200, blank=True, help_text="The title as filed.")
    day = models.DateField(help_text="The day the filing attests (its periodOfReport).")
    reason = models.TextField(help_text="Why it was not applied.")
    # SET_NULL: the finding stays when the tenure it clashed with is edited away.
    clashing_tenure = models.ForeignKey(
        "governance.Tenure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The tenure it would have clashed with.",
    )

    objects = HeldBackQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.person}, {self.title or self.role} at {self.company} on {self.day}"
