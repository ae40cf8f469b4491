"""The record's models, by topic: companies, roles, sources (with citations and attested
days), tenures, related-party transactions, tenure import jobs, the ledger of imported SEC
filings; with the partial date and the intervals they derive."""

from governance.models.companies import Company, FormerName, Founder
from governance.models.filings import AppliedFiling, HeldBackRelationship
from governance.models.imports import ImportJob
from governance.models.quality import QualityFinding, QualityRun
from governance.models.roles import Role
from governance.models.sources import Attestation, Citation, Source, SourceParty
from governance.models.tenures import Tenure, TenureQuerySet
from governance.models.transactions import Transaction, TransactionParty, TransactionSource

__all__ = [
    "AppliedFiling",
    "Attestation",
    "Citation",
    "Company",
    "FormerName",
    "Founder",
    "HeldBackRelationship",
    "ImportJob",
    "QualityFinding",
    "QualityRun",
    "Role",
    "Source",
    "SourceParty",
    "Tenure",
    "TenureQuerySet",
    "Transaction",
    "TransactionParty",
    "TransactionSource",
]
