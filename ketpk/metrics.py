"""Exposure metrics on plain arrays: the one implementation behind every table of ketpk.

:mod:`ketpk.nca` (with units), the streamed population summary (:class:`Running`), the
comparison tables, the effects and the CLI all compute their Cmax, Tmax, AUC, AUC∞, Cavg, t½,
time above a level and percentiles here. Arrays: times ``t`` (T,) sorted, values ``c``
(S, T), one row per subject; results (S,). Units are the caller's: AUC is in (unit of ``c``) ×
(unit of ``t``), times in the unit of ``t``.

AUC rules (:data:`RULES`): ``"linear-up/log-down"`` (default, the usual NCA rule: linear where
the curve rises or is flat, logarithmic where it falls to a positive value; exact for a
mono-exponential decline) and ``"linear"`` (trapezoids). Values between samples (window ends,
threshold crossings) are interpolated by the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import ParameterError

__all__ = ["RULES", "DEFAULT_RULE", "cmax", "tmax", "segments", "auc", "interpolate", "window",
           "cavg", "lambda_z", "auc_inf", "time_above", "check_levels", "percentiles", "Running"]

RULES = ("linear-up/log-down", "linear")
DEFAULT_RULE = "linear-up/log-down"


def _rule(rule: str) -> bool:
    """True for log-down; ParameterError for an unknown rule."""
    if rule not in RULES:
        raise ParameterError(f"`rule` must be one of {RULES}; got {rule!r}.")
    return rule == DEFAULT_RULE


def _log_down(c0: np.ndarray, c1: np.ndarray, rule: str) -> np.ndarray:
    """Where the rule interpolates logarithmically: a fall to a positive value (log-down only)."""
    if not _rule(rule):
        return np.zeros(np.broadcast_shapes(c0.shape, c1.shape), dtype=bool)
    return (c1 < c0) & (c1 > 0)


def cmax(c: np.ndarray) -> np.ndarray:
    """Highest sampled value of each row."""
    return c.max(axis=-1)


def tmax(t: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Time of each row's highest sampled value (the first, if several are equal)."""
    return t[np.argmax(c, axis=-1)]


def _intervals(t: np.ndarray, c: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interval lengths (shaped to broadcast along ``axis``) and the values at each interval's
    start and end: views of ``c`` along its time ``axis``."""
    axis = axis % c.ndim
    dt = np.diff(t).reshape((-1,) + (1,) * (c.ndim - 1 - axis))
    before = (slice(None),) * axis
    return dt, c[before + (slice(None, -1),)], c[before + (slice(1, None),)]


def segments(t: np.ndarray, c: np.ndarray, rule: str = DEFAULT_RULE, axis: int = -1) -> np.ndarray:
    """Area of each sampling interval, time along ``axis`` of ``c``: shape (S, T-1) for (S, T)."""
    dt, c0, c1 = _intervals(t, c, axis)
    area = np.add(c0, c1, dtype=float)
    area *= 0.5 * dt  # = 0.5 * (c0 + c1) * dt to the bit: halving is exact
    down = _log_down(c0, c1, rule)
    if not down.any():
        return area
    # (c0 - c1) / ln(c0 / c1) * dt, with ln(c0 / c1) = log1p((c0 - c1) / c1): accurate to a few
    # units of rounding even where the curve is nearly flat (ln of a ratio near 1 is not).
    with np.errstate(divide="ignore", invalid="ignore"):
        fall = c0 - c1
        log = fall / c1
        np.log1p(log, out=log)
        np.divide(fall, log, out=log)
        log *= dt
    np.copyto(area, log, where=down)
    return area


def auc(t: np.ndarray, c: np.ndarray, rule: str = DEFAULT_RULE, axis: int = -1) -> np.ndarray:
    """Area under each row over the sampled range (time along ``axis``)."""
    return segments(t, c, rule, axis).sum(axis=axis)


def interpolate(t: np.ndarray, c: np.ndarray, x: float, rule: str = DEFAULT_RULE) -> np.ndarray:
    """Each row's value at time ``x`` (within the sampled range) by the rule, shape (S,)."""
    i = int(np.clip(np.searchsorted(t, x, side="right") - 1, 0, t.size - 2))
    f = (x - t[i]) / (t[i + 1] - t[i])
    c0, c1 = c[..., i], c[..., i + 1]
    down = _log_down(c0, c1, rule)
    with np.errstate(divide="ignore", invalid="ignore"):
        log = c0 * (c1 / c0) ** f
    return np.where(down, log, c0 + f * (c1 - c0))


def window(t: np.ndarray, c: np.ndarray, lo: float, hi: float,
           rule: str = DEFAULT_RULE) -> tuple[np.ndarray, np.ndarray]:
    """Times and values restricted to [lo, hi] (``t[0] <= lo < hi <= t[-1]``), ends interpolated."""
    inside = (t > lo) & (t < hi)
    times = np.concatenate([[lo], t[inside], [hi]])
    values = np.column_stack([interpolate(t, c, lo, rule), c[:, inside], interpolate(t, c, hi, rule)])
    return times, values


def cavg(t: np.ndarray, c: np.ndarray, rule: str = DEFAULT_RULE) -> np.ndarray:
    """Average over the sampled range: AUC / (t[-1] - t[0])."""
    return auc(t, c, rule) / (t[-1] - t[0])


def lambda_z(t: np.ndarray, c: np.ndarray, points: int = 3) -> np.ndarray:
    """Terminal rate constant (1 / unit of ``t``): least-squares slope of -ln c over the last
    ``points`` samples. NaN for a row whose last samples are not all positive, after its Tmax
    and declining. Half-life is ``ln 2 / lambda_z``."""
    if not isinstance(points, (int, np.integer)) or points < 2 or points > t.size:
        raise ParameterError(f"`points` must be a whole number from 2 to {t.size}; got {points!r}.")
    x, y = t[-points:], c[:, -points:]
    valid = np.all(y > 0, axis=1) & (np.argmax(c, axis=1) < t.size - points)
    logs = np.log(np.where(y > 0, y, 1.0))
    xc = x - x.mean()
    lam = -(logs @ xc) / (xc @ xc)
    return np.where(valid & (lam > 0), lam, np.nan)


def auc_inf(t: np.ndarray, c: np.ndarray, lam: np.ndarray,
            rule: str = DEFAULT_RULE) -> tuple[np.ndarray, np.ndarray]:
    """AUC to infinity, AUC(t[0]–t[-1]) + c_last / ``lam``, and the extrapolated share of it."""
    observed = auc(t, c, rule)
    extra = c[:, -1] / lam
    total = observed + extra
    with np.errstate(invalid="ignore", divide="ignore"):
        return total, extra / total


def time_above(t: np.ndarray, c: np.ndarray, level: float, rule: str = DEFAULT_RULE) -> np.ndarray:
    """Total time each row spends at or above ``level``, crossing times interpolated by the rule."""
    dt, c0, c1 = np.diff(t), c[..., :-1], c[..., 1:]
    above0, above1 = c0 >= level, c1 >= level
    down = _log_down(c0, c1, rule)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(down, np.log(level / c0) / np.log(c1 / c0), (level - c0) / (c1 - c0))
    crossing = np.clip(np.nan_to_num(frac), 0.0, 1.0) * dt
    time = np.where(above0 & above1, dt, np.where(above0, crossing, np.where(above1, dt - crossing, 0.0)))
    return time.sum(axis=-1)


def check_levels(q: Any, name: str = "q") -> tuple[float, ...]:
    """Percentile levels: one number or a sequence of numbers in [0, 100], as floats; anything
    else (``"median"``, 150, NaN, an empty list) raises ParameterError naming ``name``."""
    levels = (q,) if isinstance(q, (int, float, np.number)) else q
    fix = f"Give percentiles in 0-100, e.g. {name}=(5, 50, 95) (the median is 50)."
    if isinstance(levels, (str, bytes)) or not isinstance(levels, (Sequence, np.ndarray)) or len(levels) == 0:
        raise ParameterError(f"`{name}` must be a number or a non-empty sequence of numbers; got {q!r}. {fix}")
    out = []
    for value in levels:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
            raise ParameterError(f"`{name}` must hold numbers; got {value!r} in {q!r}. {fix}")
        if not (math.isfinite(value) and 0 <= value <= 100):
            raise ParameterError(f"`{name}` must be in 0-100; got {value!r}. {fix}")
        out.append(float(value))
    return tuple(out)


def percentiles(values: np.ndarray, q: Sequence[float], axis: int = 0,
                overwrite: bool = False) -> np.ndarray:
    """Percentiles ``q`` (0-100) along ``axis`` (subjects) of ``values``: shape (len(q), *the
    other axes), e.g. (len(q), T) for (S, T) values. Equal to ``np.percentile`` (its default
    linear method, computed the same way from the same order statistics), read off one sort:
    numpy's vectorised sort is faster than its partition at several levels at once.
    ``overwrite=True`` sorts a float ``values`` array in place (no copy)."""
    values = np.asarray(values, dtype=float)
    axis = axis % values.ndim
    n = values.shape[axis]
    if n == 0:
        raise ParameterError("percentiles need at least one value along `axis`; got none.")
    virtual = (n - 1) * (np.asarray(q, dtype=float) / 100)
    below = np.floor(virtual).astype(np.intp)
    above = below + 1
    top = virtual >= n - 1  # np.percentile takes the largest value there, gamma from index -1
    below[top] = above[top] = -1
    if overwrite:
        values.sort(axis=axis)
        part = values
    else:
        part = np.sort(values, axis=axis)
    shape = (-1,) + (1,) * (values.ndim - 1)
    gamma = (virtual - below).reshape(shape)
    a = np.moveaxis(part.take(below, axis=axis), axis, 0)
    b = np.moveaxis(part.take(above, axis=axis), axis, 0)
    diff = b - a  # numpy's lerp: a + diff * gamma, or b - diff * (1 - gamma) from gamma 0.5
    result = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=result, where=gamma >= 0.5)
    last = part.take(n - 1, axis=axis)  # NaNs sort last: a slice holding one gives NaN
    np.copyto(result, last, where=np.isnan(last))
    return result


class Running:
    """Cmax, Tmax and AUC of S curves that arrive in blocks of consecutive times.

    Folding in every block gives :func:`cmax`, :func:`tmax` and :func:`auc` of the whole curve
    (the AUC to rounding: the same segments, summed in blocks).
    """

    def __init__(self, n: int, rule: str = DEFAULT_RULE):
        _rule(rule)
        self.rule = rule
        self.cmax = np.full(n, -np.inf)
        self.tmax = np.full(n, np.nan)
        self.auc = np.zeros(n)
        self._last: tuple[np.ndarray, float] | None = None

    def update(self, values: np.ndarray, times: np.ndarray, axis: int = -1) -> None:
        """Fold in a block: ``values`` at ``times`` (TB,), after the previous block's; the
        times run along ``axis``: (S, TB) for -1, (TB, S) for 0."""
        axis = axis % 2
        peak = values.max(axis=axis)
        higher = peak > self.cmax
        if higher.any():  # the time of the first maximum, for the subjects whose peak is new
            first = np.argmax(values.compress(higher, axis=1 - axis), axis=axis)
            self.cmax[higher] = peak[higher]
            self.tmax[higher] = times[first]
        if self._last is not None:  # the interval from the previous block's last time
            last, t_last = self._last
            self.auc += segments(np.array([t_last, times[0]]),
                                 np.column_stack([last, values.take(0, axis=axis)]), self.rule)[:, 0]
        self.auc += auc(times, values, self.rule, axis)
        self._last = (values.take(-1, axis=axis), float(times[-1]))
