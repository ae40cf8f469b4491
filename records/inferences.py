"""Inferred facts: which of a record's facts it states beyond the words of its sources, kept as
field names joined by INFERRED_SEPARATOR (as the CSV writes them), with a note saying how."""

from django.core.exceptions import ValidationError

INFERRED_SEPARATOR = " | "


class InferredFacts:
    """For a model with an `inferred` text field and an `inferred_note`: the names it may list
    (inferable_fields), the names it lists, and a refusal of any other name."""

    inferable_fields: list[str] = []

    @property
    def inferred_fields(self) -> list[str]:
        return [name for name in self.inferred.split(INFERRED_SEPARATOR) if name]

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        unknown = [name for name in self.inferred_fields if name not in self.inferable_fields]
        if unknown:
            raise ValidationError(
                {
                    "inferred": f"Unknown fields {', '.join(unknown)}: use "
                    f"{', '.join(self.inferable_fields)}."
                }
            )
