"""The TCI computation: plasma and effect-site targeting on a pump update interval.

Over one update interval ``h`` the linear system ``dx/dt = A x + b r`` (amounts µmol, rate r
in mg/min of ketamine base, ``b`` the IV route's input in µmol per mg) moves exactly as
``x(t + h) = E x(t) + g r`` with ``E = exp(A h)`` and ``g = ∫0^h exp(A s) ds · b``, both read off
one matrix exponential of the augmented matrix ``[[A, b], [0, 0]] h`` (the exact solver's
method). The concentration of the targeted analyte is ``c · x`` (µmol/L).

* **Plasma** (Jacobs 1990, STANPUMP): at each update ``t_k`` the rate is the one that brings
  the plasma concentration to the target at ``t_{k+1}``:
  ``r_k = (T − c E x_k) / (c g)``.
* **Effect site** (Shafer & Gregg 1992, J Pharmacokinet Biopharm 20:147, the peak-time method):
  the rate is the largest whose predicted future effect-site curve, with the pump stopped after
  this interval, peaks at the target: ``r_k = min_j (T − c_e E^j x_k) / (c_e E^{j−1} g)`` over
  the update times ``t_{k+j}`` of a look-ahead horizon (``j = 1..H``). This is Shafer & Gregg's
  iteration on the peak time solved in one step: the peak of ``free + r · unit`` equals T
  exactly when r is that minimum. Once the effect site has reached the target the rate is
  also capped by the plasma rule for the same target (maintenance at Cp = Ce = T), which
  avoids alternating rates.

Both rates are clipped to ``[0, max_rate]`` (rates below :data:`NOISE` are 0): a target below the prediction pauses the pump,
which restarts when the (free) prediction has fallen to the target. Every loop is bounded:
one pass over the update intervals.
"""

from __future__ import annotations

import numpy as np

from ..solvers.expm import expm

#: Relative distance below the target at which the effect site counts as having reached it.
REACHED = 1e-3
#: Rates below this (mg/min, 6e-8 mg/h) are rounding noise of the look-ahead and count as 0.
NOISE = 1e-9

__all__ = ["interval_response", "plasma_rates", "effect_rates", "horizon_steps"]


def interval_response(A: np.ndarray, b: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """``E = exp(A h)`` (S, n, n) and ``g`` (S, n): the state change over ``h`` min from one
    mg/min of infusion, for each subject (``A`` (S, n, n) 1/min, ``b`` (S, n) µmol/mg)."""
    S, n, _ = A.shape
    M = np.zeros((S, n + 1, n + 1))
    M[:, :n, :n] = A * h
    M[:, :n, n] = b * h
    block = expm(M)
    return block[:, :n, :n], block[:, :n, n]


def _pump(E: np.ndarray, g: np.ndarray, targets: np.ndarray, max_rate: np.ndarray,
          rule) -> tuple[np.ndarray, np.ndarray]:
    """One pass over the update intervals: ``rule(x, target)`` gives the unclipped rate (S,)
    from the state ``x`` (S, n, 1) at the update; returns rates (S, K) mg/min and the states
    (S, K + 1, n) at the update times, from zero."""
    S, K = targets.shape
    n = g.shape[1]
    x = np.zeros((S, n, 1))
    g = g[:, :, None]
    rates = np.empty((S, K))
    path = np.zeros((S, K + 1, n))
    for k in range(K):
        rate = np.minimum(rule(x, targets[:, k]), max_rate)
        rate[~(rate > NOISE)] = 0.0
        rates[:, k] = rate
        x = E @ x + g * rate[:, None, None]
        path[:, k + 1] = x[:, :, 0]
    return rates, path


def plasma_rates(E: np.ndarray, g: np.ndarray, c: np.ndarray, targets: np.ndarray,
                 max_rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rates (S, K) mg/min that bring ``c · x`` to ``targets[:, k]`` (µmol/L) at each update
    end, and the states (S, K + 1, n). ``E`` (S, n, n), ``g`` (S, n), ``c`` (S, n) 1/L,
    ``max_rate`` (S,) mg/min."""
    cE = (c[:, None, :] @ E)  # plasma one interval on, per unit of each state: (S, 1, n)
    cg = np.einsum("si,si->s", c, g)  # plasma one interval on from one mg/min

    def rule(x: np.ndarray, target: np.ndarray) -> np.ndarray:
        return (target - (cE @ x)[:, 0, 0]) / cg

    return _pump(E, g, targets, max_rate, rule)


def horizon_steps(E: np.ndarray, g: np.ndarray, c: np.ndarray, limit: int) -> int:
    """Update intervals the effect-site look-ahead needs: 1.5 × the latest peak time of the
    effect-site response to one interval's infusion over the subjects (at most ``limit``).

    After both that response and the free curve have peaked, the ratio (T − free)/unit only
    grows, so the minimum lies within the horizon (the margin covers a free curve still rising).
    """
    x = g.copy()
    previous = np.einsum("si,si->s", c, x)
    peaked = np.zeros(len(g), dtype=bool)
    peak = np.full(len(g), limit)
    for j in range(1, limit):
        x = np.einsum("sij,sj->si", E, x)
        value = np.einsum("si,si->s", c, x)
        newly = ~peaked & (value < previous)
        peak[newly], peaked = j, peaked | newly
        if peaked.all():
            break
        previous = value
    return int(min(limit, max(2, np.ceil(1.5 * peak.max()))))


def effect_rates(E: np.ndarray, g: np.ndarray, c: np.ndarray, c_plasma: np.ndarray,
                 targets: np.ndarray, max_rate: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Rates (S, K) mg/min by the peak-time method for effect-site output row ``c`` (S, n),
    and the states (S, K + 1, n). ``targets`` (S, K) µmol/L is the target in force at each
    update; ``horizon`` the look-ahead in update intervals (:func:`horizon_steps`).

    Once the effect site has reached its target (within :data:`REACHED`), the rate is also at
    most the plasma rule's for the same target (``c_plasma``): at the effect-site peak plasma
    equals the effect site, so holding plasma there holds the effect site, without the
    alternating rates that inverting the effect site one interval ahead gives (its response to
    one interval is second order in the interval).
    """
    S, n = g.shape
    free_rows = np.empty((S, horizon, n))  # c E^j, j = 1..H: the free curve from the state
    unit = np.empty((S, horizon))  # c E^(j-1) g: the curve from one interval at 1 mg/min
    row, response = c, g
    for j in range(horizon):
        row = np.einsum("si,sij->sj", row, E)
        free_rows[:, j] = row
        unit[:, j] = np.einsum("si,si->s", c, response)
        response = np.einsum("sij,sj->si", E, response)
    positive = unit > 0
    inverse = np.where(positive, 1.0 / np.where(positive, unit, 1.0), 0.0)
    now = c[:, None, :]
    plasma_next = c_plasma[:, None, :] @ E
    plasma_unit = np.einsum("si,si->s", c_plasma, g)

    def rule(x: np.ndarray, target: np.ndarray) -> np.ndarray:
        free = (free_rows @ x)[:, :, 0]
        peak = np.where(positive, (target[:, None] - free) * inverse, np.inf).min(axis=1)
        reached = (now @ x)[:, 0, 0] >= (1 - REACHED) * target
        hold = (target - (plasma_next @ x)[:, 0, 0]) / plasma_unit
        return np.where(reached, np.minimum(peak, hold), peak)

    return _pump(E, g, targets, max_rate, rule)
