"""Name normalising and matching: one search key for every way a name is written."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+")


def normalise_name(text: str) -> str:
    """'Samuel J. Furrow, Jr.' -> 'samuel j furrow jr'; accents, case and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", without_marks.casefold()).split())


def search_words(text: str) -> list[str]:
    """The words of a query, normalised like names."""
    return normalise_name(text).split()
