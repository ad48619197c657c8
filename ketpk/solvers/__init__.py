"""Solvers behind one interface, chosen by name: ``"exact"`` (default) or ``"ode"``.

A solver is an object with ``name`` and ``solve(A, schedule, times, C)`` returning the outputs
``C x(t)`` with shape (n_subjects, n_outputs, n_times). ``A`` is (n_subjects, n, n), ``C`` is
(n_subjects, n_outputs, n), ``times`` (min) sorted and >= 0.
"""

from __future__ import annotations

from typing import Any

from ..errors import SolverError
from .exact import ExactSolver
from .ode import OdeSolver

__all__ = ["SOLVERS", "get_solver", "ExactSolver", "OdeSolver"]

SOLVERS: dict[str, type] = {"exact": ExactSolver, "ode": OdeSolver}


def get_solver(solver: Any) -> Any:
    """A solver instance from a name in :data:`SOLVERS` or a solver object."""
    if isinstance(solver, str):
        try:
            return SOLVERS[solver]()
        except KeyError:
            raise SolverError(
                f"`solver` must be one of {sorted(SOLVERS)} or a solver object; got {solver!r}."
            ) from None
    if hasattr(solver, "solve") and hasattr(solver, "name"):
        return solver
    raise SolverError(f"`solver` must be one of {sorted(SOLVERS)} or a solver object; got {solver!r}.")
