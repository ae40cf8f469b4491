"""Write a large tenure CSV, as export_tenures would write it, to benchmark import_tenures.

The record has the shape scripts/bench_export.py builds (by default 10,000 companies, 200,000
persons, 100 tenures a company: a chain of ten CEOs each succeeding the one before, ninety
directors, one in ten with an attested day; every tenure citing its company's filing), in
export order, so that import into an empty database then export gives the same bytes.

--changed writes the same record with every director's title changed and one row in ten
citing a second source: re-importing it updates nine rows in ten.

    python scripts/make_import_file.py --output /tmp/tenures.csv [--changed]
        [--companies N --persons N --tenures-per-company N]
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from governance.csv.format import TENURE_COLUMNS, csv_chunks  # noqa: E402

GIVEN = "Anna Björn Chloé Dmitri Élodie Farid Grace Hiroshi Ines José Kai Léa Marc Nadia Olu Pat".split()
FAMILY = "Anderson Brontë Crossman Dubois Eriksson Furrow García Hall Ivanova Jones Kowalski Lee Müller Nguyen O'Brien Patel".split()
CEOS = 10


def person(rng: random.Random, persons: int) -> tuple[str, str]:
    n = rng.randint(1, persons)
    # The name follows from the number, so a person is written alike on every row.
    return f"{GIVEN[n % len(GIVEN)]} {FAMILY[n * 7 % len(FAMILY)]} {n}", f"person-{n:06d}"


def ceo_rows(rng, persons: int, company: tuple[str, str], source: str) -> Iterator[list[str]]:
    previous = ("", "")
    for k in range(CEOS):
        name, slug = person(rng, persons)
        last = k == CEOS - 1
        yield [
            name,
            company[0],
            "ceo",
            "Chief Executive Officer",
            f"{1950 + 5 * k}-01",
            "" if last else f"{1955 + 5 * k}-01",
            "" if last else "succeeded",
            previous[0],
            source,
            "",
            slug,
            company[1],
            previous[1],
        ]
        previous = (name, slug)


def director_rows(
    rng, persons: int, company: tuple[str, str], source: str, count: int, changed: bool
) -> Iterator[list[str]]:
    for j in range(count):
        name, slug = person(rng, persons)
        year = 1930 + j
        start = [
            f"{year}",
            f"{year}-{1 + j % 12:02d}",
            f"{year}-{1 + j % 12:02d}-{1 + j % 28:02d}",
        ][j % 3]
        kind = j % 4
        first = datetime.date(year, 1 + j % 12 if j % 3 else 1, 1 + j % 28 if j % 3 == 2 else 1)
        sources = source + (" | Annual report of " + company[0] if changed and j % 10 == 5 else "")
        yield [
            name,
            company[0],
            "director",
            "Non-executive director" if changed else "Director",
            start,
            f"{year + 1 + j % 10}" if kind >= 2 else "",
            ["", "resigned", "retired", "term_expired"][kind],
            "",
            sources,
            (first + datetime.timedelta(days=100)).isoformat() if j % 10 == 0 else "",
            slug,
            company[1],
            "",
        ]


def rows(companies: int, persons: int, per_company: int, changed: bool) -> Iterator[list[str]]:
    rng = random.Random(5)
    for n in range(1, companies + 1):
        company = (f"Company {n} Inc.", f"company-{n:05d}")
        source = f"https://example.com/filings/{n}/10-K-2005"
        yield from ceo_rows(rng, persons, company, source)
        yield from director_rows(rng, persons, company, source, per_company - CEOS, changed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--tenures-per-company", type=int, default=100)
    parser.add_argument("--changed", action="store_true", help="The record with changes.")
    args = parser.parse_args()
    if args.tenures_per_company < CEOS:
        parser.error(f"--tenures-per-company must be at least {CEOS}")
    data = rows(args.companies, args.persons, args.tenures_per_company, args.changed)
    with args.output.open("w", encoding="utf-8", newline="") as out:
        # The columns up to replaces_slug: the file gives no CIK nor inferred facts, and
        # last_confirmed is derived (a layout the import reads as well as the export's).
        columns = TENURE_COLUMNS[: TENURE_COLUMNS.index("replaces_slug") + 1]
        for chunk in csv_chunks(columns, data):
            out.write(chunk)
    print(f"Wrote {args.companies * args.tenures_per_company:,} rows to {args.output}.")


if __name__ == "__main__":
    main()
