"""Fetching a company's ownership filings (Forms 3, 4, 5 and amendments) from EDGAR under the
SEC's fair-access rules: a User-Agent naming a contact, at most ten requests a second, and
retries with backoff when the server says it is busy (429) or fails (5xx).

The submissions JSON (data.sec.gov/submissions/CIK##########.json, and the older pages it
lists) names the filings; each is fetched as its full-submission text file
(Archives/edgar/data/<cik>/<accession without dashes>/<accession>.txt), which holds the
ownership XML with the SEC header's accession number, form type and filing date. Files are
cached: one already in the folder is not fetched again.
"""

from __future__ import annotations

import datetime
import gzip
import json
import time
import urllib.error
import urllib.request
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from governance.sec.ownership import FORM_TYPES

RETRY_STATUSES = {429, 500, 502, 503, 504}


class EdgarError(Exception):
    pass


class RateLimiter:
    """At most per_second calls to wait() return in any one second; the clock and the sleep are
    injected, so a test runs it on a fake clock."""

    def __init__(
        self,
        per_second: int = 10,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.per_second = per_second
        self.clock = clock
        self.sleep = sleep
        self.recent: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock()
        while self.recent and now - self.recent[0] >= 1.0:
            self.recent.popleft()
        if len(self.recent) >= self.per_second:
            self.sleep(1.0 - (now - self.recent[0]))
            now = self.clock()
            while self.recent and now - self.recent[0] >= 1.0:
                self.recent.popleft()
        self.recent.append(now)


@dataclass(frozen=True)
class FilingEntry:
    """One filing as the submissions JSON lists it."""

    accession_number: str
    form: str
    filed: datetime.date


class EdgarClient:
    def __init__(
        self,
        user_agent: str,
        *,
        data_url: str,
        archives_url: str,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        retries: int = 5,
        backoff: float = 1.0,
        timeout: float = 30.0,
    ):
        if "@" not in user_agent:
            raise EdgarError(
                "The SEC asks every client to identify itself with a contact: set "
                "SEC_USER_AGENT to a name and an email address, e.g. 'Example Research "
                "admin@example.com'."
            )
        self.user_agent = user_agent
        self.data_url = data_url.rstrip("/")
        self.archives_url = archives_url.rstrip("/")
        self.limiter = limiter or RateLimiter(sleep=sleep)
        self.sleep = sleep
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.requests = 0

    def get(self, url: str) -> bytes:
        """The body at url, retried with exponential backoff (or as Retry-After says) on 429,
        5xx and network errors; any other error status raises EdgarError at once."""
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            self.requests += 1
            request = urllib.request.Request(
                url, headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return _decoded(response.read(), response.headers.get("Content-Encoding"))
            except urllib.error.HTTPError as error:
                if error.code not in RETRY_STATUSES:
                    raise EdgarError(f"{url}: HTTP {error.code} {error.reason}") from None
                delay = _retry_after(error.headers.get("Retry-After"))
                problem = f"HTTP {error.code}"
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                delay, problem = None, str(getattr(error, "reason", error))
            if attempt < self.retries:
                self.sleep(delay if delay is not None else self.backoff * 2**attempt)
        raise EdgarError(f"{url}: {problem} after {self.retries + 1} attempts")

    def filings(self, cik: str, since: datetime.date | None = None) -> Iterator[FilingEntry]:
        """The company's filings from its submissions JSON and the older pages it lists."""
        recent = json.loads(self.get(f"{self.data_url}/submissions/CIK{cik}.json"))
        filings = recent.get("filings", {})
        yield from _entries(filings.get("recent", {}))
        for page in filings.get("files", []):
            if since is not None and page.get("filingTo", "9999") < since.isoformat():
                continue  # a page of filings all older than wanted
            yield from _entries(json.loads(self.get(f"{self.data_url}/submissions/{page['name']}")))

    def full_submission_url(self, cik: str, accession_number: str) -> str:
        folder = accession_number.replace("-", "")
        return f"{self.archives_url}/{int(cik)}/{folder}/{accession_number}.txt"


def _entries(columns: dict) -> Iterator[FilingEntry]:
    for accession, form, filed in zip(
        columns.get("accessionNumber", []),
        columns.get("form", []),
        columns.get("filingDate", []),
        strict=False,
    ):
        yield FilingEntry(accession, form, datetime.date.fromisoformat(filed))


def _decoded(body: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


@dataclass
class FetchResult:
    paths: list[Path] = field(default_factory=list)  # every filing's file, fetched or cached
    downloaded: int = 0
    cached: int = 0
    errors: list[str] = field(default_factory=list)


def fetch_ownership(
    client: EdgarClient,
    cik: str,
    folder: Path,
    *,
    since: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> FetchResult:
    """Download the company's Forms 3, 4, 5 (and amendments) filed on or after since into
    folder, named "<filing date>_<accession>.txt" so that they sort in filing order."""
    result = FetchResult()
    folder.mkdir(parents=True, exist_ok=True)
    for entry in client.filings(cik, since):
        if entry.form not in FORM_TYPES or (since is not None and entry.filed < since):
            continue
        path = folder / f"{entry.filed.isoformat()}_{entry.accession_number}.txt"
        if path.exists():
            result.cached += 1
        else:
            try:
                data = client.get(client.full_submission_url(cik, entry.accession_number))
            except EdgarError as error:
                result.errors.append(str(error))
                continue
            partial = path.with_suffix(".part")
            partial.write_bytes(data)
            partial.replace(path)  # a file in the cache is always whole
            result.downloaded += 1
        result.paths.append(path)
        if progress is not None:
            progress(len(result.paths))
    result.paths.sort()
    return result
