"""The front door: :func:`simulate` validates, resolves, dispatches and wraps."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import models, scenarios
from .errors import CovariateRangeWarning, ParameterError, RegimenError
from .model import DrugModel
from .regimen import Bolus, Infusion, Regimen
from .result import SimulationResult, provenance
from .schedule import build_schedules
from .solvers import get_solver
from .subject import SubjectBatch, as_batch
from .units import to_canonical

__all__ = ["simulate"]

_RECORD = ("all", "plasma")
_COVARIATE_UNITS = {"weight": "kg", "age": "year"}


def _times(times: Any) -> np.ndarray:
    minutes = np.atleast_1d(np.asarray(to_canonical(times, "[time]", "times"), dtype=float))
    if minutes.ndim != 1 or minutes.size == 0:
        raise ParameterError(f"`times` must be a non-empty 1-D array of times; got shape {minutes.shape}.")
    bad = ~np.isfinite(minutes) | (minutes < 0)
    if np.any(bad):
        k = int(np.flatnonzero(bad)[0])
        raise ParameterError(
            f"`times` must be finite and >= 0 (time from the start of the regimen); got "
            f"{minutes[k]:g} min at index {k}. Give e.g. Q_(np.linspace(0, 600, 601), 'min')."
        )
    steps = np.diff(minutes)
    if np.any(steps <= 0):
        k = int(np.flatnonzero(steps <= 0)[0])
        kind = "a duplicate" if steps[k] == 0 else "out of order"
        raise ParameterError(
            f"`times` must be strictly increasing (sorted, no duplicates); got {minutes[k]:g} then "
            f"{minutes[k + 1]:g} min at index {k + 1} ({kind}). Sort them first, e.g. np.unique(times)."
        )
    return minutes



def _regimen(regimen: Any) -> Regimen:
    if isinstance(regimen, (Bolus, Infusion)):
        return Regimen([regimen])
    if not isinstance(regimen, Regimen):
        raise RegimenError(
            f"`regimen` must be a Regimen, Bolus or Infusion; got {regimen!r} of type "
            f"{type(regimen).__name__}."
        )
    return regimen


def _warn_covariates(model: DrugModel, batch: SubjectBatch) -> None:
    for name, (low, high) in model.covariate_range.items():
        values = batch.covariates.get(name)
        if values is None:
            continue
        outside = (low is not None and np.any(values < low)) or (high is not None and np.any(values > high))
        if outside:
            unit = _COVARIATE_UNITS.get(name, "")
            warnings.warn(
                f"{name} {np.min(values):g}–{np.max(values):g} {unit} lies outside the range "
                f"{low}–{high} {unit} in which model {model.id!r} was validated; results are "
                "extrapolated. Choose a model validated for these subjects (ketpk.models.available()) "
                "or read the curves as extrapolation.",
                CovariateRangeWarning, stacklevel=3,
            )


def plan(model: DrugModel, regimen: Regimen, batch: SubjectBatch, record: str):
    """What the solver needs for ``batch``: (system, analytes, C (S, O, n), schedule groups).

    Shared by :func:`simulate` and the chunked summaries (:mod:`ketpk.summary`).
    """
    params = model.individual(batch.covariates, batch.etas, batch.n)
    system = model.system(params)
    doses = regimen.resolve(batch.weights, batch.n)
    analytes = tuple(system.observe)
    n_states = len(system.states)
    C = np.stack([system.observe[a] for a in analytes], axis=1)
    if record == "all":
        C = np.concatenate([C, np.broadcast_to(np.eye(n_states), (batch.n, n_states, n_states))], axis=1)
    groups = build_schedules(model, params, system, doses)
    if regimen.steady_state is not None:
        groups = regimen.steady_state.apply(groups, model, params, system, batch.weights)
    return system, analytes, C, groups


def simulate(model: Any, regimen: Any, times: Any, *, subjects: Any = None,
             solver: Any = "exact", record: str = "plasma", scenario: Any = None) -> SimulationResult:
    """Simulate plasma concentrations of ketamine and its metabolites.

    Parameters
    ----------
    model : DrugModel or str
        A model object or registry id (``"esketamine"``, ``"racemic"``, ``"esketamine.otto2021"``).
    regimen : Regimen, Bolus or Infusion
        The doses; per-weight doses are resolved with each subject's weight.
    times : Quantity or str [time]
        Output times from the start of the regimen, sorted, >= 0 (e.g. ``Q_(np.arange(0, 601), "min")``).
    subjects : Subject, list of Subject, or population, optional
        Who is dosed. ``None`` means the model's typical subject (70 kg); per-weight doses then
        need an explicit weight.
    solver : {"exact", "ode"} or solver object
        ``"exact"`` (matrix exponential, default) or ``"ode"`` (scipy ``solve_ivp``).
    record : {"plasma", "all"}
        ``"plasma"`` (default) keeps the concentrations; ``"all"`` also keeps every compartment's
        amount for :meth:`SimulationResult.amount` (one more output per state: about 3-5x the
        time and memory of a population run).
    scenario : scenario, interaction name, or a sequence of them, optional
        Clinical what-ifs applied to the model first (:mod:`ketpk.scenarios`), e.g.
        ``"clarithromycin"``; their labels go into ``result.assumptions``.

    Returns
    -------
    SimulationResult

    Raises
    ------
    UnitError, RegimenError, ParameterError, ModelNotFoundError, SolverError
    """
    model = models.resolve(model).with_scenario(*scenarios.resolve(scenario))
    regimen = _regimen(regimen)
    minutes = _times(times)
    engine = get_solver(solver)
    if record not in _RECORD:
        raise ParameterError(f"`record` must be one of {_RECORD}; got {record!r}.")
    batch = as_batch(subjects)
    _warn_covariates(model, batch)
    system, analytes, C, groups = plan(model, regimen, batch, record)
    if len(groups) == 1:  # one group holds everyone in order: keep the solver's array, no copy
        outputs = engine.solve(system.A, groups[0][1], minutes, C)
    else:
        outputs = np.empty((batch.n, C.shape[1], minutes.size))
        for idx, schedule in groups:
            outputs[idx] = engine.solve(system.A[idx], schedule, minutes, C[idx])
    used_routes = {dose.route for dose in regimen}
    assumptions = model.assumptions + tuple(
        f"route {r}: {a}" for r in sorted(used_routes) for a in model.route(r).assumptions
    ) + tuple(f"protocol {regimen.name}: {a}" for a in getattr(regimen, "assumptions", ()))
    return SimulationResult(
        times_min=minutes,
        concentrations_umol_per_l={a: outputs[:, i] for i, a in enumerate(analytes)},
        states=system.states,
        species=system.species,
        amounts_umol=outputs[:, len(analytes):] if record == "all" else None,
        model=model,
        regimen=regimen,
        solver=engine.name,
        single=batch.single,
        assumptions=assumptions,
        metadata={**provenance(model, engine.name, batch.seed), "subjects": batch.describe()},
    )
