"""Start a regimen at steady state (NONMEM ``SS=1``), computed exactly.

One dosing interval's doses (the *period*, length ``τ``) are taken as given at ``-τ, -2τ, ...``
forever. With ``y(t)`` the response from zero to one period's doses (built by the ordinary
schedule, so lag times, zero-order absorption and F < 1 come from the model's routes) and
``m`` the number of periods until its inputs end, the state at time 0 is

    x(0) = (I - Φ)^-1 y(mτ) + Σ_{k=1}^{m-1} y(kτ),     Φ = exp(A τ),

and the inputs of the copies ``k < m`` that are still running at time 0 (a lag or an infusion
longer than ``τ``) are added to the schedule after 0. ``Φ`` is the exact propagator's transition
matrix; nothing is simulated dose by dose. A constant infusion is the case ``τ`` = its duration.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .errors import RegimenError
from .regimen import Bolus, Infusion, Regimen
from .schedule import Schedule, build_schedules
from .solvers.exact import ExactSolver, _Propagator
from .units import as_quantity, to_canonical

__all__ = ["SteadyState"]


class SteadyState:
    """The steady state of ``period`` (a dose, list of doses or Regimen) repeated ``every`` (None: constant infusion)."""

    __slots__ = ("period", "every", "_tau")

    def __init__(self, period: Any, every: Any = None) -> None:
        if isinstance(period, (Bolus, Infusion)):
            period = Regimen([period])
        elif isinstance(period, (list, tuple)):
            period = Regimen(period)
        if not isinstance(period, Regimen) or not len(period) or period.steady_state is not None:
            raise RegimenError(f"`period` must be a Bolus, Infusion or non-empty Regimen without a "
                               f"steady state of its own; got {period!r}.")
        if every is None:
            durations = {d._duration_min for d in period if isinstance(d, Infusion)}
            if any(not isinstance(d, Infusion) or d.start_minutes != 0 for d in period) \
                    or len(durations) != 1 or None in durations:
                raise RegimenError(
                    "a constant-infusion steady state (`every=None`) needs infusions starting at 0 "
                    "with one explicit `duration`; or give `every` for a repeated dose."
                )
            every = period.doses[0].duration
        self.every = as_quantity(every, "every")
        self._tau = float(to_canonical(self.every, "[time]", "every"))
        if not math.isfinite(self._tau) or self._tau <= 0:
            raise RegimenError(f"`every` must be a positive duration; got {every}.")
        late = [d for d in period if d.start_minutes >= self._tau]
        if late:
            raise RegimenError(f"`period` doses must start within one interval [0, {self.every}); "
                               f"got a dose at {late[0].start_minutes:g} min.")
        self.period = period

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SteadyState) and (self.period, self._tau) == (other.period, other._tau)

    def __hash__(self) -> int:
        return hash((self.period, self._tau))

    def __repr__(self) -> str:
        return f"SteadyState(period={self.period!r}, every={self.every})"

    def apply(self, groups: list[tuple[np.ndarray, Schedule]], model: Any, params: Any, system: Any,
              weights: np.ndarray | None) -> list[tuple[np.ndarray, Schedule]]:
        """The regimen's schedules with the steady-state start state and running tails added."""
        doses = self.period.resolve(weights, params.n)
        out = []
        for idx_p, period in build_schedules(model, params, system, doses):
            x0, tails = self._history(system.A[idx_p], period)
            for idx_r, sched in groups:
                both, rows_p, rows_r = np.intersect1d(idx_p, idx_r, return_indices=True)
                if both.size:
                    out.append((both, _merge(sched, rows_r, tails, rows_p, x0)))
        order = np.argsort([g[0][0] for g in out])
        return [out[i] for i in order]

    def _history(self, A: np.ndarray, period: Schedule) -> tuple[np.ndarray, list]:
        """Start state (S, n) and the still-running parts of earlier copies, shifted to t >= 0."""
        tau, S, n = self._tau, A.shape[0], A.shape[1]
        m = max(1, math.ceil(period.breakpoints[-1] / tau - 1e-12))
        states = ExactSolver().solve(A, period, tau * np.arange(1, m + 1),
                                     np.broadcast_to(np.eye(n), (S, n, n)))  # (S, n, m)
        phi, _ = _Propagator(A, np.arange(0), np.zeros((S, 1, n)), 1).transition(tau)  # no inputs
        lhs = np.eye(n) - phi
        # I - Φ is singular exactly when A has an eigenvalue with no decay over one period.
        slowest = np.max(np.linalg.eigvals(A).real, axis=-1) * tau
        if np.any(slowest > -1e-9) or not np.all(np.isfinite(lhs)):
            raise RegimenError("no steady state exists: the model keeps drug in a compartment "
                               "without elimination.")
        x0 = np.linalg.solve(lhs, states[:, :, -1:])[:, :, 0] + states[:, :, :-1].sum(axis=2)
        tails = [_shift(period, -k * tau) for k in range(1, m)]
        return x0, tails


def _shift(s: Schedule, by: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Schedule ``s`` moved by ``by`` (< 0) and cut at 0; jumps at or before 0 are dropped."""
    b = s.breakpoints + by
    keep = b > 0
    first = np.searchsorted(b, 0.0, side="right") - 1  # segment running at time 0
    bps = np.concatenate([[0.0], b[keep]])
    jumps = np.concatenate([np.zeros_like(s.jumps[:1]), s.jumps[keep]])
    rate0 = s.rates[first:first + 1] if first >= 0 else np.zeros_like(s.rates[:1])
    rates = np.concatenate([rate0, s.rates[keep]])
    return bps, jumps, rates


def _merge(sched: Schedule, rows_r: np.ndarray, tails: list, rows_p: np.ndarray,
           x0: np.ndarray) -> Schedule:
    """Sum piecewise-constant schedules on the union of their breakpoints."""
    parts = [(sched.breakpoints, sched.jumps[:, rows_r], sched.rates[:, rows_r])]
    parts += [(b, j[:, rows_p], r[:, rows_p]) for b, j, r in tails]
    bps = np.unique(np.concatenate([p[0] for p in parts]))
    shape = (len(bps),) + sched.jumps[:, rows_r].shape[1:]
    jumps, rates = np.zeros(shape), np.zeros(shape)
    for b, j, r in parts:
        jumps[np.searchsorted(bps, b)] += j
        seg = np.searchsorted(b, bps, side="right") - 1
        rates += np.where((seg >= 0)[:, None, None], r[np.maximum(seg, 0)], 0.0)
    return Schedule(bps, jumps, rates, sched.x0[rows_r] + x0[rows_p])
