"""A realistic synthetic record for benchmarks and tests, the same for the same seed.

generate(Shape(companies, people, tenures, seed)) fills an empty record: companies of every
size (a few with about a thousand tenures, a long tail of small ones), boards of 5 to 15
seats, officers succeeding each other in the single-seat roles of the catalogue, dates at all
three precisions, unknown starts, tenures ended at an unknown date, attested days, sources
shared by a company's tenures with quoted passages, source parties, founders, former names,
parent companies, other names, people on several boards, and the history rows every record
would have: its creation ('+'), and for about one in twenty persons, companies, sources and
tenures one or two later changes ('~') with a reason.

Derived columns hold exactly what a save computes (intervals by derive_intervals from the
dates, attested days, cited sources' dates, founding and successor; single_seat; search
keys; unique slugs), so Tenure.objects.refresh_intervals() finds nothing to change.

Rows are made by one generator and written by a sink, in one transaction: COPY on PostgreSQL
(on a second thread, while the next rows are made; foreign keys, unique and exclusion
constraints and secondary indexes are dropped for the load and put back after it, which
checks every row at once), bulk_create elsewhere (SQLite, for tests).
"""

from __future__ import annotations

import bisect
import datetime
import functools
import random
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils.text import slugify

from governance.models import (
    Attestation,
    Citation,
    Company,
    FormerName,
    Founder,
    Role,
    Source,
    SourceParty,
    Tenure,
)
from governance.models.intervals import Intervals, derive_intervals
from governance.models.partial_date import PartialDate, parse_partial_date, start_key
from governance.models.tenures import INTERVAL_FIELDS
from people.models import OtherName, Person
from people.names import normalise_name
from records.history import has_history

# -- The tables written, and their columns --------------------------------------------------

COLUMNS: dict[type[models.Model], list[str]] = {
    Person: ["id", "name", "sort_name", "slug", "notes", "search_key"],
    OtherName: ["id", "person_id", "name", "kind", "note", "search_key"],
    Company: [
        "id",
        "name",
        "slug",
        "ticker",
        "exchange",
        "cik",
        "jurisdiction",
        "headquarters",
        "parent_id",
        "founded",
        "notes",
    ],
    FormerName: ["id", "company_id", "name", "start", "end"],
    Source: [
        "id",
        "kind",
        "title",
        "form_type",
        "exhibit",
        "date",
        "url",
        "accession_number",
        "notes",
    ],
    SourceParty: ["id", "source_id", "person_id", "company_id", "part", "name_as_written"],
    Founder: ["id", "company_id", "person_id", "source_id", "quote"],
    Tenure: [
        "id",
        "person_id",
        "company_id",
        "role_id",
        "title",
        "start",
        "end",
        "end_reason",
        "predecessor_id",
        "notes",
        "single_seat",
        *INTERVAL_FIELDS,
        "inferred",
        "inferred_note",
        "last_confirmed",
    ],
    Citation: ["id", "source_id", "tenure_id", "quote", "position"],
    Attestation: ["id", "tenure_id", "day", "source_id", "quote"],
}
RECORD_MODELS = list(COLUMNS)
HISTORY_COLUMNS = [
    "history_id",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user_id",
]
_T = {name: n for n, name in enumerate(COLUMNS[Tenure])}


def _defaulted(model) -> list[tuple[str, object]]:
    """Columns of model this module does not write: each gets its field's default."""
    return [
        (field.attname, field.get_default())
        for field in model._meta.concrete_fields
        if field.attname not in COLUMNS[model]
    ]


def _check_columns() -> None:
    """Refuse to run against models with a column this module neither writes nor can leave to
    its default (a required column added since: teach the generator its values)."""
    for model, columns in COLUMNS.items():
        for target, wanted in (
            (model, columns),
            (model.history.model, columns + HISTORY_COLUMNS),
        ):
            fields = {f.attname: f for f in target._meta.concrete_fields}
            missing = set(wanted) - set(fields)
            required = [
                name
                for name, field in fields.items()
                if name not in wanted and field.get_default() is None and not field.null
            ]
            if missing or required:
                raise RuntimeError(
                    f"governance.synthetic writes {sorted(wanted)} to {target._meta.label}, "
                    f"which has {sorted(fields)}: teach it the model's new columns."
                )


# -- What a record looks like ---------------------------------------------------------------

# Valid time: the latest day the synthetic documents speak of.
VALID_UNTIL = datetime.date(2026, 6, 30)
# Record time: records are entered over this span, changed up to CHANGED_UNTIL.
RECORDED_FROM = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=datetime.UTC)
RECORDED_UNTIL = datetime.datetime(2026, 8, 31, 18, 0, tzinfo=datetime.UTC)
CHANGED_UNTIL = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC)
EDGAR_FROM = datetime.date(1994, 1, 1)
MIN_TERM = 60  # days: the shortest term in a lane, so that hand-overs stay in order
CAREER_YEARS = 40  # a person takes new seats for this long after a first one
MOST_SEATS = 24  # tenures a person gathers before only a shortage of people adds more
EDITORS = ["a.moreau", "j.okafor", "k.tanaka"]

YEAR, MONTH, DAY = 1, 2, 3
# Single-seat roles in the order a growing company fills them; the first ones always.
SINGLE_SEAT_ORDER = [
    "ceo",
    "chair",
    "cfo",
    "president",
    "secretary",
    "coo",
    "treasurer",
    "cao",
    "vice-chair",
    "lead-independent-director",
]
OFFICER_PICKS_INSIDER = {"ceo", "president", "coo", "cfo"}
BOARD_LANES = {"chair", "vice-chair", "lead-independent-director"}
TITLES = {
    "ceo": [
        ("Chief Executive Officer", 70),
        ("CEO", 8),
        ("President and Chief Executive Officer", 12),
        ("Chief Executive", 5),
        ("Interim Chief Executive Officer", 5),
    ],
    "president": [("President", 85), ("President and Chief Operating Officer", 15)],
    "coo": [("Chief Operating Officer", 85), ("Executive Vice President and COO", 15)],
    "cfo": [
        ("Chief Financial Officer", 70),
        ("CFO", 5),
        ("Executive Vice President and Chief Financial Officer", 15),
        ("Chief Financial Officer and Treasurer", 10),
    ],
    "cao": [("Chief Accounting Officer", 80), ("Principal Accounting Officer", 20)],
    "treasurer": [("Treasurer", 90), ("Vice President and Treasurer", 10)],
    "secretary": [
        ("Secretary", 60),
        ("Corporate Secretary", 25),
        ("General Counsel and Secretary", 15),
    ],
    "chair": [
        ("Chair", 35),
        ("Chairman of the Board", 45),
        ("Chairwoman", 5),
        ("Non-Executive Chair", 15),
    ],
    "vice-chair": [("Vice Chair", 60), ("Vice Chairman", 40)],
    "lead-independent-director": [("Lead Independent Director", 100)],
    "director": [
        ("Director", 72),
        ("Independent Director", 20),
        ("Non-Executive Director", 5),
        ("Member of the Board of Directors", 3),
    ],
}
VP_TITLES = [
    "Vice President",
    "Senior Vice President",
    "Executive Vice President",
    "Group Vice President",
]
VP_AREAS = [
    "Sales",
    "Marketing",
    "Operations",
    "Human Resources",
    "Manufacturing",
    "Research and Development",
    "Investor Relations",
    "Corporate Development",
    "Legal Affairs",
    "Information Technology",
    "Supply Chain",
    "Engineering",
    "Finance",
    "Strategy",
    "Regulatory Affairs",
]
END_REASONS_OFFICER = [
    ("resigned", 32),
    ("retired", 24),
    ("succeeded", 20),
    ("removed", 5),
    ("died", 3),
    ("other", 4),
    ("", 12),
]
END_REASONS_BOARD = [
    ("resigned", 30),
    ("retired", 26),
    ("term_expired", 20),
    ("removed", 3),
    ("died", 4),
    ("other", 4),
    ("", 13),
]
ENDED_VERBS = {
    "resigned": "resigned",
    "retired": "retired",
    "succeeded": "was succeeded",
    "removed": "was removed",
    "died": "died while serving",
    "term_expired": "completed the term",
    "other": "left the post",
    "": "ceased to serve",
}

GIVEN_NAMES = (
    "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy "
    "Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily "
    "Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa "
    "Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia "
    "Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry "
    "Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha Samuel Katherine Frank "
    "Christine Gregory Debra Raymond Rachel Alexander Carolyn Patrick Janet Jack Catherine "
    "Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce "
    "Henry Virginia Peter Victoria Zachary Kelly Douglas Lauren Harold Christina Kyle Joan "
    "Noah Evelyn Marc Pat Jay Élodie Chloé José Léa Björn Søren Jürgen Zoë Renée François "
    "Hélène Andrés Inés Joaquín Sofía Ingrid Lars Astrid Henrik Dmitri Olga Sergei Natalia "
    "Hiroshi Yuki Kenji Akiko Wei Mei Jun Min-jun Seo-yeon Priya Arjun Rahul Ananya Farid "
    "Leila Omar Amira Chidi Ngozi Kwame Ama Tariq Nadia Olu Kai Ines Grace Aisha Mateo "
    "Lucía Giulia Marco Francesca Luca Klaus Heike Wolfgang Ursula Pieter Anouk Jan Maarten"
).split()
FAMILY_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris "
    "Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly "
    "Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza "
    "Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell "
    "Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher "
    "Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace "
    "Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray "
    "Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells "
    "Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter "
    "Gordon Mendez Silva Shaw Snyder Mason Dixon Muñoz Hunt Hicks Holmes Palmer Wagner Black "
    "Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt García Fernández "
    "González Rodríguez López Martínez Sánchez Pérez Müller Schneider Fischer Weber Becker "
    "Schulz Hoffmann Koch Richter Wolf Schröder Neumann Dubois Bernard Durand Lefèvre Moreau "
    "Laurent Girard Bonnet Rousseau Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci "
    "Santos Oliveira Souza Costa Pereira Almeida Carvalho Kowalski Nowak Wiśniewski Wójcik "
    "Ivanov Smirnov Kuznetsov Popov Petrov Ivanova Andersson Johansson Karlsson Nilsson "
    "Eriksson Larsson Olsen Hansen Jensen Nielsen Virtanen Korhonen Tanaka Suzuki Takahashi "
    "Watanabe Sato Nakamura Park Choi Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Shah Singh "
    "Kumar Sharma Gupta O'Brien O'Connor McCarthy MacDonald Bakker Janssen Peeters Okafor "
    "Adeyemi Mensah Haddad Khoury Cohen Levi Friedman Novák Horváth Nagy Dvořák Yılmaz Kaya "
    "Demir Papadopoulos Brontë Crossman Furrow Anderson-Hall Smith-Jones"
).split() + ["de Vries", "van Dijk", "Van der Berg", "Le Roux"]
# Syllables of family names too rare to repeat: most are borne by one person only.
RARE_PARTS = (
    ["Al", "Bran", "Cor", "Dal", "Ev", "Fen", "Gal", "Hol", "Is", "Jar", "Kel", "Lom", "Mar"]
    + ["Nor", "Ost", "Pem", "Quin", "Rad", "Sel", "Tor", "Ul", "Var", "Wex", "Yor", "Zan"],
    ["a", "e", "i", "o", "u", "ae", "ie", "ou", "y"],
    ["brook", "dane", "field", "gard", "holm", "ington", "ley", "mere", "nova", "quist"]
    + ["rath", "sby", "stad", "thorpe", "vik", "wick", "zek", "ovic", "escu", "aro"],
)
NICKNAMES = {
    "William": "Bill",
    "Robert": "Bob",
    "Richard": "Dick",
    "James": "Jim",
    "Elizabeth": "Liz",
    "Margaret": "Peggy",
    "Thomas": "Tom",
    "Joseph": "Joe",
    "Charles": "Chuck",
    "Katherine": "Kate",
    "Christopher": "Chris",
    "Jennifer": "Jen",
    "Samuel": "Sam",
    "Daniel": "Dan",
    "Patricia": "Patty",
    "Edward": "Ted",
    "Alexander": "Alex",
    "Benjamin": "Ben",
    "Nicholas": "Nick",
    "Michael": "Mike",
}
COMPANY_WORDS = (
    "Atlas Northwind Summit Pioneer Harbor Granite Cedar Meridian Pacific Apex Silverline "
    "Blue Ridge Redwood Keystone Liberty Frontier Beacon Sterling Horizon Vanguard Orion "
    "Evergreen Lakeshore Ironwood Crescent Falcon Sequoia Pinnacle Cascade Heritage Paragon "
    "Riverside Westbrook Eastgate Highland Prairie Coastal Continental Allied United Global "
    "National American Atlantic Northern Southern Western Central Premier Royal Imperial "
    "Crown Monarch Eagle Phoenix Titan Aurora Zenith Polaris Nova Vertex Quantum Helix "
    "Innovo Kestrel Osprey Heron Magnolia Juniper Willow Aspen Birch Hawthorn Linden Alder "
    "Sapphire Emerald Onyx Cobalt Copper Iron Golden Silver Diamond Crystal Marble Slate"
).split()
COMPANY_TRADES = (
    "Holdings|Group|Industries|Energy|Pharmaceuticals|Logistics|Bancorp|Semiconductor|Foods|"
    "Apparel|Mining|Software|Therapeutics|Realty|Insurance|Airlines|Motors|Biosciences|"
    "Networks|Media|Capital|Resources|Technologies|Systems|Materials|Chemicals|Brands|"
    "Financial|Healthcare|Entertainment|Retail|Shipping|Steel|Paper|Utilities|Communications|"
    "Devices|Instruments|Aerospace|Partners|Trust|Petroleum|Gas|Power|Water|Textiles|Beverages|"
    "Hotels|Restaurants|Pharma|Genomics|Robotics|Data|Semiconductors|Minerals|Timber|Marine"
).split("|")
COMPANY_FORMS = [
    ("Inc.", 40),
    ("Corp.", 18),
    ("Corporation", 12),
    ("Group Inc.", 5),
    ("Ltd.", 6),
    ("LLC", 4),
    ("Co.", 5),
    ("plc", 3),
    ("N.V.", 2),
    ("AG", 2),
    ("S.A.", 2),
    ("Holdings Inc.", 1),
]
JURISDICTIONS = [
    ("Delaware", 55),
    ("Nevada", 9),
    ("New York", 6),
    ("California", 5),
    ("Maryland", 4),
    ("Texas", 3),
    ("Florida", 3),
    ("New Jersey", 2),
    ("Cayman Islands", 3),
    ("England and Wales", 3),
    ("Ontario", 2),
    ("British Columbia", 1),
    ("Netherlands", 1),
    ("Bermuda", 2),
    ("", 1),
]
CITIES = (
    "New York, NY|Los Angeles, CA|Chicago, IL|Houston, TX|Phoenix, AZ|Philadelphia, PA|"
    "San Antonio, TX|San Diego, CA|Dallas, TX|San Jose, CA|Austin, TX|Jacksonville, FL|"
    "Columbus, OH|Charlotte, NC|Indianapolis, IN|San Francisco, CA|Seattle, WA|Denver, CO|"
    "Boston, MA|Nashville, TN|Detroit, MI|Portland, OR|Las Vegas, NV|Memphis, TN|"
    "Louisville, KY|Baltimore, MD|Milwaukee, WI|Atlanta, GA|Miami, FL|Minneapolis, MN|"
    "Cleveland, OH|Pittsburgh, PA|St. Louis, MO|Cincinnati, OH|Kansas City, MO|Omaha, NE|"
    "Salt Lake City, UT|Stamford, CT|Greenwich, CT|Palo Alto, CA|Commerce, CA|Irvine, CA|"
    "Princeton, NJ|Wilmington, DE|Toronto, ON|Vancouver, BC|London, UK|Amsterdam, NL|"
    "Dublin, IE|Zug, CH"
).split("|")
EXCHANGES = [("NYSE", 40), ("NASDAQ", 45), ("NYSE American", 8), ("OTC", 7)]
SEC_FORMS = [("10-K", 30), ("10-Q", 20), ("8-K", 30), ("DEF 14A", 15), ("S-1", 3), ("10-K405", 2)]
EXHIBITS = [("99.1", 50), ("10.1", 20), ("10.2", 10), ("3.1", 10), ("21.1", 10)]
AGREEMENTS = [
    "Employment agreement",
    "Promissory note",
    "Consulting agreement",
    "Indemnification agreement",
    "Severance agreement",
    "Stock purchase agreement",
]
HEADLINES = [
    "appointment of a new officer",
    "changes to the Board of Directors",
    "results for the fourth quarter",
    "results of the annual meeting",
    "management succession",
    "election of directors",
]
OTHER_DOCUMENTS = ["Annual report", "Minutes of the annual meeting", "Letter to shareholders"]
PERSON_NOTES = [
    "Also chairs the audit committee.",
    "Biography from the proxy statement.",
    "Served in the U.S. Navy before joining the Company.",
    "Certified public accountant.",
]
COMPANY_NOTES = [
    "Formerly a subsidiary of a larger group.",
    "Reincorporated in Delaware.",
    "Delisted after the merger.",
]
TENURE_NOTES = [
    "Also served on the compensation committee.",
    "Elected at the annual meeting.",
    "Appointed to fill a vacancy.",
    "Served on an interim basis at first.",
]
CREATED_BY_IMPORT = "Imported from the company's filings"
CREATED_BY_EDITOR = "Entered from the filings"


def _cumulative(pairs):
    items, total, cumulative = [], 0, []
    for item, weight in pairs:
        total += weight
        items.append(item)
        cumulative.append(total)
    return items, cumulative


def _zipf(items, offset=8.0):
    return _cumulative((item, 1.0 / (rank + offset)) for rank, item in enumerate(items))


_OFFICER_ENDS = _cumulative(END_REASONS_OFFICER)
_BOARD_ENDS = _cumulative(END_REASONS_BOARD)
_FORMS = _cumulative(COMPANY_FORMS)
_JURISDICTIONS = _cumulative(JURISDICTIONS)
_EXCHANGES = _cumulative(EXCHANGES)
_SEC_FORMS = _cumulative(SEC_FORMS)
_EXHIBITS = _cumulative(EXHIBITS)


# -- Shape and summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """How big a record to make, and from which seed."""

    companies: int = 100
    people: int = 2_000
    tenures: int = 10_000
    seed: int = 1

    def problems(self) -> list[str]:
        found = [
            f"{name} must be 0 or more, not {value}"
            for name, value in (
                ("companies", self.companies),
                ("people", self.people),
                ("tenures", self.tenures),
            )
            if value < 0
        ]
        if self.tenures and not (self.companies and self.people):
            found.append("tenures need at least one company and one person")
        return found


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows written
    seconds: float = 0.0


class RecordNotEmpty(Exception):
    """The database already holds a record; the message says what."""


class ImpossibleShape(ValueError):
    """A shape no record can have (too few people to seat, a negative count); says why."""


# -- Emptiness --------------------------------------------------------------------------------


def _also_emptied() -> list[type[models.Model]]:
    """Records the generator does not make but that point at those it does (transactions, the
    SEC ledger…): emptied with them, each after what it points at."""
    found = []
    for app in ("people", "governance"):
        for model in django_apps.get_app_config(app).get_models():
            if model in RECORD_MODELS or hasattr(model, "instance_type"):  # or a history model
                continue
            pointed = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if pointed & set(RECORD_MODELS + found):
                found.append(model)
    return found


def _tables() -> list[tuple[type[models.Model], str]]:
    return [
        (m, m._meta.db_table)
        for model in RECORD_MODELS + _also_emptied()
        for m in ([model, model.history.model] if has_history(model) else [model])
    ]


def record_contents() -> str:
    """What the record tables and their history hold ("12 companies, 340 tenures"), counted
    up to 1,000 each; empty when they hold nothing."""
    found = []
    for model, _table in _tables():
        count = model._default_manager.all()[:1000].count()
        if count:
            found.append(
                f"{'1,000+' if count >= 1000 else count} {model._meta.verbose_name_plural}"
            )
    return ", ".join(found)


def _empty_record() -> None:
    tables = [table for _model, table in _tables()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in reversed(tables):
                cursor.execute(f'DELETE FROM "{table}"')


# -- Sinks: where rows go ---------------------------------------------------------------------


class _OrmSink:
    """bulk_create: any backend (SQLite for tests), no model code run."""

    def prepare(self) -> None:
        pass

    def write(self, model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
        )

    def close(self, failed: bool) -> None:
        pass

    def finish(self) -> None:
        pass

    def analyze(self) -> None:
        pass


def _copy(raw_connection, statement, rows: list[tuple]) -> None:
    with raw_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


class _PostgresSink:
    """COPY into each table, in one transaction. For the load, the record tables lose their
    foreign keys, unique and exclusion constraints and secondary indexes, and get them back
    at the end: built from all the rows at once, each checks every row (far faster than row
    by row, and deferred foreign keys would queue a trigger event per row)."""

    def __init__(self):
        self.constraints: list[tuple[str, str, str]] = []  # (table, name, definition)
        self.indexes: list[tuple[str, str]] = []  # (name, definition)
        self.copying = ThreadPoolExecutor(max_workers=1, thread_name_prefix="synthetic-copy")
        self.in_flight: deque[Future] = deque()

    def prepare(self) -> None:
        tables = [table for _model, table in _tables()]
        with connection.cursor() as cursor:
            # ALTER TABLE refuses a table with deferred checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Foreign keys first: they may lean on the others.
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype IN ('f', 'u', 'x') "
                "AND conrelid::regclass::text = ANY(%s) ORDER BY contype <> 'f', 1, 2",
                [tables],
            )
            self.constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) "
                "AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid) ORDER BY 1",
                [tables],
            )
            self.indexes = cursor.fetchall()
            for table, name, _definition in self.constraints:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _definition in self.indexes:
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def write(self, model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
        """COPY the rows, on a thread of its own: the server loads a batch while the next one
        is made. The generator runs no query meanwhile; psycopg's connection is thread-safe."""
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(model._meta.db_table),
            sql.SQL(", ").join(sql.Identifier(model._meta.get_field(c).column) for c in columns),
        )
        connection.ensure_connection()
        self.in_flight.append(self.copying.submit(_copy, connection.connection, statement, rows))
        while len(self.in_flight) > 2 * len(COLUMNS):  # about a batch: bounds the memory
            self.in_flight.popleft().result()

    def close(self, failed: bool) -> None:
        if failed:
            self.copying.shutdown(wait=True, cancel_futures=True)
            return
        while self.in_flight:
            self.in_flight.popleft().result()
        self.copying.shutdown()

    def finish(self) -> None:
        self.close(failed=False)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in reversed(self.constraints):
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            for model, table in _tables():
                key = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f'coalesce((SELECT max("{key}") FROM "{table}"), 0) + 1, false)',
                    [table, key],
                )

    def analyze(self) -> None:
        # VACUUM too, as after any bulk load (autovacuum would, in time, where it is on): the
        # visibility map it sets lets an index-only scan skip the table (the last /people/
        # page read 200,000 rows of the table for the 50 it shows). Not inside a transaction.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for _model, table in _tables():
                cursor.execute(f'{command} "{table}"')


class _Writer:
    """Collects rows per table, with their history rows, and hands them to the sink in
    batches. Foreign keys are deferred (or dropped), so tables may come in any order."""

    def __init__(self, sink, batch: int = 100_000):
        self.sink = sink
        self.batch = batch
        self.pending: dict[type[models.Model], list[tuple]] = {}
        self.pending_count = 0
        self.history_ids: dict[type[models.Model], int] = {}
        # model.history builds a manager on every access: look each one up once.
        self.history_models = {model: model.history.model for model in RECORD_MODELS}
        self.written: dict[type[models.Model], int] = {}

    def add(self, model, row: tuple, when, reason: str, user_id, changes=()) -> None:
        """A record, its '+' history row at when, and its '~' rows: (earlier rows, oldest
        first, each with its moment, reason and user), the last version being row."""
        history = self.history_models[model]
        self._append(model, row)
        versions = [version for version, *_ in changes] + [row]
        moments = [(when, "+", reason, user_id)] + [
            (moment, "~", why, who) for _version, moment, why, who in changes
        ]
        for version, (moment, kind, why, who) in zip(versions, moments, strict=True):
            self.history_ids[history] = history_id = self.history_ids.get(history, 0) + 1
            self._append(history, (*version, history_id, moment, kind, why, who))

    def _append(self, model, row: tuple) -> None:
        self.pending.setdefault(model, []).append(row)
        self.pending_count += 1
        if self.pending_count >= self.batch:
            self.flush()

    def flush(self) -> None:
        for model, rows in self.pending.items():
            if rows:
                base = getattr(model, "instance_type", model)
                defaulted = _defaulted(base)
                if defaulted:
                    names, values = [n for n, _v in defaulted], tuple(v for _n, v in defaulted)
                    width = len(COLUMNS[base])
                    rows = [(*row[:width], *values, *row[width:]) for row in rows]
                else:
                    names = []
                columns = COLUMNS[base] + names + (HISTORY_COLUMNS if base is not model else [])
                self.sink.write(model, columns, rows)
                self.written[model] = self.written.get(model, 0) + len(rows)
        self.pending = {}
        self.pending_count = 0


# -- The generator ----------------------------------------------------------------------------


def _partial(day: datetime.date, precision: int) -> PartialDate:
    if precision == YEAR:
        return PartialDate(day.year)
    if precision == MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


def _iso(date: PartialDate | None) -> str | None:
    return None if date is None else date.isoformat()


def _row(model: type[models.Model], **values) -> tuple:
    """A row of the model's COLUMNS, from its values by column name."""
    return tuple(values[column] for column in COLUMNS[model])


def _replaced(model: type[models.Model], row: tuple, **values) -> tuple:
    """The row with these columns' values replaced."""
    return tuple(
        values.get(column, value) for column, value in zip(COLUMNS[model], row, strict=True)
    )


def _interval_values(intervals: Intervals) -> dict:
    return {name: getattr(intervals, name) for name in INTERVAL_FIELDS}


def _earlier_versions(row: tuple, count: int, undo) -> tuple[list[tuple], list[str]] | None:
    """Up to count earlier versions of a record whose latest version is row, oldest first, and
    the reason for the change after each; None if it has none. undo(version) gives the version
    before its latest change and that change's reason, or None when nothing is left to undo."""
    earlier, reasons, current = [], [], row
    for _ in range(count):
        step = undo(current)
        if step is None:
            break
        current, reason = step
        earlier.insert(0, current)
        reasons.insert(0, reason)
    return (earlier, reasons) if earlier else None


def _undo_source_change(version: tuple) -> tuple[tuple, str] | None:
    if version[7]:
        return (*version[:7], "", version[8]), "Accession number from EDGAR"
    if version[3] == "" and version[4] == "" and version[8] == "":
        return (*version[:8], "Date to be checked."), "Date checked against the document"
    return None


def _unique_title(title: str, taken: set[str]) -> str:
    """The title, numbered "(2)", "(3)"… if the company already has a document so titled."""
    unique, k = title, 2
    while unique in taken:
        unique, k = f"{title} ({k})", k + 1
    taken.add(unique)
    return unique


def _edgar_address(cik: str, day: datetime.date, accession: int, form_type: str, exhibit: str):
    """(accession number, URL) of the company's accession'th filing on EDGAR."""
    accession_number = f"{int(cik):010d}-{day.year % 100:02d}-{accession:06d}"
    if exhibit:
        document = f"dex{exhibit.replace('.', '')}.htm"
    else:
        document = f"d{form_type.lower().replace(' ', '').replace('-', '')}.htm"
    url = (
        f"https://www.sec.gov/Archives/edgar/data/{int(cik)}/"
        f"{accession_number.replace('-', '')}/{document}"
    )
    return accession_number, url


@dataclass
class _Lane:
    """One seat over time: a single-seat role, or one director's or vice-president's seat."""

    role: Role
    start: datetime.date
    end: datetime.date
    ongoing: bool
    holders: int
    # Filled as its tenures are made, in order: (first day, last day or None, person id).
    terms: list[tuple[datetime.date, datetime.date | None, int]] = field(default_factory=list)
    starts: list[datetime.date] = field(default_factory=list)

    def add_term(self, first: datetime.date, last: datetime.date | None, person: int) -> None:
        self.terms.append((first, last, person))
        self.starts.append(first)

    def holder_on(self, day: datetime.date) -> int | None:
        index = bisect.bisect_right(self.starts, day) - 1
        if index < 0:
            return None
        _first, last, person = self.terms[index]
        return person if last is None or day <= last else None


@dataclass
class _CompanyPlan:
    id: int
    name: str
    slug: str
    start: datetime.date
    founded: PartialDate | None
    cik: str
    lanes: list[_Lane]
    sources: list[tuple[int, datetime.date | None, int, str]] = field(default_factory=list)
    # (source id, first day or None, precision, kind), sorted by day; and the ordinals.
    source_days: list[int] = field(default_factory=list)
    day_sources: list[tuple[int, int]] = field(default_factory=list)  # (ordinal, source id)
    undated: list[int] = field(default_factory=list)
    source_last: dict[int, datetime.date] = field(default_factory=dict)
    source_iso: dict[int, str] = field(default_factory=dict)  # dated sources' partial dates
    insiders: list[tuple[datetime.date, int]] = field(default_factory=list)
    multi_seat_holders: set[tuple[int, int]] = field(default_factory=set)

    def add_source(self, source_id, day, date: PartialDate | None, precision, kind) -> None:
        """Index a source, made in date order, for citing and attesting."""
        if date is None:
            self.undated.append(source_id)
            return
        self.sources.append((source_id, date.first, precision, kind))
        self.source_days.append(date.first.toordinal())
        self.source_last[source_id] = date.last
        self.source_iso[source_id] = _iso(date)
        if precision == DAY:
            self.day_sources.append((day.toordinal(), source_id))


@dataclass(frozen=True)
class _Document:
    """What a source is, before it is numbered and dated."""

    kind: Source.Kind
    title: str
    form_type: str = ""
    exhibit: str = ""
    url: str = ""


@dataclass(frozen=True)
class _Vacancy:
    """A seat to fill from a day on, and who held it last."""

    plan: _CompanyPlan
    role: Role
    day: datetime.date
    previous: int | None

    def may_take(self, person: int | None) -> bool:
        """Anyone but the last holder; in a multi-seat role, anyone not already in one of its
        seats at this company."""
        if person is None or person == self.previous:
            return False
        return self.role.single_seat or (person, self.role.pk) not in self.plan.multi_seat_holders


@dataclass
class _TenureDraft:
    """A tenure as drafted in its lane, first holder to last. Its row is made afterwards, last
    to first: its intervals read the certain start of the tenure succeeding it."""

    tenure_id: int
    person: int
    title: str
    start: PartialDate | None
    end: PartialDate | None
    end_reason: str
    predecessor: int | None
    cited: list[int]
    attested: list[tuple[datetime.date, int | None]]
    latest: datetime.date | None  # the last day of its latest dated source
    successor_start: datetime.date | None = None
    row: tuple = ()

    def intervals(self, founded, start, end, end_reason: str) -> Intervals:
        """Its intervals with these dates: its own, or an earlier version's."""
        return derive_intervals(
            start,
            end,
            end is not None or bool(end_reason),
            attested_days=[day for day, _source in self.attested],
            latest_source_day=self.latest,
            founded=founded,
            successor_certain_start=self.successor_start,
        )


class _Generator:
    def __init__(self, shape: Shape, writer: _Writer, report: Callable[[str], None]):
        self.shape = shape
        self.writer = writer
        self.report = report
        self.rng = random.Random(shape.seed)
        self.roles = {role.slug: role for role in Role.objects.all()}
        missing = {"director", "ceo"} - set(self.roles)
        if missing:
            raise RuntimeError(f"The role catalogue lacks {sorted(missing)}: run migrate first.")
        self.single_seat = [s for s in SINGLE_SEAT_ORDER if s in self.roles]
        self.vice_president = self.roles.get("vice-president")
        user_model = get_user_model()
        self.editors = []
        for username in EDITORS:
            user, created = user_model.objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()
                user.save()
            self.editors.append(user.pk)
        self.titles = {slug: _cumulative(TITLES[slug]) for slug in TITLES}
        self.given = _zipf(GIVEN_NAMES, 15)
        self.family = _zipf(FAMILY_NAMES, 6)
        self.ids = dict.fromkeys(RECORD_MODELS, 0)
        self.clock = RECORDED_FROM
        self.people_left = shape.people
        self.tenures_left = shape.tenures
        self.names: list[str] = [""]  # by person id
        self.career_start: list[int] = [0]  # by person id: the year a career began
        self.seats: list[int] = [0]  # by person id: tenures so far
        self.person_slugs: dict[str, int] = {}
        self.regulars: list[int] = []  # directors who sit on many boards
        self.company_names: set[str] = set()
        self.company_slugs: dict[str, int] = {}
        self.tickers: set[str] = set()
        self.big: list[int] = []
        self.user, self.reason = None, CREATED_BY_IMPORT

    # -- small helpers ------------------------------------------------------------------------

    def add(self, model, row: tuple, when, changes=()) -> None:
        """A record and its history rows, entered by the user and for the reason of the
        company being entered."""
        self.writer.add(model, row, when, self.reason, self.user, changes)

    def next_id(self, model) -> int:
        self.ids[model] += 1
        return self.ids[model]

    def tick(self) -> datetime.datetime:
        self.clock += datetime.timedelta(seconds=self.rng.randint(1, 4))
        return self.clock

    def pick(self, table):
        items, cumulative = table
        return self.rng.choices(items, cum_weights=cumulative)[0]

    def precision(self, year=0.25, month=0.40) -> int:
        r = self.rng.random()
        return YEAR if r < year else MONTH if r < year + month else DAY

    def later(self, moment: datetime.datetime) -> datetime.datetime:
        """A moment after this one (a change to a record), by hours to months."""
        room = max(1.0, min(150 * 86400, (CHANGED_UNTIL - moment).total_seconds()))
        return moment + datetime.timedelta(seconds=self.rng.uniform(min(3600, room / 2), room))

    def changes(self, when, row: tuple, undo) -> list:
        """One record in twenty changes once or twice after it is created; row is its latest
        version, undo gives the one before a change (see _earlier_versions)."""
        if self.rng.random() >= 0.05:
            return []
        versions = _earlier_versions(row, 1 if self.rng.random() < 0.7 else 2, undo)
        if not versions:
            return []
        earlier, reasons = versions
        result, moment = [], when
        for n, version in enumerate(earlier):
            moment = self.later(moment)
            result.append((version, moment, reasons[n], self.rng.choice(self.editors)))
        # The rows are: created (earlier[0]), then each change gives the next version.
        return result

    # -- the whole record ---------------------------------------------------------------------

    def run(self) -> None:
        shape, started = self.shape, time.monotonic()
        sizes = self.company_sizes()
        step = max(1, shape.companies // 10)
        slot = (RECORDED_UNTIL - RECORDED_FROM) / max(1, shape.companies)
        for index, size in enumerate(sizes):
            self.clock = max(self.clock, RECORDED_FROM + slot * index)
            self.company(index + 1, size)
            if (index + 1) % step == 0 or index + 1 == len(sizes):
                self.report(
                    f"  {index + 1:,}/{shape.companies:,} companies, "
                    f"{self.ids[Tenure]:,} tenures, {self.ids[Person]:,} people "
                    f"({time.monotonic() - started:.1f} s)"
                )
        while self.people_left > 0:
            self.new_person(self.tick(), self.rng.randint(1950, 2020))

    def company_sizes(self) -> list[int]:
        """Tenures per company: a few big ones, a long tail; summing to the shape's tenures."""
        rng, companies, total = self.rng, self.shape.companies, self.shape.tenures
        if companies == 0 or total == 0:
            return [0] * companies
        average = total / companies
        big_count = min(max(1, companies // 2000), companies)
        biggest = min(int(10 * average), total // 3) if companies > 1 else total
        big = [max(1, int(biggest * (1 - 0.12 * n))) for n in range(big_count)]
        if companies == big_count:
            big = [total // companies] * companies
            big[0] += total - sum(big)
            return big
        rest, rest_total = companies - big_count, total - sum(big)
        low = min(8, rest_total // rest)
        cap = max(int(biggest * 0.6), -(-rest_total // rest))
        weights = [rng.lognormvariate(0, 0.6) for _ in range(rest)]
        scale = rest_total / sum(weights)
        sizes = [max(low, min(cap, round(w * scale))) for w in weights]
        difference = rest_total - sum(sizes)
        while difference:
            n = rng.randrange(rest)
            if difference > 0 and sizes[n] < cap:
                sizes[n] += 1
                difference -= 1
            elif difference < 0 and sizes[n] > low:
                sizes[n] -= 1
                difference += 1
        positions = sorted(rng.sample(range(companies), big_count))
        self.big = [p + 1 for p in positions]
        for position, size in zip(positions, big, strict=True):
            sizes.insert(position, size)
        return sizes

    # -- people -------------------------------------------------------------------------------

    def person_name(self) -> tuple[str, str, str, str, str]:
        """(name, sort name, given, middle initial, family)."""
        rng = self.rng
        given = self.pick(self.given)
        if rng.random() < 0.05:
            family = "".join(rng.choice(part) for part in RARE_PARTS)
        else:
            family = self.pick(self.family)
        middle = f"{rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.4 else ""
        suffix = rng.choice([", Jr.", " III", ", Sr."]) if rng.random() < 0.02 else ""
        first = f"{given} {middle}".strip()
        return (
            f"{first} {family}{suffix}",
            f"{family}, {first}{suffix}",
            given,
            middle,
            family,
        )

    def new_person(self, when, career_start: int) -> int:
        rng = self.rng
        person_id = self.next_id(Person)
        self.people_left -= 1
        name, sort_name, given, middle, family = self.person_name()
        base = slugify(name)[:80].strip("-") or "person"
        n = self.person_slugs.get(base, 0) + 1
        self.person_slugs[base] = n
        slug = base if n == 1 else f"{base[: 80 - len(str(n)) - 1]}-{n}"
        notes = rng.choice(PERSON_NOTES) if rng.random() < 0.05 else ""
        row = (person_id, name, sort_name, slug, notes, normalise_name(name))

        def undo(version):
            if version[4]:
                return (*version[:4], "", version[5]), "Biography added from the proxy statement"
            if middle and middle in version[1]:
                short = version[1].replace(f" {middle}", "")
                earlier = (
                    person_id,
                    short,
                    version[2].replace(f" {middle}", ""),
                    slug,
                    version[4],
                    normalise_name(short),
                )
                return earlier, "Full name as the proxy statement gives it"
            return None

        self.add(Person, row, when, self.changes(when, row, undo))
        self.names.append(name)
        self.career_start.append(career_start)
        self.seats.append(0)
        if rng.random() < 0.12:
            self.other_names(person_id, name, given, middle, family)
        return person_id

    def other_names(self, person_id, name, given, middle, family) -> None:
        rng, seen = self.rng, {name}
        for _ in range(1 if rng.random() < 0.8 else 2):
            r = rng.random()
            if r < 0.45:
                other = f"{family} {given} {middle}".upper().replace(".", "").strip()
                kind, note = "as_filed", "As written in SEC ownership filings."
            elif r < 0.8 and given in NICKNAMES:
                other = f"{NICKNAMES[given]} {family}"
                kind, note = "alias", "Name used in press releases; the link is an inference."
            elif r < 0.8:
                other = f"{given[0]}. {family}"
                kind, note = "alias", "Initial and family name, as in a signature block."
            else:
                other = f"{given} {middle} {self.pick(self.family)}".replace("  ", " ")
                kind, note = "former", "Name before marriage."
            if other in seen:
                continue
            seen.add(other)
            row = (self.next_id(OtherName), person_id, other, kind, note, normalise_name(other))
            self.add(OtherName, row, self.tick())

    # -- companies ----------------------------------------------------------------------------

    def company_name(self) -> str:
        rng = self.rng
        for attempt in range(50):
            if rng.random() < 0.12:
                first = self.pick(self.family).split()[-1]
            else:
                first = rng.choice(COMPANY_WORDS)
            trade = rng.choice(COMPANY_TRADES)
            form = self.pick(_FORMS)
            name = f"{first} {trade} {form}"
            if attempt > 20:
                name = f"{first} {rng.choice(COMPANY_WORDS)} {trade} {form}"
            if name not in self.company_names:
                self.company_names.add(name)
                return name
        name = f"{first} {trade} {len(self.company_names) + 1} {form}"
        self.company_names.add(name)
        return name

    def ticker(self, name: str) -> str:
        rng = self.rng
        letters = "".join(word[0] for word in name.split() if word[0].isalpha()).upper()
        for length in (3, 4, 4, 5, 5):
            candidate = (
                letters + "".join(rng.choice("ABCDEFGHIKLMNOPRSTUVWXYZ") for _ in range(5))
            )[:length]
            if candidate not in self.tickers:
                self.tickers.add(candidate)
                return candidate
        return ""

    def plan_lanes(self, n: int) -> list[_Lane]:
        """Split n tenures over the company's seats, and lay the seats out in time."""
        if n == 0:
            return []
        single, board, vps = self.seat_counts(n)
        holders = self.holders_per_seat(n, single, board, vps)
        years = min(120, max(6, int(6 + 0.32 * n * self.rng.uniform(0.6, 1.5))))
        first_day = VALID_UNTIL - datetime.timedelta(days=int(365.25 * years))
        # (role, core): the CEO's, the chair's and the first five directors' seats are as old
        # as the company.
        seats = (
            [(self.roles[slug], slug in ("ceo", "chair")) for slug in self.single_seat[:single]]
            + [(self.vice_president, False)] * vps
            + [(self.roles["director"], position < 5) for position in range(board)]
        )
        return [
            self.seat_in_time(role, count, first_day, core)
            for (role, core), count in zip(seats, holders, strict=True)
        ]

    def seat_counts(self, n: int) -> tuple[int, int, int]:
        """How many single-seat roles, board seats and vice-presidents' seats a company with n
        tenures has: more of each the bigger it is, never more seats than tenures."""
        rng = self.rng
        single = min(len(self.single_seat), max(1, 2 + n // 14 + rng.randint(-1, 1)))
        people = max(1, self.shape.people)
        board = min(15, 5 + n // 30 + rng.randint(0, 3), people)
        vps = min(10, n // 50, people) if self.vice_president else 0
        while single + board + vps > n:
            if vps:
                vps -= 1
            elif single > 2 and board <= 5:
                single -= 1
            elif board > 1:
                board -= 1
            else:
                single -= 1
        return single, board, vps

    def holders_per_seat(self, n: int, single: int, board: int, vps: int) -> list[int]:
        """How many holders each seat has over time (single-seat roles, vice-presidents',
        directors', in that order), n in all: about half of them directors."""
        rng = self.rng
        # A multi-seat role seats different people in one company; with few people in the
        # record, the single-seat roles take the rest (their holders may come back).
        few = max(board, vps, max(1, self.shape.people) // 2)
        directors_wanted = min(few, max(board, round(n * rng.uniform(0.45, 0.6))))
        extra_directors = min(directors_wanted - board, n - single - board - vps)
        extra_officers = n - single - board - vps - extra_directors
        if not single + vps:
            extra_directors, extra_officers = extra_directors + extra_officers, 0
        counts = [1] * (single + vps + board)
        vice_presidents = vps
        for lane in rng.choices(range(single + vps), k=extra_officers):
            if lane >= single and (vice_presidents >= few // 2 and single):
                lane = rng.randrange(single)
            vice_presidents += lane >= single
            counts[lane] += 1
        for lane in rng.choices(range(board), k=extra_directors):
            counts[single + vps + lane] += 1
        return counts

    def seat_in_time(self, role: Role, holders: int, first_day, core: bool) -> _Lane:
        """A seat's span: a core seat's from the company's first days to today; another's from
        later, and a few of them end before today."""
        rng = self.rng
        span = (VALID_UNTIL - first_day).days
        start = first_day + datetime.timedelta(
            days=rng.randint(0, 90) if core else int(span * rng.uniform(0, 0.35))
        )
        end, ongoing = VALID_UNTIL, True
        if not core and rng.random() < 0.08:
            end = start + datetime.timedelta(days=int((VALID_UNTIL - start).days * 0.8))
            ongoing = False
        if (end - start).days < holders * MIN_TERM * 2:
            start = end - datetime.timedelta(days=holders * MIN_TERM * 2)
        return _Lane(role, start, end, ongoing, holders)

    def company(self, company_id: int, size: int) -> None:
        rng = self.rng
        lanes = self.plan_lanes(size)
        start = min((lane.start for lane in lanes), default=VALID_UNTIL)
        founded_day = start - datetime.timedelta(days=rng.randint(0, 1500))
        founded = None if rng.random() < 0.1 else _partial(founded_day, self.precision(0.55, 0.25))
        name = self.company_name()
        base = slugify(name)[:80].strip("-") or "company"
        n = self.company_slugs.get(base, 0) + 1
        self.company_slugs[base] = n
        slug = base if n == 1 else f"{base[: 80 - len(str(n)) - 1]}-{n}"
        public = rng.random() < 0.5 or company_id in self.big
        cik = f"{1_000_000 + company_id * 37 + rng.randint(0, 36):010d}" if public else ""
        ticker = self.ticker(name) if public else ""
        exchange = self.pick(_EXCHANGES) if ticker else ""
        parent = None
        if company_id > 1 and rng.random() < 0.06:
            earlier_big = [b for b in self.big if b < company_id]
            parent = (
                rng.choice(earlier_big)
                if earlier_big and rng.random() < 0.5
                else rng.randint(1, company_id - 1)
            )
        headquarters = rng.choice(CITIES)
        notes = rng.choice(COMPANY_NOTES) if rng.random() < 0.05 else ""
        row = (
            company_id,
            name,
            slug,
            ticker,
            exchange,
            cik,
            self.pick(_JURISDICTIONS),
            headquarters,
            parent,
            _iso(founded),
            notes,
        )

        def undo(version):
            if version[10]:
                return (*version[:10], ""), "Note on the company's history"
            if version[3]:
                unlisted = (*version[:3], "", "", *version[5:])
                return unlisted, "Listed: ticker and exchange from the 10-K"
            if version[7] == headquarters:
                moved_from = rng.choice([c for c in CITIES if c != headquarters])
                return (*version[:7], moved_from, *version[8:]), "Headquarters moved (8-K)"
            return None

        when = self.tick()
        by_editor = rng.random() < 0.3
        self.user = rng.choice(self.editors) if by_editor else None
        self.reason = CREATED_BY_EDITOR if by_editor else CREATED_BY_IMPORT
        self.add(Company, row, when, self.changes(when, row, undo))
        if rng.random() < 0.1:
            self.former_names(company_id, founded_day)
        plan = _CompanyPlan(company_id, name, slug, start, founded, cik, lanes)
        self.sources(plan, max(3, round(size * rng.uniform(0.2, 0.35))))
        # Officers first (directors may be the CEO), the board's own seats last (chosen
        # among the directors).
        order = {"director": 1, **dict.fromkeys(BOARD_LANES, 2)}
        for lane in sorted(lanes, key=lambda lane: order.get(lane.role.slug, 0)):
            self.lane(plan, lane)
        self.parties(plan)
        if founded is not None and rng.random() < 0.25:
            self.founders(plan)

    def former_names(self, company_id, since: datetime.date) -> None:
        rng = self.rng
        start = _partial(since, YEAR) if rng.random() < 0.6 else None
        span = max(731, (VALID_UNTIL - since).days)
        renamed = sorted(
            {since + datetime.timedelta(days=rng.randint(365, span - 365)) for _ in range(2)}
            if rng.random() < 0.3
            else {since + datetime.timedelta(days=rng.randint(365, span - 365))}
        )
        for day in renamed:
            end = _partial(day, self.precision(0.5, 0.4))
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_TRADES)} Inc."
            row = (self.next_id(FormerName), company_id, name, _iso(start), _iso(end))
            self.add(FormerName, row, self.tick())
            start = _partial(day, YEAR)

    def sources(self, plan: _CompanyPlan, count: int) -> None:
        """count documents about the company, made in date order."""
        titles: set[str] = set()
        accession = 0
        for n, (day, precision) in enumerate(self.source_dates(plan, count)):
            source_id = self.next_id(Source)
            date = _partial(day, precision) if precision else None
            document = self.document(plan, n, day, date)
            accession_number, url = "", document.url
            if document.kind in (Source.Kind.SEC_FILING, Source.Kind.SEC_EXHIBIT):
                accession += 1
                accession_number, url = _edgar_address(
                    plan.cik, day, accession, document.form_type, document.exhibit
                )
            row = _row(
                Source,
                id=source_id,
                kind=document.kind.value,
                title=_unique_title(document.title, titles),
                form_type=document.form_type,
                exhibit=document.exhibit,
                date=_iso(date),
                url=url,
                accession_number=accession_number,
                notes="",
            )
            when = self.tick()
            self.add(Source, row, when, self.changes(when, row, _undo_source_change))
            plan.add_source(source_id, day, date, precision, document.kind)

    def source_dates(
        self, plan: _CompanyPlan, count: int
    ) -> list[tuple[datetime.date, int | None]]:
        """count (day, precision) over the company's life, in date order; precision None
        (undated, last) for a few."""
        rng = self.rng
        span = max(1, (VALID_UNTIL - plan.start).days)
        drafts = []
        for _ in range(count):
            day = plan.start + datetime.timedelta(days=rng.randint(0, span))
            r = rng.random()
            precision = None if r < 0.03 else YEAR if r < 0.08 else MONTH if r < 0.15 else DAY
            drafts.append((day.toordinal() if precision else 1 << 30, day, precision))
        drafts.sort(key=lambda draft: draft[0])
        return [(day, precision) for _order, day, precision in drafts]

    def document(self, plan: _CompanyPlan, n: int, day, date: PartialDate | None) -> _Document:
        """The company's nth document: SEC filings and exhibits once the company files on
        EDGAR; else press releases, contracts and others."""
        rng = self.rng
        when_text = date.display() if date else "undated"
        sec = plan.cik and date is not None and day >= EDGAR_FROM
        r = rng.random() if sec else 0.75 + 0.25 * rng.random()
        if r < 0.55:
            form_type = self.pick(_SEC_FORMS)
            title = f"Form {form_type}, {plan.name}, filed {when_text}"
            return _Document(Source.Kind.SEC_FILING, title, form_type=form_type)
        if r < 0.75:
            exhibit = self.pick(_EXHIBITS)
            title = f"Exhibit {exhibit} to Form 8-K, {plan.name}, {when_text}"
            return _Document(Source.Kind.SEC_EXHIBIT, title, form_type="8-K", exhibit=exhibit)
        if r < 0.87:
            title = f"{plan.name} press release, {when_text}: {rng.choice(HEADLINES)}"
            url = ""
            if rng.random() < 0.7:
                url = f"https://{plan.slug}.example.com/news/{_iso(date) or 'undated'}-{n}"
            return _Document(Source.Kind.PRESS_RELEASE, title, url=url)
        if r < 0.94:
            title = f"{rng.choice(AGREEMENTS)}, {plan.name}, {when_text}"
            return _Document(Source.Kind.CONTRACT, title)
        return _Document(
            Source.Kind.OTHER, f"{rng.choice(OTHER_DOCUMENTS)} {day.year}, {plan.name}"
        )

    # -- tenures ------------------------------------------------------------------------------

    def choose_person(self, plan: _CompanyPlan, lane: _Lane, day: datetime.date, previous):
        """Who takes this seat: an insider or a sitting director where the role calls for
        one, someone new, or someone already in the record whose career spans the day (a
        director of another company, for board seats: an interlock)."""
        vacancy = _Vacancy(plan, lane.role, day, previous)
        must_be_new = self.people_left > 0 and self.people_left >= self.tenures_left
        if not must_be_new:
            person = self.someone_at_hand(vacancy)
            if person is None:
                person = self.someone_in_the_record(vacancy)
            if person is not None:
                return person
        if self.people_left > 0:
            return self.someone_new(vacancy)
        return self.anyone_allowed(vacancy)

    def fits(self, vacancy: _Vacancy, person: int | None) -> bool:
        """May take the seat, has seats to spare, and is in their career on the day."""
        if not vacancy.may_take(person) or self.seats[person] >= MOST_SEATS:
            return False
        began = self.career_start[person]
        return began <= vacancy.day.year <= began + CAREER_YEARS

    def someone_at_hand(self, vacancy: _Vacancy) -> int | None:
        """Sometimes, if they fit: an insider of the company as a top officer, a sitting
        director in the board's own seats, the CEO as a director."""
        rng, plan, slug, day = self.rng, vacancy.plan, vacancy.role.slug, vacancy.day
        candidate = None
        r = rng.random()
        if slug in OFFICER_PICKS_INSIDER and r < 0.35 and plan.insiders:
            started, person = rng.choice(plan.insiders)
            candidate = person if started < day else None
        elif slug in BOARD_LANES and r < 0.7:
            directors = [lane for lane in plan.lanes if lane.role.slug == "director"]
            for seat in rng.sample(directors, len(directors)):
                candidate = seat.holder_on(day)
                if self.fits(vacancy, candidate):
                    break
        elif slug == "director" and r < 0.12:
            ceo = next((lane for lane in plan.lanes if lane.role.slug == "ceo"), None)
            candidate = ceo.holder_on(day) if ceo else None
        return candidate if self.fits(vacancy, candidate) else None

    def someone_in_the_record(self, vacancy: _Vacancy) -> int | None:
        """Someone already in the record, as often as the people still to make leave room
        for; for a board seat, now and then a director who sits on many boards."""
        rng, existing = self.rng, self.ids[Person]
        fresh = self.people_left / max(1, self.tenures_left)
        if not existing or rng.random() < fresh:
            return None
        multi = not vacancy.role.single_seat
        for _ in range(8):
            if self.regulars and multi and rng.random() < 0.15:
                other = rng.choice(self.regulars)
            else:
                other = rng.randint(1, existing)
            if self.fits(vacancy, other):
                return other
        return None

    def someone_new(self, vacancy: _Vacancy) -> int:
        """A new person, whose career began up to 12 years before the day; one in twenty of
        those taking a board seat becomes a director who sits on many boards."""
        person = self.new_person(self.tick(), vacancy.day.year - self.rng.randint(0, 12))
        if not vacancy.role.single_seat and self.rng.random() < 0.05:
            self.regulars.append(person)
        return person

    def anyone_allowed(self, vacancy: _Vacancy) -> int:
        """Everyone is in the record already: anyone allowed, whatever the career."""
        existing = self.ids[Person]
        for _ in range(20):
            other = self.rng.randint(1, existing)
            if vacancy.may_take(other):
                return other
        for other in range(1, existing + 1):
            if vacancy.may_take(other):
                return other
        raise ImpossibleShape(
            f"{self.shape.people:,} people are too few: a company needs more different "
            f"people as {vacancy.role.name} than there are."
        )

    def lane(self, plan: _CompanyPlan, lane: _Lane) -> None:
        """The tenures of one seat: holders one after the other, each succeeding the last."""
        days = self.hand_over_days(lane)
        drafts: list[_TenureDraft] = []
        for j in range(lane.holders):
            previous = drafts[-1] if drafts else None
            drafts.append(self.draft_tenure(plan, lane, days, j, previous))
        # Rows last to first: each reads the certain start of the tenure succeeding it.
        successor_start = None
        for draft in reversed(drafts):
            draft.successor_start = successor_start
            intervals = draft.intervals(plan.founded, draft.start, draft.end, draft.end_reason)
            draft.row = self.tenure_row(plan, lane.role, draft, intervals)
            successor_start = (
                intervals.certain_start
                if draft.predecessor is not None and intervals.has_certain_days
                else None
            )
        for draft in drafts:
            self.tenure(plan, lane.role, draft)

    def hand_over_days(self, lane: _Lane) -> list[datetime.date]:
        """Each holder's first day: the seat's span shared out at random, each holder given
        at least MIN_TERM days."""
        weights = [self.rng.lognormvariate(0, 0.6) for _ in range(lane.holders)]
        spare = (lane.end - lane.start).days - lane.holders * MIN_TERM
        total = sum(weights)
        days, reached = [lane.start], 0.0
        for weight in weights[:-1]:
            reached += MIN_TERM + spare * weight / total
            days.append(lane.start + datetime.timedelta(days=int(reached)))
        return days

    def draft_tenure(self, plan, lane: _Lane, days, j: int, previous) -> _TenureDraft:
        """The jth holder's tenure in the seat: dates, holder, title and evidence."""
        rng, role = self.rng, lane.role
        first_day, last_day = self.term_days(lane, days, j)
        start = self.known_start(first_day, previous)
        end, end_reason, ended_undated = self.known_end(role, start, last_day)
        previous_person = previous.person if previous else None
        person = self.choose_person(plan, lane, first_day, previous_person)
        self.seats[person] += 1
        self.tenures_left -= 1
        tenure_id = self.next_id(Tenure)
        titles = self.titles.get(role.slug)
        title = self.pick(titles) if titles else f"{rng.choice(VP_TITLES)}, {rng.choice(VP_AREAS)}"
        cited = self.cite(plan, first_day, last_day, ended_undated)
        if ended_undated and not any(
            plan.source_last.get(s, datetime.date.min) >= first_day for s in cited
        ):
            # An undated end needs a source after the start to bound it: without one,
            # the end gets its date (or the holder stays, when the seat has no next one).
            ended_undated = False
            if last_day is None:
                end_reason = ""
            else:
                end = _partial(last_day, YEAR)
        attested = [] if ended_undated else self.attest(plan, first_day, last_day, start)
        predecessor = (
            previous.tenure_id
            if previous is not None and (role.single_seat or rng.random() < 0.25)
            else None
        )
        lane.add_term(first_day, last_day, person)
        plan.insiders.append((first_day, person))
        if not role.single_seat:
            plan.multi_seat_holders.add((person, role.pk))
        latest = max((plan.source_last[s] for s in cited if s in plan.source_last), default=None)
        return _TenureDraft(
            tenure_id, person, title, start, end, end_reason, predecessor, cited, attested, latest
        )

    def term_days(self, lane: _Lane, days, j: int) -> tuple[datetime.date, datetime.date | None]:
        """The jth holder's first and last day (None: holds it still). One in ten of those
        with a successor leaves before the successor's first day."""
        first_day = days[j]
        if j + 1 == lane.holders:
            return first_day, (None if lane.ongoing else lane.end)
        last_day = days[j + 1]
        if self.rng.random() < 0.1:
            last_day -= datetime.timedelta(
                days=self.rng.randint(1, max(1, (last_day - first_day).days // 3))
            )
        return first_day, last_day

    def known_start(self, first_day: datetime.date, previous) -> PartialDate | None:
        """The start as the sources give it: unknown for one in four first holders of a seat
        older than three years; else at some precision, to the day if that is the only way
        to put it after the previous holder's."""
        first = previous is None
        if first and self.rng.random() < 0.25 and first_day.year < VALID_UNTIL.year - 3:
            return None
        start = _partial(first_day, self.precision())
        if previous is not None and start_key(start) <= start_key(previous.start):
            return _partial(first_day, DAY)
        return start

    def known_end(self, role: Role, start, last_day) -> tuple[PartialDate | None, str, bool]:
        """(end, end reason, ended at an unknown date) as the sources give them: a few ends
        are undated, and a few last holders are known to have left, but not when."""
        rng = self.rng
        reasons = _BOARD_ENDS if role.kind == Role.Kind.BOARD else _OFFICER_ENDS
        if last_day is None:
            if start is not None and rng.random() < 0.03:
                return None, self.pick(reasons) or "resigned", True
            return None, "", False
        end_reason = self.pick(reasons)
        if end_reason and rng.random() < 0.05:
            return None, end_reason, True
        return _partial(last_day, self.precision(0.25, 0.35)), end_reason, False

    def tenure_row(self, plan, role: Role, draft: _TenureDraft, intervals: Intervals) -> tuple:
        notes = self.rng.choice(TENURE_NOTES) if self.rng.random() < 0.03 else ""
        # Last confirmed: the latest evidence, whose ISO text sorts as partial dates do.
        evidence = [plan.source_iso[s] for s in draft.cited if s in plan.source_iso]
        evidence += [day.isoformat() for day, _source in draft.attested]
        evidence += [plan.source_iso[s] for _day, s in draft.attested if s in plan.source_iso]
        return _row(
            Tenure,
            id=draft.tenure_id,
            person_id=draft.person,
            company_id=plan.id,
            role_id=role.pk,
            title=draft.title,
            start=_iso(draft.start),
            end=_iso(draft.end),
            end_reason=draft.end_reason,
            predecessor_id=draft.predecessor,
            notes=notes,
            single_seat=role.single_seat,
            **_interval_values(intervals),
            inferred="",
            inferred_note="",
            last_confirmed=max(evidence, default=None),
        )

    def cite(self, plan, first_day, last_day, ended_undated) -> list[int]:
        """1 to 3 sources (a few tenures none), dated around the tenure where there are some."""
        rng = self.rng
        r = rng.random()
        count = 0 if r < 0.03 else 1 if r < 0.43 else 2 if r < 0.78 else 3
        if not count or not (plan.sources or plan.undated):
            return []
        low = (first_day - datetime.timedelta(days=90)).toordinal()
        high = (last_day or VALID_UNTIL).toordinal() + (0 if ended_undated else 400)
        if ended_undated:
            low = first_day.toordinal()
        i = bisect.bisect_left(plan.source_days, low)
        j = bisect.bisect_right(plan.source_days, high)
        picked = rng.sample(range(i, j), min(count, j - i)) if j > i else []
        chosen = [plan.sources[n][0] for n in sorted(picked)]
        if len(chosen) < count and plan.sources:
            for n in rng.sample(range(len(plan.sources)), min(count, len(plan.sources))):
                if len(chosen) < count and plan.sources[n][0] not in chosen:
                    chosen.append(plan.sources[n][0])
        if plan.undated and rng.random() < 0.05:
            extra = rng.choice(plan.undated)
            if extra not in chosen:
                chosen.append(extra)
        return chosen

    def attest(self, plan, first_day, last_day, start) -> list[tuple[datetime.date, int | None]]:
        """Days a document shows the holder in the role: on one tenure in ten, and always on
        one whose start is unknown. Inside the term, so no single-seat tenure overlaps."""
        rng = self.rng
        if start is not None and rng.random() >= 0.1:
            return []
        low, high = first_day.toordinal(), (last_day or VALID_UNTIL).toordinal()
        if high < low:
            return []
        wanted = 1 if rng.random() < 0.7 else 2 if rng.random() < 0.8 else 3
        i = bisect.bisect_left(plan.day_sources, (low, 0))
        j = bisect.bisect_right(plan.day_sources, (high, 1 << 62))
        found: dict[datetime.date, int | None] = {}
        for n in rng.sample(range(i, j), min(wanted, j - i)) if j > i else []:
            ordinal, source_id = plan.day_sources[n]
            found.setdefault(datetime.date.fromordinal(ordinal), source_id)
        while len(found) < wanted and len(found) < high - low + 1:
            found.setdefault(datetime.date.fromordinal(rng.randint(low, high)), None)
        return sorted(found.items())

    def tenure(self, plan: _CompanyPlan, role: Role, draft: _TenureDraft) -> None:
        """A tenure and its history, its citations with what each source says, its attested
        days."""
        when = self.tick()
        undo = functools.partial(self.undo_tenure_change, plan, role, draft)
        self.add(Tenure, draft.row, when, self.changes(when, draft.row, undo))
        name = self.names[draft.person]
        for position, source_id in enumerate(draft.cited):
            quote = self.citation_quote(name, draft, position)
            citation = (self.next_id(Citation), source_id, draft.tenure_id, quote, position)
            self.add(Citation, citation, self.tick())
        for day, source_id in draft.attested:
            quote = f"/s/ {name}, {draft.title}" if source_id else ""
            attestation = (self.next_id(Attestation), draft.tenure_id, day, source_id, quote)
            self.add(Attestation, attestation, self.tick())

    def undo_tenure_change(self, plan, role: Role, draft: _TenureDraft, version: tuple):
        """The tenure before its latest change, and that change's reason: the changes are, in
        the order made, a title as the source words it, a more precise start, an end recorded
        (in a multi-seat role), a note."""
        if version[_T["notes"]]:
            without_note = _replaced(Tenure, version, notes="")
            return without_note, "Committee membership from the proxy statement"
        start = parse_partial_date(version[_T["start"]])
        end = parse_partial_date(version[_T["end"]])
        if not role.single_seat and end is not None and start is not None:
            without_end = self.with_dates(plan, draft, version, start, None, "")
            return without_end, "Recorded the end of the tenure"
        if start is not None and start.month is not None:
            end_reason = version[_T["end_reason"]]
            to_the_year = self.with_dates(
                plan, draft, version, PartialDate(start.year), end, end_reason
            )
            return to_the_year, "More precise start from the 8-K"
        if version[_T["title"]] != role.name:
            return _replaced(Tenure, version, title=role.name), "Title as the source words it"
        return None

    @staticmethod
    def with_dates(plan, draft: _TenureDraft, version: tuple, start, end, end_reason) -> tuple:
        """The version with these dates, and the intervals they give."""
        intervals = draft.intervals(plan.founded, start, end, end_reason)
        return _replaced(
            Tenure,
            version,
            start=_iso(start),
            end=_iso(end),
            end_reason=end_reason,
            **_interval_values(intervals),
        )

    def citation_quote(self, name: str, draft: _TenureDraft, position: int) -> str:
        """What a cited source says: the first announces the start, the last the end, the
        others show the holder in the role."""
        title = draft.title
        if position == 0 and draft.start is not None:
            return f"The Board elected {name} as {title}, effective {draft.start.display()}."
        if position == len(draft.cited) - 1 and draft.end is not None:
            verb = ENDED_VERBS[draft.end_reason]
            return f"{name} {verb} as {title} effective {draft.end.display()}."
        if self.rng.random() < 0.5:
            since = f" since {draft.start.display()}" if draft.start else ""
            return f"{name} has served as {title} of the Company{since}."
        return f"/s/ {name}, {title}"

    # -- what documents say about the company -------------------------------------------------

    def parties(self, plan: _CompanyPlan) -> None:
        rng = self.rng
        by_role = {lane.role.slug: lane for lane in plan.lanes if lane.role.single_seat}
        for source_id, first_day, _precision, kind in plan.sources:
            part = {
                Source.Kind.SEC_FILING: "registrant",
                Source.Kind.SEC_EXHIBIT: "registrant",
                Source.Kind.PRESS_RELEASE: "issuer",
                Source.Kind.CONTRACT: "maker",
                Source.Kind.OTHER: "company",
            }[kind]
            written = plan.name.upper() if rng.random() < 0.3 else ""
            row = (self.next_id(SourceParty), source_id, None, plan.id, part, written)
            self.add(SourceParty, row, self.tick())
            signs = {Source.Kind.SEC_FILING: 0.4, Source.Kind.CONTRACT: 0.9}.get(kind, 0.1)
            if rng.random() >= signs:
                continue
            officer = by_role.get("cfo" if rng.random() < 0.3 else "ceo") or by_role.get("ceo")
            person = officer.holder_on(first_day) if officer else None
            if person is None:
                continue
            part = (
                rng.choice(["payee", "employee", "lender"])
                if kind == Source.Kind.CONTRACT
                else f"signatory, as {officer.role.name}"
            )
            written = self.names[person].upper() if rng.random() < 0.3 else ""
            row = (self.next_id(SourceParty), source_id, person, None, part, written)
            self.add(SourceParty, row, self.tick())

    def founders(self, plan: _CompanyPlan) -> None:
        rng = self.rng
        candidates = []
        for lane in plan.lanes:
            if lane.terms and lane.role.slug in ("ceo", "chair", "director"):
                candidates.append(lane.terms[0][2])
        first_source = plan.sources[0][0] if plan.sources and rng.random() < 0.7 else None
        for person in dict.fromkeys(candidates[: 1 if rng.random() < 0.7 else 2]):
            quote = f"{self.names[person]} founded the Company in {plan.founded.display()}."
            row = (
                self.next_id(Founder),
                plan.id,
                person,
                first_source,
                quote if first_source else "",
            )
            self.add(Founder, row, self.tick())


# -- Entry point ------------------------------------------------------------------------------


def generate(
    shape: Shape, replace: bool = False, report: Callable[[str], None] = lambda line: None
) -> Summary:
    """
    Fill the record with a synthetic one of this shape, in one transaction. Refuses
    (RecordNotEmpty) a database that holds any record, unless replace: then it empties the
    record tables and their history first (never the role catalogue or the users).
    """
    problems = shape.problems()
    if problems:
        raise ImpossibleShape("; ".join(problems) + ".")
    _check_columns()
    started = time.monotonic()
    sink = _PostgresSink() if connection.vendor == "postgresql" else _OrmSink()
    with transaction.atomic():
        contents = record_contents()
        if contents and not replace:
            raise RecordNotEmpty(f"The database already holds a record: {contents}.")
        if contents:
            report("Emptying the record tables and their history...")
            _empty_record()
        sink.prepare()
        writer = _Writer(sink)
        try:
            _Generator(shape, writer, report).run()
            writer.flush()
            report(
                f"Rows made in {time.monotonic() - started:.1f} s; loading the last ones, then "
                "indexes, constraints and foreign keys back (checking every row)..."
            )
            sink.finish()
        except BaseException:
            sink.close(failed=True)
            raise
    report(
        f"Committed in {time.monotonic() - started:.1f} s; vacuuming and analyzing the tables..."
    )
    sink.analyze()
    summary = Summary(
        rows={model._meta.db_table: n for model, n in writer.written.items()},
        seconds=time.monotonic() - started,
    )
    return summary
