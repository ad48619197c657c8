"""Evenly spaced output times, given with units (read without pint for min, h, s and d).

>>> import ketpk
>>> ketpk.TimeGrid("2 h", step="30 min").minutes
array([  0.,  30.,  60.,  90., 120.])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ParameterError
from .units import Q_, scalar, to_canonical

__all__ = ["TimeGrid", "MAX_TIMES"]

#: The most output times one grid may hold (a bound on memory).
MAX_TIMES = 5_000_000


@dataclass(frozen=True)
class TimeGrid:
    """Output times ``start, start + step, ...`` up to ``end`` (included when it falls on the
    grid), for :func:`ketpk.simulate` and :func:`ketpk.summarize` ``times``.

    ``end``, ``step`` (default 1 min) and ``start`` (default 0 min) are Quantities or strings
    [time]; strings in min, h, s or d are read without importing pint. ``minutes`` holds the
    times in min (``np.arange(start, end + step / 2, step)``), :attr:`times` as a Quantity.
    """

    end: Any
    step: Any = "1 min"
    start: Any = "0 min"
    minutes: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        start, end, step = (scalar(to_canonical(v, "[time]", n), n) for v, n in
                            ((self.start, "start"), (self.end, "end"), (self.step, "step")))
        if not (math.isfinite(start) and math.isfinite(end) and start >= 0 and end > start):
            raise ParameterError(f"`TimeGrid` needs 0 <= start < end, both finite; got start "
                                 f"{self.start!r} and end {self.end!r}. E.g. TimeGrid('24 h').")
        if not (math.isfinite(step) and step > 0) or (end - start) / step > MAX_TIMES:
            raise ParameterError(f"`step` must be a positive time giving at most {MAX_TIMES} times "
                                 f"from {self.start!r} to {self.end!r}; got {self.step!r}. E.g. step='1 min'.")
        minutes = np.arange(start, end + step / 2, step)
        minutes.flags.writeable = False  # a frozen value: its times cannot be changed in place
        object.__setattr__(self, "minutes", minutes)

    @property
    def times(self) -> Any:
        """The times as a Quantity (min)."""
        return Q_(self.minutes, "min")
