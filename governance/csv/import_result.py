"""What a tenure CSV import reports: its errors (line, column, value, reason) and row actions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# The preview lists the rows that create or change a tenure; past this many it lists only the
# first ones (and counts the rest), so a million-row file does not hold a million descriptions.
ACTIONS_KEPT = 1000


@dataclass(frozen=True)
class RowError:
    """What was wrong and where: the line, the column, the value, and why."""

    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}, value {self.value!r}: {self.reason}"


@dataclass
class RowAction:
    """What a row does (or would do, in a dry run): create, update, or nothing."""

    line: int
    action: str  # "create", "update" or "unchanged"
    tenure: str
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """Every error, the count of each action, and the first ACTIONS_KEPT rows that create or
    change a tenure (unchanged rows are counted, not listed)."""

    filename: str
    dry_run: bool
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    actions: list[RowAction] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    actions_left_out: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def count(self, action: str) -> int:
        return self.counts[action]

    def record(self, action: str, line: int, describe, changes: list[str]) -> None:
        """Count a row's action; keep its description (describe() builds it) while there is room."""
        self.counts[action] += 1
        if action == "unchanged":
            return
        if len(self.actions) < ACTIONS_KEPT:
            self.actions.append(RowAction(line, action, describe(), changes))
        else:
            self.actions_left_out += 1

    def summary(self) -> str:
        created, changed = self.count("create"), self.count("update")
        if self.dry_run or not self.ok:
            verb = "would be"
        else:
            verb = "was" if created == 1 else "were"
        changed_verb = verb if verb == "would be" else ("was" if changed == 1 else "were")
        text = (
            f"{counted(self.rows, 'row')}: {counted(created, 'tenure')} {verb} created, "
            f"{changed:,} {changed_verb} changed, {self.count('unchanged'):,} unchanged."
        )
        if self.errors:
            text += f" {counted(len(self.errors), 'error')}: nothing was written."
        elif self.dry_run:
            text += " Dry run: nothing was written."
        return text


def counted(number: int, noun: str) -> str:
    """ "1 row", "2 rows", "1,000 rows"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def format_errors(errors: Iterable[RowError]) -> str:
    return "\n".join(str(error) for error in errors)
