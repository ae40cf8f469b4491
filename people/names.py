"""Name normalising and matching: one search key for every way a name is written."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+")

# The length of a name (Person.name, OtherName.name).
NAME_MAX_LENGTH = 200
# The length of the search key columns (Person.search_key, OtherName.search_key). A key longer
# than its name is possible ("ß" is "ss", the ligature "\ufdfa" eighteen letters), and a
# longer column would not help: PostgreSQL's btree index refuses entries past about 2,700 bytes.
SEARCH_KEY_MAX_LENGTH = 200


def normalise_name(text: str) -> str:
    """'Samuel J. Furrow, Jr.' -> 'samuel j furrow jr'; accents, case and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", without_marks.casefold()).split())


# A name has a few words; a query of more would only add conditions to one query, and past some
# hundreds SQLite refuses it ("Expression tree is too large"): "\ufdfa" alone is four words.
MAX_SEARCH_WORDS = 20


def search_words(text: str) -> list[str]:
    """The words of a query, normalised like names: each once, the first MAX_SEARCH_WORDS."""
    return list(dict.fromkeys(normalise_name(text).split()))[:MAX_SEARCH_WORDS]


def search_key_problem(name: str) -> str | None:
    """Why name's search key does not fit its column, or None: a message for the one who typed it."""
    length = len(normalise_name(name))
    if length <= SEARCH_KEY_MAX_LENGTH:
        return None
    return (
        f"this name is {length} characters long once its letters are spelled out for search "
        f"(accents dropped, ligatures and letters such as ß written in full); at most "
        f"{SEARCH_KEY_MAX_LENGTH} fit: shorten the name"
    )
