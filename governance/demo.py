"""The demo record: Innovo Group Inc., from the two seed exhibits (DESIGN.md, "The demo record").

load_demo() is idempotent: it creates what is missing, corrects what differs, and writes
no history row for anything already as it should be. It never brings back a record an editor
deleted: its history says so, and what hangs on it is left out too.
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction

from governance.models import (
    Attestation,
    Citation,
    Company,
    Founder,
    Role,
    Source,
    SourceParty,
    Tenure,
    Transaction,
    TransactionParty,
    TransactionSource,
)
from governance.models.partial_date import PartialDate
from people.models import OtherName, Person

CHANGE_REASON = "Demo record from the seed filings (Exhibits 99.1 and 10.97)"

RELEASE_TITLE = (
    "Innovo Group Inc. press release, 8 Sep 2004: election of Marc B. Crossman as President "
    "(Exhibit 99.1)"
)
NOTE_TITLE = "Promissory note, 7 Feb 2003: Innovo Group Inc. to Marc Crossman, $250,000 at 8% (Exhibit 10.97)"

# The filings' own words, with their typewriter spacing closed up.
ELECTED = (
    "Innovo Group Inc. (NASDAQ: INNO), announced today that Marc B. Crossman, the Company's "
    "Chief Financial Officer, has been elected by the Company's Board of Directors to serve as "
    "President of Innovo Group Inc. Mr. Crossman will replace Pat Anderson who has resigned as "
    "President and a Director of the Company."
)
CROSSMAN_SINCE = (
    "The Company's newly elected President, Mr. Crossman, has served as a Director of the "
    "Company since January 1999 and Chief Financial Officer since March 2003."
)
ANDERSON_SINCE = (
    "Ms. Anderson, a serving member of the current Board of Directors since August 1990 and as "
    "President since July 1990, has been an important figure in the Company's history."
)
ANDERSON_RESIGNED = "Mr. Crossman will replace Pat Anderson who has resigned as President and a Director of the Company."
ANDERSON_FOUNDED = (
    "Since founding the Company in 1989, with a focus towards craft and accessory products, she "
    "has worked diligently and tirelessly towards the Company's efforts to build a strong and "
    "successful organization"
)
ANDERSON_SUBSIDIARY = (
    "Ms Anderson, serving as the President of the Company's accessory and craft subsidiary, "
    "Innovo, Inc., as well as the President of the Company, has shown unique expertise, talent "
    "and knowledge in the accessory and craft industry."
)
FURROW_RELEASE = (
    'Jay Furrow, Chief Executive Officer of the Company, stated "I am pleased to announce the '
    'election of Marc to the role of President of the Company."'
)
FURROW_NOTE = "By: /s/ Samuel J. Furrow, Jr. ... Samuel J. Furrow, Jr. Its: Chief Executive Officer"
SUBSIDIARIES = (
    "Innovo Group Inc., through its subsidiaries Innovo Inc., Innovo Azteca Apparel Inc. and "
    "Joe's Jeans, is a sales and marketing organization designing and selling craft, apparel "
    "and accessory products to the retail and premium markets."
)

ANDERSON_END_INFERRED = (
    'read from the announcement of 8 Sep 2004: the release says she "has resigned"; no date '
    "is given"
)
NOTE_PRINCIPAL = (
    'FOR VALUE RECEIVED, the undersigned, Innovo Group Inc., a Delaware corporation ("Maker"), '
    'promises to pay to the order of MARC CROSSMAN ("Payee"), the principal sum of Two Hundred '
    "Fifty Thousand and No/100 ($250,000.00) Dollars, together with interest thereon as "
    "hereinafter set forth on the outstanding principal balance hereof"
)
NOTE_INTEREST = (
    'The indebtedness evidenced by this Promissory Note (the "Note") shall accrue interest, in '
    "arrears, at an annual rate of eight percent (8%) per annum on the outstanding principal "
    "balance"
)
NOTE_DUE = (
    "Both principal and any remaining unpaid accrued interest evidenced by this Note shall be due "
    "and payable, without demand, on August 8, 2003, which may be made in whole or in part (the "
    '"Due Date"); provided, however, Maker may, at its option and sole discretion, at any time '
    "prior to the Due Date, extend the date by which both principal and any remaining unpaid "
    "accrued interest evidenced by this Note shall be due and payable, without demand, until "
    "February 9, 2004, which may be made in whole or in part."
)
NOTE_SECURITY = (
    "Maker shall grant to Payee a security interest in One Hundred and Twenty Five Thousand "
    "(125,000) shares of the common stock of the Maker owned by Maker, whose issuance shall be "
    "subject to shareholder approval, and a security interest in the all of the assets of the "
    'Maker in the amount of this Note (the "Collateral")'
)
LOAN_INFERRED = (
    'The note does not call itself a loan: a promise to repay a principal sum "together with '
    'interest" to its payee is one.'
)

INFERRED_FURROW = (
    "Inference, not a statement of the filings: the 8 Sep 2004 release names Jay Furrow as the "
    "Company's Chief Executive Officer, and the note of 7 Feb 2003 is signed by Samuel J. Furrow, "
    "Jr. as its Chief Executive Officer; Jay is taken to be his usual name."
)
INFERRED_CROSSMAN = (
    "Inference, not a statement of the filings: the note of 7 Feb 2003 names its payee "
    '"MARC CROSSMAN"; Marc B. Crossman was then a director of the maker, Innovo Group Inc.'
)


def _deleted(model: type[models.Model], lookup: dict) -> bool:
    """Whether a record matching lookup was deleted (its history has a deletion row)."""
    by_id = {
        (model._meta.get_field(name).attname if isinstance(value, models.Model) else name): (
            value.pk if isinstance(value, models.Model) else value
        )
        for name, value in lookup.items()
    }
    return model.history.filter(history_type="-", **by_id).exists()


def upsert(model: type[models.Model], lookup: dict, **values) -> models.Model | None:
    """The record matching lookup, created or corrected to have values; saved only if it
    changed. None when an editor deleted it, or a record it needs (None in lookup)."""
    if any(
        value is None and isinstance(model._meta.get_field(name), models.ForeignKey)
        for name, value in lookup.items()
    ):
        return None
    obj = model.objects.filter(**lookup).first()
    if obj is None and _deleted(model, lookup):
        return None
    if obj is None:
        obj = model(**lookup, **values)
    elif all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    else:
        for name, value in values.items():
            setattr(obj, name, value)
    obj.full_clean()
    obj._change_reason = CHANGE_REASON
    obj.save()
    return obj


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@transaction.atomic
def load_demo() -> None:
    roles = {role.slug: role for role in Role.objects.all()}

    group = upsert(
        Company,
        {"slug": "innovo-group"},
        name="Innovo Group Inc.",
        ticker="INNO",
        exchange="NASDAQ",
        jurisdiction="Delaware",
        headquarters="Los Angeles, CA",
        founded=PartialDate(1989),
        notes=(
            "The 8 Sep 2004 release is datelined Los Angeles, CA; the promissory note of "
            "7 Feb 2003 was made at Commerce, California."
        ),
    )
    innovo_inc = upsert(
        Company,
        {"slug": "innovo-inc"},
        name="Innovo, Inc.",
        parent=group,
        notes=f"The Company's accessory and craft subsidiary. Exhibit 99.1: {SUBSIDIARIES}",
    )
    for slug, name in [
        ("innovo-azteca-apparel", "Innovo Azteca Apparel Inc."),
        ("joes-jeans", "Joe's Jeans"),
    ]:
        upsert(
            Company, {"slug": slug}, name=name, parent=group, notes=f"Exhibit 99.1: {SUBSIDIARIES}"
        )

    anderson = upsert(
        Person, {"slug": "pat-anderson"}, name="Pat Anderson", sort_name="Anderson, Pat"
    )
    crossman = upsert(
        Person, {"slug": "marc-b-crossman"}, name="Marc B. Crossman", sort_name="Crossman, Marc B."
    )
    furrow = upsert(
        Person,
        {"slug": "samuel-j-furrow-jr"},
        name="Samuel J. Furrow, Jr.",
        sort_name="Furrow, Samuel J., Jr.",
    )
    upsert(
        OtherName,
        {"person": furrow, "name": "Jay Furrow"},
        kind=OtherName.Kind.ALIAS,
        note=INFERRED_FURROW,
    )
    upsert(
        OtherName,
        {"person": crossman, "name": "MARC CROSSMAN"},
        kind=OtherName.Kind.AS_FILED,
        note=INFERRED_CROSSMAN,
    )

    release = upsert(
        Source,
        {"title": RELEASE_TITLE},
        kind=Source.Kind.SEC_EXHIBIT,
        exhibit="99.1",
        date=PartialDate(2004, 9, 8),
        notes="Press release filed as Exhibit 99.1; the form type and accession number are not stated.",
    )
    note = upsert(
        Source,
        {"title": NOTE_TITLE},
        kind=Source.Kind.CONTRACT,
        exhibit="10.97",
        date=PartialDate(2003, 2, 7),
        notes=(
            "Due 8 Aug 2003, extendable by the maker to 9 Feb 2004; secured by 125,000 shares "
            "and the maker's assets. Filed as Exhibit 10.97; the form type and accession number "
            "are not stated."
        ),
    )

    for source, party, part, written in [
        (release, {"company": group}, "issuer", "Innovo Group Inc."),
        (release, {"person": crossman}, "elected President", "Marc B. Crossman"),
        (release, {"person": anderson}, "resigned as President and Director", "Pat Anderson"),
        (release, {"person": furrow}, "quoted, as Chief Executive Officer", "Jay Furrow"),
        (note, {"company": group}, "maker", "INNOVO GROUP INC."),
        (note, {"person": crossman}, "payee", "MARC CROSSMAN"),
        (
            note,
            {"person": furrow},
            "signatory, as Chief Executive Officer",
            "Samuel J. Furrow, Jr.",
        ),
    ]:
        upsert(SourceParty, {"source": source, **party, "part": part}, name_as_written=written)

    upsert(Founder, {"company": group, "person": anderson}, source=release, quote=ANDERSON_FOUNDED)

    def tenure(person, company, role, start, citations, **values):
        obj = upsert(
            Tenure,
            {"person": person, "company": company, "role": roles[role], "start": start},
            **values,
        )
        for position, (source, quote) in enumerate(citations):
            upsert(Citation, {"tenure": obj, "source": source}, quote=quote, position=position)
        return obj

    anderson_president = tenure(
        anderson,
        group,
        "president",
        PartialDate(1990, 7),
        [(release, f"{ANDERSON_RESIGNED} … {ANDERSON_SINCE}")],
        title="President",
        end=PartialDate(2004, 9),
        end_reason=Tenure.EndReason.RESIGNED,
        inferred="end",
        inferred_note=ANDERSON_END_INFERRED,
    )
    tenure(
        anderson,
        group,
        "director",
        PartialDate(1990, 8),
        [(release, f"{ANDERSON_RESIGNED} … {ANDERSON_SINCE}")],
        title="Director",
        end=PartialDate(2004, 9),
        end_reason=Tenure.EndReason.RESIGNED,
        inferred="end",
        inferred_note=ANDERSON_END_INFERRED,
    )
    anderson_subsidiary = tenure(
        anderson, innovo_inc, "president", None, [(release, ANDERSON_SUBSIDIARY)], title="President"
    )
    tenure(
        crossman,
        group,
        "director",
        PartialDate(1999, 1),
        [(release, CROSSMAN_SINCE)],
        title="Director",
    )
    tenure(
        crossman,
        group,
        "cfo",
        PartialDate(2003, 3),
        [(release, CROSSMAN_SINCE)],
        title="Chief Financial Officer",
    )
    tenure(
        crossman,
        group,
        "president",
        PartialDate(2004, 9, 8),
        [(release, ELECTED)],
        title="President",
        predecessor=anderson_president,
    )
    furrow_ceo = tenure(
        furrow,
        group,
        "ceo",
        None,
        [(note, FURROW_NOTE), (release, FURROW_RELEASE)],
        title="Chief Executive Officer",
    )

    upsert(
        Attestation,
        {"tenure": anderson_subsidiary, "day": day("2004-09-08"), "source": release},
        quote=ANDERSON_SUBSIDIARY,
    )
    upsert(
        Attestation,
        {"tenure": furrow_ceo, "day": day("2003-02-07"), "source": note},
        quote=FURROW_NOTE,
    )
    upsert(
        Attestation,
        {"tenure": furrow_ceo, "day": day("2004-09-08"), "source": release},
        quote=FURROW_RELEASE,
    )

    loan = upsert(
        Transaction,
        {"company": group, "date": PartialDate(2003, 2, 7), "instrument": "promissory note"},
        kind=Transaction.Kind.LOAN,
        kind_inferred=True,
        inferred_note=LOAN_INFERRED,
        amount=Decimal("250000.00"),
        currency="USD",
        interest_rate=Decimal("8"),
        due=PartialDate(2003, 8, 8),
        extended_due=PartialDate(2004, 2, 9),
        extension_terms="The maker may, at its option, before the due date, extend it to 9 Feb 2004.",
        security=(
            "125,000 shares of the maker's common stock (their issuance subject to shareholder "
            "approval) and all of the maker's assets, in the amount of the note; subordinate to "
            "security interests perfected on or before its date"
        ),
    )
    upsert(
        TransactionParty,
        {"transaction": loan, "person": crossman, "part": "lender"},
        part_as_written="Payee",
    )
    upsert(
        TransactionParty,
        {"transaction": loan, "company": group, "part": "borrower"},
        part_as_written="Maker",
    )
    upsert(
        TransactionSource,
        {"transaction": loan, "source": note},
        quote=f"{NOTE_PRINCIPAL} … {NOTE_INTEREST} … {NOTE_DUE} … {NOTE_SECURITY}",
        position=0,
    )


# The two exhibits' text, shipped with the app (exhibits/PROVENANCE.md), by the title of the
# source they are: a reader opens them at /sources/<id>/text/.
EXHIBITS_DIR = Path(__file__).resolve().parent / "exhibits"
EXHIBIT_FILES = {
    RELEASE_TITLE: "innovo-8k-exhibit-99-1-2004-09-08.txt",
    NOTE_TITLE: "innovo-exhibit-10-97-promissory-note-2003-02-07.txt",
}


def exhibit_text(source) -> str | None:
    """The shipped text of a demo source, or None for any other."""
    name = EXHIBIT_FILES.get(source.title)
    return (EXHIBITS_DIR / name).read_text(encoding="utf-8") if name else None
