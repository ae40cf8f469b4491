"""Officer titles as filed ("President and CEO", "EVP, Chief Financial Officer") read into
roles of the catalogue: the table of phrasings and abbreviations, in one place, and the reader.

Every role a filing can become is in CATALOGUE, keyed by the slug the migrations give it
(0002_role_catalogue, 0009_sec_roles); an admin's role of the same name or another name it goes
by stands in for it (governance.sec.importer resolves them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogueRole:
    key: str  # the slug the migrations give it
    name: str
    aliases: tuple[str, ...] = ()


CATALOGUE = {
    role.key: role
    for role in [
        CatalogueRole("ceo", "Chief Executive Officer"),
        CatalogueRole("president", "President"),
        CatalogueRole("coo", "Chief Operating Officer"),
        CatalogueRole("cfo", "Chief Financial Officer"),
        CatalogueRole("cao", "Chief Accounting Officer"),
        CatalogueRole("treasurer", "Treasurer"),
        CatalogueRole("secretary", "Secretary"),
        CatalogueRole("vice-president", "Vice President"),
        CatalogueRole("chair", "Chair", ("Chairman", "Chairman of the Board")),
        CatalogueRole("vice-chair", "Vice Chair", ("Vice Chairman",)),
        CatalogueRole("lead-independent-director", "Lead Independent Director"),
        CatalogueRole("director", "Director"),
        CatalogueRole("chief-commercial-officer", "Chief Commercial Officer"),
        CatalogueRole("cto", "Chief Technology Officer"),
        CatalogueRole("chief-administrative-officer", "Chief Administrative Officer"),
        CatalogueRole("cio", "Chief Information Officer"),
        CatalogueRole("chief-revenue-officer", "Chief Revenue Officer"),
        CatalogueRole("chief-marketing-officer", "Chief Marketing Officer"),
        CatalogueRole(
            "chief-human-resources-officer",
            "Chief Human Resources Officer",
            ("Chief People Officer",),
        ),
        CatalogueRole("chief-medical-officer", "Chief Medical Officer"),
        CatalogueRole("chief-scientific-officer", "Chief Scientific Officer"),
        CatalogueRole("chief-strategy-officer", "Chief Strategy Officer"),
        CatalogueRole("general-counsel", "General Counsel", ("Chief Legal Officer",)),
        CatalogueRole("chief-compliance-officer", "Chief Compliance Officer"),
        CatalogueRole("chief-risk-officer", "Chief Risk Officer"),
        CatalogueRole("chief-investment-officer", "Chief Investment Officer"),
        CatalogueRole("controller", "Controller", ("Comptroller",)),
        CatalogueRole("other-officer", "Other officer"),
        CatalogueRole("ten-percent-owner", "10% owner", ("Ten percent owner",)),
        CatalogueRole("other", "Other"),
    ]
}

# What each relationship flag of a filing becomes, and the title a tenure gets from it.
DIRECTOR = "director"
TEN_PERCENT_OWNER = "ten-percent-owner"
OTHER = "other"
OTHER_OFFICER = "other-officer"
VICE_PRESIDENT = "vice-president"

# Phrasings and abbreviations, as read: lower case, periods dropped, hyphens as spaces.
PHRASES = {
    "ceo": ["chief executive officer", "chief executive", "ceo", "principal executive officer"],
    "president": ["president", "pres"],
    "coo": ["chief operating officer", "coo"],
    "cfo": [
        "chief financial officer",
        "cfo",
        "principal financial officer",
        "pfo",
        "chief finance officer",
    ],
    "cao": ["chief accounting officer", "cao", "principal accounting officer", "pao"],
    "treasurer": ["treasurer", "treas"],
    "secretary": ["secretary", "corporate secretary", "secy"],
    "chair": [
        "chairman of the board",
        "chair of the board",
        "chairman",
        "chairwoman",
        "chairperson",
        "chair",
        "chmn",
        "executive chairman",
        "executive chair",
    ],
    "vice-chair": ["vice chairman", "vice chair", "vice chairwoman", "vice chairperson"],
    "lead-independent-director": ["lead independent director", "lead director"],
    "chief-commercial-officer": ["chief commercial officer"],
    "cto": ["chief technology officer", "chief technical officer", "cto"],
    "chief-administrative-officer": ["chief administrative officer"],
    "cio": ["chief information officer", "cio"],
    "chief-revenue-officer": ["chief revenue officer"],
    "chief-marketing-officer": ["chief marketing officer", "cmo"],
    "chief-human-resources-officer": [
        "chief human resources officer",
        "chief human resource officer",
        "chief people officer",
        "chro",
    ],
    "chief-medical-officer": ["chief medical officer"],
    "chief-scientific-officer": ["chief scientific officer", "chief science officer"],
    "chief-strategy-officer": ["chief strategy officer"],
    "general-counsel": ["general counsel", "chief legal officer", "clo", "gc"],
    "chief-compliance-officer": ["chief compliance officer"],
    "chief-risk-officer": ["chief risk officer"],
    "chief-investment-officer": ["chief investment officer"],
    "controller": ["controller", "comptroller", "corporate controller"],
}
# A board seat only when a part of the title says nothing else: "Director of Sales" is not one.
DIRECTOR_SEGMENTS = {"director", "independent director", "board member", "member of the board"}
# A vice-president rank: a role by itself, but only a rank beside a named role ("EVP, CFO").
RANK = (
    r"(?:(?:senior|sr|executive|exec|group|corporate|assistant|first|regional|division(?:al)?)"
    r" )*(?:vice president|vp)|evp|svp|avp"
)
# Words that qualify a role without changing it: the title keeps them.
QUALIFIERS = {"interim", "acting", "co", "deputy"}
FORMER = {"former", "formerly", "fmr", "retired"}

_SEPARATORS = re.compile(r"\s*(?:[,;/&+|()]|\band\b|\s-\s)\s*")
_PHRASE_KEYS = {phrase: key for key, phrases in PHRASES.items() for phrase in phrases}
_SCAN = re.compile(
    r"(?<![a-z0-9])(?:(?P<rank>"
    + RANK
    + r")|(?P<role>"
    + "|".join(re.escape(p) for p in sorted(_PHRASE_KEYS, key=len, reverse=True))
    + r"))(?![a-z0-9])"
)


@dataclass(frozen=True)
class TitleReading:
    """What an officer title names: catalogue role keys in order, or why none is current."""

    roles: tuple[str, ...]
    skipped: str = ""  # why the title names no current role ("Former CFO")
    qualified: bool = False  # "Interim", "Acting", "Co-": the role, with the title kept


def _normalise(title: str) -> str:
    text = title.casefold().replace(".", "").replace("-", " ").replace("–", " - ")
    return " ".join(text.split())


def read_title(title: str) -> TitleReading:
    """The roles an officer title names. An unknown title is an "Other officer"; a title that
    only says "former …" names none, with the reason."""
    text = _normalise(title)
    roles: list[str] = []
    rank = former = qualified = False
    for segment in _SEPARATORS.split(text):
        words = segment.split()
        if FORMER & set(words):
            former = True
            continue
        qualified = qualified or bool(QUALIFIERS & set(words))
        segment = " ".join(word for word in words if word not in QUALIFIERS)
        if segment in DIRECTOR_SEGMENTS:
            roles.append(DIRECTOR)
            continue
        for match in _SCAN.finditer(segment):
            if match.group("rank"):
                rank = True
                continue
            key = _PHRASE_KEYS[match.group("role")]
            if key == "chair" and "committee" in segment:
                continue  # the chair of a committee is not the chair of the board
            roles.append(key)
    if roles:
        return TitleReading(tuple(dict.fromkeys(roles)), qualified=qualified)
    if rank:
        return TitleReading((VICE_PRESIDENT,), qualified=qualified)
    if former:
        return TitleReading((), skipped=f"the title {title.strip()!r} names a former role")
    return TitleReading((OTHER_OFFICER,), qualified=qualified)
