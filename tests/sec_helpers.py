"""Shared by the SEC import tests: the fixtures folder, ownership XML written to order, and a
full submission wrapped around it, as EDGAR serves them."""

from __future__ import annotations

import datetime
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sec"


def ownership_xml(
    *,
    form: str = "4",
    period: str = "2024-03-01",
    issuer_cik: str = "0000990009",
    issuer_name: str = "NORTHWIND DEVICES INC",
    owners: list[dict] | None = None,
    original: str = "",
) -> bytes:
    """An ownershipDocument; each owner a dict of cik, name and relationship fields
    (isDirector, isOfficer, officerTitle, ...) written as given."""
    if owners is None:
        owners = [dict(cik="0000990901", name="QUINN LIN", isDirector="1")]
    parts = [
        '<?xml version="1.0"?>\n<ownershipDocument>',
        "<schemaVersion>X0508</schemaVersion>",
        f"<documentType>{form}</documentType>",
        f"<periodOfReport>{period}</periodOfReport>",
        f"<dateOfOriginalSubmission>{original}</dateOfOriginalSubmission>" if original else "",
        f"<issuer><issuerCik>{issuer_cik}</issuerCik><issuerName>{issuer_name}</issuerName>"
        "<issuerTradingSymbol>NWD</issuerTradingSymbol></issuer>",
    ]
    for owner in owners:
        relationship = "".join(
            f"<{tag}>{value}</{tag}>" for tag, value in owner.items() if tag not in ("cik", "name")
        )
        parts.append(
            "<reportingOwner><reportingOwnerId>"
            f"<rptOwnerCik>{owner['cik']}</rptOwnerCik><rptOwnerName>{owner['name']}</rptOwnerName>"
            "</reportingOwnerId>"
            f"<reportingOwnerRelationship>{relationship}</reportingOwnerRelationship>"
            "</reportingOwner>"
        )
    parts.append("</ownershipDocument>\n")
    return "\n".join(part for part in parts if part).encode()


def full_submission(xml: bytes, *, accession: str, form: str, filed: datetime.date) -> bytes:
    """The full-submission text file EDGAR serves for a filing: its SEC header, then the
    document with the XML inside <XML>…</XML>."""
    header = (
        f"<SEC-DOCUMENT>{accession}.txt : {filed:%Y%m%d}\n"
        f"<SEC-HEADER>{accession}.hdr.sgml : {filed:%Y%m%d}\n"
        f"ACCESSION NUMBER:\t\t{accession}\n"
        f"CONFORMED SUBMISSION TYPE:\t{form}\n"
        "PUBLIC DOCUMENT COUNT:\t\t1\n"
        f"FILED AS OF DATE:\t\t{filed:%Y%m%d}\n\n"
        "ISSUER:\t\t\n\n\tCOMPANY DATA:\t\n"
        "\t\tSTATE OF INCORPORATION:\t\t\tDE\n"
        "</SEC-HEADER>\n<DOCUMENT>\n"
        f"<TYPE>{form}\n<SEQUENCE>1\n<TEXT>\n<XML>\n"
    ).encode()
    return header + xml + b"</XML>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
