""":class:`TCIResult`: the computed pump schedule, its targets and predictions, with units."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..fileio import write_csv
from ..regimen import Infusion, Regimen
from ..result import provenance
from ..units import Q_, convert, to_unit

__all__ = ["TCIResult"]


@dataclass(frozen=True, eq=False)
class TCIResult:
    """A target-controlled infusion schedule for one subject or a batch.

    Arrays over subjects have a leading subject axis, dropped for one :class:`~ketpk.Subject`
    (or none). ``times_min`` (K + 1,) are the pump update times from 0 to the end;
    ``rates_mg_per_min`` (S, K) the rate over each interval (mg/min of ketamine base);
    ``plasma_umol`` and ``effect_umol`` (S, K + 1) the model's predictions (µmol/L) at the update
    times; ``target_umol`` (K,) the target in force over each interval; ``steps`` the target
    schedule as ``(time min, target µmol/L)`` pairs.
    """

    model: Any
    subject: Any
    single: bool
    analyte: str
    effect_analyte: str | None
    site: str
    interval_min: float
    times_min: np.ndarray
    steps: tuple[tuple[float, float], ...]
    target_umol: np.ndarray
    rates_mg_per_min: np.ndarray
    max_rate_mg_per_min: np.ndarray
    plasma_umol: np.ndarray
    effect_umol: np.ndarray | None
    concentration: Any = None

    @property
    def n_subjects(self) -> int:
        """Number of subjects (schedules)."""
        return self.rates_mg_per_min.shape[0]

    @property
    def times(self):
        """Pump update times, a Quantity in min (K + 1 values, the last is the end)."""
        return Q_(self.times_min, "min")

    def _squeeze(self, values: np.ndarray) -> np.ndarray:
        return values[0] if self.single else values

    def rates(self, unit: str = "mg/h"):
        """Rate over each update interval in ``unit`` (mass rate, or mL/h with a syringe
        concentration), shape (K,) or (S, K)."""
        values = Q_(self._squeeze(self.rates_mg_per_min), "mg/min")
        if Q_(1, unit).check("[length] ** 3 / [time]"):
            if self.concentration is None:
                raise ParameterError("rates in a volume unit need the syringe `concentration` "
                                     "(e.g. concentration='10 mg/mL' in target_infusion).")
            values = values / self.concentration
        return to_unit(values, unit, "unit", "a rate unit such as 'mg/h' or 'mL/h'")

    def target(self, unit: str = "ng/mL"):
        """The target in force over each update interval, shape (K,)."""
        return convert(self.target_umol, "umol/L", self.analyte, unit)

    def predicted(self, site: str = "plasma", unit: str = "ng/mL"):
        """Predicted concentration at the update times (K + 1,) or (S, K + 1) at ``site``
        (``"plasma"`` or ``"effect"``)."""
        if site == "plasma":
            return convert(self._squeeze(self.plasma_umol), "umol/L", self.analyte, unit)
        if site != "effect":
            raise ParameterError(f"`site` must be 'plasma' or 'effect'; got {site!r}.")
        if self.effect_umol is None:
            raise ParameterError("no effect site was computed; pass `ke0` to target_infusion.")
        return convert(self._squeeze(self.effect_umol), "umol/L", self.analyte, unit)

    def total_amount(self):
        """Amount infused over the schedule, a Quantity in mg ((S,) for a batch)."""
        return Q_(self._squeeze(self.rates_mg_per_min.sum(axis=1) * self.interval_min), "mg")

    def segments(self, index: int = 0) -> list[tuple[float, float, float]]:
        """Runs of one rate for subject ``index``: ``(start min, end min, rate mg/min)``; pauses
        (rate 0) included."""
        rates = self.rates_mg_per_min[index]
        change = np.flatnonzero(np.diff(rates) != 0) + 1
        bounds = np.concatenate([[0], change, [len(rates)]])
        return [(float(self.times_min[a]), float(self.times_min[b]), float(rates[a]))
                for a, b in zip(bounds[:-1], bounds[1:])]

    def regimen_of(self, index: int) -> Regimen:
        """The schedule of subject ``index`` as a plain :class:`~ketpk.Regimen` of IV infusions."""
        if not 0 <= index < self.n_subjects:
            raise ParameterError(f"`index` must be in 0..{self.n_subjects - 1}; got {index}.")
        return Regimen([Infusion(Q_(start, "min"), rate=Q_(rate * 60.0, "mg/h"),
                                 duration=Q_(end - start, "min"))
                        for start, end, rate in self.segments(index) if rate > 0])

    @property
    def regimen(self) -> Regimen:
        """The schedule as a plain Regimen (one subject; for a batch use :meth:`regimen_of`)."""
        if self.n_subjects != 1:
            raise ParameterError(f"this result holds {self.n_subjects} schedules; take one with "
                                 "regimen_of(index).")
        return self.regimen_of(0)

    def simulate(self, times: Any = None, *, subjects: Any = None, record: str = "plasma"):
        """Simulate the schedule (one subject) with :func:`ketpk.simulate` (model with the effect
        site); ``times`` default: the update times; ``subjects`` default: the TCI subject."""
        from ..simulate import simulate

        return simulate(self.model, self.regimen, self.times if times is None else times,
                        subjects=self.subject if subjects is None else subjects, record=record)

    def table(self, index: int = 0, unit: str = "ng/mL") -> list[dict[str, Any]]:
        """One row per run of one rate: start, end (min), rate (mg/h, and mL/h with a syringe
        concentration) and the target at the start."""
        rows = []
        for start, end, rate in self.segments(index):
            k = int(round(start / self.interval_min))
            row = {"start [min]": start, "end [min]": end, "rate [mg/h]": rate * 60.0}
            if self.concentration is not None:
                row["rate [mL/h]"] = float((Q_(rate, "mg/min") / self.concentration).to("mL/h").magnitude)
            row[f"target [{unit}]"] = float(f"{self.target(unit).magnitude[k]:.12g}")  # no 0.99999…
            rows.append(row)
        return rows

    def to_csv(self, path: str | os.PathLike, *, unit: str = "ng/mL") -> None:
        """Write subject, update time, rate over the next interval, target and predictions."""
        predicted = {"plasma": np.atleast_2d(self.predicted("plasma", unit).magnitude)}
        if self.effect_umol is not None:
            predicted["effect"] = np.atleast_2d(self.predicted("effect", unit).magnitude)
        target = self.target(unit).magnitude
        rates = self.rates_mg_per_min * 60.0
        K = len(target)
        rows = ([s, f"{t:.10g}", f"{rates[s, k]:.10g}" if k < K else "",
                 f"{target[k]:.10g}" if k < K else "", *(f"{p[s, k]:.10g}" for p in predicted.values())]
                for s in range(self.n_subjects) for k, t in enumerate(self.times_min))
        header = ["subject", "time [min]", "rate [mg/h]", f"target [{unit}]",
                  *(f"{self.analyte} {site} [{unit}]" for site in predicted)]
        write_csv(path, header, rows, provenance={**provenance(self.model, "tci", None),
                                                  "site": self.site, "interval [min]": self.interval_min,
                                                  "citation": self.model.citation})

    def to_frame(self, *, unit: str = "ng/mL", time_unit: str = "min", wide: bool = False) -> Any:
        """A pandas DataFrame (``pip install "ketpk[pandas]"``) at the update times: ``ID`` (1..n),
        ``time``, and as analytes the predicted plasma (and effect-site) concentration, the
        target and the rate (mg/h) over the interval that starts then (NaN at the end time).
        Long, or ``wide``; provenance in ``frame.attrs``."""
        from ..frames import curves_frame

        n, size = self.n_subjects, self.times_min.size
        tail = np.full((n, 1), np.nan)
        series = [(f"{self.analyte} plasma", unit,
                   np.atleast_2d(self.predicted("plasma", unit).magnitude).ravel())]
        if self.effect_umol is not None:
            series.append((f"{self.analyte} effect", unit,
                           np.atleast_2d(self.predicted("effect", unit).magnitude).ravel()))
        target = np.tile(self.target(unit).magnitude, (n, 1))
        series += [("target", unit, np.hstack([target, tail]).ravel()),
                   ("rate", "mg/h", np.hstack([self.rates_mg_per_min * 60.0, tail]).ravel())]
        times = convert(self.times_min, "min", None, time_unit, name="time_unit").magnitude
        keys = {"ID": np.repeat(np.arange(1, n + 1), size), "time": np.tile(times, n)}
        attrs = {**provenance(self.model, "tci", None), "citation": str(self.model.citation),
                 "site": self.site, "interval_min": self.interval_min, "time_unit": time_unit}
        return curves_frame(keys, series, attrs, wide)

    def plot(self, *, unit: str = "ng/mL", time_unit: str = "min", index: int = 0) -> Any:
        """Target, predicted plasma and effect-site concentrations, and the rate underneath."""
        from .plot import plot_tci

        return plot_tci(self, unit=unit, time_unit=time_unit, index=index)

    def performance(self, population: Any, **options: Any) -> Any:
        """Give this (typical-subject) schedule to ``population``; see :func:`ketpk.tci.performance`."""
        from .performance import performance

        return performance(self, population, **options)
