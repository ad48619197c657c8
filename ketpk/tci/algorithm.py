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

__all__ = ["interval_response", "plasma_rates", "effect_rates", "peak_steps", "propagate"]


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
    """One pass over the update intervals: ``rule(x, k)`` gives the unclipped rate (S,) at
    update ``k`` from the state ``x`` (S, n, 1) there; returns rates (S, K) mg/min and the states
    (S, K + 1, n) at the update times, from zero."""
    S, K = targets.shape
    n = g.shape[1]
    step = np.concatenate([E, g[:, :, None]], axis=2)  # [E g] @ [x; r]: (S, n, n + 1)
    z = np.zeros((S, n + 1, 1))
    x = z[:, :n]
    rates = np.empty((S, K))
    path = np.zeros((S, K + 1, n, 1))
    for k in range(K):
        rate = np.minimum(rule(x, k), max_rate)
        rate *= rate > NOISE
        z[:, n, 0] = rates[:, k] = rate
        np.matmul(step, z, out=path[:, k + 1])
        x[...] = path[:, k + 1]
    return rates, path[..., 0]


def propagate(E: np.ndarray, g: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """States (S, K + 1, n) at the update times under given ``rates`` (S, K) mg/min, from zero."""
    return _pump(E, g, rates, np.full(len(rates), np.inf), lambda x, k: rates[:, k])[1]


def plasma_rates(E: np.ndarray, g: np.ndarray, c: np.ndarray, targets: np.ndarray,
                 max_rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rates (S, K) mg/min that bring ``c · x`` to ``targets[:, k]`` (µmol/L) at each update
    end, and the states (S, K + 1, n). ``E`` (S, n, n), ``g`` (S, n), ``c`` (S, n) 1/L,
    ``max_rate`` (S,) mg/min."""
    cg = np.einsum("si,si->s", c, g)  # plasma one interval on from one mg/min
    cE = (c[:, None, :] @ E) / cg[:, None, None]  # and from the state, per mg/min: (S, 1, n)

    base = targets / cg[:, None]

    def rule(x: np.ndarray, k: int) -> np.ndarray:
        return base[:, k] - (cE @ x)[:, 0, 0]

    return _pump(E, g, targets, max_rate, rule)


def peak_steps(E: np.ndarray, g: np.ndarray, c: np.ndarray, limit: int) -> np.ndarray:
    """Per subject, the update interval (1-based, at most ``limit``) at which the effect-site
    response to one interval's infusion peaks (S,)."""
    x = g.copy()
    previous = np.einsum("si,si->s", c, x)
    peak = np.full(len(g), limit)
    peaked = np.zeros(len(g), dtype=bool)
    for j in range(1, limit):
        x = np.einsum("sij,sj->si", E, x)
        value = np.einsum("si,si->s", c, x)
        newly = ~peaked & (value < previous)
        peak[newly], peaked = j, peaked | newly
        if peaked.all():
            break
        previous = value
    return peak


#: Look-ahead = HORIZON × the peak time of the unit response. After both that response and the
#: free curve have peaked, (T − free)/unit only grows; with the pump stopped, plasma of a
#: mammillary model falls, so the free effect-site curve peaks within that time too. The 25 %
#: margin is for models where it does not quite.
HORIZON = 1.25
#: Subjects per look-ahead group (grouped by peak time, each group with its own horizon).
GROUP = 100


def effect_rates(E: np.ndarray, g: np.ndarray, c: np.ndarray, c_plasma: np.ndarray,
                 targets: np.ndarray, max_rate: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Rates (S, K) mg/min by the peak-time method for effect-site output row ``c`` (S, n),
    and the states (S, K + 1, n). ``targets`` (S, K) µmol/L is the target in force at each
    update; the look-ahead is :data:`HORIZON` × each group's latest unit-response peak (at most
    ``limit`` intervals).

    Once the effect site has reached its target (within :data:`REACHED`), the rate is also at
    most the plasma rule's for the same target (``c_plasma``): at the effect-site peak plasma
    equals the effect site, so holding plasma there holds the effect site, without the
    alternating rates that inverting the effect site one interval ahead gives (its response to
    one interval is second order in the interval).
    """
    S, K = targets.shape
    peaks = peak_steps(E, g, c, limit)
    order = np.argsort(peaks, kind="stable")
    rates, path = np.empty((S, K)), np.empty((S, K + 1, g.shape[1]))
    for start in range(0, S, GROUP):
        idx = order[start:start + GROUP]
        horizon = int(min(limit, max(2, np.ceil(HORIZON * peaks[idx].max()))))
        rates[idx], path[idx] = _effect_group(E[idx], g[idx], c[idx], c_plasma[idx], targets[idx],
                                              max_rate[idx], horizon)
    return rates, path


def _effect_group(E: np.ndarray, g: np.ndarray, c: np.ndarray, c_plasma: np.ndarray,
                  targets: np.ndarray, max_rate: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
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
    never = np.where(positive, 0.0, np.inf)  # points without a response do not bound the rate
    plasma_unit = np.einsum("si,si->s", c_plasma, g)
    # One product per update: the free curve per unit response (H rows), plasma one interval
    # on per mg/min (the hold rule), and the effect site now.
    W = np.concatenate([free_rows * inverse[:, :, None],
                        (c_plasma[:, None, :] @ E) / plasma_unit[:, None, None], c[:, None, :]], axis=1)
    changed = np.concatenate([[True], (targets[:, 1:] != targets[:, :-1]).any(axis=0)])
    terms: list[np.ndarray] = []  # constant terms of the target in force (targets change rarely)

    def rule(x: np.ndarray, k: int) -> np.ndarray:
        if changed[k]:
            target = targets[:, k]
            terms[:] = [np.concatenate([target[:, None] * inverse + never,
                                        (target / plasma_unit)[:, None]], axis=1),
                        (1 - REACHED) * target]
        base, reached_at = terms
        y = (W @ x)[:, :, 0]
        candidates = base - y[:, :horizon + 1]  # peak-time bounds, then the hold rule
        candidates[y[:, horizon + 1] < reached_at, horizon] = np.inf  # hold only once reached
        return candidates.min(axis=1)

    return _pump(E, g, targets, max_rate, rule)
