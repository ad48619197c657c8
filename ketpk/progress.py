"""Progress bars for long runs: tqdm (the optional extra ``ketpk[progress]``) or a small built-in bar.

``progress=None`` (the default everywhere) means: shown when stderr is a terminal, hidden when
it is not (pipes, files, CI) and under pytest. ``True`` or ``False`` force it on or off.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

__all__ = ["bar", "wanted"]


def wanted(progress: bool | None) -> bool:
    """Whether to show a bar: ``progress`` if given, else stderr is a terminal and not under pytest."""
    if progress is not None:
        if not isinstance(progress, bool):
            from .errors import ParameterError

            raise ParameterError(f"`progress` must be True, False or None (automatic); got {progress!r}.")
        return progress
    return sys.stderr.isatty() and "PYTEST_CURRENT_TEST" not in os.environ


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class _Plain:
    """A one-line bar on ``stream``, redrawn at most every 0.2 s."""

    def __init__(self, total: int, desc: str, unit: str, stream: TextIO):
        self.total, self.desc, self.unit, self.stream = total, desc, unit, stream
        self.done, self.start, self.drawn = 0, time.monotonic(), 0.0

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.drawn >= 0.2 or self.done >= self.total:
            self.drawn = now
            share = self.done / self.total if self.total else 1.0
            filled = int(30 * share)
            self.stream.write(f"\r{self.desc}: [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
                              f"{self.done}/{self.total} {self.unit} {now - self.start:.1f} s")
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def bar(total: int, desc: str, *, progress: bool | None = None, unit: str = "it",
        stream: TextIO | None = None) -> Any:
    """A bar with ``update(n)`` and ``close()``: tqdm if installed, else the built-in one; a
    silent stand-in when :func:`wanted` says no."""
    if not wanted(progress):
        return _Silent()
    stream = stream or sys.stderr
    try:
        from tqdm import tqdm
    except ImportError:
        return _Plain(total, desc, unit, stream)
    return tqdm(total=total, desc=desc, unit=unit, file=stream, leave=True)
