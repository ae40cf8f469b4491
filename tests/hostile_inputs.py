"""What a hostile user types, for the fuzz tests (tests/test_fuzz_*.py): hypothesis strategies
and the settings that keep them fast and the same on every run."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from governance.models import Attestation, Citation, Company, Source, Tenure, Transaction
from people.models import OtherName, Person
from tests.csv_helpers import history_count

# The values that broke something once, or might: each is drawn often (sampled_from), beside
# arbitrary text.
CHOSEN = [
    "",
    " ",
    "x" * 10_000,  # huge
    "\x00",
    "a\x00b",
    "\x01\x07\x08\x1b\x7f",  # control characters
    "\t\r\n",
    "\x85\u2028\u2029",  # line breaks that are not "\n"
    "e\u0301" * 50,  # combining marks
    "\u0301\u0302\u0303",  # combining marks with nothing to combine with
    "\u202eevil\u202c",  # right-to-left override
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # Hebrew and Arabic
    "ß" * 150,  # a name whose search key (ss…) is longer than the name
    "\ufdfa" * 200,  # one character, eighteen letters once normalised
    "\ufeff",
    "\udc80",  # a lone surrogate (an undecodable byte, as the import reads one)
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",  # year 10000
    "0000-00-00",
    "-0001-01-01",
    "9999-12-31T23:59:59-12:00",  # past year 9999 once in UTC
    "0001-01-01T00:00:00+14:00",  # before year 1 once in UTC
    "2004-02-30",
    "2004-13",
    "9" * 30,  # beyond any integer column
    "-1",
    "0",
    "1e9",
    "１２",  # full-width digits
    "²",
    "NaN",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "%00",
    "../../etc/passwd",
    "a | b",
    " | ",
]

# The few of them that failed most often, for sweeps over every parameter (each costs requests).
WORST = [
    "",
    "x" * 10_000,
    "\x00",
    "\ufdfa" * 200,
    "9" * 30,
    "10000-01-01",
    "9999-12-31T23:59:59-12:00",
    "\udc80",
]

hostile_text = st.one_of(
    st.sampled_from(CHOSEN),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Mn", "Zl", "Zp"]), max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(CHOSEN), st.text(max_size=10)),
)


def sendable(text: str) -> str:
    """text as a browser can send it: a lone surrogate cannot be encoded as UTF-8 (bytes that
    are not UTF-8 reach Django as replacement characters)."""
    return text.encode("utf-8", "replace").decode()


# For values in a query string or a form.
hostile_query_text = hostile_text.map(sendable)


def fuzz(examples: int = 50):
    """Hypothesis settings for one fuzz test: a bounded number of examples, the same examples on
    every run (derandomize), no deadline (PostgreSQL on a shared machine is slow at times), and
    the database fixtures shared by every example (requests that are refused write nothing,
    which the tests check; the rest roll back with the test)."""
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


RECORD_MODELS = [Person, OtherName, Company, Source, Tenure, Citation, Attestation, Transaction]


def record_state() -> tuple:
    """How many rows the record and its history hold: the same before and after a refusal."""
    return tuple(model.objects.count() for model in RECORD_MODELS), history_count()
