"""A dependency-free progress line for long runs: rows done and rows/s, on a terminal only.

In scripts and CI (output not a terminal) it stays silent, so logs hold results, not bars.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self,
        label: str,
        total: int | None = None,
        stream: TextIO | None = None,
        every: float = 0.25,
        unit: str = "rows",
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.unit = unit
        self.total = total
        self.every = every
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.shown_at >= self.every:
            self.shown_at = now
            self._show(now)

    def advance(self, count: int = 1) -> None:
        self.update(self.done + count)

    def _show(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            width = 30
            filled = int(width * min(self.done / self.total, 1))
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {self.done:,}/{self.total:,}"
        else:
            bar = f"{self.done:,}"
        self.stream.write(f"\r{self.label} {bar} {self.unit}  {rate:,.0f} {self.unit}/s ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._show(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
