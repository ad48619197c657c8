"""Titration schedules: regimens built from (time, rate) or (time, amount) steps.

A *line* is one route's infusion pump: on a line a new rate replaces the old one, so steps on
one line never overlap. Rates and amounts may be absolute or per kg; caps (absolute and/or
per weight) are resolved per subject, the smallest winning. Times are from the start of the
regimen.

>>> from ketpk.titration import rate_steps
>>> reg = rate_steps([("0 h", "0.1 mg/kg/h"), ("2 h", "0.2 mg/kg/h")], end="6 h", cap="15 mg/h")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import RegimenError
from .regimen import Bolus, Infusion, Regimen, check_route
from .units import Q_, as_quantity, dose_in, parse_dose, split_known, to_canonical

__all__ = ["rate_steps", "amount_steps", "escalate", "check_lines"]


def _step_times(steps: Sequence[Any], name: str) -> list[float]:
    if not isinstance(steps, (list, tuple)) or not steps:
        raise RegimenError(f"`{name}` must be a non-empty list of (time, value) pairs; got {steps!r}.")
    times = []
    for k, step in enumerate(steps):
        if not isinstance(step, (list, tuple)) or len(step) != 2:
            raise RegimenError(f"`{name}[{k}]` must be a (time, value) pair; got {step!r}.")
        times.append(float(to_canonical(step[0], "[time]", f"{name}[{k}] time")))
        if times[-1] < 0:
            raise RegimenError(f"`{name}[{k}]` time must be >= 0; got {step[0]}.")
        if k and times[-1] <= times[-2]:
            raise RegimenError(
                f"`{name}` times must increase strictly; step {k} at {step[0]} is not after "
                f"step {k - 1} at {steps[k - 1][0]}. Sort the steps and merge equal times."
            )
    return times


def rate_steps(steps: Sequence[tuple[Any, Any]], *, end: Any, route: str = "iv",
               cap: Any = None) -> Regimen:
    """One infusion line whose rate changes at given times.

    Parameters
    ----------
    steps : list of (time, rate)
        Each rate (``"5 mg/h"``, ``"1.2 ug/kg/min"``; ``"0 mg/h"`` pauses) holds from its time
        until the next step's time; the last until ``end``.
    end : Quantity or str [time]
        When the line stops (after the last step time).
    route : str
        The line's route (``"iv"``, ``"sc"``, ``"transdermal"``).
    cap : Quantity or str, or a sequence of them
        Rate caps, absolute and/or per weight; the smallest applies per subject.
    """
    check_route(route)
    times = _step_times(steps, "steps")
    stop = float(to_canonical(end, "[time]", "end"))
    if stop <= times[-1]:
        raise RegimenError(f"`end` must be after the last step ({steps[-1][0]}); got {end}.")
    bounds = times[1:] + [stop]
    doses = []
    for (start, rate), t0, t1 in zip(steps, times, bounds):
        if parse_dose(rate, "rate", kind="rate")[0] == 0:
            continue
        doses.append(Infusion(start, route=route, rate=rate, duration=f"{t1 - t0!r} min", cap=cap))
    return Regimen(doses)


def amount_steps(steps: Sequence[tuple[Any, Any]], *, route: str = "iv", duration: Any = None,
                 cap: Any = None) -> Regimen:
    """Doses of changing size at given times: boluses, or infusions over ``duration`` each.

    ``cap`` limits each amount (absolute and/or per weight; for infusions the rate cap is the
    amount cap spread over ``duration``). Infusions on the line must not overlap.
    """
    check_route(route)
    times = _step_times(steps, "steps")
    if duration is None:
        return Regimen(Bolus(t, amount, route, cap=cap) for t, amount in steps)
    minutes = float(to_canonical(duration, "[time]", "duration"))
    for k in range(len(times) - 1):
        if times[k] + minutes > times[k + 1] + 1e-9:
            raise RegimenError(
                f"`steps` {k} and {k + 1} overlap on the {route} line: an infusion of {duration} "
                f"from {steps[k][0]} runs past {steps[k + 1][0]}. Shorten `duration` or space the steps."
            )
    caps = None if cap is None else [as_quantity(c, "cap") / as_quantity(duration, "duration")
                                     for c in (cap if isinstance(cap, (list, tuple)) else [cap])]
    return Regimen(Infusion(t, route=route, amount=amount, duration=duration, cap=caps)
                   for t, amount in steps)


def escalate(start: Any, step: Any, target: Any, times: Sequence[Any]) -> list[tuple[Any, Any]]:
    """Steps ``start, start + step, ...`` at ``times``, the last one clipped at ``target``.

    Stops at the first step that reaches ``target``; all three values must share one unit
    style (all per weight or all absolute). Returns (time, value) pairs for :func:`rate_steps`
    or :func:`amount_steps`, each value in ``start``'s unit: a string such as
    ``"2.4 ug/kg/min"`` when the three are strings of known units (read without pint), else a
    Quantity.
    """
    first, increment, goal, make = _in_start_units(start, step, target)
    if increment <= 0 or goal < first:
        raise RegimenError(f"`step` must be positive and `target` >= `start`; got step {step}, "
                           f"start {start}, target {target}.")
    out = []
    for k, time in enumerate(times):
        value = min(first + increment * k, goal)
        out.append((time, make(value)))
        if value >= goal:
            return out
    raise RegimenError(f"{len(times)} step times are too few to go from {start} to {target} in "
                       f"steps of {step}; give more times or a larger step.")


def _in_start_units(start: Any, step: Any, target: Any) -> tuple[Any, Any, Any, Any]:
    """The magnitudes of ``start``, ``step`` and ``target`` in ``start``'s unit, and the maker of
    a value in that unit: a string for known dose strings (read without pint), else a Quantity."""
    unit = getattr(split_known(start) if isinstance(start, str) else None, "unit", None)
    known = [dose_in(v, unit) for v in (start, step, target)] if unit else [None]
    if None not in known:
        return (*known, lambda value: f"{value!r} {unit}")
    first, increment, goal = (as_quantity(v, n) for v, n in ((start, "start"), (step, "step"),
                                                              (target, "target")))
    try:
        increment = increment.to(first.units)
        goal = goal.to(first.units)
    except Exception as err:
        raise RegimenError(f"`start`, `step` and `target` must have the same units; got {start}, "
                           f"{step} and {target}.") from err
    return first.magnitude, increment.magnitude, goal.magnitude, lambda value: Q_(value, first.units)


def check_lines(regimen: Regimen) -> None:
    """Raise if two infusions on one route (one line) overlap in time.

    Infusions whose duration depends on the subject (a per-weight amount with an absolute rate
    or the reverse) are not checked; give them a duration.
    """
    lines: dict[str, list[tuple[float, float, Any]]] = {}
    for dose in regimen:
        if not isinstance(dose, Infusion):
            continue
        if dose._duration_min is not None:
            span = dose._duration_min
        elif dose._amount[1] == dose._rate[1]:
            span = dose._amount[0] / dose._rate[0]
        else:
            continue
        lines.setdefault(dose.route, []).append((dose.start_minutes, dose.start_minutes + span, dose))
    for route, spans in lines.items():
        for (_, a1, a), (b0, _, b) in zip(spans, spans[1:]):
            if b0 < a1 - 1e-9:
                raise RegimenError(f"infusions overlap on the {route} line: the one starting at "
                                   f"{a.start} runs until {a1:g} min, after the one at {b.start} "
                                   "starts. A line has one rate at a time; end the first earlier.")
