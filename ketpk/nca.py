"""Exposure metrics of concentration–time curves (non-compartmental analysis), with units.

Every metric takes a curve source and, where it matters, an analyte:

* a :class:`~ketpk.SimulationResult` and an analyte name (``"ketamine"``, ``"norketamine"``, or
  ``"ketamine+norketamine"`` for the molar sum in ketamine equivalents);
* a user's own ``(times, concentrations)`` pair of Quantities, concentrations shaped
  ``(n_times,)`` or ``(n_subjects, n_times)`` (the analyte argument then names it, which
  matters only for mass↔molar conversions);
* a mapping ``{analyte: (times, concentrations)}`` (for ratios and sums of the user's data);
* a :class:`Curve`.

Metrics are vectorised over subjects: each returns a Quantity shaped ``(n_subjects,)``, or a
scalar for a single curve. Results default to ng/mL and hours; a user's arrays keep their units.

Rules (the usual NCA conventions, stated once):

* AUC uses the **linear-up / log-down** trapezoid: linear where the concentration rises or is
  flat, logarithmic where it falls (exact for a mono-exponential decline). Window ends that fall
  between samples are interpolated by the same rule. ``rule="linear"`` selects plain
  trapezoids. The arithmetic is :mod:`ketpk.metrics`, shared with the population summary.
* Cmax and Tmax are the highest sampled concentration and its (first) time; a finer time grid
  gives a closer Tmax.
* λz is the least-squares slope of ln C against time over the **last ``points`` samples
  (default 3)**, which must all be positive and lie after Tmax; a subject whose fit fails gets
  NaN and a :class:`~ketpk.KetpkWarning`. Simulate far enough into the terminal phase: for
  multi-compartment models the last hours of a short window are not yet terminal.
* AUC∞ = AUC(0–tlast) + Clast/λz with the sampled Clast; a warning is raised when the
  extrapolated part exceeds 20 %.
* Metabolite/parent ratios and ketamine equivalents are **molar**: ng/mL are converted with
  each analyte's molar mass (ketamine 237.73, norketamine 223.70 g/mol).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import metrics as _metrics
from .errors import KetpkWarning, ParameterError, UnitError
from .metrics import DEFAULT_RULE
from .units import Q_, as_quantity, convert, parse_unit, scalar, to_canonical, to_unit

__all__ = [
    "Curve", "curve", "KETAMINE_EQUIVALENTS", "cmax", "tmax", "auc", "auc_inf", "cavg",
    "lambda_z", "half_life", "time_above", "metabolite_ratio", "metrics", "Metrics",
]

#: Analyte name for parent + norketamine, summed in moles and expressed as ketamine.
KETAMINE_EQUIVALENTS = "ketamine+norketamine"
_MASS_CONC = {"[mass]": 1, "[length]": -3}
_MOLAR_CONC = {"[substance]": 1, "[length]": -3}
_EXTRAPOLATION_LIMIT = 0.20


@dataclass(frozen=True)
class Curve:
    """Concentrations of one analyte on one time grid: ``times`` (T,), ``values`` (S, T).

    ``single`` is True when the source had no subject axis (metrics then return scalars).
    """

    times: Any
    values: Any
    analyte: str | None = None
    single: bool = True

    def _in(self, value: Any, unit: Any) -> Any:
        """``value`` (a concentration Quantity) in ``unit``, across mass↔molar if needed."""
        value = as_quantity(value, "concentration")
        target = parse_unit(unit, "unit").dimensionality
        if value.dimensionality not in (_MASS_CONC, _MOLAR_CONC) or target not in (_MASS_CONC, _MOLAR_CONC):
            raise UnitError(f"concentrations and `unit` must be concentrations, mass or molar (e.g. "
                            f"'100 ng/mL', 'nmol/mL'); got {value:.4g~P} and unit {unit!r}.")
        species = "ketamine" if self.analyte == KETAMINE_EQUIVALENTS else self.analyte
        return convert(value.magnitude, str(value.units), species, unit)

    def convert(self, value: Any) -> Any:
        """A concentration ``value`` in this curve's unit."""
        return self._in(value, self.values.units)

    def to(self, unit: str) -> Curve:
        """The same curve with concentrations in ``unit`` (mass or molar)."""
        return Curve(self.times, self._in(self.values, unit), self.analyte, self.single)

    def _out(self, magnitude: np.ndarray, unit: Any) -> Any:
        return Q_(magnitude[0] if self.single else magnitude, unit)


def _from_result(result: Any, analyte: str, unit: str | None, time_unit: str | None) -> Curve:
    unit = "ng/mL" if unit is None else unit  # an empty string is refused, not read as the default
    times = to_unit(result.times, "h" if time_unit is None else time_unit, "time_unit")
    if analyte == KETAMINE_EQUIVALENTS:
        missing = {"ketamine", "norketamine"} - set(result.analytes)
        if missing:
            raise ParameterError(
                f"ketamine equivalents need ketamine and norketamine; model {result.model_id!r} "
                f"has no {', '.join(sorted(missing))}."
            )
        molar = (result.concentration("ketamine", "umol/L")
                 + result.concentration("norketamine", "umol/L"))
        c = Curve(times, np.atleast_2d(molar.magnitude) * molar.units, analyte, result.single)
        return c.to(unit)
    values = result.concentration(analyte, unit)
    return Curve(times, np.atleast_2d(values.magnitude) * values.units, analyte, result.single)


def _from_arrays(pair: Any, analyte: str | None) -> Curve:
    if not (isinstance(pair, tuple) and len(pair) == 2):
        raise ParameterError(
            "a curve must be a SimulationResult, a (times, concentrations) pair of Quantities, or "
            f"a mapping of analyte to such pairs; got {type(pair).__name__}."
        )
    times, values = (as_quantity(v, n) for v, n in zip(pair, ("times", "concentrations")))
    if times.dimensionality != {"[time]": 1}:
        raise UnitError(f"`times` must be times such as Q_([0, 1, 2], 'h'); got units {times.units}.")
    if values.dimensionality not in (_MASS_CONC, _MOLAR_CONC):
        raise UnitError(f"`concentrations` must be in e.g. ng/mL or nmol/mL; got {values.units}.")
    t = np.asarray(times.magnitude, dtype=float)
    c = np.asarray(values.magnitude, dtype=float)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0) or not np.all(np.isfinite(t)):
        raise ParameterError(f"`times` must be a 1-D, finite, strictly increasing array of at least 2 "
                             f"times; got {np.array2string(t, threshold=8)}. Sort them and drop duplicates (np.unique).")
    if c.ndim not in (1, 2) or c.shape[-1] != t.size:
        raise ParameterError(
            f"`concentrations` must have shape (n_times,) or (n_subjects, n_times) with "
            f"n_times = {t.size}; got {c.shape}."
        )
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        bad = c[~np.isfinite(c) | (c < 0)]
        raise ParameterError(f"`concentrations` must be finite and non-negative; got {np.array2string(bad, threshold=8)}. "
                             "Replace missing samples by dropping their time points.")
    return Curve(Q_(t, times.units), Q_(np.atleast_2d(c), values.units), analyte, c.ndim == 1)


def curve(data: Any, analyte: str = "ketamine", *, unit: str | None = None,
          time_unit: str | None = None) -> Curve:
    """A :class:`Curve` from any supported source (see the module docstring).

    ``unit`` and ``time_unit`` choose the units metrics are reported in (defaults: ng/mL and h
    for results, the user's own units for arrays).
    """
    if isinstance(data, Curve):
        c = data
    elif hasattr(data, "concentrations_umol_per_l"):
        return _from_result(data, analyte, unit, time_unit)
    elif isinstance(data, Mapping):
        if analyte == KETAMINE_EQUIVALENTS:
            c = _sum_equivalents(data)
        elif analyte not in data:
            raise ParameterError(f"`analyte` {analyte!r} is not in the data; it has {list(data)}.")
        else:
            c = _from_arrays(data[analyte], analyte)
    else:
        c = _from_arrays(data, analyte)
    if unit is not None:
        c = c.to(unit)
    if time_unit is not None:
        c = Curve(to_unit(c.times, time_unit, "time_unit"), c.values, c.analyte, c.single)
    return c


def _sum_equivalents(data: Mapping[str, Any]) -> Curve:
    parts = [curve(data, name).to("umol/L") for name in ("ketamine", "norketamine")]
    if parts[0].times.shape != parts[1].times.shape or not np.allclose(
            parts[0].times.magnitude, parts[1].times.to(parts[0].times.units).magnitude):
        raise ParameterError("ketamine and norketamine must share one time grid to be summed.")
    return Curve(parts[0].times, parts[0].values + parts[1].values, KETAMINE_EQUIVALENTS,
                 parts[0].single and parts[1].single)


# -- from curves to the arrays of ketpk.metrics -----------------------------------------------------

def _time_in(value: Any, name: str, unit: Any) -> float:
    """A time argument (Quantity or string) as a float in ``unit``."""
    return float(Q_(to_canonical(value, "[time]", name), "min").to(unit).magnitude)


def _window(c: Curve, start: Any, end: Any, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """Times and values restricted to [start, end], with interpolated end points."""
    t, v = c.times.magnitude, c.values.magnitude
    lo = t[0] if start is None else _time_in(start, "start", c.times.units)
    hi = t[-1] if end is None else _time_in(end, "end", c.times.units)
    if not (t[0] <= lo < hi <= t[-1]):
        raise ParameterError(
            f"the window must satisfy {t[0]:g} <= start < end <= {t[-1]:g} {c.times.units:~P} "
            f"(the sampled range); got start={lo:g}, end={hi:g}. Choose a window inside the "
            "sampled times, or simulate longer."
        )
    return _metrics.window(t, v, lo, hi, rule)


def _lambda_z(c: Curve, points: int) -> np.ndarray:
    lam = _metrics.lambda_z(c.times.magnitude, c.values.magnitude, points)
    failed = np.isnan(lam)
    if np.any(failed):
        warnings.warn(
            f"λz could not be estimated for {np.count_nonzero(failed)} of {failed.size} curve(s): "
            f"the last {points} samples must be positive, after Tmax and declining. Those get NaN; "
            "simulate longer or choose `points`.", KetpkWarning, stacklevel=3)
    return lam


# -- public metrics --------------------------------------------------------------------------------

def cmax(data: Any, analyte: str = "ketamine", **units: Any) -> Any:
    """Highest sampled concentration (in ``unit``, default ng/mL)."""
    c = curve(data, analyte, **units)
    return c._out(_metrics.cmax(c.values.magnitude), c.values.units)


def tmax(data: Any, analyte: str = "ketamine", **units: Any) -> Any:
    """Time of the highest sampled concentration (the first, if several are equal), in ``time_unit`` (default h)."""
    c = curve(data, analyte, **units)
    return c._out(_metrics.tmax(c.times.magnitude, c.values.magnitude), c.times.units)


def auc(data: Any, analyte: str = "ketamine", *, start: Any = None, end: Any = None,
        rule: str = DEFAULT_RULE, **units: Any) -> Any:
    """Area under the curve from ``start`` to ``end`` (default: the sampled range), in
    ``unit``·``time_unit`` (default ng/mL·h); ``rule``: ``"linear-up/log-down"`` or ``"linear"``."""
    c = curve(data, analyte, **units)
    t, v = _window(c, start, end, rule)
    return c._out(_metrics.auc(t, v, rule), c.values.units * c.times.units)


def cavg(data: Any, analyte: str = "ketamine", *, start: Any = None, end: Any = None,
         rule: str = DEFAULT_RULE, **units: Any) -> Any:
    """Average concentration over a window: AUC(start–end) / (end − start), in ``unit``."""
    c = curve(data, analyte, **units)
    t, v = _window(c, start, end, rule)
    return c._out(_metrics.cavg(t, v, rule), c.values.units)


def lambda_z(data: Any, analyte: str = "ketamine", *, points: int = 3, **units: Any) -> Any:
    """Terminal rate constant λz (1/``time_unit``) from the last ``points`` samples (see the module docstring)."""
    c = curve(data, analyte, **units)
    return c._out(_lambda_z(c, points), 1 / c.times.units)


def half_life(data: Any, analyte: str = "ketamine", *, points: int = 3, **units: Any) -> Any:
    """Terminal half-life ln 2 / λz, in ``time_unit`` (default h)."""
    c = curve(data, analyte, **units)
    return c._out(np.log(2) / _lambda_z(c, points), c.times.units)


def auc_inf(data: Any, analyte: str = "ketamine", *, points: int = 3, rule: str = DEFAULT_RULE,
            **units: Any) -> Any:
    """AUC from the first sample to infinity: AUC(0–tlast) + Clast / λz, in ``unit``·``time_unit``."""
    c = curve(data, analyte, **units)
    total, share = _metrics.auc_inf(c.times.magnitude, c.values.magnitude, _lambda_z(c, points), rule)
    if np.any(share > _EXTRAPOLATION_LIMIT):
        warnings.warn(
            f"AUC∞ extrapolates up to {np.nanmax(share):.0%} beyond the last sample (over "
            f"{_EXTRAPOLATION_LIMIT:.0%} is unreliable); simulate longer.", KetpkWarning, stacklevel=2)
    return c._out(total, c.values.units * c.times.units)


def time_above(data: Any, analyte: str = "ketamine", *, threshold: Any, rule: str = DEFAULT_RULE,
               **units: Any) -> Any:
    """Total time the concentration is at or above ``threshold`` (e.g. ``"100 ng/mL"``), in ``time_unit``.

    Crossing times are interpolated by ``rule`` (default linear-up / log-down).
    """
    c = curve(data, analyte, **units)
    thr = scalar(c.convert(threshold).magnitude, "threshold")
    if not (np.isfinite(thr) and thr >= 0):
        raise ParameterError(f"`threshold` must be a finite, non-negative concentration; got "
                             f"{threshold!r}. E.g. threshold='100 ng/mL'.")
    return c._out(_metrics.time_above(c.times.magnitude, c.values.magnitude, thr, rule), c.times.units)


_RATIO_METRICS = {"auc": auc, "auc_inf": auc_inf, "cmax": cmax}


def metabolite_ratio(data: Any, metric: str = "auc", *, metabolite: str = "norketamine",
                     parent: str = "ketamine") -> Any:
    """Molar metabolite/parent ratio of ``metric`` (``"auc"``, ``"auc_inf"`` or ``"cmax"``)."""
    if metric not in _RATIO_METRICS:
        raise ParameterError(f"`metric` must be one of {', '.join(_RATIO_METRICS)}; got {metric!r}.")
    func = _RATIO_METRICS[metric]
    ratio = func(data, metabolite, unit="umol/L") / func(data, parent, unit="umol/L")
    return ratio.to("dimensionless")


class Metrics(dict):
    """A dict of metric name -> Quantity (scalar, or one value per subject) for one analyte,
    with :meth:`to_frame` and a table display."""

    def __init__(self, values: Mapping[str, Any], analyte: str):
        super().__init__(values)
        self.analyte = analyte

    def rows(self) -> list[dict[str, Any]]:
        """One row per subject: ``ID`` (1..n), analyte and each metric (Quantity)."""
        n = np.atleast_1d(next(iter(self.values())).magnitude).size
        return [{"ID": i + 1, "analyte": self.analyte,
                 **{k: v[i] if np.ndim(v.magnitude) else v for k, v in self.items()}} for i in range(n)]

    def to_frame(self) -> Any:
        """A pandas DataFrame (``pip install "ketpk[pandas]"``): one row per subject, units in the
        headers (e.g. ``Cmax [ng/mL]``)."""
        from .frames import records_frame

        return records_frame(self.rows(), {"analyte": self.analyte})

    def __repr__(self) -> str:
        from .display import text_table

        return text_table(self.rows())

    def _repr_html_(self) -> str:
        from .display import html_table

        return html_table(self.rows())


def metrics(data: Any, analyte: str = "ketamine", *, points: int = 3, **units: Any) -> Metrics:
    """Cmax, Tmax, AUC over the sampled range, AUC∞ and t½ of one analyte, as a :class:`Metrics` dict."""
    c = curve(data, analyte, **units)
    return Metrics({
        "Cmax": cmax(c), "Tmax": tmax(c), "AUC": auc(c),
        "AUCinf": auc_inf(c, points=points), "t1/2": half_life(c, points=points),
    }, c.analyte or analyte)
