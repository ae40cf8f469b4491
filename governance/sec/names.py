"""Names as SEC filings write them: a reporting owner's "LAST FIRST MIDDLE" form made into a
display name, entities told from persons, and company names compared once normalised."""

from __future__ import annotations

import re
from dataclasses import dataclass

from people.names import NAME_MAX_LENGTH, normalise_name, search_key_problem

# Words that make an owner's name an entity's, not a person's (compared normalised, whole words).
ENTITY_WORDS = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "companies", "llc", "l l c",
    "lp", "l p", "llp", "lllp", "ltd", "limited", "plc", "trust", "trustee", "trustees", "fund",
    "funds", "partners", "partnership", "holdings", "holding", "capital", "group", "management",
    "advisors", "advisers", "investments", "investment", "investors", "associates", "foundation",
    "bank", "na", "sa", "ag", "gmbh", "nv", "bv", "ab", "asa", "spa", "sarl", "ventures",
    "equity", "securities", "financial", "estate", "family", "charitable", "endowment", "pension",
    "university", "international", "global", "technologies", "enterprises", "offshore",
    "opportunities", "strategies",
}  # fmt: skip
ENTITY_PHRASES = {w: re.compile(rf"(?:^| ){re.escape(w)}(?: |$)") for w in ENTITY_WORDS if " " in w}
# Name suffixes, kept after the given names: "FURROW SAMUEL J JR" -> "Samuel J. Furrow Jr."
SUFFIXES = {"jr": "Jr.", "sr": "Sr.", "ii": "II", "iii": "III", "iv": "IV", "v": "V"}
# Words of a company name that say its legal form or EDGAR's state tag, not which company it is.
COMPANY_FORM_WORDS = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "plc", "lp", "the", "sa", "nv", "ag",
}  # fmt: skip
# EDGAR headers give a state of incorporation as a code; the record names it.
US_STATES = {
    code: name.replace("_", " ")
    for code, name in (
        pair.split("=")
        for pair in (
            "AL=Alabama AK=Alaska AZ=Arizona AR=Arkansas CA=California CO=Colorado "
            "CT=Connecticut DE=Delaware DC=District_of_Columbia FL=Florida GA=Georgia HI=Hawaii "
            "ID=Idaho IL=Illinois IN=Indiana IA=Iowa KS=Kansas KY=Kentucky LA=Louisiana ME=Maine "
            "MD=Maryland MA=Massachusetts MI=Michigan MN=Minnesota MS=Mississippi MO=Missouri "
            "MT=Montana NE=Nebraska NV=Nevada NH=New_Hampshire NJ=New_Jersey NM=New_Mexico "
            "NY=New_York NC=North_Carolina ND=North_Dakota OH=Ohio OK=Oklahoma OR=Oregon "
            "PA=Pennsylvania RI=Rhode_Island SC=South_Carolina SD=South_Dakota TN=Tennessee "
            "TX=Texas UT=Utah VT=Vermont VA=Virginia WA=Washington WV=West_Virginia "
            "WI=Wisconsin WY=Wyoming"
        ).split()
    )
}
_EDGAR_TAG = re.compile(r"/[A-Z]{2,4}/?\s*$")


def unfit_name_reason(filed_name: str) -> str | None:
    """Why an owner's filed name cannot be a person's name (too long for it, or for its search
    key), or None."""
    if len(filed_name) > NAME_MAX_LENGTH:
        return (
            f"this name is {len(filed_name)} characters long; at most {NAME_MAX_LENGTH} fit: "
            "add the person by hand"
        )
    return search_key_problem(filed_name)


def entity_reason(filed_name: str) -> str | None:
    """Why an owner's filed name is an entity's ("BERKSHIRE HATHAWAY INC"), or None."""
    normal = normalise_name(filed_name)
    found = [word for word in normal.split() if word in ENTITY_WORDS]
    found += [phrase for phrase, pattern in ENTITY_PHRASES.items() if pattern.search(normal)]
    if found:
        return f'an entity, not a person (its name has "{found[0].upper()}")'
    return None


@dataclass(frozen=True)
class OwnerName:
    display: str  # "Michael Scarpelli"
    sort: str  # "Scarpelli, Michael"


def owner_display_name(filed: str) -> OwnerName:
    """A person's display and sort names from the filed "LAST FIRST MIDDLE" form:
    "SCARPELLI MICHAEL" -> Michael Scarpelli; "McMahon John Dennis" -> John Dennis McMahon;
    "Smith, John A." -> John A. Smith. Words in capitals are put in title case; mixed case is
    kept as filed."""
    text = " ".join(filed.replace(",", " , ").split())
    if "," in text:
        family_part, _, given_part = text.partition(",")
        family = family_part.split()
        given = given_part.replace(",", " ").split()
    else:
        words = text.split()
        family, given = words[:1], words[1:]
    suffix = []
    while given and given[-1].lower().rstrip(".") in SUFFIXES:
        suffix.insert(0, SUFFIXES[given.pop().lower().rstrip(".")])
    family_text = " ".join(_word(w) for w in family)
    given_text = " ".join(_word(w) for w in given)
    display = " ".join(part for part in [given_text, family_text, *suffix] if part)
    sort = ", ".join(
        part for part in [family_text, " ".join([given_text, *suffix]).strip()] if part
    )
    return OwnerName(display or filed.strip(), sort or filed.strip())


def _word(word: str) -> str:
    bare = word.rstrip(".")
    if len(bare) == 1 and bare.isalpha():
        return bare.upper() + "."  # an initial
    if not word.isupper():
        return word  # mixed case is the filer's own spelling: keep it
    return "-".join(_capitalise(part) for part in word.split("-"))


def _capitalise(part: str) -> str:
    lower = part.lower()
    if lower.startswith("o'") and len(lower) > 2:
        return "O'" + lower[2:].capitalize()
    if lower.startswith("mc") and len(lower) > 3:
        return "Mc" + lower[2:].capitalize()
    return lower.capitalize()


def name_key(name: str) -> str:
    """A person's name with word order ignored: "SCARPELLI MICHAEL" and "Michael Scarpelli"
    share it."""
    return " ".join(sorted(normalise_name(name).split()))


def company_key(name: str) -> str:
    """A company name for comparison: case, punctuation, EDGAR's state tag ("/DE/") and legal
    form words ignored, so "Innovo Group Inc." and "INNOVO GROUP INC /DE/" share it."""
    words = normalise_name(_EDGAR_TAG.sub("", name)).split()
    kept = [word for word in words if word not in COMPANY_FORM_WORDS]
    return " ".join(kept or words)


def state_name(code: str) -> str:
    """'DE' -> 'Delaware'; a code it does not know is kept as given."""
    return US_STATES.get(code.strip().upper(), code.strip())
