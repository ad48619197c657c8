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
from bisect import bisect_right
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
    down = np.less(c1, c0)
    if not np.min(c1, initial=np.inf) > 0:  # the usual curve is positive: one pass spared
        down &= c1 > 0
    return down


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
    return _areas(dt, c0, c1, _rule(rule), np.empty(np.broadcast_shapes(c0.shape, c1.shape)))


def _areas(dt: np.ndarray, c0: np.ndarray, c1: np.ndarray, log_down: bool, out: np.ndarray,
           work: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The areas of intervals of lengths ``dt`` from values ``c0`` to ``c1``, written into
    ``out`` (float, their shape); ``work``: two float scratch arrays of that shape (default:
    allocated), so that a caller folding many blocks allocates nothing per block."""
    np.add(c0, c1, out=out, dtype=float)
    out *= 0.5 * dt  # = 0.5 * (c0 + c1) * dt to the bit: halving is exact
    if not log_down:
        return out
    down = _log_down(c0, c1, DEFAULT_RULE)
    if not down.any():
        return out
    fall, log = work if work is not None else (np.empty_like(out), np.empty_like(out))
    # (c0 - c1) / ln(c0 / c1) * dt, with ln(c0 / c1) = log1p((c0 - c1) / c1): accurate to a few
    # units of rounding even where the curve is nearly flat (ln of a ratio near 1 is not).
    with np.errstate(divide="ignore", invalid="ignore"):
        np.subtract(c0, c1, out=fall)
        np.divide(fall, c1, out=log)
        np.log1p(log, out=log)
        np.divide(fall, log, out=log)
        log *= dt
    np.copyto(out, log, where=down)
    return out


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
    linear method, computed the same way from the same order statistics), read off
    :func:`_order_statistics`. ``overwrite=True`` reorders a float ``values`` array in place
    (no copy)."""
    values = np.asarray(values, dtype=float)
    axis = axis % values.ndim
    n = values.shape[axis]
    if n == 0:
        raise ParameterError("percentiles need at least one value along `axis`; got none.")
    virtual = (n - 1) * (np.asarray(q, dtype=float) / 100)
    below = np.floor(virtual).astype(np.intp)
    above = below + 1
    top = virtual >= n - 1  # np.percentile takes the largest value there, gamma from index -1
    below[top] = above[top] = n - 1
    lanes = np.moveaxis(values if overwrite else values.copy(), axis, -1)
    order, nan = _order_statistics(lanes, np.union1d(below, above))
    shape = (-1,) + (1,) * (values.ndim - 1)
    gamma = (virtual - np.where(top, -1, below)).reshape(shape)
    a, b = np.stack([order[k] for k in below]), np.stack([order[k] for k in above])
    diff = b - a  # numpy's lerp: a + diff * gamma, or b - diff * (1 - gamma) from gamma 0.5
    result = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=result, where=gamma >= 0.5)
    result[:, nan] = np.nan  # as np.percentile: a lane holding a NaN gives NaN
    return result


def _order_statistics(lanes: np.ndarray, ks: np.ndarray) -> tuple[dict[int, np.ndarray], np.ndarray]:
    """The ``ks``-th smallest values (sorted unique indices) of each lane (last axis) of
    ``lanes``, which are reordered in place, and where a lane holds a NaN. Partitions at one
    index at a time (numpy's vectorised selection; several indices at once take its much
    slower generic path), each within the range its neighbours left; an index just above a
    partitioned one is the minimum of the rest of that range."""
    n = lanes.shape[-1]
    pivots: list[int] = []
    for k in map(int, ks):  # partition at every index but one just above a pivot
        if not pivots or pivots[-1] != k - 1:
            pivots.append(k)
    order: dict[int, np.ndarray] = {}
    ranges = [(0, n, pivots)]
    while ranges:  # bisect: the middle pivot of each range first
        lo, hi, inside = ranges.pop()
        if not inside:
            continue
        mid = len(inside) // 2
        k = inside[mid]
        lanes[..., lo:hi].partition(k - lo, axis=-1)
        order[k] = lanes[..., k].copy()
        ranges += [(lo, k, inside[:mid]), (k + 1, hi, inside[mid + 1:])]
    bounds = sorted(order) + [n]
    for k in ks:
        k = int(k)
        if k not in order:  # k - 1 is a pivot: k's value is the smallest above it
            stop = bounds[bisect_right(bounds, k)]
            order[k] = lanes[..., k:stop].min(axis=-1)
    nan = np.isnan(lanes[..., max(pivots):]).any(axis=-1)  # NaNs partition last
    return order, nan


_SLICE = 16384  # subjects folded at once by Running.update: its temporaries stay in cache


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
        self._work: tuple[np.ndarray, ...] = (np.empty((0, _SLICE)),) * 3  # scratch of _areas

    def update(self, values: np.ndarray, times: np.ndarray, axis: int = -1) -> None:
        """Fold in a block: ``values`` at ``times`` (TB,), after the previous block's; the
        times run along ``axis``: (S, TB) for -1, (TB, S) for 0 (the faster layout)."""
        rows = values if axis % 2 == 0 else values.T  # (TB, S)
        for s0 in range(0, rows.shape[1], _SLICE):
            self._fold(rows[:, s0:s0 + _SLICE], times, slice(s0, s0 + _SLICE))
        self._last = (rows[-1].copy(), float(times[-1]))

    def _fold(self, rows: np.ndarray, times: np.ndarray, at: slice) -> None:
        """Fold the block ``rows`` (TB, s) of the subjects ``at``."""
        peak = rows.max(axis=0)
        cmax = self.cmax[at]
        higher = peak > cmax
        if higher.any():  # the time of the first maximum, for the subjects whose peak is new
            first = np.argmax(rows == peak, axis=0)  # on booleans: cheaper than on the values
            cmax[higher] = peak[higher]
            self.tmax[at][higher] = times[first[higher]]
        auc, log_down = self.auc[at], self.rule == DEFAULT_RULE
        if self._last is not None:  # the interval from the previous block's last time
            last, t_last = self._last
            auc += _areas(times[0] - t_last, last[at], rows[0], log_down, np.empty(rows.shape[1]))
        if len(times) < 2:
            return
        shape = (len(times) - 1, rows.shape[1])
        if self._work[0].shape[0] < shape[0]:
            self._work = tuple(np.empty((shape[0], _SLICE)) for _ in range(3))
        out, *work = (w[:shape[0], :shape[1]] for w in self._work)
        dt, c0, c1 = _intervals(times, rows, 0)
        auc += _areas(dt, c0, c1, log_down, out, tuple(work)).sum(axis=0)
