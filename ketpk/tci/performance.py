"""How a typical-subject TCI schedule performs in a population (Varvel 1992 measures).

The schedule computed for the typical subject is given unchanged to every subject of a sampled
population; each subject's concentration at the targeted site is compared with the typical
prediction (the concentration the TCI system "believes"). Per subject, with the performance
error PE = (C − C_pred) / C_pred × 100 % at the evaluation times (Varvel JR, Donoho DL, Shafer
SL. Measuring the predictive performance of computer-controlled infusion pumps.
J Pharmacokinet Biopharm 1992;20(1):63-94, doi:10.1007/BF01143186):

* MDPE = median(PE) (bias), MDAPE = median(|PE|) (inaccuracy),
* divergence = least-squares slope of |PE| against time (% per hour),
* wobble = median(|PE − MDPE|) (intra-subject variability).

Here C is the model's individual prediction without residual (assay) error, so the measures show
pharmacokinetic variability only. Times where the prediction is zero (a zero target) are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import metrics
from ..errors import ParameterError
from ..units import convert

__all__ = ["performance", "TCIPerformance", "varvel"]

_MEASURES = ("MDPE", "MDAPE", "divergence", "wobble")


def varvel(achieved: np.ndarray, predicted: np.ndarray, times_min: np.ndarray) -> dict[str, np.ndarray]:
    """Varvel's measures per subject from ``achieved`` (N, T) and ``predicted`` (T,) > 0 at
    ``times_min`` (T,): MDPE, MDAPE, wobble (%) and divergence (%/h), each (N,)."""
    pe = (achieved - predicted) / predicted * 100.0
    mdpe = np.median(pe, axis=1)
    hours = times_min / 60.0
    centred = hours - hours.mean()
    spread = float(centred @ centred)
    slope = (np.abs(pe) @ centred) / spread if spread > 0 else np.full(len(pe), np.nan)
    return {"MDPE": mdpe, "MDAPE": np.median(np.abs(pe), axis=1),
            "divergence": slope, "wobble": np.median(np.abs(pe - mdpe[:, None]), axis=1)}


@dataclass(frozen=True, eq=False)
class TCIPerformance:
    """Achieved concentrations of a population under one TCI schedule, and Varvel's measures.

    ``achieved_umol`` (len(q), T) are percentiles over subjects at ``times_min``; ``predicted_umol``
    (T,) the typical prediction; ``measures`` maps MDPE, MDAPE, wobble (%) and divergence (%/h)
    to per-subject arrays.
    """

    analyte: str
    site: str
    times_min: np.ndarray
    q: tuple[float, ...]
    achieved_umol: np.ndarray
    predicted_umol: np.ndarray
    measures: dict[str, np.ndarray]

    @property
    def n_subjects(self) -> int:
        """Number of subjects."""
        return len(self.measures["MDPE"])

    def achieved(self, unit: str = "ng/mL"):
        """Percentile curves (len(q), T) as a Quantity."""
        return convert(self.achieved_umol, "umol/L", self.analyte, unit)

    def summary(self, q: Sequence[float] = (5, 50, 95)) -> dict[str, tuple[float, ...]]:
        """Each measure's percentiles over subjects (% or %/h)."""
        return {name: tuple(float(v) for v in np.percentile(self.measures[name], q)) for name in _MEASURES}

    def describe(self) -> str:
        """A short text: the measures' median and 5th-95th percentiles over subjects."""
        lines = [f"TCI performance in {self.n_subjects} subjects ({self.analyte}, {self.site}; "
                 "Varvel 1992, model variability only)"]
        for name, (lo, mid, hi) in self.summary().items():
            unit = "%/h" if name == "divergence" else "%"
            lines.append(f"  {name:<10} median {mid:8.2f} {unit}   5-95%: {lo:.2f} to {hi:.2f}")
        return "\n".join(lines)


def performance(result: Any, population: Any, *, q: Sequence[float] = (5, 50, 95)) -> TCIPerformance:
    """Give ``result``'s schedule (one typical subject) to ``population`` and measure it at
    every update time after the first interval.

    Parameters
    ----------
    result : TCIResult
        A single-subject schedule from :func:`ketpk.tci.target_infusion`.
    population : Population or list of Subject
        Who receives it (e.g. ``ketpk.population.sample(model, 500, seed=1)``).
    q : percentiles of the achieved concentrations (default 5, 50, 95).

    Each subject's concentrations are propagated exactly over the update intervals with their own
    model (the same one-interval response as the TCI itself); ``result.regimen`` simulated with
    :func:`ketpk.simulate` gives the same values.
    """
    from .algorithm import interval_response, propagate
    from .system import batch_system

    if not all(hasattr(result, a) for a in ("n_subjects", "rates_mg_per_min", "interval_min")):  # a TCIResult
        raise ParameterError(f"`result` must be a TCIResult from ketpk.tci.target_infusion; got "
                             f"{type(result).__name__}.")
    q = metrics.check_levels(q)
    if result.n_subjects != 1:
        raise ParameterError("`performance` gives one schedule to a population; compute the TCI "
                             "for one (typical) subject.")
    analyte = result.analyte if result.site == "plasma" else result.effect_analyte
    batch, system, b = batch_system(result.model, population)
    E, g = interval_response(system.A, b, result.interval_min)
    rates = np.broadcast_to(result.rates_mg_per_min[0], (batch.n, len(result.target_umol)))
    path = propagate(E, g, np.ascontiguousarray(rates))
    achieved = np.einsum("si,ski->sk", system.observe[analyte], path)[:, 1:]
    typical = result.plasma_umol if result.site == "plasma" else result.effect_umol
    predicted = typical[0, 1:]
    minutes = result.times_min[1:]
    used = predicted > 1e-9 * predicted.max() if predicted.max() > 0 else np.zeros(len(predicted), bool)
    if used.sum() < 2:
        raise ParameterError("the schedule predicts no concentration at two or more update times; "
                             "give targets above zero.")
    return TCIPerformance(
        analyte=result.analyte, site=result.site, times_min=minutes, q=tuple(q),
        achieved_umol=np.percentile(achieved, q, axis=0), predicted_umol=predicted,
        measures=varvel(achieved[:, used], predicted[used], minutes[used]),
    )
