"""Start a regimen at steady state (NONMEM ``SS=1``), computed exactly.

One dosing interval's doses (the *period*, length ``τ``) are taken as given at ``-τ, -2τ, ...``
forever. With ``y(t)`` the response from zero to one period's doses (built by the ordinary
schedule, so lag times, zero-order absorption and F < 1 come from the model's routes) and
``m`` the number of periods until its inputs end, the state at time 0 is

    x(0) = (I - Φ)^-1 y(mτ) + Σ_{k=1}^{m-1} y(kτ),     Φ = exp(A τ),

and the inputs of the copies ``k < m`` that are still running at time 0 (a lag or an infusion
longer than ``τ``) are added to the schedule after 0. ``y`` and ``Φ`` come from the simulation's
own solver (the solver contract's ``solve``), so ``solver="ode"`` gives an ODE steady state;
nothing is simulated dose by dose. A constant infusion is the case ``τ`` = its duration.

The value :class:`~ketpk.regimen.SteadyState` (period and interval) lives with the regimen.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .errors import RegimenError
from .regimen import SteadyState
from .schedule import Schedule, build_schedules
from .solvers.base import Solver

__all__ = ["steady_start", "history"]


def steady_start(steady: SteadyState, groups: list[tuple[np.ndarray, Schedule]], model: Any,
                 params: Any, system: Any, weights: np.ndarray | None,
                 solver: Solver) -> list[tuple[np.ndarray, Schedule]]:
    """The regimen's schedules with the steady-state start state and running tails added.

    ``solver`` computes the state after each period and the transition over one period, so an
    ODE simulation starts from an ODE steady state.
    """
    doses = steady.period.resolve(weights, params.n)
    tau = steady.every_minutes
    out = []
    for idx_p, period in build_schedules(model, params, system, doses):
        x0, tails = history(system.A[idx_p], period, tau, solver)
        for idx_r, sched in groups:
            both, rows_p, rows_r = np.intersect1d(idx_p, idx_r, return_indices=True)
            if both.size:
                out.append((both, _merge(sched, rows_r, tails, rows_p, x0)))
    order = np.argsort([g[0][0] for g in out])
    return [out[i] for i in order]


def _transition(A: np.ndarray, tau: float, solver: Solver) -> np.ndarray:
    """``exp(A tau)`` (S, n, n) from ``solver``: column j is the state after ``tau`` from unit
    amount in state j, with no input (all columns of all subjects solved as one batch)."""
    S, n = A.shape[0], A.shape[1]
    starts = np.broadcast_to(np.eye(n), (S, n, n)).reshape(S * n, n)  # row j: unit amount in j
    free = Schedule(np.zeros(1), np.zeros((1, S * n, n)), np.zeros((1, S * n, n)), starts.copy())
    A_rep = np.repeat(A, n, axis=0)
    out = solver.solve(A_rep, free, np.array([tau]), np.broadcast_to(np.eye(n), (S * n, n, n)))
    return out[:, :, 0].reshape(S, n, n).transpose(0, 2, 1)


def history(A: np.ndarray, period: Schedule, tau: float,
             solver: Solver) -> tuple[np.ndarray, list]:
    """Start state (S, n) at a dosing time of the steady state of ``period`` (the inputs of one
    copy, from zero) repeated every ``tau`` min, and the still-running parts of the earlier
    copies as ``(breakpoints, jumps, rates)`` shifted to t >= 0."""
    S, n = A.shape[0], A.shape[1]
    m = max(1, math.ceil(period.breakpoints[-1] / tau - 1e-12))
    states = solver.solve(A, period, tau * np.arange(1, m + 1),
                          np.broadcast_to(np.eye(n), (S, n, n)))  # (S, n, m)
    phi = _transition(A, tau, solver)
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
