"""Virtual populations: covariates and inter-individual variability drawn with a seed.

>>> import ketpk
>>> pop = ketpk.population.sample("esketamine", 200, seed=1)
>>> result = ketpk.simulate("esketamine", ketpk.Infusion(start="0 min", rate="0.1 mg/kg/h",
...                         duration="1 h"), ketpk.Q_([60], "min"), subjects=pop)
>>> result.concentration("ketamine").shape
(200, 1)

Draw order (so that the same seed gives bit-identical subjects): weight, age, sex, then one
``(n, k)`` block of standard normals per :class:`~ketpk.model.OmegaBlock` of the model, in the
model's order, correlated with a square-root factor of the block's omega; with
``uncertainty=True`` last one ``(replicates, k)`` block for the typical values
(:class:`~ketpk.model.ParameterUncertainty`, parameters in its order); for a model with
inter-occasion variability, last the kappas of each occasion (:func:`ketpk.occasions.draw`).

Default covariates (assumptions, used only where the user gives none):

* weight: log-normal with geometric mean = the model's reference weight (70 kg for adult
  models) and log-scale SD 0.15 (CV ≈ 15 %, a spread between the healthy-volunteer studies,
  e.g. Otto 2021 mean 68-71 kg SD 7-9 kg, and general adult populations), truncated by redraw to
  the model's validated weight range (else 40-150 kg);
* age (only if a model parameter uses it): uniform over the model's validated age range
  (else 18-65 years);
* sex (only if a model parameter uses ``female``): female with probability 0.5.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import models, occasions as iov
from .errors import ParameterError
from .model import UNCERTAINTY_PREFIX, DrugModel
from .subject import Subject, SubjectBatch, as_batch, check_covariate
from .units import CANONICAL, Q_, to_covariate

__all__ = ["LogNormal", "Population", "sample", "add_residual_error", "generator", "draw_etas"]

_WEIGHT_SD_LOG = 0.15
_WEIGHT_BOUNDS = (40.0, 150.0)  # kg, used when the model states no range
_AGE_BOUNDS = (18.0, 65.0)  # years, used when the model states no range


@dataclass(frozen=True)
class LogNormal:
    """A log-normal covariate distribution, truncated by redraw to ``[low, high]``.

    ``median`` is the geometric mean with its unit (``"70 kg"``), ``sd_log`` the SD of the log.
    """

    median: Any
    sd_log: float
    low: Any = None
    high: Any = None

    def draw(self, rng: np.random.Generator, n: int, covariate: str) -> np.ndarray:
        """``n`` values of ``covariate`` (``"weight"`` or ``"age"``) in kg or year."""
        median = float(to_covariate(self.median, covariate, "median"))
        low = -np.inf if self.low is None else float(to_covariate(self.low, covariate, "low"))
        high = np.inf if self.high is None else float(to_covariate(self.high, covariate, "high"))
        if not (median > 0 and self.sd_log >= 0 and low < high and low <= median <= high):
            raise ParameterError(
                f"LogNormal needs median > 0, sd_log >= 0 and low <= median <= high; got {self}. "
                "E.g. LogNormal('70 kg', 0.15, '40 kg', '150 kg')."
            )
        return _log_normal(rng, n, median, self.sd_log, low, high)


def _log_normal(rng: np.random.Generator, n: int, median: float, sd_log: float, low: float,
                high: float) -> np.ndarray:
    """``n`` draws of ``median · exp(sd_log · z)`` (floats in the covariate's unit), each one
    outside ``[low, high]`` drawn again."""
    values = median * np.exp(sd_log * rng.standard_normal(n))
    outside = (values < low) | (values > high)
    while outside.any():
        values[outside] = median * np.exp(sd_log * rng.standard_normal(outside.sum()))
        outside = (values < low) | (values > high)
    return values


def generator(seed: Any) -> tuple[np.random.Generator, Any]:
    """A Generator and the seed to record (fresh entropy is recorded so it can be replayed)."""
    if isinstance(seed, np.random.Generator):
        return seed, None
    if seed is None:
        seed = np.random.SeedSequence().entropy
    elif (not isinstance(seed, (int, np.integer, np.random.SeedSequence)) or isinstance(seed, bool)
          or (not isinstance(seed, np.random.SeedSequence) and seed < 0)):
        raise ParameterError(
            f"`seed` must be a non-negative int, a numpy SeedSequence or Generator, or None; got "
            f"{seed!r}. E.g. seed=1; the same seed gives the same draws."
        )
    return np.random.default_rng(seed), seed


def _used_covariates(model: DrugModel) -> set[str]:
    return {e.covariate for p in model.parameters for e in p.covariates}


def _default_weights(model: DrugModel, rng: np.random.Generator, n: int) -> np.ndarray:
    """Weights (kg) log-normal about the model's reference weight, within its validated range."""
    low, high = model.covariate_range.get("weight", (None, None))
    low = _WEIGHT_BOUNDS[0] if low is None else low
    high = _WEIGHT_BOUNDS[1] if high is None else high
    median = min(max(model.reference_covariates.get("weight", 70.0), low), high)
    return _log_normal(rng, n, float(median), _WEIGHT_SD_LOG, float(low), float(high))


def _weights(value: Any, model: DrugModel, rng: np.random.Generator, n: int) -> np.ndarray:
    """Weights in kg: drawn from a distribution, or a given Quantity (scalar or n values)."""
    if value is None:
        return _default_weights(model, rng, n)
    if isinstance(value, LogNormal):
        return value.draw(rng, n, "weight")
    kg = np.asarray(to_covariate(value, "weight"), dtype=float)
    return _fixed(check_covariate("weight", kg), n, "weight")


def _fixed(values: np.ndarray, n: int, name: str) -> np.ndarray:
    if values.ndim == 0:
        return np.full(n, float(values))
    if values.shape != (n,):
        raise ParameterError(f"`{name}` must be one value or {n} values; got shape {values.shape}.")
    return values.astype(float)


def _ages(value: Any, model: DrugModel, rng: np.random.Generator, n: int) -> np.ndarray:
    if value is None:
        low, high = model.covariate_range.get("age", (None, None))
        low = _AGE_BOUNDS[0] if low is None else low
        high = _AGE_BOUNDS[1] if high is None else high
        return rng.uniform(low, high, n)
    if isinstance(value, LogNormal):
        return value.draw(rng, n, "age")
    years = np.asarray(to_covariate(value, "age"), dtype=float)
    return _fixed(check_covariate("age", years), n, "age")


def _table(table: Any) -> SubjectBatch:
    """A user's covariate table: a list of Subjects or a mapping of column -> values."""
    if isinstance(table, Mapping):
        columns = dict(table)
        sex = columns.pop("sex", None)
        unknown = set(columns) - {"weight", "age"}
        if unknown:
            raise ParameterError(
                f"covariate table columns must be weight, age and sex; got {sorted(unknown)}."
            )
        covariates: dict[str, np.ndarray] = {}
        if "weight" in columns:
            covariates["weight"] = check_covariate("weight", np.atleast_1d(
                np.asarray(to_covariate(columns["weight"], "weight"), dtype=float)))
        if "age" in columns:
            covariates["age"] = check_covariate("age", np.atleast_1d(np.asarray(
                to_covariate(columns["age"], "age"), dtype=float)))
        if sex is not None:
            sexes = np.asarray(sex)
            if not np.isin(sexes, ("female", "male")).all():
                raise ParameterError("covariate table column `sex` must hold 'female' or 'male'.")
            covariates["female"] = (sexes == "female").astype(float)
        lengths = {len(v) for v in covariates.values()}
        if len(lengths) != 1:
            raise ParameterError(f"covariate table columns must have one common length; got {lengths}.")
        return SubjectBatch(lengths.pop(), covariates, weights_given="weight" in covariates)
    if isinstance(table, Sequence) and all(isinstance(s, Subject) for s in table):
        return as_batch(list(table))
    raise ParameterError(
        "`covariates` must be a mapping {'weight': Quantity array, 'age': ..., 'sex': [...]} or a "
        f"list of ketpk.Subject; got {type(table).__name__}."
    )


def draw_etas(model: DrugModel, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Etas of ``n`` subjects, one (n, k) block of standard normals per omega block of
    ``model`` (in its order), correlated as z @ L.T with L L^T = omega (PSD-safe square root)."""
    etas: dict[str, np.ndarray] = {}
    for block in model.variability:
        omega = np.asarray(block.omega, dtype=float)
        w, v = np.linalg.eigh(omega)
        root = v * np.sqrt(np.clip(w, 0.0, None))
        draws = rng.standard_normal((n, len(block.names))) @ root.T
        for i, name in enumerate(block.names):
            etas[name] = draws[:, i].copy()
    return etas


@dataclass(frozen=True, eq=False)
class Population:
    """Virtual subjects of one model: covariates (canonical: kg, years, female 0/1) and etas.

    Pass it as ``subjects=`` to :func:`ketpk.simulate`. ``population[i]``, ``population[a:b]``
    and index arrays give sub-populations (the etas belong to ``model``: simulating another
    model with it applies them only to parameters of the same name in that model's omega).
    """

    model: DrugModel
    covariates: Mapping[str, np.ndarray]
    etas: Mapping[str, np.ndarray]
    seed: Any = None
    replicate: np.ndarray | None = None

    def __len__(self) -> int:
        return len(next(iter(self.covariates.values())))

    @property
    def n(self) -> int:
        """Number of subjects."""
        return len(self)

    def __getitem__(self, index: Any) -> Population:
        index = np.arange(len(self))[index]
        index = np.atleast_1d(index)
        return dataclasses.replace(
            self, covariates={k: v[index] for k, v in self.covariates.items()},
            etas={k: v[index] for k, v in self.etas.items()},
            replicate=None if self.replicate is None else self.replicate[index],
        )

    def _as_batch(self) -> SubjectBatch:
        return SubjectBatch(len(self), dict(self.covariates), dict(self.etas), single=False,
                            weights_given="weight" in self.covariates, seed=self.seed,
                            drawn_for=self.model.id)

    @property
    def weight(self):
        """Body weights as a Quantity (kg)."""
        return Q_(self.covariates["weight"], "kg")

    def parameters(self, model: Any = None) -> dict[str, Any]:
        """Each subject's parameter values as Quantities (n,), in the units of the paper's table.

        Derived parameters (``model.derive``) are not included: they carry no declared unit.
        """
        model = self.model if model is None else models.resolve(model)
        batch = self._as_batch()
        params = model.individual(batch.covariates, batch.etas, batch.n)
        out = {}
        for p in model.parameters:
            dims = p.value.dimensionality
            unit = CANONICAL["dimensionless" if not dims else str(dims)]
            out[p.name] = Q_(params[p.name], unit).to(p.value.units)
        return out

    def summarize(self, regimen: Any, times: Any, **options: Any):
        """Percentiles, means and per-subject metrics in bounded memory; options (``q``, ``ci``,
        ``sampling="arterial"``, ...) as :func:`ketpk.summarize`."""
        from .summary import summarize

        return summarize(self.model, regimen, times, subjects=self, **options)


def sample(model: Any, n: int | None = None, *, seed: Any = None, weight: Any = None,
           age: Any = None, female: float = 0.5, covariates: Any = None,
           variability: bool = True, uncertainty: bool = False, replicates: int = 100,
           occasions: int = 1) -> Population:
    """Draw ``n`` virtual subjects of ``model``.

    Parameters
    ----------
    model : DrugModel or str
    n : int
        Number of subjects. With a ``covariates`` table, ``None`` keeps its rows as they are and
        an int draws that many rows with replacement.
    seed : int, numpy SeedSequence or Generator, optional
        The same int gives bit-identical draws. ``None`` draws fresh entropy and records it in
        ``population.seed`` (and in results' metadata) so the run can be replayed.
    weight : LogNormal, Quantity or str, optional
        A distribution (default: see the module docstring), one weight for all, or n weights.
    age : LogNormal, Quantity or str, optional
        Drawn only when a model parameter uses age (default uniform over the validated range).
    female : float
        Probability of female sex, drawn only when a model parameter uses it.
    covariates : mapping or list of Subject, optional
        A user's covariate table (columns ``weight``, ``age``, ``sex``); replaces the draws.
    variability : bool
        Draw inter-individual variability from the model's omega blocks (False: covariates only).
    uncertainty : bool
        Also draw the typical values from the estimates' published uncertainty
        (``model.uncertainty``): ``replicates`` parameter sets, each shared by ``n`` subjects, so
        the population has ``n × replicates`` subjects and ``population.replicate`` says whose
        is whose (:func:`ketpk.uncertainty.percentile_intervals` summarises them).
    replicates : int
        Number of parameter sets drawn when ``uncertainty`` is True.
    occasions : int
        Occasions (dosing sessions >= 12 h apart) to draw inter-occasion kappas for, when the
        model has IOV (``model.occasion_variability``); see :mod:`ketpk.occasions`.
    """
    model = models.resolve(model)
    for flag, value in (("variability", variability), ("uncertainty", uncertainty)):
        if not isinstance(value, bool):
            raise ParameterError(f"`{flag}` must be True or False; got {value!r}.")
    if uncertainty and model.uncertainty is None:
        have = [m.id for m in models.available() if models.get(m.id).uncertainty is not None]
        raise ParameterError(f"model {model.id!r} has no published parameter uncertainty; use "
                             f"uncertainty=False or one of {', '.join(have)}.")
    occasions = _count(occasions, "occasions")
    if uncertainty:
        replicates = _count(replicates, "replicates")
        if n is None or covariates is not None:
            raise ParameterError("`uncertainty=True` draws `n` subjects per replicate; give n and "
                                 "no `covariates` table.")
        n = _count(n) * replicates
    if isinstance(female, bool) or not isinstance(female, (int, float)) or not 0.0 <= female <= 1.0:
        raise ParameterError(f"`female` must be a probability in [0, 1]; got {female!r}. "
                             "E.g. female=0.5 for half women.")
    if n is not None:
        check_population_size(_count(n), model, occasions)
    rng, recorded = generator(seed)
    if covariates is not None:
        table = _table(covariates)
        cov = dict(table.covariates)
        if n is not None:
            rows = rng.integers(0, table.n, _count(n))
            cov = {k: v[rows] for k, v in cov.items()}
        n = len(next(iter(cov.values()))) if cov else table.n
        check_population_size(n, model, occasions)
        if "weight" not in cov:
            cov["weight"] = _weights(weight, model, rng, n)
    else:
        if n is None:
            raise ParameterError("`n` is required unless a `covariates` table is given.")
        n = _count(n)
        used = _used_covariates(model)
        cov = {"weight": _weights(weight, model, rng, n)}
        if "age" in used or age is not None:
            cov["age"] = _ages(age, model, rng, n)
        if "female" in used:
            cov["female"] = (rng.random(n) < female).astype(float)
    etas = draw_etas(model, rng, n) if variability else {}
    replicate = None
    if uncertainty:
        replicate = np.repeat(np.arange(replicates), n // replicates)
        sd = model.uncertainty.sd_log()
        draws = rng.standard_normal((replicates, len(sd))) * np.array(list(sd.values()))
        etas.update({UNCERTAINTY_PREFIX + name: draws[replicate, i] for i, name in enumerate(sd)})
    if variability and model.occasion_variability:
        etas.update(iov.draw(model, rng, n, occasions))
    return Population(model, cov, etas, recorded, replicate)


#: The largest population drawn at once (bytes of covariates and etas); larger ones go in parts.
MAX_POPULATION_BYTES = 2e9
_COLUMN_BYTES = 200  # the Python and numpy overhead of one column (its array and key), bytes


def check_population_size(n: int, model: DrugModel, occasions: int = 1) -> None:
    """Refuse, before drawing, a population whose covariates, etas and kappas (one set per
    occasion) alone exceed the budget."""
    columns = (3 + sum(len(block.names) for block in model.variability)
               + occasions * sum(len(block.names) for block in model.occasion_variability))
    size = (8.0 * n + _COLUMN_BYTES) * columns
    if size > MAX_POPULATION_BYTES:
        most = int(MAX_POPULATION_BYTES / columns - _COLUMN_BYTES) // 8
        fix = (f"Draw at most {most} at a time (different seeds) and reduce each with "
               "ketpk.summarize(...), which keeps memory bounded." if most >= 1 else
               f"Give fewer `occasions` (got {occasions}).")
        raise ParameterError(
            f"a population of {n} subjects needs about {size / 1e9:.3g} GB for its {columns} "
            f"covariate, eta and kappa columns alone (more than {MAX_POPULATION_BYTES / 1e9:g} GB), "
            f"before any simulation. {fix}")


def _count(n: Any, name: str = "n") -> int:
    """``n`` as an int >= 1, else a ParameterError naming the argument ``name``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"`{name}` must be a positive integer; got {n!r}.")
    return int(n)


def add_residual_error(result: Any, seed: Any = None) -> Any:
    """Simulated measurements from the model's residual error (:mod:`ketpk.residual`).

    One independent draw per subject, analyte and time from each analyte's
    ``model.residual_error`` (published form, or a labelled assumption); never negative
    (:meth:`ketpk.residual.ResidualError.draw`). Analytes without a residual error are returned
    unchanged. Returns a new result; ``metadata["residual_error"]`` lists the analytes perturbed
    and the seed.
    """
    rng, recorded = generator(seed)
    concentrations = dict(result.concentrations_umol_per_l)
    perturbed = []
    for error in result.model.residual_error:
        if error.analyte in concentrations:
            concentrations[error.analyte] = error.draw(concentrations[error.analyte], rng)
            perturbed.append(error.analyte)
    metadata = {**result.metadata, "residual_error": {"analytes": perturbed, "seed": recorded}}
    return dataclasses.replace(result, concentrations_umol_per_l=concentrations, metadata=metadata)
