"""The solver contract: what every solver behind :func:`ketpk.simulate` provides.

A solver propagates the linear system ``dx/dt = A x + u(t)`` (amounts in µmol, time in min)
of a batch of subjects through a :class:`~ketpk.schedule.Schedule` of piecewise-constant
inputs and returns outputs ``y = C x(t)`` (µmol/L for concentrations, µmol for amounts).
Shapes: ``A`` (S, n, n), ``C`` (S, O, n), ``times`` (T,) min, sorted and >= 0; outputs
(S, O, T). A dose at an output time acts before that output (the schedule's tie rule).

An implementer subclasses :class:`Solver` and provides:

1. ``name``: a short string, recorded in every result's provenance (``"exact"``, ``"ode"``).
2. ``solve(A, schedule, times, C)``: the outputs, shape (S, O, T).
3. Optionally ``stream(A, schedule, times, C)``: the same outputs as pieces ``(i0, i1, y)``
   in time order, ``y`` (S, O, i1 - i0) at ``times[i0:i1]``, so that summaries reduce one
   piece at a time. The default yields :meth:`solve` as one piece.
4. Optionally ``with_memory(nbytes)``: a solver like this one whose working tables stay
   within ``nbytes`` (summaries share a budget between chunks). The default returns ``self``.

Steady states (NONMEM ``SS=1``) are computed through :meth:`Solver.solve` as well
(:mod:`ketpk.steady_state`), so a solver needs nothing more.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator

import numpy as np

from ..schedule import Schedule

__all__ = ["Solver"]


class Solver(ABC):
    """Abstract base of ketpk's solvers; see the module docstring for the contract."""

    name: str

    @abstractmethod
    def solve(self, A: np.ndarray, schedule: Schedule, times: np.ndarray, C: np.ndarray) -> np.ndarray:
        """Outputs ``C x(t)`` at ``times`` (min), shape (S, O, T)."""

    def stream(self, A: np.ndarray, schedule: Schedule, times: np.ndarray,
               C: np.ndarray) -> Iterator[tuple[int, int, np.ndarray]]:
        """Pieces ``(i0, i1, y)`` of the outputs in time order (default: one piece)."""
        return iter([(0, len(times), self.solve(A, schedule, times, C))])

    def with_memory(self, nbytes: float) -> Solver:
        """A solver like this one whose working tables stay within ``nbytes`` (default: self)."""
        return self
