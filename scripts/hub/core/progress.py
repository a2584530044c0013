"""Feedback on long work: one line per phase with its count and time, always; while a phase
runs, a counter that rewrites itself in place, only when the output is a terminal and not a CI
log (the `CI` variable, which GitHub Actions and most CI services set).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


class Progress:
    """`start(phase, total, unit)`, then `tick()` per item, then `finish()` prints the line (and
    keeps the phase's seconds in `seconds`)."""

    REFRESH = 0.1  # seconds between redraws of the counter

    def __init__(self, stream: TextIO | None = None, live: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        if live is None:
            live = self.stream.isatty() and not os.environ.get("CI")
        self.live = live
        self.phase = ""
        self.unit = ""
        self.total = 0
        self.done = 0
        self.started = 0.0
        self.drawn = 0.0
        self.seconds: dict[str, float] = {}  # each finished phase's time, for `hub bench`

    def start(self, phase: str, total: int, unit: str, since: float | None = None) -> None:
        """Begin a phase of `total` items (0: unknown) that began at `since` (perf_counter), or now."""
        self.phase, self.total, self.unit, self.done = phase, total, unit, 0
        self.drawn = time.perf_counter()
        self.started = self.drawn if since is None else since
        self._draw()

    def tick(self, count: int = 1) -> None:
        self.done += count
        if self.live and time.perf_counter() - self.drawn >= self.REFRESH:
            self._draw()

    def finish(self, note: str = "", count: int | None = None) -> float:
        """End the phase: print its line (count, unit, time and `note`) and return its seconds."""
        seconds = self.seconds[self.phase] = time.perf_counter() - self.started
        shown = self.total if count is None else count
        line = f"  {self.phase:<13} {shown:>7,} {self.unit:<14} {seconds:6.1f} s"
        self._write(line + (f"  {note}" if note else ""))
        return seconds

    def _write(self, line: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
        self.stream.write(line + "\n")
        self.stream.flush()

    def _draw(self) -> None:
        if not self.live:
            return
        self.drawn = time.perf_counter()
        total = f" of {self.total:,}" if self.total else ""
        self.stream.write(f"\r\x1b[K  {self.phase:<13} {self.done:>7,}{total} {self.unit} …")
        self.stream.flush()


class Quiet(Progress):
    """Progress that prints nothing: for library callers and tests that only want the times."""

    def __init__(self) -> None:
        super().__init__(stream=sys.stdout, live=False)

    def _write(self, line: str) -> None:
        pass
