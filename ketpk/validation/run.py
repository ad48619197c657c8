"""Simulate every applicable registry study with a model; compare with the observed bands.

The prediction is the model's typical subject at the study's weight (and age), without
residual error: a population model's typical curve, compared with the published spread of
the study's subjects (``Statistic.band``).
"""

from __future__ import annotations

import math
import statistics
import warnings
from dataclasses import dataclass

import numpy as np

from .. import metrics, models
from ..errors import ParameterError
from ..regimen import Bolus, Infusion, Regimen
from ..subject import Subject
from .registry import STUDIES
from .studies import SITE_FACTOR, Observation, Study

__all__ = ["ValidationRow", "Validation", "validate", "predict"]

#: Weight range (kg) assumed for a model that states none: adults.
ADULT_WEIGHT = (50.0, 100.0)
_HORIZON_MIN = 120 * 60.0
_CONCENTRATION = ("cmax", "conc", "auc")


@dataclass(frozen=True, slots=True)
class ValidationRow:
    """One observation against one model: predicted, observed (same unit), band and verdict."""

    model: str
    study: Study
    observation: Observation
    predicted: float
    low: float
    high: float
    band: str

    @property
    def observed(self) -> float:
        """The published central value (mean, geometric mean, median or point)."""
        return self.observation.stat.value

    @property
    def ratio(self) -> float:
        """predicted / observed."""
        return self.predicted / self.observed

    @property
    def passed(self) -> bool:
        """Whether the prediction lies inside the band."""
        return self.low <= self.predicted <= self.high


@dataclass(frozen=True, slots=True)
class Validation:
    """All rows of one model, the studies it could not simulate (with why), per-route medians."""

    model: str
    rows: tuple[ValidationRow, ...]
    skipped: tuple[tuple[str, str], ...]

    def median_abs_log_ratio(self, route: str | None = None, *, metrics=_CONCENTRATION) -> float:
        """Median |ln(predicted/observed)| over the compared rows (of ``route``; cmax, conc,
        auc by default: concentration exposure, not Tmax, F or CL); nan if none."""
        values = [abs(math.log(r.ratio)) for r in self.rows
                  if (route is None or r.study.route == route) and r.observation.metric in metrics]
        return statistics.median(values) if values else float("nan")

    @property
    def routes(self) -> tuple[str, ...]:
        """Routes with at least one compared row, in registry order."""
        return tuple(dict.fromkeys(r.study.route for r in self.rows))


def _model_analyte(model, analyte: str) -> str | None:
    """The model output that is ``analyte`` (esketamine models call S-ketamine 'ketamine')."""
    if model.drug == "esketamine":
        analyte = {"s_ketamine": "ketamine", "s_norketamine": "norketamine"}.get(analyte, "")
    return analyte or None


def _why_not(model, study: Study) -> str:
    """Why ``model`` cannot simulate ``study`` ('' if it can)."""
    if model.drug != study.drug:
        return f"drug {study.drug}, model {model.drug}"
    missing = sorted({d.route for d in study.regimen} - set(model.routes))
    if missing:
        return f"model has no route {', '.join(missing)}"
    low, high = model.covariate_range.get("weight", ADULT_WEIGHT)
    if not ((low is None or low <= study.weight_kg) and (high is None or study.weight_kg <= high)):
        return f"study weight {study.weight_kg:g} kg outside the model's {low}-{high} kg"
    age = model.covariate_range.get("age")
    if age and not ((age[0] is None or age[0] <= study.age_y) and (age[1] is None or study.age_y <= age[1])):
        return f"study age {study.age_y:g} y outside the model's {age[0]}-{age[1]} y"
    return ""


def _grid(study: Study) -> np.ndarray:
    extra = [60 * (o.time_h + o.origin_h) for o in study.observations if o.time_h is not None]
    extra += [60 * (o.first_h + o.origin_h) for o in study.observations]
    return np.unique(np.concatenate([np.arange(0, 120, 0.25), np.arange(120, 1440, 2.0),
                                     np.arange(1440, _HORIZON_MIN + 1, 30.0), extra]))


def _curves(model, regimen, study: Study, t: np.ndarray) -> dict[str, np.ndarray]:
    subject = Subject(weight=f"{study.weight_kg} kg", age=f"{study.age_y} year")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ..simulate import simulate
        from ..units import Q_

        res = simulate(model, regimen, Q_(t, "min"), subjects=subject)
    return {a: res.concentration(a, "ng/mL").magnitude for a in res.analytes}


def _peak(t: np.ndarray, c: np.ndarray) -> tuple[float, float]:
    """(time min, concentration) of the largest ``c``: the vertex of the parabola through the
    grid maximum and its two neighbours when it is an interior maximum (so the peak moves
    smoothly with the parameters), else the grid point (a peak at the window's first sample)."""
    k = int(np.argmax(c))
    if 0 < k < c.size - 1 and np.isfinite(c[k - 1]) and np.isfinite(c[k + 1]):
        (t0, t1, t2), (c0, c1, c2) = t[k - 1:k + 2], c[k - 1:k + 2]
        a = ((c2 - c1) / (t2 - t1) - (c1 - c0) / (t1 - t0)) / (t2 - t0)
        if a < 0:
            b = (c1 - c0) / (t1 - t0) - a * (t0 + t1)
            vertex = min(max(-b / (2 * a), t0), t2)
            return vertex, float(max(c1, c0 + (vertex - t0) * ((c1 - c0) / (t1 - t0) + a * (vertex - t1))))
    return float(t[k]), float(c[k])


def _auc(t_min: np.ndarray, c: np.ndarray, end_min: float | None) -> float:
    """AUC in ng·h/mL from 0 to ``end_min`` (None: to infinity, log-linear tail)."""
    if end_min is not None:
        keep = t_min <= end_min + 1e-9
        return float(metrics.auc(t_min[keep], c[keep], rule="linear")) / 60
    total = float(metrics.auc(t_min, c, rule="linear"))
    if c[-1] > 0 and c[-2] > c[-1]:
        lam = math.log(c[-2] / c[-1]) / (t_min[-1] - t_min[-2])
        total += c[-1] / lam
    return total / 60


def _iv_twin(regimen) -> Regimen:
    """The same doses as IV boluses (for F: AUC ratio to IV)."""
    return Regimen([Bolus(d.time, d.amount, "iv") if isinstance(d, Bolus) else
                    Infusion(d.start, amount=d.amount, rate=d.rate, duration=d.duration)
                    for d in regimen])


def _enantiomer_dose_mg(model, study: Study, analyte: str) -> float:
    total = study.regimen.total_amount(Subject(weight=f"{study.weight_kg} kg")).to("mg").magnitude
    return total / 2 if model.drug == "racemic" and analyte.startswith(("s_", "r_")) else total


def predict(model, study: Study, observation: Observation, cache: dict) -> float | None:
    """The model's typical-subject value of ``observation`` (its unit); None if not available."""
    name = _model_analyte(model, observation.analyte)
    t = _grid(study)
    if "main" not in cache:
        cache["main"] = _curves(model, study.regimen, study, t)
    curves = cache["main"]
    if name not in curves:
        return None
    c = curves[name]
    o = observation
    start = 60 * (o.origin_h + o.first_h)
    end = None if o.time_h is None else 60 * (o.origin_h + o.time_h)
    if o.metric == "conc":
        return float(np.interp(end, t, c))
    if o.metric in ("cmax", "tmax"):
        window = (t >= start - 1e-9) & (t <= (end if end is not None else t[-1]) + 1e-9)
        t_peak, c_peak = _peak(t, np.where(window, c, -np.inf))
        return c_peak if o.metric == "cmax" else (t_peak - 60 * o.origin_h) / 60
    if o.metric == "auc":
        return _auc(t, c, end)
    if o.metric == "F":
        if "iv" not in cache:
            cache["iv"] = _curves(model, _iv_twin(study.regimen), study, t)
        return _auc(t, c, None) / _auc(t, cache["iv"][name], None)
    if o.metric == "clearance":
        dose_ng = _enantiomer_dose_mg(model, study, o.analyte) * 1e6
        return dose_ng / (_auc(t, c, None) * 60) / study.weight_kg
    raise AssertionError(o.metric)


def validate(model, studies=STUDIES) -> Validation:
    """Compare ``model`` (DrugModel or id) with every applicable registry study.

    Each study is simulated at its own sampling site where the model simulates both
    (:meth:`DrugModel.at_site`, the defaults); bands are the observed spread
    (:meth:`Statistic.band`), widened ×/÷ :data:`SITE_FACTOR` for concentration metrics only when
    the study's site differs from the site of a model that has just one.
    """
    model = models.resolve(model)
    if isinstance(studies, (str, Study)) or not isinstance(studies, (list, tuple)) or not all(
            isinstance(s, Study) for s in studies):
        raise ParameterError("`studies` must be a list of ketpk.validation Study records (default: "
                             f"the whole registry, ketpk.validation.STUDIES); got {studies!r:.80}.")
    rows, skipped = [], []
    for study in studies:
        why = _why_not(model, study)
        if why:
            skipped.append((study.id, why))
            continue
        cache: dict = {}
        sited = model.at_site(study.sampling) if study.sampling in model.sites else model
        for o in study.observations:
            if o.exclude:
                continue
            value = predict(sited, study, o, cache)
            if value is None:
                skipped.append((f"{study.id}: {o.label()}", f"model has no {o.analyte} output"))
                continue
            low, high, band = o.stat.band(o.metric)
            if study.sampling != sited.sampling and o.metric in _CONCENTRATION:
                low, high = low / SITE_FACTOR, high * SITE_FACTOR
                band += f", ×/÷ {SITE_FACTOR:g} ({study.sampling} study, {model.sampling} model)"
            rows.append(ValidationRow(model.id, study, o, value, low, high, band))
    return Validation(model.id, tuple(rows), tuple(skipped))
