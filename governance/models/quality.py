"""The data-quality checks that no index can answer in bounded time, as last computed: each
check's findings in page order, and when and against which version of the record they were
computed (governance.pages.quality computes them; /quality/ reads a page of them by position)."""

from django.db import models


class QualityRun(models.Model):
    """One check's latest computation. Bookkeeping derived from the record, not a fact of it:
    no history."""

    check_slug = models.CharField(max_length=40, unique=True, help_text="The check computed.")
    computed_at = models.DateTimeField(help_text="When its findings were computed.")
    seconds = models.FloatField(help_text="How long the computation took.")
    findings = models.PositiveIntegerField(help_text="How many findings it stored.")
    record_version = models.CharField(
        max_length=200, help_text="The record's version it was computed against."
    )

    def __str__(self) -> str:
        return f"{self.check_slug}: {self.findings} at {self.computed_at:%Y-%m-%d %H:%M}"


class QualityFinding(models.Model):
    """A finding of a computed check, at its place in the check's order. It names a tenure or a
    person by id only (no foreign key): one deleted since simply no longer shows, and deleting
    a record never has to touch this table."""

    check_slug = models.CharField(max_length=40, help_text="The check that found it.")
    position = models.PositiveIntegerField(help_text="Its place in the check's order, from 1.")
    record_id = models.BigIntegerField(
        null=True, help_text="The tenure or person found; empty for a duplicate-name finding."
    )
    key = models.CharField(
        max_length=200, blank=True, help_text="The shared normalised name, for duplicates."
    )

    class Meta:
        constraints = [
            # Also the index a page reads: one check's positions N+1 … N+50, a range scan.
            models.UniqueConstraint(
                fields=["check_slug", "position"], name="quality_finding_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_slug} #{self.position}"
