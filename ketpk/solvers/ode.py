"""Reference solver: scipy's ``solve_ivp``, integrated segment by segment between dose events.

Boluses are applied between calls so the integrator never steps over a discontinuity. It loops
over subjects; its job is to check the exact solver, and to be the path to nonlinear extensions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SolverError
from ..schedule import Schedule
from .base import Solver

__all__ = ["OdeSolver"]

_METHODS = ("LSODA", "BDF", "Radau", "RK45", "DOP853")
_IMPLICIT = ("LSODA", "BDF", "Radau")


@dataclass(frozen=True)
class OdeSolver(Solver):
    """``solve_ivp`` with tight tolerances; ``atol`` (µmol) is scaled by the largest amount one
    subject receives (boluses, infusions' delivered amounts, the initial state), not by input
    rates: a 0.001-min infusion has a huge rate but delivers only its amount."""

    method: str = "LSODA"
    rtol: float = 1e-10
    atol: float = 1e-14
    name: str = "ode"

    def __post_init__(self) -> None:
        if self.method not in _METHODS:
            raise SolverError(f"`method` must be one of {_METHODS}; got {self.method!r}.")

    def solve(self, A: np.ndarray, schedule: Schedule, times: np.ndarray, C: np.ndarray) -> np.ndarray:
        """Outputs ``C x(t)`` at ``times`` (min), shape (S, O, T)."""
        from scipy.integrate import solve_ivp

        bps = schedule.breakpoints
        S, O, n = C.shape
        out = np.empty((S, O, len(times)))
        first = np.searchsorted(times, bps, side="left")
        atol = self.atol * (_amount_scale(schedule, times) or 1.0)
        for s in range(S):
            x = schedule.x0[s].copy()
            speed = np.abs(A[s]).sum(axis=0).max()  # a bound on ||A||
            for k in range(len(bps)):
                x = x + schedule.jumps[k, s]
                i0, i1 = first[k], (first[k + 1] if k + 1 < len(bps) else len(times))
                last = k + 1 == len(bps)
                t0 = bps[k]
                t1 = times[-1] if last else bps[k + 1]
                wanted = times[i0:i1]
                if last and (i1 == i0 or t1 <= t0):
                    out[s, :, i0:i1] = (C[s] @ x)[:, None]
                    continue
                if (t1 - t0) * speed < 1e-10:
                    # A segment far shorter than any time constant (e.g. doses 1e-249 min apart):
                    # LSODA cannot step it, and one Euler step is exact to O((h·||A||)^2) < 1e-20.
                    out[s, :, i0:i1] = (C[s] @ x)[:, None]
                    x = x + (t1 - t0) * _rhs(t0, x, A[s], schedule.rates[k, s])
                    continue
                t_eval = wanted if last else np.append(wanted, t1)
                sol = solve_ivp(
                    _rhs, (t0, t1), x, method=self.method, t_eval=t_eval, args=(A[s], schedule.rates[k, s]),
                    rtol=self.rtol, atol=atol, jac=_jac if self.method in _IMPLICIT else None,
                )
                if not sol.success:
                    raise SolverError(
                        f"ODE solver {self.method} failed for subject {s} on [{t0}, {t1}] min: "
                        f"{sol.message} Try solver='exact' or another `method`."
                    )
                out[s, :, i0:i1] = C[s] @ sol.y[:, : i1 - i0]
                x = sol.y[:, -1]
        return out


def _rhs(t: float, x: np.ndarray, A: np.ndarray, u: np.ndarray) -> np.ndarray:
    return A @ x + u


def _jac(t: float, x: np.ndarray, A: np.ndarray, u: np.ndarray) -> np.ndarray:
    return A


def _amount_scale(schedule: Schedule, times: np.ndarray) -> float:
    """The largest amount (µmol) that enters one subject's states: boluses plus infused amounts
    (rate × the segment it holds for) plus the initial state."""
    bps = schedule.breakpoints
    ends = np.append(bps[1:], max(float(times[-1]), float(bps[-1])))
    infused = np.abs(schedule.rates) * (ends - bps)[:, None, None]  # (B, S, n) µmol
    total = np.abs(schedule.jumps).sum(axis=0) + infused.sum(axis=0) + np.abs(schedule.x0)
    return float(total.sum(axis=1).max(initial=0.0))
