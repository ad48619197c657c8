"""Turn resolved doses into piecewise-constant inputs that both solvers consume.

A :class:`Schedule` holds breakpoints ``t_0 = 0 < t_1 < ...`` (min); at each breakpoint a jump
(bolus amounts, µmol) is added to the state and a new input rate (µmol/min) holds until the next.
Subjects whose event times differ (per-weight durations, individual lag times) are grouped so
that each group shares its breakpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .errors import RegimenError
from .model import DrugModel, Params, System
from .physical import check_inputs
from .regimen import ResolvedDose
from .units import umol_per_mg

__all__ = ["Schedule", "build_schedules"]


@dataclass
class Schedule:
    """Inputs for a group of subjects: breakpoints (B,), jumps and rates (B, S, n), x0 (S, n)."""

    breakpoints: np.ndarray
    jumps: np.ndarray
    rates: np.ndarray
    x0: np.ndarray


def _arr(value: object, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=float), (n,))


def _given_before(model: DrugModel, doses: list[ResolvedDose]) -> list[np.ndarray | float]:
    """Per dose: mg given earlier in its dosing session (0 if it opens one or its route has none).

    A session of a route with ``session`` = w min holds the boluses by that route within w min
    of the session's first bolus (in time order); the next bolus after that opens a new session.
    """
    before: list[np.ndarray | float] = [0.0] * len(doses)
    order = sorted(range(len(doses)), key=lambda k: doses[k].time)
    open_sessions: dict[str, tuple[float, np.ndarray]] = {}
    for k in order:
        dose = doses[k]
        window = model.route(dose.route).session
        if window is None or dose.duration is not None:
            continue
        first, given = open_sessions.get(dose.route, (-np.inf, 0.0))
        if dose.time - first > window + 1e-9:
            first, given = dose.time, 0.0
        before[k] = given
        open_sessions[dose.route] = (first, given + dose.amount)
    return before


def _inputs(route, params: Params, amount, before):
    """The route's inputs of a dose of ``amount`` mg after ``before`` mg of the same session:
    per mg, the session's fractions of (before + amount) minus those of before."""
    if not np.any(np.asarray(before) > 0):
        return route.inputs(params, amount)
    total, earlier = before + amount, np.asarray(before, dtype=float)
    return [replace(t, fraction=(np.asarray(t.fraction) * total - np.asarray(e.fraction) * earlier) / amount)
            for t, e in zip(route.inputs(params, total), route.inputs(params, earlier))]


def _events(model: DrugModel, params: Params, system: System, doses: list[ResolvedDose]):
    """Per-input events: (state index, start (S,), end (S,) or None, value (S,))."""
    n = params.n
    to_umol = umol_per_mg("ketamine")  # mg of ketamine base -> µmol
    events = []
    for dose, before in zip(doses, _given_before(model, doses)):
        route = model.route(dose.route)
        is_infusion = dose.duration is not None
        if is_infusion and not route.infusion:
            raise RegimenError(
                f"route {route.name!r} of model {model.id!r} takes boluses only (its absorption "
                "has a zero-order phase of its own); give a Bolus, or several."
            )
        inputs = _inputs(route, params, dose.amount, before)
        check_inputs(model.id, route, [inp.fraction for inp in inputs])
        for inp in inputs:
            state = system.index(inp.state)
            fraction, lag = _arr(inp.fraction, n), _arr(inp.lag, n)
            start = dose.time + lag
            if is_infusion:
                if inp.duration is not None:
                    raise RegimenError(
                        f"route {route.name!r} of model {model.id!r} has zero-order absorption; "
                        "an Infusion by this route is undefined. Give Bolus doses."
                    )
                events.append((state, start, start + dose.duration, fraction * dose.rate * to_umol))
            elif inp.duration is None:
                events.append((state, start, None, fraction * dose.amount * to_umol))
            else:
                duration = _arr(inp.duration, n)
                events.append((state, start, start + duration,
                               fraction * dose.amount * to_umol / duration))
    return events


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D float array: ``np.unique`` without the masked-array
    module numpy imports on its first call (≈ 8 ms of a fresh process's first simulate)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def build_schedules(model: DrugModel, params: Params, system: System,
                    doses: list[ResolvedDose]) -> list[tuple[np.ndarray, Schedule]]:
    """Group subjects by shared event times; return (subject indices, Schedule) per group."""
    n, n_states = params.n, len(system.states)
    events = _events(model, params, system, doses)
    columns = [np.zeros(n)]
    for _, start, end, _ in events:
        columns.append(start)
        if end is not None:
            columns.append(end)
    times = np.stack(columns, axis=1)
    if (times == times[0]).all():  # every subject shares the event times (the common case)
        rows, inverse = times[:1], np.zeros(n, dtype=np.intp)
    else:
        rows, inverse = np.unique(times, axis=0, return_inverse=True)
    groups = []
    for g, row in enumerate(rows):
        idx = np.flatnonzero(inverse.ravel() == g)
        bps = _distinct(row)
        jumps = np.zeros((len(bps), len(idx), n_states))
        rates = np.zeros((len(bps), len(idx), n_states))
        for state, start, end, value in events:
            k0 = np.searchsorted(bps, start[idx[0]])
            if end is None:
                jumps[k0, :, state] += value[idx]
            else:
                k1 = np.searchsorted(bps, end[idx[0]])
                rates[k0:k1, :, state] += value[idx]
        groups.append((idx, Schedule(bps, jumps, rates, np.zeros((len(idx), n_states)))))
    return groups
