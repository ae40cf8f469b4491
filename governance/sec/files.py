"""The files an import reads: paths of files or folders (walked recursively, in name order), and
zip archives, whose members are read only when the archive is within the set limits."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

SUFFIXES = {".xml", ".txt"}
# An ownership filing's full submission is a few kilobytes to a few hundred: far above that is
# not one, and would only cost memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
# A zip is read only if it declares at most this many members and this many bytes in all.
MAX_ZIP_MEMBERS = 20_000
MAX_ZIP_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One file to read: its path (a zip member's is "archive.zip!member"), its bytes, or why it
    cannot be read."""

    path: str
    data: bytes = b""
    error: str = ""


def documents(paths: Iterable[str | Path]) -> Iterator[Document]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                yield from _read(file)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES | {".zip"}:
                yield Document(str(path), error="not an .xml, .txt or .zip file")
            else:
                yield from _read(path)
        else:
            yield Document(str(path), error="no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if PurePath(name).suffix.lower() in SUFFIXES | {".zip"}:
                yield Path(root, name)


def _read(path: Path) -> Iterator[Document]:
    if path.suffix.lower() == ".zip":
        yield from _read_zip(path)
        return
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Document(str(path), error=_too_large(size))
            return
        yield Document(str(path), data=path.read_bytes())
    except OSError as error:
        yield Document(str(path), error=f"cannot be read ({error.strerror or error})")


def zip_problem(archive: zipfile.ZipFile) -> str:
    """Why a zip is not read at all (over the limits), or ""; from its directory alone."""
    declared = sum(info.file_size for info in archive.infolist())
    if len(archive.infolist()) > MAX_ZIP_MEMBERS:
        return (
            f"a zip of {len(archive.infolist()):,} files: more than the {MAX_ZIP_MEMBERS:,} "
            "allowed, so none is read"
        )
    if declared > MAX_ZIP_BYTES:
        return (
            f"a zip of {declared:,} bytes uncompressed: more than the {MAX_ZIP_BYTES:,} "
            "allowed, so none is read"
        )
    return ""


def _filings_in(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [
        info
        for info in archive.infolist()
        if not info.is_dir() and PurePath(info.filename).suffix.lower() in SUFFIXES
    ]


def count_documents(paths: Iterable[str | Path]) -> int:
    """How many documents `documents(paths)` will yield, from names and zip directories alone."""
    count = 0
    for given in paths:
        path = Path(given)
        files = _walk(path) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() != ".zip":
                count += 1
                continue
            try:
                with zipfile.ZipFile(file) as archive:
                    count += 1 if zip_problem(archive) else len(_filings_in(archive))
            except (OSError, EOFError, ValueError, zipfile.BadZipFile):
                count += 1
    return count


def _read_zip(path: Path) -> Iterator[Document]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        yield Document(str(path), error=f"not a readable zip archive ({error})")
        return
    with archive:
        if problem := zip_problem(archive):
            yield Document(str(path), error=problem)
            return
        members = _filings_in(archive)
        for info in sorted(members, key=lambda info: info.filename):
            member = f"{path}!{info.filename}"
            if info.file_size > MAX_FILE_BYTES:
                yield Document(member, error=_too_large(info.file_size))
                continue
            try:
                with archive.open(info) as file:
                    data = file.read(MAX_FILE_BYTES + 1)  # a size the header understates
            except (OSError, zipfile.BadZipFile, RuntimeError) as error:
                yield Document(member, error=f"cannot be read from the zip ({error})")
                continue
            if len(data) > MAX_FILE_BYTES:
                yield Document(member, error=_too_large(len(data)))
            else:
                yield Document(member, data=data)


def _too_large(size: int) -> str:
    return f"{size:,} bytes: larger than the {MAX_FILE_BYTES:,} an ownership filing could be"
