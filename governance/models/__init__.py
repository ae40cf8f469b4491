"""The record's models, by topic: companies, roles, sources (with citations and attested
days), tenures, related-party transactions, tenure import jobs; with the partial date and the
intervals they derive."""

from governance.models.companies import Company, FormerName, Founder
from governance.models.imports import ImportJob
from governance.models.roles import Role
from governance.models.sources import Attestation, Citation, Source, SourceParty
from governance.models.tenures import Tenure, TenureQuerySet
from governance.models.transactions import Transaction, TransactionParty, TransactionSource

__all__ = [
    "Attestation",
    "Citation",
    "Company",
    "FormerName",
    "Founder",
    "ImportJob",
    "Role",
    "Source",
    "SourceParty",
    "Tenure",
    "TenureQuerySet",
    "Transaction",
    "TransactionParty",
    "TransactionSource",
]
