"""Solvers behind one contract (:class:`~ketpk.solvers.base.Solver`), chosen by name:
``"exact"`` (default) or ``"ode"``, or given as a :class:`Solver` instance.
"""

from __future__ import annotations

from typing import Any

from ..errors import SolverError
from .base import Solver
from .exact import ExactSolver
from .ode import OdeSolver

__all__ = ["SOLVERS", "Solver", "get_solver", "ExactSolver", "OdeSolver"]

SOLVERS: dict[str, type[Solver]] = {"exact": ExactSolver, "ode": OdeSolver}


def get_solver(solver: Any) -> Solver:
    """A solver instance from a name in :data:`SOLVERS` or a :class:`Solver` instance."""
    if isinstance(solver, str):
        try:
            return SOLVERS[solver]()
        except KeyError:
            raise SolverError(
                f"`solver` must be one of {sorted(SOLVERS)} or a solver object; got {solver!r}."
            ) from None
    if isinstance(solver, Solver):
        return solver
    raise SolverError(f"`solver` must be one of {sorted(SOLVERS)} or a ketpk.solvers.Solver instance; "
                      f"got {solver!r}.")
