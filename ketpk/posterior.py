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
* Mode: scipy ``trust-exact`` from ``z = 0`` with the analytic gradient ``Jᵀ ∂ℓ/∂f + 2z`` and
  the Gauss-Newton curvature ``Jᵀ W J + 2I``; the prediction sensitivities ``J = ∂f/∂z`` come
  from one batched simulation of the 2k+1 central-difference points (step 1e-5 in z).
* Laplace covariance: the inverse of half the Hessian of the objective at the mode, computed by
  second differences (step 1e-3 in z) in one batched simulation; ``cov(eta) = L cov(z) Lᵀ``.
* Shrinkage per eta (expected, for this design): ``1 - sqrt(1 - var(eta | y) / ω²)``, the
  η-shrinkage ``1 - SD(η̂)/ω`` that a population with this design would show when the posterior
  is normal (Xu XS et al. Shrinkage in nonlinear mixed-effects population models: quantification,
  influencing factors, and impact. AAPS J 2012;14(4):927-936, doi:10.1208/s12248-012-9407-9).
"""

from __future__ import annotations

import csv
import math
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import models
from .errors import KetpkWarning, ParameterError
from .fileio import open_text, write_csv
from .population import Population
from .result import SimulationResult
from .plan import as_regimen, request
from .simulate import simulate
from .species import SPECIES, molar_mass
from .subject import as_batch
from .units import Q_, as_quantity, convert, to_canonical, to_unit

__all__ = ["Observation", "observations", "read_observations", "individualize",
           "individualize_dataset", "Posterior", "Forecast", "concentration"]

_GRADIENT_STEP = 1e-5
_HESSIAN_STEP = 1e-3
_Z_BOUND = 8.0  # |z| <= 8 prior SDs: a mode beyond that is reported, never run away to
_MAX_ITERATIONS = 200


@dataclass(frozen=True, slots=True)
class Observation:
    """One measured concentration: time (min), analyte, value (µmol/L); ``blq`` rows hold the LLOQ."""

    time_min: float
    analyte: str
    value_umol_per_l: float
    blq: bool = False


def _to_umol_per_l(value: Any, analyte: str, name: str) -> float:
    quantity = as_quantity(value, name)
    kind = "a concentration, mass or molar (e.g. '150 ng/mL', '0.6 umol/L')"
    if "[mass]" in quantity.dimensionality:  # µg/L ÷ (g/mol = µg/µmol) = µmol/L
        magnitude = float(to_unit(quantity, "ug/L", name, kind).magnitude) / molar_mass(analyte)
    else:
        magnitude = float(to_unit(quantity, "umol/L", name, kind).magnitude)
    if not (math.isfinite(magnitude) and magnitude >= 0):
        raise ParameterError(f"`{name}` must be a finite concentration >= 0; got {value!r}.")
    return magnitude


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
    rows = _dataset_rows(source)
    mapping = dict(cmt) if cmt is not None else _observed_cmt(model)
    ids = sorted({str(r.get("ID", "1")).strip() for r in rows})
    if id is None and len(ids) > 1:
        raise ParameterError(f"the dataset has IDs {', '.join(ids)}; pass `id=` to choose one.")
    wanted = str(id).strip() if id is not None else ids[0]
    found = []
    for line, row in enumerate(rows, start=2):
        if str(row.get("ID", "1")).strip() != wanted or _cell(row, "EVID", 0.0, line) != 0:
            continue
        if _cell(row, "MDV", 0.0, line) != 0:
            continue
        number = int(_cell(row, "CMT", None, line))
        if number not in mapping:
            raise ParameterError(f"row {line}: CMT {number} is not an observed compartment of model "
                                 f"{model.id!r} ({mapping}); pass `cmt={{number: analyte}}`.")
        time = Q_(_cell(row, "TIME", None, line), time_unit)
        lloq = _cell(row, "LLOQ", math.nan, line)
        limit = None if math.isnan(lloq) else Q_(lloq, dv_unit)
        if _cell(row, "BLQ", 0.0, line) == 1:
            found.append((time, mapping[number], None, limit))
        else:
            found.append((time, mapping[number], Q_(_cell(row, "DV", None, line), dv_unit), limit))
    return observations(found, model)


def individualize_dataset(source: Any, model: Any, *, time_unit: str = "h", dv_unit: str = "ng/mL",
                          cmt: Mapping[int, str] | None = None) -> dict[str, Posterior]:
    """:func:`individualize` every ID of a NONMEM-style dataset (doses EVID 1, levels EVID 0).

    Each ID's regimen comes from :func:`ketpk.read_event_table`, its measurements from
    :func:`read_observations`, its weight (kg) and age (years) from ``WT`` / ``AGE`` columns when
    present. Returns ``{id: Posterior}`` in the dataset's order.
    """
    from .eventtable import read_event_table
    from .subject import Subject

    model = models.resolve(model)
    rows = _dataset_rows(source)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_id.setdefault(str(row.get("ID", "1")).strip(), []).append(row)
    out = {}
    for key, own in by_id.items():
        covariates = {}
        for column, name, unit in (("WT", "weight", "kg"), ("AGE", "age", "year")):
            values = [r[column] for r in own if str(r.get(column, "")).strip() not in ("", ".")]
            if values:
                covariates[name] = f"{float(values[0])} {unit}"
        regimen = read_event_table(own, model=model, time_unit=time_unit)
        data = read_observations(own, model, time_unit=time_unit, dv_unit=dv_unit, cmt=cmt)
        out[key] = individualize(model, regimen, data, subject=Subject(**covariates))
    return out


def _dataset_rows(source: Any) -> list[dict[str, Any]]:
    if isinstance(source, (str, os.PathLike)):
        with open_text(source) as handle:
            rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    elif isinstance(source, Iterable):
        rows = [dict(r) for r in source]
    else:
        raise ParameterError(f"`source` must be a CSV path or row dicts; got {source!r}.")
    return [{str(k).strip().upper(): v for k, v in r.items() if k is not None} for r in rows]


def _cell(row: Mapping[str, Any], column: str, default: float | None, line: int) -> float:
    value = row.get(column)
    if value is None or (isinstance(value, str) and value.strip() in ("", ".")):
        if default is None:
            raise ParameterError(f"row {line}: column {column} is empty; it needs a number.")
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"row {line}: column {column} must be a number; got {value!r}.") from None
    if not math.isfinite(number):
        raise ParameterError(f"row {line}: column {column} must be finite; got {value!r}.")
    return number


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

    def local(self, z: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """Objective, analytic gradient and Gauss-Newton curvature at one z."""
        k = len(z)
        step = _GRADIENT_STEP * np.eye(k)
        f = self.predictions(np.vstack([z, z + step, z - step]))
        jac = (f[1:k + 1] - f[k + 1:]).T / (2 * _GRADIENT_STEP)  # (n_obs, k)
        value, slope, curve = self.terms(f[0])
        gradient = jac.T @ slope + 2 * z
        hessian = (jac.T * curve) @ jac + 2 * np.eye(k)
        return float(value.sum() + z @ z), gradient, hessian

    def hessian(self, z: np.ndarray) -> np.ndarray:
        """Hessian of the objective at z by second differences (one batched simulation)."""
        k, h = len(z), _HESSIAN_STEP
        pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
        points = [z]
        for i in range(k):
            points += [z + h * np.eye(k)[i], z - h * np.eye(k)[i]]
        for i, j in pairs:
            e_i, e_j = h * np.eye(k)[i], h * np.eye(k)[j]
            points += [z + e_i + e_j, z + e_i - e_j, z - e_i + e_j, z - e_i - e_j]
        values = self.objective(np.array(points))
        H = np.empty((k, k))
        for i in range(k):
            H[i, i] = (values[1 + 2 * i] - 2 * values[0] + values[2 + 2 * i]) / h ** 2
        for n, (i, j) in enumerate(pairs):
            pp, pm, mp, mm = values[1 + 2 * k + 4 * n: 5 + 2 * k + 4 * n]
            H[i, j] = H[j, i] = (pp - pm - mp + mm) / (4 * h ** 2)
        return H


def _covariance_z(H: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((H + H.T) / 2)
    w = np.clip(w, 1e-9, None)  # the prior alone contributes 2: only round-off can go below
    return (v / (w / 2)) @ v.T


def individualize(model: Any, regimen: Any, observations_: Any = (), *, subject: Any = None) -> Posterior:
    """MAP Bayesian estimate of one subject's parameters from their measured concentrations.

    Parameters
    ----------
    model : DrugModel or str
        A model with published variability (omega) and residual error.
    regimen : Regimen, Bolus or Infusion
        What the subject received (the doses before and between the measurements).
    observations_ : sequence
        (time, analyte, value[, lloq]) with units, :class:`Observation` records, or the result
        of :func:`read_observations`. Empty: the posterior is the prior (etas 0).
    subject : ketpk.Subject, optional
        The covariates (weight, age, sex); needed for per-weight doses and scaled models.

    Returns
    -------
    Posterior
    """
    from scipy import optimize  # loaded on first use: `import ketpk` stays fast

    model = models.resolve(model)
    regimen = as_regimen(regimen)
    batch = as_batch(subject)
    if batch.n != 1:
        raise ParameterError("`subject` must be one ketpk.Subject (individualize fits one subject).")
    regimen.resolve(batch.weights, 1)  # per-weight doses without a weight fail here, clearly
    covariates = dict(batch.covariates) or {"weight": np.array([model.reference_covariates.get("weight", 70.0)])}
    data = observations(observations_, model)
    problem = _Problem(model, regimen, covariates, data)
    k = len(problem.names)
    if not data or k == 0:
        z, H, converged, objective = np.zeros(k), 2 * np.eye(k), True, (
            float(problem.objective(np.zeros((1, k)))[0]) if data else 0.0)
        message = "no observations: the posterior is the prior" if not data else "the model has no variability"
    else:
        cache: dict[bytes, tuple] = {}

        def local(z):
            key = z.tobytes()
            if key not in cache:
                cache.clear()
                cache[key] = problem.local(z)
            return cache[key]

        fit = optimize.minimize(lambda z: local(z)[:2], np.zeros(k), jac=True,
                                hess=lambda z: local(z)[2], method="trust-exact",
                                options={"maxiter": _MAX_ITERATIONS, "gtol": 1e-4, "initial_trust_radius": 2.0})
        z, converged, message = fit.x, bool(fit.success), str(fit.message)
        objective = float(fit.fun)
        if np.any(np.abs(z) > _Z_BOUND):
            converged = False
            message = (f"the mode lies beyond {_Z_BOUND:g} prior SDs (z = {np.round(z, 2).tolist()}): "
                       "the measurements contradict the model; check units, times and the regimen")
        H = problem.hessian(z)
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
    """The approximate (Laplace) posterior of one subject's etas given their measurements.

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
        if not 0 < level < 1:
            raise ParameterError(f"`level` must be in (0, 1); got {level!r}.")
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


def concentration(observation: Observation, unit: str = "ng/mL") -> Any:
    """An observation's value (or LLOQ) as a Quantity in ``unit``."""
    return convert(observation.value_umol_per_l, "umol/L", observation.analyte, unit)
