"""The one pipeline under every front door: validate, resolve, solve.

:func:`request` checks a front door's arguments once (model, regimen, output times, subjects,
solver, record) and returns a frozen :class:`Request`. :meth:`Request.plan` resolves it for a
batch of subjects into a frozen :class:`Plan`: individual parameters, the linear system, the
output rows and the schedule of inputs in µmol (steady-state start included), which the
solver consumes through its contract (:class:`~ketpk.solvers.base.Solver`). :func:`simulate`,
:func:`~ketpk.summarize`, the comparisons and the effects are thin wrappers over it.

Units inside (see :mod:`ketpk.units`): time min, amounts µmol, concentrations µmol/L.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import models, occasions, scenarios
from .drugform import check_drug_form
from .errors import CovariateRangeWarning, ParameterError, SolverError
from .model import DrugModel, Params
from .named import NamedRegimen
from .regimen import Regimen, as_regimen
from .schedule import Schedule, build_schedules
from .solvers import Solver, get_solver
from .steady_state import steady_start
from .subject import SubjectBatch, as_batch
from .timegrid import TimeGrid
from .units import COVARIATE_UNITS, to_canonical

__all__ = ["RECORDS", "MAX_RESULT_BYTES", "Request", "Plan", "request", "as_times", "warn_covariates",
           "check_drug_form", "check_etas_model", "check_size", "sampling_assumption"]

#: What a simulation keeps: plasma concentrations only, or also every compartment's amount.
RECORDS = ("all", "plasma")


def as_times(times: Any) -> np.ndarray:
    """Output times (Quantity, string [time] or :class:`~ketpk.TimeGrid`) as a sorted, finite,
    >= 0 array in min."""
    if isinstance(times, TimeGrid):
        return times.minutes.copy()
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


def warn_covariates(model: DrugModel, batch: SubjectBatch) -> None:
    """Warn (:class:`CovariateRangeWarning`) when covariates lie outside the model's validated
    range, including the model's reference values used when a covariate is not given."""
    told = False  # one warning about the reference subject is enough
    for name, (low, high) in model.covariate_range.items():
        values = batch.covariates.get(name)
        if values is None and told:
            continue
        if values is None:
            told = True
            reference = model.reference_covariates.get(name)
            if reference is not None and ((low is not None and reference < low)
                                          or (high is not None and reference > high)):
                unit = COVARIATE_UNITS.get(name, "")
                warnings.warn(
                    f"no {name} given: model {model.id!r} simulates its reference {name} of "
                    f"{reference:g} {unit}, outside the range {low}–{high} {unit} in which it was "
                    f"validated. Pass subjects=ketpk.Subject({name}=...) within that range.",
                    CovariateRangeWarning, stacklevel=4)
            elif name == "age" and high is not None and high <= ADULT_AGE and "weight" not in batch.covariates:
                weight = model.reference_covariates.get("weight")
                typical = f"its reference weight of {weight:g} kg" if weight else "its typical values"
                warnings.warn(
                    f"no subject given: model {model.id!r} was validated in children (age {low}–"
                    f"{high} year) and simulates {typical}. Pass subjects=ketpk.Subject(weight=..., "
                    "age=...) for the child you mean.", CovariateRangeWarning, stacklevel=4)
            else:
                told = False
            continue
        outside = (low is not None and np.any(values < low)) or (high is not None and np.any(values > high))
        if outside:
            unit = COVARIATE_UNITS.get(name, "")
            warnings.warn(
                f"{name} {np.min(values):g}–{np.max(values):g} {unit} lies outside the range "
                f"{low}–{high} {unit} in which model {model.id!r} was validated; results are "
                "extrapolated. Choose a model validated for these subjects (ketpk.models.available()) "
                "or read the curves as extrapolation.",
                CovariateRangeWarning, stacklevel=4,
            )


@dataclass(frozen=True, eq=False)
class Request:
    """A front door's checked arguments: what to simulate, for whom, on which grid, how.

    ``times_min`` (T,) are the output times in min; ``analytes`` the concentrations to output
    (µmol/L); ``record="all"`` also outputs every state's amount (µmol).
    """

    model: DrugModel
    regimen: Regimen
    times_min: np.ndarray
    subjects: SubjectBatch
    solver: Solver
    record: str
    analytes: tuple[str, ...]
    named: NamedRegimen | None = None

    @property
    def given(self) -> Regimen | NamedRegimen:
        """The regimen as the caller gave it (a protocol keeps its name), for results and titles."""
        return self.regimen if self.named is None else self.named

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Assumption labels of the model, of each route used and of the regimen (a protocol's)."""
        used = sorted({dose.route for dose in self.regimen})
        named = () if self.named is None else tuple(
            f"protocol {self.named.name}: {a}" for a in self.named.assumptions)
        return (self.model.assumptions + sampling_assumption(self.model)
                + tuple(f"route {r}: {a}" for r in used for a in self.model.route(r).assumptions)
                + named)

    def plan(self, subjects: SubjectBatch | None = None) -> Plan:
        """Resolve for ``subjects`` (default: all of the request's): parameters, system, schedules."""
        batch = self.subjects if subjects is None else subjects
        model = self.model
        params = model.individual(batch.covariates, batch.etas, batch.n)
        system = model.system(params)
        C = np.stack([system.observe[a] for a in self.analytes], axis=1)
        outputs = self.analytes
        if self.record == "all":
            n = len(system.states)
            C = np.concatenate([C, np.broadcast_to(np.eye(n), (batch.n, n, n))], axis=1)
            outputs = outputs + system.states
        with np.errstate(over="ignore"):  # a dose that overflows is reported by check_finite
            groups = build_schedules(model, params, system, self.regimen.resolve(batch.weights, batch.n))
        steady = self.regimen.steady_state
        if steady is not None:
            groups = steady_start(steady, groups, model, params, system, batch.weights, self.solver)
        return Plan(self, batch, params, system.states, system.species, system.A, C, outputs,
                    tuple(groups))

    def blocks(self, start: int, stop: int, edges: np.ndarray,
               into: Callable[[int], np.ndarray] | None = None) -> Iterator[np.ndarray]:
        """Outputs of subjects ``start:stop`` in blocks of times between consecutive ``edges``
        (indices into the times): arrays (O, block, stop - start), subjects last so that
        reductions over subjects run along contiguous memory. ``into(b)``, if given, returns the
        array to write block ``b`` into (then yielded; e.g. a slice of a buffer that all chunks
        of a summary share), else each block is a new array. Blocks are not checked for
        finiteness here: :func:`ketpk.summarize` checks each block's means (:func:`check_finite`
        when one is not finite), a pass it makes anyway. The plan (system, schedules) is
        dropped once the solver's streams are open: they hold only what the solver kept.
        Subjects with kappas of several occasions: the occasions' blocks summed
        (:func:`ketpk.occasions.blocks`)."""
        if occasions.applies(self):
            yield from occasions.blocks(self, start, stop, edges, into)
            return
        plan = self.plan(self.subjects.subset(start, stop))
        n_outputs = len(plan.outputs)
        groups = plan.streams()
        del plan
        if len(groups) == 1:  # one group holds everyone in order: written straight into place
            yield from _reblock(groups[0][1], edges, n_outputs, into)
            return
        streams = [(idx, _reblock(pieces, edges, n_outputs)) for idx, pieces in groups]
        for b, parts in enumerate(zip(*(s for _, s in streams))):
            block = (np.empty((n_outputs, parts[0].shape[1], stop - start)) if into is None
                     else into(b))
            for (idx, _), part in zip(streams, parts):
                block[:, :, idx] = part
            yield block


def request(model: Any, regimen: Any, times: Any, *, subjects: Any = None, solver: Any = "exact",
            record: str = "plasma", analytes: Sequence[str] | None = None,
            scenario: Any = None, sampling: str | None = None) -> Request:
    """Check a front door's arguments once and return a :class:`Request`.

    Arguments as for :func:`ketpk.simulate`; ``analytes`` (default: all of the model's) picks
    the concentrations to output; ``scenario`` what-ifs are applied to the model first;
    ``sampling`` (``"arterial"``/``"venous"``, default the model's own) the plasma simulated.
    Warns when covariates lie outside the model's validated range.
    """
    model = models.resolve(model).with_scenario(*scenarios.resolve(scenario))
    if sampling is not None:
        model = model.at_site(sampling)
    named = regimen if isinstance(regimen, NamedRegimen) else None
    regimen = as_regimen(regimen)
    minutes = as_times(times)
    engine = get_solver(solver)
    if record not in RECORDS:
        raise ParameterError(f"`record` must be one of {RECORDS}; got {record!r}.")
    known = model.analytes
    chosen = tuple(analytes or known)
    unknown = set(chosen) - set(known)
    if unknown:
        raise ParameterError(f"`analytes` must be among {known}; got {sorted(unknown)}.")
    check_drug_form(model, regimen, named)
    batch = as_batch(subjects)
    check_etas_model(model, batch)
    warn_covariates(model, batch)
    return Request(model, regimen, minutes, batch, engine, record, chosen, named)


def check_etas_model(model: DrugModel, batch: SubjectBatch) -> None:
    """Random effects drawn for one model are meaningless in another (other variances, other
    parameters of the same name): refuse them rather than apply or drop them silently. An
    effect-site copy (id ``"<model>@<site>"``, :func:`ketpk.effects.site.with_effect_site`) has
    its model's random effects."""
    base = model.id.partition("@")[0]
    if batch.etas and batch.drawn_for is not None and batch.drawn_for.partition("@")[0] != base:
        raise ParameterError(
            f"the population was drawn for model {batch.drawn_for!r} (its random effects are that "
            f"model's), but the simulation uses model {model.id!r}. Draw one for this model: "
            f"ketpk.population.sample({base!r}, n), or sample covariates only with "
            "variability=False.")


def sampling_assumption(model: DrugModel) -> tuple[str, ...]:
    """The sampling-site label of a model with an arterio-venous link (it travels into results)."""
    if model.venous_link is None:
        return ()
    link = model.parameter(model.venous_link)
    how = ("the model's compartments" if model.sampling == "arterial" else
           f"a first-order delay of arterial plasma, {link.name} = {link.canonical:.3g} 1/min "
           f"({link.source})")  # canonical: no pint on the fast path
    return (f"sampling: {model.sampling} plasma = {how}; the same link for every analyte",)


#: Models whose validated age range ends at or below this (year) are paediatric.
ADULT_AGE = 18.0


def check_finite(outputs: np.ndarray, req: Request) -> np.ndarray:
    """``outputs`` if every value is finite, else a SolverError (a dose too large for floating
    point, or a system that diverges): never an inf or NaN curve that looks like a result."""
    with np.errstate(invalid="ignore", over="ignore"):  # a finite sum is the quick answer
        finite = np.isfinite(outputs.sum()) or np.isfinite(outputs).all()
    if not finite:
        with np.errstate(over="ignore", invalid="ignore"):  # mg/kg × kg may overflow: the error says so
            largest = max((float(np.max(d.resolve(req.subjects.weights, req.subjects.n).amount))
                           for d in req.regimen), default=0.0)
        dose = (f"{largest:.3g} mg" if np.isfinite(largest) else
                "beyond floating point (a per-kg dose times the weight overflows)")
        raise SolverError(
            f"the simulation of model {req.model.id!r} gave non-finite concentrations (inf or NaN); "
            f"the largest dose is {dose}. Doses this large overflow floating point: give "
            "doses of a physical size (results are linear in the dose).")
    return outputs


def check_size(n_subjects: int, n_outputs: int, n_times: int) -> None:
    """Refuse, before any work, a full result larger than :data:`MAX_RESULT_BYTES`."""
    size = 8.0 * n_subjects * n_outputs * n_times
    if size > MAX_RESULT_BYTES:
        raise ParameterError(
            f"this simulation would hold {n_subjects} subjects × {n_outputs} outputs × {n_times} "
            f"times = {size / 1e9:.3g} GB of results (more than {MAX_RESULT_BYTES / 1e9:g} GB). Use "
            "ketpk.summarize(...) for percentiles and per-subject metrics in bounded memory, fewer "
            "output times, or fewer subjects.")


#: The largest full result :func:`ketpk.simulate` builds (bytes); larger ones go to summarize.
MAX_RESULT_BYTES = 2e9


@dataclass(frozen=True, eq=False)
class Plan:
    """A request resolved for a batch of S subjects: everything the solver needs.

    ``A`` (S, n, n) 1/min and ``C`` (S, O, n) rows of the ``outputs`` (analytes in 1/L, then
    states when ``record="all"``); ``groups`` pairs subject indices with the
    :class:`~ketpk.schedule.Schedule` (µmol, µmol/min) they share.
    """

    request: Request
    subjects: SubjectBatch
    params: Params
    states: tuple[str, ...]
    species: tuple[str, ...]
    A: np.ndarray
    C: np.ndarray
    outputs: tuple[str, ...]
    groups: tuple[tuple[np.ndarray, Schedule], ...]

    def check_inputs(self) -> None:
        """The same SolverError as for non-finite outputs when a dose already overflowed in µmol
        (e.g. 1e308 mg), before any solver sees it (an ODE solver would refuse it in its own words)."""
        for _, schedule in self.groups:
            for inputs in (schedule.jumps, schedule.rates, schedule.x0):
                check_finite(inputs, self.request)

    def solve(self) -> np.ndarray:
        """Outputs (S, O, T): concentrations µmol/L (then amounts µmol) at the request's times."""
        solver, minutes = self.request.solver, self.request.times_min
        self.check_inputs()
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported by check_finite
            if len(self.groups) == 1:  # one group holds everyone in order: keep the solver's array
                return check_finite(solver.solve(self.A, self.groups[0][1], minutes, self.C), self.request)
            out = np.empty((self.subjects.n, self.C.shape[1], minutes.size))
            for idx, schedule in self.groups:
                out[idx] = solver.solve(self.A[idx], schedule, minutes, self.C[idx])
        return check_finite(out, self.request)

    def streams(self) -> list[tuple[np.ndarray, Iterator[tuple[int, int, np.ndarray]]]]:
        """Per schedule group: (subject indices, the solver's pieces ``(i0, i1, y)`` in time order)."""
        solver, minutes = self.request.solver, self.request.times_min
        self.check_inputs()
        if len(self.groups) == 1:  # one group holds everyone in order: no copies of A and C
            return [(self.groups[0][0], solver.stream(self.A, self.groups[0][1], minutes, self.C))]
        return [(idx, solver.stream(self.A[idx], schedule, minutes, self.C[idx]))
                for idx, schedule in self.groups]


_TILE = 64  # subjects per tile of a transposing copy


def _transpose_into(block: np.ndarray, y: np.ndarray) -> None:
    """``block`` (O, j, S) = ``y`` (S, O, j), copied in tiles of subjects: a strided ``y`` read
    in one sweep is several times slower (cache conflicts). The whole tiles go in one ufunc
    call over (tile, O, j, subject in tile) views, whose iterator walks them tile by tile (a
    plain assignment would walk the destination's order), without the interpreter's lock; splitting
    the subjects axis into tiles is always a view."""
    S, O, j = y.shape
    whole = S - S % _TILE
    if whole:
        tiles = (whole // _TILE, _TILE, O, j)
        np.positive(y[:whole].reshape(tiles).transpose(0, 2, 3, 1),
                    out=block[:, :, :whole].reshape(O, j, whole // _TILE, _TILE).transpose(2, 0, 1, 3))
    if whole < S:
        block[:, :, whole:] = y[whole:].transpose(1, 2, 0)


def _reblock(pieces: Iterator, edges: np.ndarray, n_outputs: int,
             into: Callable[[int], np.ndarray] | None = None) -> Iterator[np.ndarray]:
    """Re-cut time-ordered pieces ``(i0, i1, y)``, ``y`` (S, O, i1 - i0), into blocks between
    consecutive ``edges``, laid out subjects last: (O, e1 - e0, S), written into ``into(b)``
    for block ``b`` when given, else new arrays."""
    current = None
    for b, (e0, e1) in enumerate(zip(edges[:-1], edges[1:])):
        block = None if into is None else into(b)
        filled = e0
        while filled < e1:
            if current is None or current[1] <= filled:
                current = next(pieces)
            i0, i1, y = current
            if block is None:
                block = np.empty((n_outputs, e1 - e0, len(y)))
            stop = min(i1, e1)
            _transpose_into(block[:, filled - e0:stop - e0], y[:, :, filled - i0:stop - i0])
            filled = stop
        yield block
