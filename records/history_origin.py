"""The `history_origin` column every tracked model's history rows carry (HistoricalRecords'
bases), and the signal that fills it on the ordinary save path. The bulk paths pass it
themselves (`origin_attrs`)."""

from django.db import models
from simple_history.models import HistoricalRecords

from records.origin import command


class HistoryOrigin(models.Model):
    history_origin = models.CharField(
        max_length=60,
        blank=True,
        default="",
        db_default="",
        help_text="The command that made the change (loaddemo, import_tenures, ...), if any.",
    )

    class Meta:
        abstract = True


def origin_attrs() -> dict[str, str]:
    """For simple-history's bulk helpers' custom_historical_attrs."""
    return {"history_origin": command()}


def fill_origin(sender, history_instance, **kwargs) -> None:
    """pre_create_historical_record receiver."""
    if not history_instance.history_origin:
        history_instance.history_origin = command()


def record_history() -> HistoricalRecords:
    """The history every record model keeps: simple-history's, with the origin column."""
    return HistoricalRecords(bases=[HistoryOrigin])
