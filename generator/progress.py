"""Progress for long work: visible on a terminal, silent in CI and in pipes."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    def __init__(self, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = self.stream.isatty() and not os.environ.get("CI")
        self.enabled = enabled
        self.timings: dict[str, float] = {}
        self._stage = ""
        self._started = 0.0

    def stage(self, name: str) -> None:
        """Start a named stage; the previous one's time is recorded."""
        self._finish()
        self._stage, self._started = name, time.perf_counter()
        if self.enabled:
            self.stream.write(f"\r\x1b[K{name}…")
            self.stream.flush()

    def step(self, done: int, total: int) -> None:
        if self.enabled and (done == total or done % 25 == 0):
            self.stream.write(f"\r\x1b[K{self._stage}… {done}/{total}")
            self.stream.flush()

    def done(self) -> dict[str, float]:
        self._finish()
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        return self.timings

    def _finish(self) -> None:
        if self._stage:
            self.timings[self._stage] = time.perf_counter() - self._started
            self._stage = ""
