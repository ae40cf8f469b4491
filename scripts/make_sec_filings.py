"""Make a folder of synthetic SEC ownership filings from the shapes of tests/fixtures/sec/, for
benchmarking import_sec_ownership: python scripts/make_sec_filings.py OUT [--count 10000].

Issuers each have a cast of insiders (a CEO who is also President and a director, a CFO,
directors, other officers, now and then a 10% owner that is an entity filing jointly with a
director) who file on varied dates; some issuers change CEO halfway, so the single-seat rule
has successions to accept. A few filings are amendments, some full-submission .txt files, the
rest bare XML named by accession number, in one folder per issuer. The same seed gives the
same folder.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import random
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import defusedxml.ElementTree as SafeET

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sec"
FIRST = (
    "MARGARET DANIEL PETER SOFIA KWAME JOHN AIKO RAVI ELENA MARCUS LIN FATIMA OWEN PRIYA "
    "TOMAS GRACE HUGO NADIA SAMUEL IRENE VICTOR ZOE ANDRE MEI CARLOS HANNAH OMAR LUCIA"
).split()
LAST = (
    "VOSS OKAFOR HALVORSEN REYES-GARCIA OSEI MCMAHON TANAKA PATEL IVANOVA BELL CHEN HADDAD "
    "QUINN RAO NOVAK ABERNATHY LINDQVIST MORALES O'NEILL FISCHER DUBOIS KOWALSKI NAKAMURA "
    "SANTOS WEBER ADEYEMI BRENNAN CASTILLO"
).split()
WORDS = (
    "HALCYON BRIGHTWATER NORTHWIND CEDAR ALPINE BLUE ORBIT SUMMIT RIVER COPPER VECTOR "
    "LUMEN ATLAS HARBOR IRON PINE SILVER QUANTUM MERIDIAN SOLAR"
).split()
KINDS = "ROBOTICS THERAPEUTICS SYSTEMS BANCORP ENERGY FOODS NETWORKS DEVICES LABS MATERIALS".split()
OFFICER_TITLES = [
    "EVP, General Counsel and Secretary",
    "Chief Technology Officer",
    "SVP, Sales",
    "Chief Accounting Officer",
    "Chief People Officer",
]


def template(name: str) -> ET.Element:
    return SafeET.parse(FIXTURES / name).getroot()


TEMPLATES = {
    "4": "0000990001-24-000101.xml",
    "3": "0000990002-23-000011.xml",
    "5": "0000990002-24-000030.xml",
    "4/A": "0000990001-24-000104.xml",
    "joint": "0000990001-24-000103.xml",
}


class Maker:
    def __init__(self, seed: int, count: int):
        self.random = random.Random(seed)
        self.count = count
        self.templates = {kind: template(name) for kind, name in TEMPLATES.items()}
        issuers = max(1, count // 20)
        self.issuers = [self._issuer(n) for n in range(issuers)]
        self.sequence = 0

    def _issuer(self, n: int) -> dict:
        name = f"{self.random.choice(WORDS)} {self.random.choice(KINDS)} {n} INC"
        cik = f"{1_200_000 + n:010d}"
        people = [self._person(cik, i) for i in range(8)]
        cast = [
            (people[0], dict(director=True, title="President and CEO"), (2015, 2024)),
            (people[1], dict(title="EVP, Chief Financial Officer"), (2015, 2024)),
            (people[2], dict(director=True), (2015, 2024)),
            (people[3], dict(director=True), (2015, 2024)),
            (people[4], dict(title=self.random.choice(OFFICER_TITLES)), (2015, 2024)),
            (people[5], dict(title=self.random.choice(OFFICER_TITLES)), (2015, 2024)),
        ]
        if n % 3 == 0:  # a succession: the first CEO until 2019, another from 2020
            cast[0] = (people[0], dict(director=True, title="President and CEO"), (2015, 2019))
            cast.append((people[6], dict(title="Chief Executive Officer"), (2020, 2024)))
        return dict(name=name, cik=cik, ticker=f"X{n:04d}"[:5], cast=cast, fund=people[7])

    def _person(self, issuer_cik: str, i: int) -> dict:
        middle = self.random.choice("ABCDEJKLMRST")
        name = f"{self.random.choice(LAST)} {self.random.choice(FIRST)} {middle}"
        return dict(name=name, cik=f"{int(issuer_cik) * 10 + i + 3_000_000_000:010d}"[-10:])

    def filings(self):
        for _ in range(self.count):
            issuer = self.random.choice(self.issuers)
            person, relation, (first, last) = self.random.choice(issuer["cast"])
            day = datetime.date(first, 1, 1) + datetime.timedelta(
                days=self.random.randrange(
                    (datetime.date(last, 12, 31) - datetime.date(first, 1, 1)).days
                )
            )
            roll = self.random.random()
            kind = "4" if roll < 0.85 else "5" if roll < 0.9 else "3" if roll < 0.95 else "4/A"
            joint = (
                kind == "4"
                and relation.get("director")
                and not relation.get("title")
                and roll < 0.05
            )
            self.sequence += 1
            accession = f"{int(issuer['cik']):010d}-{day.year % 100:02d}-{self.sequence:06d}"
            root = copy.deepcopy(self.templates["joint" if joint else kind])
            self._fill(root, kind, issuer, person, relation, day)
            yield issuer, accession, kind, day, root

    def _fill(self, root, kind, issuer, person, relation, day) -> None:
        root.find("documentType").text = kind
        root.find("periodOfReport").text = day.isoformat()
        original = root.find("dateOfOriginalSubmission")
        if original is not None:
            original.text = (day + datetime.timedelta(days=2)).isoformat()
        root.find("issuer/issuerCik").text = issuer["cik"]
        root.find("issuer/issuerName").text = issuer["name"]
        root.find("issuer/issuerTradingSymbol").text = issuer["ticker"]
        owners = root.findall("reportingOwner")
        if len(owners) == 2:  # a fund filing jointly with the director who manages it
            fund = owners[0]
            fund.find("reportingOwnerId/rptOwnerCik").text = issuer["fund"]["cik"]
            fund.find(
                "reportingOwnerId/rptOwnerName"
            ).text = f"{issuer['name'].split()[0]} CAPITAL PARTNERS LP"
        owner = owners[-1]
        owner.find("reportingOwnerId/rptOwnerCik").text = person["cik"]
        owner.find("reportingOwnerId/rptOwnerName").text = person["name"]
        relationship = owner.find("reportingOwnerRelationship")
        for child in list(relationship):
            relationship.remove(child)
        flags = dict(
            isDirector=relation.get("director", False),
            isOfficer=bool(relation.get("title")),
            isTenPercentOwner=len(owners) == 2,
            isOther=False,
        )
        for tag, value in flags.items():
            ET.SubElement(relationship, tag).text = "1" if value else "0"
        if relation.get("title"):
            ET.SubElement(relationship, "officerTitle").text = relation["title"]


def full_submission(xml: bytes, issuer, accession, kind, day, owner_name, owner_cik) -> bytes:
    filed = day + datetime.timedelta(days=2)
    header = (
        f"<SEC-DOCUMENT>{accession}.txt : {filed:%Y%m%d}\n<SEC-HEADER>{accession}.hdr.sgml : "
        f"{filed:%Y%m%d}\nACCESSION NUMBER:\t\t{accession}\nCONFORMED SUBMISSION TYPE:\t{kind}\n"
        f"PUBLIC DOCUMENT COUNT:\t\t1\nCONFORMED PERIOD OF REPORT:\t{day:%Y%m%d}\n"
        f"FILED AS OF DATE:\t\t{filed:%Y%m%d}\n\nREPORTING-OWNER:\t\n\n\tOWNER DATA:\t\n"
        f"\t\tCOMPANY CONFORMED NAME:\t\t\t{owner_name}\n\t\tCENTRAL INDEX KEY:\t\t\t{owner_cik}\n\n"
        f"ISSUER:\t\t\n\n\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\t{issuer['name']}\n"
        f"\t\tCENTRAL INDEX KEY:\t\t\t{issuer['cik']}\n\t\tSTATE OF INCORPORATION:\t\t\tDE\n\n"
        f"\tBUSINESS ADDRESS:\t\n\t\tCITY:\t\t\tWILMINGTON\n\t\tSTATE:\t\t\tDE\n</SEC-HEADER>\n"
        f"<DOCUMENT>\n<TYPE>{kind}\n<SEQUENCE>1\n<TEXT>\n<XML>\n"
    ).encode()
    return header + xml + b"\n</XML>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="The folder to write (created if missing).")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--txt-share", type=float, default=0.15, help="Share of .txt files.")
    args = parser.parse_args(argv)
    maker = Maker(args.seed, args.count)
    written = 0
    for issuer, accession, kind, day, root in maker.filings():
        folder = args.out / issuer["cik"]
        folder.mkdir(parents=True, exist_ok=True)
        xml = b'<?xml version="1.0"?>\n' + ET.tostring(root)
        if maker.random.random() < args.txt_share:
            owner = root.findall("reportingOwner")[-1].find("reportingOwnerId")
            data = full_submission(xml, issuer, accession, kind, day, owner[1].text, owner[0].text)
            (folder / f"{accession}.txt").write_bytes(data)
        else:
            (folder / f"{accession}.xml").write_bytes(xml)
        written += 1
    print(f"{written:,} filings of {len(maker.issuers):,} issuers in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
