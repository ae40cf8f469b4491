"""The catalogue of roles: board, officer or other, single-seat or not."""

from django.core.exceptions import ValidationError
from django.db import models

from records.history_origin import record_history


class Role(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        OFFICER = "officer", "Officer"
        OTHER = "other", "Other"

    name = models.CharField(
        max_length=100, unique=True, help_text='e.g. "Chief Financial Officer".'
    )
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in URLs and CSV filters.")
    kind = models.CharField(
        max_length=10, choices=Kind.choices, help_text="Board seat, officer post, or other."
    )
    single_seat = models.BooleanField(
        default=False,
        help_text="One holder at a time in one company (CEO, President, CFO, Chair); not Director.",
    )
    position = models.PositiveSmallIntegerField(
        default=100, help_text="Order of lanes on a timeline: lower comes first."
    )
    history = record_history()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.pk is None or not self.single_seat:
            return
        # The same rule as for each tenure, over those the role has now (on PostgreSQL, the
        # exclusion constraint would refuse the save below with a 500).
        pair = self.tenures.first_overlapping_pair()
        if pair is not None:
            first, second = pair
            raise ValidationError(
                {
                    "single_seat": f"{first} and {second} both certainly held it for two or "
                    "more days: a single-seat role has one holder at a time. Correct them first."
                }
            )

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The exclusion constraint reads a copy of single_seat on each tenure.
        self.tenures.exclude(single_seat=self.single_seat).update(single_seat=self.single_seat)
