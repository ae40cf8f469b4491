"""What an SEC import did, or would do in a dry run: counts, and each file or fact it did not
apply with its path and reason, as a summary a person reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Lines listed per kind of finding; past that the summary says how many more there were.
LISTED = 200


@dataclass
class Finding:
    path: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}: {self.text}"


@dataclass
class Counts:
    """What one batch wrote: added to the report when its transaction commits."""

    filings_applied: int = 0
    already_imported: int = 0
    companies_created: int = 0
    companies_linked: int = 0
    persons_created: int = 0
    persons_linked: int = 0
    tenures_created: int = 0
    tenures_reused: int = 0
    attested_days_added: int = 0
    citations_added: int = 0
    sources_created: int = 0
    other_names_added: int = 0
    former_names_added: int = 0
    skipped_owners: list[Finding] = field(default_factory=list)
    skipped_relationships: list[Finding] = field(default_factory=list)
    held_back: list[Finding] = field(default_factory=list)
    applied_paths: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool = False
    files_read: int = 0
    counts: Counts = field(default_factory=Counts)
    failed: list[Finding] = field(default_factory=list)  # malformed, or not written
    skip_reasons: Counter = field(default_factory=Counter)

    def fail(self, path: str, reason: str) -> None:
        self.failed.append(Finding(path, reason))

    def add(self, counts: Counts) -> None:
        total = self.counts
        for name, value in vars(counts).items():
            if isinstance(value, int):
                setattr(total, name, getattr(total, name) + value)
        for name in ("skipped_owners", "skipped_relationships", "held_back"):
            findings = getattr(counts, name)
            kept = getattr(total, name)
            kept.extend(findings[: max(0, LISTED - len(kept))])
            self.skip_reasons[name] += len(findings)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        c = self.counts
        lines = [
            ("Dry run, nothing written. " if self.dry_run else "")
            + f"Filings read: {self.files_read:,}; applied: {c.filings_applied:,}; "
            f"skipped: {self.files_read - c.filings_applied:,} "
            f"(already imported: {c.already_imported:,}; malformed or not written: "
            f"{len(self.failed):,}; no person among the owners: "
            f"{self.files_read - c.filings_applied - c.already_imported - len(self.failed):,}).",
            f"Created: {_n(c.companies_created, 'company', 'companies')}, "
            f"{_n(c.persons_created, 'person')}, {_n(c.tenures_created, 'tenure')}, "
            f"{_n(c.sources_created, 'source')}; "
            f"attested days added: {c.attested_days_added:,}; citations added: "
            f"{c.citations_added:,}; tenures given a further day: {c.tenures_reused:,}.",
            f"Linked by name, marked inferred: {_n(c.companies_linked, 'company', 'companies')}, "
            f"{_n(c.persons_linked, 'person')}. Names kept as filed: {c.other_names_added:,} "
            f"persons', {c.former_names_added:,} companies'.",
        ]
        sections = [
            ("Not applied (malformed, or not written)", self.failed, len(self.failed)),
            ("Owners skipped", c.skipped_owners, self.skip_reasons["skipped_owners"]),
            (
                "Relationships skipped",
                c.skipped_relationships,
                self.skip_reasons["skipped_relationships"],
            ),
            (
                "Held back (would break a rule of the record; listed on /quality/)",
                c.held_back,
                self.skip_reasons["held_back"],
            ),
        ]
        for title, findings, total in sections:
            if not total:
                continue
            lines.append(f"{title}: {total:,}")
            if findings is self.failed:  # every file that was not applied, with its reason
                lines += [f"  {finding}" for finding in findings]
                continue
            lines += [f"  {finding}" for finding in findings[:LISTED]]
            if total > LISTED:
                lines.append(f"  … and {total - LISTED:,} more")
        return "\n".join(lines)


def _n(count: int, singular: str, plural: str = "") -> str:
    """ "1 company", "2 companies" """
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"
