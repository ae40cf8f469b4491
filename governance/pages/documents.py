"""A document's text as a reader opens it: the passages the record quotes, marked where they
stand in it.

A quote may join passages with " … " (or "..."), each kept in the source's order; each passage
is found in the text word by word, whatever the spacing and line breaks between its words (the
exhibits are typeset with double spaces and hard line ends).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

GAP = re.compile(r"\s+(?:…|\.\.\.)\s+")
QUOTE_MARKS = " \t\n\"'“”‘’"


@dataclass(frozen=True)
class Chunk:
    text: str
    marked: bool  # a passage the record quotes


def passages(quote: str) -> list[str]:
    """The passages a quote joins, in its order, without the quotation marks around them."""
    return [part.strip(QUOTE_MARKS) for part in GAP.split(quote) if part.strip(QUOTE_MARKS)]


def _pattern(passage: str) -> re.Pattern:
    return re.compile(r"\s+".join(re.escape(word) for word in passage.split()))


def find_passages(text: str, quote: str) -> list[tuple[int, int]] | None:
    """Where each passage of quote stands in text, each after the one before; None when a
    passage is missing or out of the source's order."""
    spans, position = [], 0
    for passage in passages(quote):
        match = _pattern(passage).search(text, position)
        if match is None:
            return None
        spans.append(match.span())
        position = match.end()
    return spans


def marked_text(text: str, quotes: Iterable[str]) -> list[Chunk]:
    """text cut into chunks, those a quote's passages cover marked (wherever each is found)."""
    spans = []
    for quote in quotes:
        for passage in passages(quote):
            match = _pattern(passage).search(text)
            if match:
                spans.append(match.span())
    chunks, position = [], 0
    for start, end in _merged(spans):
        if start > position:
            chunks.append(Chunk(text[position:start], False))
        chunks.append(Chunk(text[start:end], True))
        position = end
    if position < len(text):
        chunks.append(Chunk(text[position:], False))
    return chunks


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
