"""Reading one ownership filing: the ownershipDocument XML of the SEC's "EDGAR Ownership XML
Technical Specification" (Forms 3, 4, 5 and their amendments), from an .xml file or from an
EDGAR full-submission .txt file (the XML inside <XML>…</XML>, and the SEC header's accession
number, form type, filing date and filer data).

Parsed with defusedxml and no document type declaration allowed, so an XML bomb is refused
before any entity expands. Anything this module cannot read raises MalformedFiling with the
reason; nothing is guessed.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import PurePath

import defusedxml
import defusedxml.ElementTree as SafeET

from people.identifiers import InvalidCik, normalise_cik

FORM_TYPES = {"3", "4", "5", "3/A", "4/A", "5/A"}
EDGAR_ARCHIVES = "https://www.sec.gov/Archives/edgar/data"
ROOT = "ownershipDocument"

_ACCESSION = re.compile(r"(?<!\d)(\d{10})-?(\d{2})-?(\d{6})(?!\d)")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$")
_XML_BLOCK = re.compile(rb"<XML>\s*(.*?)\s*</XML>", re.DOTALL | re.IGNORECASE)
_HEADER_LINE = re.compile(r"^(\s*)([A-Z0-9][A-Z0-9 \-/]*?):\s*(.*?)\s*$")
TRUE, FALSE = {"1", "true"}, {"0", "false", ""}


class MalformedFiling(Exception):
    """A file that is not an ownership filing this import can read; the message says why."""


@dataclass(frozen=True)
class Relationship:
    is_director: bool
    is_officer: bool
    is_ten_percent_owner: bool
    is_other: bool
    officer_title: str
    other_text: str
    quote: str  # the reportingOwnerRelationship element, as XML: the passage cited


@dataclass(frozen=True)
class ReportingOwner:
    cik: str
    name: str  # as filed: "SCARPELLI MICHAEL"
    relationship: Relationship


@dataclass(frozen=True)
class Issuer:
    cik: str
    name: str
    trading_symbol: str
    state_of_incorporation: str = ""  # from a full submission's header, e.g. "DE"
    city: str = ""  # its business address, from the header
    state: str = ""


@dataclass(frozen=True)
class Filing:
    path: str
    accession_number: str
    form_type: str  # "4", "4/A"...
    period_of_report: datetime.date
    filed: datetime.date | None  # from a full submission's header; unknown for bare XML
    original_filed: datetime.date | None  # an amendment's dateOfOriginalSubmission
    issuer: Issuer
    owners: tuple[ReportingOwner, ...]
    no_securities_owned: bool

    @property
    def is_amendment(self) -> bool:
        return self.form_type.endswith("/A")

    @property
    def base_form(self) -> str:
        return self.form_type.removesuffix("/A")

    @property
    def edgar_url(self) -> str:
        """The filing's index page on EDGAR, built from the issuer's CIK and the accession."""
        return edgar_filing_url(self.issuer.cik, self.accession_number)


def edgar_filing_url(cik: str, accession_number: str) -> str:
    folder = accession_number.replace("-", "")
    return f"{EDGAR_ARCHIVES}/{int(cik)}/{folder}/{accession_number}-index.htm"


def accession_from_path(path: str) -> str | None:
    """An accession number in the file's name or its folder's, as EDGAR names them
    ("0000990001-24-000101.xml", ".../000099000124000101/form4.xml"), or None."""
    pure = PurePath(path)
    for name in (pure.stem, pure.parent.name):
        match = _ACCESSION.search(name)
        if match:
            return "-".join(match.groups())
    return None


def parse_filing(data: bytes, path: str) -> Filing:
    """The filing in a file's bytes: a full submission (.txt) or bare ownership XML."""
    if PurePath(path).suffix.lower() == ".txt":
        return _parse_full_submission(data, path)
    accession = accession_from_path(path)
    if accession is None:
        raise MalformedFiling(
            "no accession number: name the file (or its folder) by the filing's accession "
            "number, e.g. 0000990001-24-000101.xml, or import the full-submission .txt"
        )
    return _parse_document(data, path, accession=accession, header={})


def _parse_full_submission(data: bytes, path: str) -> Filing:
    header = _parse_header(data)
    accession = header.get("ACCESSION NUMBER", "")
    if not _ACCESSION.fullmatch(accession):
        raise MalformedFiling("the SEC header gives no accession number")
    for block in _XML_BLOCK.findall(data):
        if ROOT.encode() in block[:2000]:
            return _parse_document(block, path, accession=accession, header=header)
    raise MalformedFiling(f"no <XML> block holding an {ROOT} in the submission")


def _parse_header(data: bytes) -> dict:
    """The SEC header's fields: top-level ones by name, and ISSUER's as "ISSUER/<name>"."""
    end = data.find(b"</SEC-HEADER>")
    if end < 0:
        end = data.find(b"<DOCUMENT>")
    if end < 0:
        raise MalformedFiling("not a full submission: no SEC header")
    text = data[:end].decode("latin-1")
    fields: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        match = _HEADER_LINE.match(line)
        if not match:
            continue
        indent, key, value = match.groups()
        if not indent:
            section = key if not value else ""
            fields.setdefault(key, value)
        elif section == "ISSUER" and value:
            fields.setdefault(f"ISSUER/{key}", value)
    return fields


def _parse_document(data: bytes, path: str, *, accession: str, header: dict) -> Filing:
    root = _parse_xml(data)
    form_type = (header.get("CONFORMED SUBMISSION TYPE") or _text(root, "documentType")).upper()
    if form_type not in FORM_TYPES:
        raise MalformedFiling(f"form type {form_type!r} is not a Form 3, 4 or 5 (or amendment)")
    issuer_element = root.find("issuer")
    if issuer_element is None:
        raise MalformedFiling("no issuer")
    owner_elements = root.findall("reportingOwner")
    if not owner_elements:
        raise MalformedFiling("no reporting owner")
    filed = header.get("FILED AS OF DATE")
    return Filing(
        path=path,
        accession_number=accession,
        form_type=form_type,
        period_of_report=_required_date(root, "periodOfReport"),
        filed=_header_date(filed) if filed else None,
        original_filed=_optional_date(root, "dateOfOriginalSubmission"),
        issuer=Issuer(
            cik=_cik(issuer_element, "issuerCik", "issuer"),
            name=_required_text(issuer_element, "issuerName", "issuer"),
            trading_symbol=_text(issuer_element, "issuerTradingSymbol").upper()[:12],
            state_of_incorporation=header.get("ISSUER/STATE OF INCORPORATION", ""),
            city=header.get("ISSUER/CITY", ""),
            state=header.get("ISSUER/STATE", ""),
        ),
        owners=tuple(_owner(element) for element in owner_elements),
        no_securities_owned=_boolean(root, "noSecuritiesOwned"),
    )


def _parse_xml(data: bytes) -> ET.Element:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        raise MalformedFiling(
            "has a document type declaration (DTD): refused, as entity expansion (an XML bomb) "
            "could hide in it; ownership filings have none"
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise MalformedFiling(f"refused as unsafe XML: {error}") from None
    except ET.ParseError as error:
        raise MalformedFiling(f"not well-formed XML ({error})") from None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    if root.tag != ROOT:
        raise MalformedFiling(f"the root element is <{root.tag}>, not <{ROOT}>")
    return root


def _owner(element: ET.Element) -> ReportingOwner:
    owner_id = element.find("reportingOwnerId")
    if owner_id is None:
        raise MalformedFiling("a reporting owner has no reportingOwnerId")
    relationship = element.find("reportingOwnerRelationship")
    if relationship is None:
        raise MalformedFiling("a reporting owner has no reportingOwnerRelationship")
    return ReportingOwner(
        cik=_cik(owner_id, "rptOwnerCik", "reporting owner"),
        name=_required_text(owner_id, "rptOwnerName", "reporting owner"),
        relationship=Relationship(
            is_director=_boolean(relationship, "isDirector"),
            is_officer=_boolean(relationship, "isOfficer"),
            is_ten_percent_owner=_boolean(relationship, "isTenPercentOwner"),
            is_other=_boolean(relationship, "isOther"),
            officer_title=_text(relationship, "officerTitle"),
            other_text=_text(relationship, "otherText"),
            quote=_as_passage(relationship),
        ),
    )


def _as_passage(element: ET.Element) -> str:
    """The element as compact XML: what a citation quotes."""
    parts = [f"<{element.tag}>"]
    for child in element:
        value = " ".join((child.text or "").split())
        parts.append(f"<{child.tag}>{_escape(value)}</{child.tag}>")
    parts.append(f"</{element.tag}>")
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(element: ET.Element, tag: str) -> str:
    child = element.find(tag)
    if child is None:
        return ""
    value = child.find("value")  # some fields wrap their value: <x><value>…</value></x>
    text = (value if value is not None else child).text or ""
    return " ".join(text.split())


def _required_text(element: ET.Element, tag: str, what: str) -> str:
    text = _text(element, tag)
    if not text:
        raise MalformedFiling(f"the {what} has no {tag}")
    return text


def _cik(element: ET.Element, tag: str, what: str) -> str:
    text = _required_text(element, tag, what)
    try:
        return normalise_cik(text)
    except InvalidCik:
        raise MalformedFiling(f"the {what}'s {tag} {text!r} is not a CIK") from None


def _boolean(element: ET.Element, tag: str) -> bool:
    text = _text(element, tag).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise MalformedFiling(f"{tag} is {text!r}: expected 1, 0, true or false")


def _required_date(element: ET.Element, tag: str) -> datetime.date:
    day = _optional_date(element, tag)
    if day is None:
        raise MalformedFiling(f"no {tag}")
    return day


def _optional_date(element: ET.Element, tag: str) -> datetime.date | None:
    text = _text(element, tag)
    if not text:
        return None
    match = _DATE.match(text)
    try:
        if match is None:
            raise ValueError
        return datetime.date.fromisoformat(match.group(1))
    except ValueError:
        raise MalformedFiling(f"{tag} {text!r} is not a date (YYYY-MM-DD)") from None


def _header_date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise MalformedFiling(f"the SEC header's filing date {text!r} is not a date") from None
