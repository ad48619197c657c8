"""Dose finding: the amount or rate of a regimen shape that reaches a concentration target.

Research and teaching only, never a dosing device.

>>> import ketpk
>>> from ketpk.dosefinding import Target, find_dose
>>> found = find_dose("esketamine.otto2021", Target("steady_state", "100 ng/mL"),
...                   regimen_shape=lambda rate: ketpk.Infusion(start="0 h", rate=rate, duration="24 h"),
...                   reference="10 mg/h", subject=ketpk.Subject(weight="70 kg"))
>>> round(found.dose.to("mg/h").magnitude, 1)  # = 100 ng/mL × CL 95.2 L/h
9.5

Method. Every metric but time-above-a-level is proportional to the dose for a linear model
whose route inputs do not depend on the amount. :func:`find_dose` simulates the shape at the
``reference`` dose and at twice it; when the metric doubled (relative 1e-6) the dose is exact by
proportionality, otherwise (dose-dependent bioavailability, caps, time above a level) it is
found by a bounded root search (Brent, at most 60 evaluations) between the bounds. For a
population or posterior percentile the metric is taken per subject and the percentile across
subjects must meet the target ("95 % of subjects below 300 ng/mL": cmax, 300 ng/mL,
percentile 95). The dose is then clipped to ``bounds`` and to the pump's ``max_rate``
(the regimen's highest summed infusion rate), and the result says which limit bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import metrics, models
from .errors import ParameterError, RegimenError
from .plan import as_regimen
from .population import Population, sample
from .units import convert
from .simulate import simulate
from .units import Q_, as_quantity, to_canonical, to_unit

__all__ = ["Target", "DoseFinding", "find_dose", "METRICS"]

METRICS = ("concentration", "steady_state", "cmax", "trough", "auc", "time_above")
_GRID = 2001
_LINEAR_TOLERANCE = 1e-6
_MAX_EVALUATIONS = 60


@dataclass(frozen=True)
class Target:
    """What the dose must reach.

    ``metric``: ``"concentration"`` (at ``end``), ``"steady_state"`` (average over one dosing
    interval at steady state: ``every``, or a constant infusion when ``every`` is None),
    ``"cmax"``, ``"trough"`` (lowest value) or ``"auc"`` over ``[start, end]``, or
    ``"time_above"`` ``level`` within ``[start, end]``. ``value``: a concentration, an AUC
    (e.g. ``"2000 ng/mL*h"``) or, for time above, a duration. ``percentile`` (0-100) applies to a
    population or posterior: that percentile of the subjects' metric must equal ``value``.
    """

    metric: str
    value: Any
    analyte: str = "ketamine"
    start: Any = "0 h"
    end: Any = None
    level: Any = None
    every: Any = None
    percentile: float | None = None

    def __post_init__(self) -> None:
        if self.percentile is not None and not isinstance(self.percentile, (int, float, np.integer, np.floating)):
            raise ParameterError(f"`percentile` must be a number in (0, 100), e.g. 50; got "
                                 f"{self.percentile!r} of type {type(self.percentile).__name__}.")
        if self.metric not in METRICS:
            raise ParameterError(f"`metric` must be one of {METRICS}; got {self.metric!r}.")
        if self.metric == "time_above" and self.level is None:
            raise ParameterError("a 'time_above' target needs `level`, e.g. level='100 ng/mL'.")
        if self.metric not in ("steady_state",) and self.end is None:
            raise ParameterError(f"a {self.metric!r} target needs `end` (the end of its window), "
                                 "e.g. end='24 h'.")
        if self.percentile is not None and not 0 < self.percentile < 100:
            raise ParameterError(f"`percentile` must be in (0, 100); got {self.percentile!r}.")


@dataclass(frozen=True)
class DoseFinding:
    """The dose found, the regimen it gives and what it achieves.

    ``method`` is ``"linear"`` (exact by proportionality) or ``"root-find"``; ``limited_by``
    names the bound that clipped the dose (``None`` when the target is met).
    """

    dose: Any
    regimen: Any
    achieved: Any
    target: Target
    method: str
    limited_by: str | None
    evaluations: int

    def __str__(self) -> str:
        limit = f" (limited by the {self.limited_by}: the target is NOT met)" if self.limited_by else ""
        return (f"dose {self.dose:~.4g} gives {self.target.metric} {self.achieved:~.4g} of "
                f"{self.target.analyte} (target {as_quantity(self.target.value, 'value'):~.4g}; "
                f"{self.method}){limit}")


def _unit_of(target: Target) -> tuple[str, str]:
    """(the metric's own unit to report, its dimension) for the target's value."""
    value = as_quantity(target.value, "value")
    if target.metric == "time_above":
        return str(value.units), "[time]"
    return str(value.units), "auc" if target.metric == "auc" else "concentration"


def _to_molar(target: Target, value: Any, dimension: str) -> float:
    """``value`` (concentration or AUC) in µmol/L (·min), or a duration in min."""
    if dimension == "[time]":
        return float(to_canonical(value, "[time]", "value"))
    q = as_quantity(value, "value")
    time_part = "min" if dimension == "auc" else ""
    molar_unit = f"umol/L*{time_part}" if time_part else "umol/L"
    if "[mass]" in q.dimensionality:
        mass_unit = f"ug/L*{time_part}" if time_part else "ug/L"
        return float(to_unit(q, mass_unit, "value").magnitude) / _molar_mass(target.analyte)
    return float(to_unit(q, molar_unit, "value").magnitude)


def _molar_mass(analyte: str) -> float:
    from .species import molar_mass

    return molar_mass(analyte)


def _window(target: Target, regimen: Any) -> tuple[Any, np.ndarray]:
    """The regimen to simulate and its time grid (min) for the target."""
    if target.metric == "steady_state":
        shape = as_regimen(regimen)
        if target.every is None:
            infusions = [d for d in shape if getattr(d, "rate", None) is not None or
                         getattr(d, "duration", None) is not None]
            if len(infusions) != len(shape.doses):
                raise RegimenError("a 'steady_state' target without `every` needs a shape of "
                                   "infusions (a constant infusion); give `every` for repeated doses.")
            period = max(float(to_canonical(d.duration, "[time]", "duration")) for d in shape
                         if d.duration is not None) if any(d.duration is not None for d in shape) else None
            if period is None:
                raise RegimenError("a 'steady_state' infusion shape needs a `duration`.")
            steady = shape.with_steady_state(shape)
        else:
            period = float(to_canonical(target.every, "[time]", "every"))
            steady = shape.with_steady_state(shape, every=target.every)
        return steady, np.linspace(0.0, period, _GRID)
    start = float(to_canonical(target.start, "[time]", "start"))
    end = float(to_canonical(target.end, "[time]", "end"))
    if not 0 <= start < end:
        raise ParameterError(f"the target window needs 0 <= start < end; got {target.start} to {target.end}.")
    if target.metric == "concentration":
        return regimen, np.array([end])
    return regimen, np.union1d(np.linspace(start, end, _GRID), _dose_times(regimen, start, end))


def _dose_times(regimen: Any, start: float, end: float) -> np.ndarray:
    """Dose starts and given infusion ends (min) inside [start, end]: where IV peaks lie, so a
    long window's coarse grid cannot step over them."""
    edges = []
    for d in as_regimen(regimen):
        edges.append(d.start_minutes)
        if getattr(d, "duration", None) is not None:
            edges.append(d.start_minutes + float(to_canonical(d.duration, "[time]", "duration")))
    edges = np.array(edges)
    return edges[(edges >= start) & (edges <= end)]


def _metric(target: Target, times: np.ndarray, c: np.ndarray, level: float | None) -> np.ndarray:
    """Per-subject metric from concentrations c (S, T) µmol/L on times (min)."""
    if target.metric == "concentration":
        return c[:, -1]
    if target.metric == "cmax":
        return c.max(axis=1)
    if target.metric == "trough":
        return c.min(axis=1)
    if target.metric in ("auc", "steady_state"):
        auc = metrics.auc(times, c, rule="linear")
        return auc / (times[-1] - times[0]) if target.metric == "steady_state" else auc
    return metrics.time_above(times, c, level, rule="linear")


def find_dose(model: Any, target: Target, *, regimen_shape: Callable[[Any], Any], reference: Any,
              subject: Any = None, posterior: Any = None, population: Any = None,
              bounds: tuple[Any, Any] | None = None, max_rate: Any = None, n: int = 500,
              seed: Any = 0) -> DoseFinding:
    """The dose (amount or rate, in ``reference``'s unit) of ``regimen_shape`` that meets ``target``.

    Parameters
    ----------
    model : DrugModel or str
    target : Target
    regimen_shape : callable
        ``regimen_shape(dose)`` -> Regimen, Bolus or Infusion for a dose Quantity.
    reference : Quantity or str
        A plausible dose with its unit (``"10 mg/h"``, ``"50 mg"``); the result uses its unit.
    subject, posterior, population :
        Give at most one: a ketpk.Subject (typical for its covariates; default the model's
        typical subject), a :class:`ketpk.Posterior` (its MAP subject, or ``n`` posterior draws
        when ``target.percentile`` is set), or a Population (``target.percentile`` of it,
        default 50; an int draws that many subjects with ``seed``).
    bounds : (low, high), optional
        Allowed doses in ``reference``'s unit; default 0 to 1000 × reference.
    max_rate : Quantity or str, optional
        The pump's highest rate (mass per time); the regimen's highest summed infusion rate
        may not exceed it.
    """
    from scipy import optimize  # loaded on first use

    model = models.resolve(model)
    if not isinstance(target, Target):
        raise ParameterError(f"`target` must be a ketpk.dosefinding.Target, e.g. "
                             f"Target('concentration', '100 ng/mL', end='2 h'); got {type(target).__name__}.")
    if not callable(regimen_shape):
        raise ParameterError(f"`regimen_shape` must be a function of the dose, e.g. "
                             f"lambda d: Bolus('0 h', d); got {regimen_shape!r}.")
    if not isinstance(target.analyte, str) or target.analyte not in model.analytes:
        raise ParameterError(f"`analyte` must be one of {model.analytes}; got {target.analyte!r}.")
    if bounds is not None and not (isinstance(bounds, (tuple, list)) and len(bounds) == 2):
        raise ParameterError(f"`bounds` must be a pair (low, high) in the reference's unit, e.g. "
                             f"('0 mg/h', '50 mg/h'); got {bounds!r}.")
    if sum(x is not None for x in (subject, posterior, population)) > 1:
        raise ParameterError("give at most one of `subject`, `posterior` and `population`.")
    reference = as_quantity(reference, "reference")
    if not reference.magnitude > 0:
        raise ParameterError(f"`reference` must be a positive dose; got {reference}.")
    unit = reference.units
    low, high = (0.0, 1000.0 * reference.magnitude) if bounds is None else (
        float(as_quantity(b, "bounds").to(unit).magnitude) for b in bounds)
    if not 0 <= low < high:
        raise ParameterError(f"`bounds` must be 0 <= low < high; got {bounds}.")
    subjects, percentile, who = _who(model, subject, posterior, population, target, n, seed)
    report_unit, dimension = _unit_of(target)
    wanted = _to_molar(target, target.value, dimension)
    level = None if target.level is None else _to_molar(target, target.level, "concentration")
    for name, number in (("value", wanted), ("level", level)):
        if number is not None and not (math.isfinite(number) and number > 0):
            raise ParameterError(f"the target's `{name}` must be finite and positive; got "
                                 f"{getattr(target, name)!r}.")
    evaluations = 0

    def measure(dose: float) -> float:
        nonlocal evaluations
        if dose <= 0:
            return 0.0  # no drug: every metric is zero (and a zero dose is not a regimen)
        evaluations += 1
        regimen, times = _window(target, regimen_shape(Q_(dose, unit)))
        result = simulate(model, regimen, Q_(times, "min"), subjects=subjects)
        values = _metric(target, times, np.atleast_2d(result.concentrations_umol_per_l[target.analyte]), level)
        return float(np.percentile(values, percentile)) if percentile is not None else float(values[0])

    ref = reference.magnitude
    m1 = measure(ref)
    m2 = measure(2 * ref) if target.metric != "time_above" else math.nan
    linear = m1 > 0 and abs(m2 / (2 * m1) - 1) < _LINEAR_TOLERANCE
    pump = _pump_limit(regimen_shape, reference, max_rate, who)
    top = min(high, pump)
    if linear:
        dose, method = ref * wanted / m1, "linear"
    else:
        method = "root-find"
        f_low, f_top = measure(low) - wanted, measure(top) - wanted
        if f_low >= 0:
            dose = low
        elif f_top < 0:
            dose = top
        else:
            dose = optimize.brentq(lambda d: measure(d) - wanted, low, top, xtol=1e-9 * top,
                                   rtol=1e-10, maxiter=_MAX_EVALUATIONS)
    limited = None
    if dose > high and high <= pump:
        dose, limited = high, "upper bound"
    elif dose > pump:
        dose, limited = pump, "pump limit"
    elif dose < low:
        dose, limited = low, "lower bound"
    elif method == "root-find" and dose in (low, top) and abs(measure(dose) - wanted) > 1e-6 * wanted:
        limited = "lower bound" if dose == low else ("pump limit" if top == pump else "upper bound")
    achieved = dose / ref * m1 if linear else measure(dose)
    regimen = as_regimen(regimen_shape(Q_(dose, unit)))
    return DoseFinding(Q_(dose, unit), regimen, _report(target, achieved, report_unit, dimension),
                       target, method, limited, evaluations)


def _who(model, subject, posterior, population, target, n, seed):
    """(subjects to simulate, percentile or None, one Subject-like for per-weight resolution)."""
    if posterior is not None:
        if target.percentile is None:
            return posterior.population(), None, posterior.population()
        return posterior.population(n, seed=seed), target.percentile, posterior.population()
    if population is not None:
        if isinstance(population, (int, np.integer)) and not isinstance(population, bool):
            population = sample(model, int(population), seed=seed)
        if not isinstance(population, Population):
            raise ParameterError("`population` must be a ketpk Population or a number of subjects.")
        heaviest = population[int(np.argmax(population.covariates["weight"]))]  # highest per-kg rate
        return population, 50.0 if target.percentile is None else target.percentile, heaviest
    if target.percentile is not None:
        raise ParameterError("`percentile` needs a `population` or a `posterior`.")
    return subject, None, subject


def _pump_limit(shape: Callable[[Any], Any], reference: Any, max_rate: Any, who: Any) -> float:
    """The largest dose (reference's unit) whose highest infusion rate stays within ``max_rate``."""
    if max_rate is None:
        return math.inf
    limit = float(to_canonical(max_rate, "[mass] / [time]", "max_rate"))  # canonical mass/time
    regimen = as_regimen(shape(reference))
    rate = float(to_canonical(regimen.max_rate(who), "[mass] / [time]", "max_rate"))
    if rate <= 0:
        return math.inf
    return reference.magnitude * limit / rate


def _report(target: Target, value: float, unit: str, dimension: str) -> Any:
    if dimension == "[time]":
        return Q_(value, "min").to(unit)
    molar = "umol/L*min" if dimension == "auc" else "umol/L"
    return convert(value, molar, target.analyte, unit)
