"""From a patient's measured levels to their own curve: MAP Bayesian estimation (research only).

:func:`individualize` finds the subject's etas (the inter-individual random effects of the
model's omega blocks) that maximise the posterior density given the measurements, the model's
omega and its residual error (:mod:`ketpk.residual`), and approximates the posterior by a
normal distribution at that mode (Laplace). It is a research and teaching tool, never a dosing
device.

Method
------
* Etas are written ``eta = L z`` with ``L Lᵀ = Ω`` (block-diagonal over the model's blocks,
  etas of zero variance left out), so the prior is ``z ~ N(0, I)``.
* Objective (reported as :attr:`Posterior.objective`): ``-2 log p(y | z) + zᵀz`` (constants
  of the residual densities included, the prior's dropped). Quantified measurements use the
  residual density, values below the LLOQ the M3 probability ``P(y < LLOQ)``.
* Mode: damped Newton from ``z = 0``. Each iteration simulates, in one batched call, the
  second-difference stencil around z (1 + 2k + 2k(k-1) subject-curves, step 1e-3 in z); it
  gives the analytic gradient ``Jᵀ ∂ℓ/∂f + 2z`` (J = ∂f/∂z by central differences) and the
  Hessian by second differences (the Gauss-Newton curvature ``Jᵀ W J + 2I`` stands in where
  that is not positive definite). Converged when the largest gradient component < 1e-3.
* Laplace covariance: ``cov(z) = (H/2)⁻¹`` with H the Hessian at the mode (from the last
  iteration's stencil); ``cov(eta) = L cov(z) Lᵀ``.
* Shrinkage per eta (expected, for this design): ``1 - sqrt(1 - var(eta | y) / ω²)``, the
  η-shrinkage ``1 - SD(η̂)/ω`` that a population with this design would show when the posterior
  is normal (Xu XS et al. Shrinkage in nonlinear mixed-effects population models: quantification,
  influencing factors, and impact. AAPS J 2012;14(4):927-936, doi:10.1208/s12248-012-9407-9).
"""

from __future__ import annotations

import functools
import math
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import models
from .errors import KetpkWarning, ParameterError
from .eventtable import dataset_rows, row_number
from .fileio import write_csv
from .population import Population, check_population_size
from .result import SimulationResult
from .plan import request
from .regimen import as_regimen
from .simulate import simulate
from .species import SPECIES
from .subject import as_batch
from .units import Q_, as_quantity, convert, to_canonical

__all__ = ["Observation", "observations", "read_observations", "individualize",
           "individualize_dataset", "Posterior", "Forecast"]

_STEP = 1e-3  # in z (prior SDs): differences for the sensitivities and the Hessian
_Z_BOUND = 8.0  # |z| <= 8 prior SDs: a mode beyond that is reported, never run away to
_MAX_ITERATIONS = 100
_GRADIENT_TOLERANCE = 1e-3
_MAX_STEP = 2.0  # prior SDs per step, so that one bad step cannot throw the search far


@dataclass(frozen=True, slots=True)
class Observation:
    """One measured concentration: time (min), analyte, value (µmol/L); ``blq`` rows hold the LLOQ."""

    time_min: float
    analyte: str
    value_umol_per_l: float
    blq: bool = False

    def concentration(self, unit: str = "ng/mL") -> Any:
        """The value (or LLOQ) as a Quantity in ``unit``."""
        return convert(self.value_umol_per_l, "umol/L", self.analyte, unit)


def _to_umol_per_l(value: Any, analyte: str, name: str) -> float:
    quantity = as_quantity(value, name)
    kind = "a concentration, mass or molar (e.g. '150 ng/mL', '0.6 umol/L')"
    magnitude = float(convert(quantity.magnitude, str(quantity.units), analyte, "umol/L", name=name,
                              expected=kind).magnitude)
    if not (math.isfinite(magnitude) and magnitude >= 0):
        raise ParameterError(f"`{name}` must be a finite concentration >= 0; got {value!r}.")
    _check_level(magnitude, analyte, f"`{name}` is {value!r}")
    return magnitude


@functools.cache
def _ceiling_umol_per_l(analyte: str) -> float:
    """MAX_LEVEL_MG_PER_ML of ``analyte`` in µmol/L (converted once per analyte, not per row)."""
    return float(convert(MAX_LEVEL_MG_PER_ML, "mg/mL", analyte, "umol/L").magnitude)


def _check_level(umol_per_l: float, analyte: str, what: str) -> None:
    """Refuse a measured level (µmol/L) above MAX_LEVEL_MG_PER_ML: a unit mistake, not a level."""
    if umol_per_l > _ceiling_umol_per_l(analyte):
        raise ParameterError(
            f"{what}, above {MAX_LEVEL_MG_PER_ML:g} mg/mL: no plasma level is that high (it would be "
            "the strength of the vial). Check the unit, e.g. '150 ng/mL' rather than '150 mg/mL'.")


#: The highest plasma level accepted as a measurement (mg/mL); vials hold 10-100 mg/mL.
MAX_LEVEL_MG_PER_ML = 1.0


def _one(entry: Any, k: int, analytes: Sequence[str]) -> Observation:
    if not isinstance(entry, (tuple, list)) or len(entry) not in (3, 4):
        raise ParameterError(
            f"observation {k} must be (time, analyte, value) or (time, analyte, value, lloq); got "
            f"{entry!r}. E.g. ('2 h', 'ketamine', '150 ng/mL') or ('30 h', 'ketamine', None, '5 ng/mL').")
    time, analyte, value = entry[:3]
    lloq = entry[3] if len(entry) == 4 else None
    if analyte not in analytes:
        raise ParameterError(f"observation {k}: analyte {analyte!r} is not measured by this model; "
                             f"it has {', '.join(analytes)}.")
    minutes = float(to_canonical(time, "[time]", f"observation {k} time"))
    if not (math.isfinite(minutes) and minutes >= 0):
        raise ParameterError(f"observation {k}: time must be finite and >= 0 (from the regimen "
                             f"start); got {time!r}.")
    limit = None if lloq is None else _to_umol_per_l(lloq, analyte, f"observation {k} lloq")
    if value is None or (isinstance(value, str) and value.strip().upper() == "BLQ"):
        if limit is None:
            raise ParameterError(f"observation {k} is below quantification but has no LLOQ; give "
                                 "(time, analyte, None, lloq), e.g. ('30 h', 'ketamine', None, '5 ng/mL').")
        return Observation(minutes, analyte, limit, True)
    measured = _to_umol_per_l(value, analyte, f"observation {k} value")
    if limit is not None and measured < limit:
        return Observation(minutes, analyte, limit, True)
    return Observation(minutes, analyte, measured, False)


def observations(data: Any, model: Any) -> tuple[Observation, ...]:
    """Measurements as :class:`Observation` records (µmol/L) checked against ``model``'s analytes.

    ``data``: Observations, or (time, analyte, value[, lloq]) tuples with units, e.g.
    ``("2 h", "ketamine", "150 ng/mL")``. ``value`` None or ``"BLQ"`` (with the LLOQ), or a value
    below the LLOQ, is below quantification (M3 likelihood).
    """
    model = models.resolve(model)
    analytes = _analytes(model)
    out = []
    for k, entry in enumerate(data):
        if isinstance(entry, Observation):
            if entry.analyte not in analytes:
                raise ParameterError(f"observation {k}: analyte {entry.analyte!r} is not measured by "
                                     f"this model; it has {', '.join(analytes)}.")
            out.append(entry)
        else:
            out.append(_one(entry, k, analytes))
    return tuple(out)


def _any_observations(data: Any, model: Any) -> tuple[Observation, ...]:
    """Tuples or Observations (:func:`observations`), or a one-ID dataset: a CSV path or row
    dicts whose EVID-0 rows hold DV (:func:`read_observations`, TIME in h, DV in ng/mL)."""
    if isinstance(data, Mapping) or not isinstance(data, (str, os.PathLike, Iterable)):
        raise ParameterError(f"observations must be a list of (time, analyte, value) tuples, e.g. "
                             f"[('2 h', 'ketamine', '150 ng/mL')], Observation records or a dataset "
                             f"(CSV path or row dicts); got {type(data).__name__}.")
    rows = list(data) if not isinstance(data, (str, os.PathLike)) else None
    if rows is None or (rows and all(isinstance(r, Mapping) for r in rows)):
        return read_observations(data if rows is None else rows, model)
    return observations(rows, model)


def _analytes(model: Any) -> tuple[str, ...]:
    """The measurable (plasma) analytes: effect-site concentrations are not sampled."""
    return tuple(a for a in model.analytes if a in SPECIES)


def _observed_cmt(model: Any) -> dict[int, str]:
    """CMT (1-based state number) -> analyte, for the states sampled as each analyte."""
    system = model.system(model.individual({}, {}, 1))
    out: dict[int, str] = {}
    for analyte in _analytes(model):
        for i in np.flatnonzero(system.observe[analyte][0]):
            out.setdefault(int(i) + 1, analyte)
    return out


def read_observations(source: Any, model: Any, *, id: Any = None, time_unit: str = "h",
                      dv_unit: str = "ng/mL", cmt: Mapping[int, str] | None = None) -> tuple[Observation, ...]:
    """Observation records (EVID 0, MDV 0 rows with DV) of a NONMEM-style dataset for one ID.

    ``source`` is a CSV path or row dicts. TIME in ``time_unit``, DV and an optional LLOQ column in
    ``dv_unit``; ``BLQ = 1`` (or DV below LLOQ) marks a value below quantification. ``cmt`` maps CMT
    to analyte (default: the model's state numbers, as :func:`ketpk.eventtable.cmt_map` counts).
    """
    model = models.resolve(model)
    rows = dataset_rows(source)[0]
    ids = sorted({str(r.get("ID", "1")).strip() for r in rows})
    if id is None and len(ids) > 1:
        raise ParameterError(f"the dataset has IDs {', '.join(ids)}; pass `id=` to choose one.")
    wanted = str(id).strip() if id is not None else ids[0]
    own = [(line, r) for line, r in enumerate(rows, start=2) if str(r.get("ID", "1")).strip() == wanted]
    if not own:  # else an unknown id would fit no data and return the prior as if measured
        raise ParameterError(f"the dataset has no ID {id!r}; it has IDs {', '.join(ids)}.")
    if cmt is not None and not isinstance(cmt, Mapping):
        raise ParameterError(f"`cmt` must be a mapping of CMT -> analyte, e.g. {{2: 'ketamine'}}; got "
                             f"{cmt!r} of type {type(cmt).__name__}.")
    return _Reader(model, time_unit, dv_unit, cmt).observations(own)


class _Reader:
    """Dataset rows -> Observations for one model, units converted once (not per row)."""

    def __init__(self, model: Any, time_unit: str, dv_unit: str, cmt: Mapping[int, str] | None):
        self.model = model
        self.mapping = dict(cmt) if cmt is not None else _observed_cmt(model)
        analytes = _analytes(model)
        unknown = sorted(set(self.mapping.values()) - set(analytes))
        if unknown:
            raise ParameterError(f"`cmt` maps to {unknown}, which model {model.id!r} does not "
                                 f"measure; it has {', '.join(analytes)}.")
        self.per_minute = float(to_canonical(Q_(1.0, time_unit), "[time]", "time_unit"))
        self.dv_unit = dv_unit
        self.factor = {a: _to_umol_per_l(Q_(1.0, dv_unit), a, "dv_unit") for a in set(self.mapping.values())}

    def observations(self, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> tuple[Observation, ...]:
        """Observations of ``(line number, row)`` pairs (EVID 0, MDV 0 rows only)."""
        found = []
        for line, row in rows:
            if row_number(row, "EVID", line, 0.0) != 0 or row_number(row, "MDV", line, 0.0) != 0:
                continue
            number = int(row_number(row, "CMT", line, None))
            if number not in self.mapping:
                raise ParameterError(f"row {line}: CMT {number} is not an observed compartment of model "
                                     f"{self.model.id!r} ({self.mapping}); pass `cmt={{number: analyte}}`.")
            analyte = self.mapping[number]
            minutes = row_number(row, "TIME", line, None) * self.per_minute
            lloq = row_number(row, "LLOQ", line, math.nan)
            blq = row_number(row, "BLQ", line, 0.0) == 1
            value = math.nan if blq else row_number(row, "DV", line, None)
            if minutes < 0 or value < 0 or lloq < 0:
                raise ParameterError(f"row {line}: TIME, DV and LLOQ must be >= 0; got {dict(row)}.")
            if blq and math.isnan(lloq):
                raise ParameterError(f"row {line}: BLQ = 1 needs the LLOQ (an LLOQ column).")
            for number in (value, lloq):
                if not math.isnan(number):
                    _check_level(number * self.factor[analyte], analyte, f"row {line}: DV or LLOQ is "
                                 f"{number:g} {self.dv_unit}")
            if blq or (not math.isnan(lloq) and value < lloq):
                found.append(Observation(minutes, analyte, lloq * self.factor[analyte], True))
            else:
                found.append(Observation(minutes, analyte, value * self.factor[analyte], False))
        return tuple(found)


def individualize_dataset(source: Any, model: Any, *, time_unit: str = "h", dv_unit: str = "ng/mL",
                          cmt: Mapping[int, str] | None = None) -> dict[str, Posterior]:
    """:func:`individualize` every ID of a NONMEM-style dataset (doses EVID 1, levels EVID 0).

    Each ID's regimen comes from :func:`ketpk.read_event_table`, its measurements from
    :func:`read_observations`, its weight (kg) and age (years) from ``WT`` / ``AGE`` columns when
    present. Returns ``{id: Posterior}`` in the dataset's order.
    """
    from .dataset import read_event_table
    from .subject import Subject

    model = models.resolve(model)
    rows = dataset_rows(source)[0]
    reader = _Reader(model, time_unit, dv_unit, cmt)
    by_id: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for line, row in enumerate(rows, start=2):
        by_id.setdefault(str(row.get("ID", "1")).strip(), []).append((line, row))
    out = {}
    for key, own in by_id.items():
        covariates = {}
        for column, name, unit in (("WT", "weight", "kg"), ("AGE", "age", "year")):
            values = [row_number(r, column, line, None) for line, r in own
                      if str(r.get(column, "")).strip() not in ("", ".")]
            if values:
                covariates[name] = Q_(values[0], unit)
        regimen = read_event_table([r for _, r in own], model=model, time_unit=time_unit)
        data = reader.observations(own)
        out[key] = individualize(model, regimen, data, subject=Subject(**covariates))
    return out


# -- the estimation problem -------------------------------------------------------------------

def _prior(model: Any) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Eta names (positive variance), their Ω and a square root L (L Lᵀ = Ω)."""
    names: list[str] = []
    blocks = []
    for block in model.variability:
        omega = np.asarray(block.omega, dtype=float)
        keep = np.flatnonzero(np.diag(omega) > 0)
        names += [block.names[i] for i in keep]
        blocks.append(omega[np.ix_(keep, keep)])
    k = len(names)
    omega = np.zeros((k, k))
    at = 0
    for b in blocks:
        omega[at:at + len(b), at:at + len(b)] = b
        at += len(b)
    w, v = np.linalg.eigh(omega) if k else (np.zeros(0), np.zeros((0, 0)))
    root = v * np.sqrt(np.clip(w, 0.0, None))
    return tuple(names), omega, root


class _Problem:
    """Predictions and objective of one subject's measurements, batched over z points."""

    def __init__(self, model: Any, regimen: Any, covariates: Mapping[str, np.ndarray],
                 data: tuple[Observation, ...]):
        self.model, self.regimen, self.covariates = model, regimen, dict(covariates)
        self.names, self.omega, self.root = _prior(model)
        self.data = data
        times, self.where = np.unique([o.time_min for o in data] or [0.0], return_inverse=True)
        self.y = np.array([o.value_umol_per_l for o in data])
        self.blq = np.array([o.blq for o in data], dtype=bool)
        self.groups = {a: np.array([i for i, o in enumerate(data) if o.analyte == a])
                       for a in dict.fromkeys(o.analyte for o in data)}
        self.errors = {a: model.error(a) for a in self.groups}
        analytes = tuple(self.groups) or model.analytes[:1]
        self.request = request(model, regimen, Q_(times, "min"), subjects=self.population(
            np.zeros((1, len(self.names)))), analytes=analytes)  # checked once, planned per batch
        self.evaluations = 0

    def population(self, z: np.ndarray) -> Population:
        """Subjects at the z points (m, k): same covariates, etas L z."""
        z = np.atleast_2d(z)
        etas = z @ self.root.T
        covariates = {k: np.repeat(v, len(z)) for k, v in self.covariates.items()}
        return Population(self.model, covariates, {n: etas[:, i] for i, n in enumerate(self.names)})

    def predictions(self, z: np.ndarray) -> np.ndarray:
        """Predicted concentrations (m, n_obs) in µmol/L at the z points (m, k)."""
        z = np.atleast_2d(z)
        self.evaluations += len(z)
        solved = self.request.plan(as_batch(self.population(z))).solve()
        out = np.empty((len(z), len(self.data)))
        for i, (analyte, rows) in enumerate(self.groups.items()):
            out[:, rows] = solved[:, i, self.where[rows]]
        return out

    def terms(self, f: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-measurement objective, slope and curvature at predictions f (..., n_obs)."""
        value, slope, curve = (np.empty_like(f) for _ in range(3))
        for analyte, rows in self.groups.items():
            v, s, c = self.errors[analyte].objective(self.y[rows], f[..., rows], self.blq[rows])
            value[..., rows], slope[..., rows], curve[..., rows] = v, s, c
        return value, slope, curve

    def objective(self, z: np.ndarray) -> np.ndarray:
        """Objective at each z point (m, k) -> (m,)."""
        z = np.atleast_2d(z)
        return self.terms(self.predictions(z))[0].sum(axis=1) + np.sum(z * z, axis=1)

    def local(self, z: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """At one z, from one batched simulation of the second-difference stencil: objective,
        analytic gradient, Gauss-Newton curvature and the Hessian by second differences."""
        k, h = len(z), _STEP
        eye = h * np.eye(k)
        pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
        points = [z] + [z + s * eye[i] for i in range(k) for s in (1, -1)]
        points += [z + a * eye[i] + b * eye[j] for i, j in pairs for a, b in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
        points = np.array(points)
        f = self.predictions(points)
        terms, slope, curve = self.terms(f[0])
        values = self.terms(f)[0].sum(axis=1) + np.sum(points * points, axis=1)
        jac = (f[1:2 * k + 1:2] - f[2:2 * k + 1:2]).T / (2 * h)  # (n_obs, k)
        gradient = jac.T @ slope + 2 * z
        gauss_newton = (jac.T * curve) @ jac + 2 * np.eye(k)
        hessian = np.empty((k, k))
        for i in range(k):
            hessian[i, i] = (values[1 + 2 * i] - 2 * values[0] + values[2 + 2 * i]) / h ** 2
        for n, (i, j) in enumerate(pairs):
            pp, pm, mp, mm = values[1 + 2 * k + 4 * n: 5 + 2 * k + 4 * n]
            hessian[i, j] = hessian[j, i] = (pp - pm - mp + mm) / (4 * h ** 2)
        return float(values[0]), gradient, gauss_newton, hessian


def _mode(problem: _Problem, k: int) -> tuple[np.ndarray, float, np.ndarray, bool, str]:
    """Damped Newton from z = 0: (z, objective, Hessian at z, converged, message).

    Steps solve ``(H + λI) s = -g`` with the analytic gradient g and the second-difference
    Hessian H where it is positive definite, else the Gauss-Newton curvature (positive definite:
    the prior adds 2I); a step is kept when it lowers the objective, else λ grows. Converged when
    the largest gradient component is below 1e-3 (objective units: the mode is then within
    about 1e-3 prior SD).
    """
    z = np.zeros(k)
    value, gradient, gauss_newton, hessian = problem.local(z)
    damping = 0.0
    for iteration in range(_MAX_ITERATIONS):
        if np.max(np.abs(gradient)) < _GRADIENT_TOLERANCE:
            return z, value, hessian, True, f"converged in {iteration} iterations"
        exact = np.linalg.eigvalsh((hessian + hessian.T) / 2)[0] > 0.1
        step = np.linalg.solve((hessian if exact else gauss_newton) + damping * np.eye(k), -gradient)
        step *= min(1.0, _MAX_STEP / max(np.max(np.abs(step)), 1e-300))
        trial = z + step
        new = problem.local(trial)
        if np.isfinite(new[0]) and new[0] <= value + 1e-4 * (gradient @ step):
            z, (value, gradient, gauss_newton, hessian) = trial, new
            damping = damping / 4 if damping > 1e-3 else 0.0
        else:
            damping = max(4 * damping, 1.0)
    return z, value, hessian, False, (f"no convergence in {_MAX_ITERATIONS} iterations (largest "
                                      f"gradient {np.max(np.abs(gradient)):.2g})")


def _check_predictable(problem: _Problem, k: int) -> None:
    """Refuse a measured value where the typical prediction is 0 µmol/L (before the first dose, or
    so long after it that it underflows) under an error model with no additive part: such a
    measurement has no likelihood, and the search would run on NaN."""
    if not problem.data:
        return
    with np.errstate(all="ignore"):
        f0 = problem.predictions(np.zeros((1, k)))[0]
    for analyte, rows in problem.groups.items():
        error = problem.errors[analyte]
        if error.additive and not error.exponential:
            continue
        bad = [i for i in rows if f0[i] <= 0 and not problem.blq[i]]
        if bad:
            o = problem.data[bad[0]]
            first = min(d.start_minutes for d in problem.regimen.doses)
            raise ParameterError(
                f"observation {bad[0]} ({o.analyte} at {o.time_min / 60:g} h) is where the model "
                f"predicts 0 (the first dose starts at {first / 60:g} h), and its {error.kind} "
                "residual error cannot explain a measured value there. Check the observation "
                "times and the regimen, or give it as below quantification: (time, analyte, None, lloq).")


def _covariance_z(H: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((H + H.T) / 2)
    w = np.clip(w, 1e-9, None)  # the prior alone contributes 2: only round-off can go below
    return (v / (w / 2)) @ v.T


def individualize(model: Any, regimen: Any, observations_: Any = (), *, subject: Any = None) -> Posterior:
    """MAP Bayesian estimate of one subject's parameters from their measured concentrations
    (Quantities, e.g. ng/mL at times in h; parameters reported in their paper's units).

    Parameters
    ----------
    model : DrugModel or str
        A model with published variability (omega) and residual error.
    regimen : Regimen, Bolus or Infusion
        What the subject received (the doses before and between the measurements).
    observations_ : sequence, CSV path or dataset rows
        (time, analyte, value[, lloq]) with units, :class:`Observation` records (e.g. from
        :func:`read_observations`), or a one-ID NONMEM-style dataset (path or row dicts) whose
        EVID-0 rows hold DV (TIME in h, DV in ng/mL; other units: :func:`read_observations`).
        Empty: the posterior is the prior (etas 0).
    subject : ketpk.Subject, optional
        The covariates (weight, age, sex); needed for per-weight doses and scaled models.

    Returns
    -------
    Posterior
    """
    model = models.resolve(model)
    regimen = as_regimen(regimen)
    batch = as_batch(subject)
    if batch.n != 1:
        raise ParameterError("`subject` must be one ketpk.Subject (individualize fits one subject).")
    regimen.resolve(batch.weights, 1)  # per-weight doses without a weight fail here, clearly
    covariates = dict(batch.covariates) or {"weight": np.array([model.reference_covariates.get("weight", 70.0)])}
    data = _any_observations(observations_, model)
    problem = _Problem(model, regimen, covariates, data)
    k = len(problem.names)
    _check_predictable(problem, k)
    if not data or k == 0:
        z, H, converged, objective = np.zeros(k), 2 * np.eye(k), True, (
            float(problem.objective(np.zeros((1, k)))[0]) if data else 0.0)
        message = "no observations: the posterior is the prior" if not data else "the model has no variability"
    else:
        z, objective, H, converged, message = _mode(problem, k)
        if np.any(np.abs(z) > _Z_BOUND):
            converged = False
            message = (f"the mode lies beyond {_Z_BOUND:g} prior SDs (z = {np.round(z, 2).tolist()}): "
                       "the measurements contradict the model; check units, times and the regimen")
    if not converged:
        warnings.warn(f"individualize: {message}.", KetpkWarning, stacklevel=2)
    cov_z = _covariance_z(H)
    return Posterior(
        model=model, regimen=regimen, covariates=covariates, observations=data, names=problem.names,
        eta=problem.root @ z, covariance=problem.root @ cov_z @ problem.root.T, omega=problem.omega,
        objective=objective, converged=converged, message=message, z=z, covariance_z=cov_z,
        root=problem.root, evaluations=problem.evaluations, weights_given=batch.weights is not None,
    )


@dataclass(frozen=True, eq=False)
class Posterior:
    """The approximate (Laplace) posterior of one subject's etas given their measurements
    (observations held in µmol/L at times in min).

    ``eta`` is the mode (MAP), ``covariance`` the Laplace covariance of the etas, ``omega`` the
    prior, ``objective`` the minimised -2 log posterior (see :mod:`ketpk.individualize`).
    """

    model: Any
    regimen: Any
    covariates: Mapping[str, np.ndarray]
    observations: tuple[Observation, ...]
    names: tuple[str, ...]
    eta: np.ndarray
    covariance: np.ndarray
    omega: np.ndarray
    objective: float
    converged: bool
    message: str
    z: np.ndarray = field(repr=False)
    covariance_z: np.ndarray = field(repr=False)
    root: np.ndarray = field(repr=False)
    evaluations: int = 0
    weights_given: bool = True

    @property
    def etas(self) -> dict[str, float]:
        """MAP eta per name."""
        return {n: float(e) for n, e in zip(self.names, self.eta)}

    @property
    def sd(self) -> dict[str, float]:
        """Posterior SD of each eta (Laplace)."""
        return {n: float(math.sqrt(max(v, 0.0))) for n, v in zip(self.names, np.diag(self.covariance))}

    @property
    def shrinkage(self) -> dict[str, float]:
        """Expected η-shrinkage per eta: ``1 - sqrt(1 - var(η|y)/ω²)`` (0 = data decide, 1 = prior)."""
        ratio = np.clip(np.diag(self.covariance) / np.diag(self.omega), 0.0, 1.0)
        return {n: float(1 - math.sqrt(1 - r)) for n, r in zip(self.names, ratio)}

    def population(self, n: int | None = None, *, seed: Any = 0) -> Population:
        """The MAP subject (``n=None``) or ``n`` draws from the Laplace posterior, as a Population."""
        if n is None:
            z = self.z[None, :]
        else:
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ParameterError(f"`n` must be a positive integer; got {n!r}.")
            check_population_size(int(n), self.model)
            rng = np.random.default_rng(seed)
            w, v = np.linalg.eigh(self.covariance_z)
            z = self.z + rng.standard_normal((int(n), len(self.z))) @ (v * np.sqrt(np.clip(w, 0, None))).T
        etas = z @ self.root.T
        m = len(z)
        return Population(self.model, {k: np.repeat(v, m) for k, v in self.covariates.items()},
                          {name: etas[:, i] for i, name in enumerate(self.names)}, seed=seed if n else None)

    def typical(self) -> Population:
        """The typical subject with these covariates (etas 0)."""
        return Population(self.model, dict(self.covariates), {})

    @property
    def parameters(self) -> dict[str, Any]:
        """MAP individual parameters as Quantities in the units of the paper's table."""
        return {k: v[0] for k, v in self.population().parameters().items()}

    @property
    def typical_parameters(self) -> dict[str, Any]:
        """The typical parameters for these covariates (etas 0)."""
        return {k: v[0] for k, v in self.typical().parameters().items()}

    def interval(self, name: str, level: float = 0.9) -> tuple[Any, Any]:
        """Central ``level`` interval of parameter ``name`` from the Laplace posterior of its eta."""
        from scipy.stats import norm

        if name not in self.names:
            raise ParameterError(f"`name` must be a parameter with an eta: {', '.join(self.names)}; got {name!r}.")
        if isinstance(level, bool) or not isinstance(level, (int, float, np.number)) or not 0 < level < 1:
            raise ParameterError(f"`level` must be a number in (0, 1), e.g. 0.9; got {level!r}.")
        i = self.names.index(name)
        half = norm.ppf(0.5 + level / 2) * math.sqrt(self.covariance[i, i])
        bounds = []
        for shift in (-half, half):
            eta = dict(self.etas)
            eta[name] += shift
            pop = Population(self.model, dict(self.covariates), {k: np.array([v]) for k, v in eta.items()})
            bounds.append(pop.parameters()[name][0])
        return bounds[0], bounds[1]

    def simulate(self, regimen: Any = None, times: Any = None, *, level: float = 0.9,
                 n: int = 500, seed: Any = 0) -> Forecast:
        """Individual prediction (MAP) and forecast of ``regimen`` (default: the one fitted).

        The band holds the central ``level`` of ``n`` curves drawn from the Laplace posterior of
        the etas (parameter uncertainty; no residual error). ``times`` default: 0 to 1.5 × the
        last measurement or dose end, 301 points.
        """
        regimen = as_regimen(self.regimen if regimen is None else regimen)
        regimen.resolve(self.covariates["weight"] if self.weights_given else None, 1)
        if times is None:
            end = max([o.time_min for o in self.observations] + [60.0])
            times = Q_(np.linspace(0, 1.5 * end, 301), "min")
        if not 0 < level < 1:
            raise ParameterError(f"`level` must be in (0, 1); got {level!r}.")
        individual = simulate(self.model, regimen, times, subjects=self.population())
        draws = simulate(self.model, regimen, times, subjects=self.population(n, seed=seed))
        typical = simulate(self.model, regimen, times, subjects=self.typical())
        return Forecast(individual, draws, typical, level)

    def describe(self) -> str:
        """A short readable summary: parameters (typical → individual, interval), shrinkage."""
        lines = [f"{self.model.id}: MAP from {len(self.observations)} measurement(s); objective "
                 f"{self.objective:.3f}; {'converged' if self.converged else 'NOT converged: ' + self.message}"]
        typical, individual = self.typical_parameters, self.parameters
        shrink = self.shrinkage
        for name in self.names:
            low, high = self.interval(name)
            lines.append(f"  {name:<10} typical {typical[name]:~.4g}  individual {individual[name]:~.4g}  "
                         f"90% [{low.magnitude:.4g}, {high.magnitude:.4g}]  shrinkage {shrink[name]:.2f}")
        return "\n".join(lines)

    def to_frame(self, level: float = 0.9) -> Any:
        """The fitted parameters as a pandas DataFrame (``pip install "ketpk[pandas]"``): one row
        per parameter with an eta: unit, typical, individual, the central ``level`` interval,
        eta, its posterior SD and shrinkage (values in the parameter's own unit)."""
        from .frames import columns_frame

        typical, individual = self.typical_parameters, self.parameters
        bounds = [self.interval(name, level) for name in self.names]
        columns = {
            "parameter": list(self.names),
            "unit": [f"{individual[n].units:~P}" for n in self.names],
            "typical": [float(typical[n].magnitude) for n in self.names],
            "individual": [float(individual[n].magnitude) for n in self.names],
            f"lower {level:.0%}": [float(lo.to(individual[n].units).magnitude)
                                    for n, (lo, _) in zip(self.names, bounds)],
            f"upper {level:.0%}": [float(hi.to(individual[n].units).magnitude)
                                    for n, (_, hi) in zip(self.names, bounds)],
            "eta": [self.etas[n] for n in self.names],
            "sd": [self.sd[n] for n in self.names],
            "shrinkage": [self.shrinkage[n] for n in self.names],
        }
        attrs = {"model_id": self.model.id, "citation": str(self.model.citation),
                 "objective": self.objective, "converged": self.converged,
                 "observations": len(self.observations)}
        return columns_frame(columns, attrs)

    def plot(self, times: Any = None, analytes: Sequence[str] | None = None, *, unit: str = "ng/mL",
             level: float = 0.9, ax: Any = None) -> Any:
        """Observations, typical curve and individual curve with its band; returns the figure."""
        from .plotting import plot_posterior

        return plot_posterior(self, self.simulate(times=times, level=level), analytes, unit=unit, ax=ax)


@dataclass(frozen=True, eq=False)
class Forecast:
    """An individual prediction (MAP curve) with a posterior band and the typical curve."""

    individual: SimulationResult
    draws: SimulationResult
    typical: SimulationResult
    level: float

    @property
    def times(self):
        """Times (Quantity, min)."""
        return self.individual.times

    def band(self, analyte: str = "ketamine", unit: str = "ng/mL") -> tuple[Any, Any]:
        """Lower and upper edges of the central ``level`` band (Quantities over time)."""
        q = (50 - 50 * self.level, 50 + 50 * self.level)
        edges = self.draws.percentiles(analyte, q, unit)
        return edges[0], edges[1]

    def to_frame(self, *, unit: str = "ng/mL", time_unit: str = "h", wide: bool = False,
                 analytes: Sequence[str] | None = None) -> Any:
        """A pandas DataFrame (``pip install "ketpk[pandas]"``): ``statistic`` (individual,
        lower, upper, typical), ``time``, then long (analyte, value, unit) or ``wide``."""
        from .frames import curves_frame

        names = list(analytes or [a for a in self.individual.analytes if a in SPECIES])
        times = convert(self.individual.times_min, "min", None, time_unit, name="time_unit").magnitude
        labels = ("individual", "lower", "upper", "typical")
        series = []
        for a in names:
            low, high = self.band(a, unit)
            series.append((a, unit, np.concatenate([
                self.individual.concentration(a, unit).magnitude[0], low.magnitude, high.magnitude,
                self.typical.concentration(a, unit).magnitude[0]])))
        keys = {"statistic": np.repeat(labels, times.size), "time": np.tile(times, len(labels))}
        attrs = {**self.individual.frame_attrs(time_unit), "band_level": self.level}
        return curves_frame(keys, series, attrs, wide)

    def to_csv(self, path: Any, *, unit: str = "ng/mL", analytes: Sequence[str] | None = None) -> None:
        """Write time, then per analyte: individual, lower, upper and typical (``unit``)."""
        names = list(analytes or [a for a in self.individual.analytes if a in SPECIES])
        columns, header = [], ["time [min]"]
        for a in names:
            low, high = self.band(a, unit)
            columns += [self.individual.concentration(a, unit).magnitude[0], low.magnitude,
                        high.magnitude, self.typical.concentration(a, unit).magnitude[0]]
            header += [f"{a} individual [{unit}]", f"{a} lower [{unit}]", f"{a} upper [{unit}]",
                       f"{a} typical [{unit}]"]
        rows = ([f"{t:.10g}", *(f"{c[i]:.10g}" for c in columns)]
                for i, t in enumerate(self.individual.times_min))
        write_csv(path, header, rows, provenance={**self.individual.metadata, "band": f"{self.level:g} "
                  "central posterior interval (parameter uncertainty)", "citation": self.individual.citation})

