"""The front door: :func:`simulate` checks and resolves (:mod:`ketpk.plan`), solves and wraps."""

from __future__ import annotations

from typing import Any

from . import occasions
from .plan import check_size, request
from .result import SimulationResult, provenance

__all__ = ["simulate"]


def simulate(model: Any, regimen: Any, times: Any, *, subjects: Any = None,
             solver: Any = "exact", record: str = "plasma", scenario: Any = None,
             sampling: str | None = None) -> SimulationResult:
    """Simulate plasma concentrations of ketamine and its metabolites.

    Parameters
    ----------
    model : DrugModel or str
        A model object or registry id (``"esketamine"``, ``"racemic"``, ``"esketamine.otto2021"``).
    regimen : Regimen, Bolus, Infusion or Protocol
        The doses; per-weight doses are resolved with each subject's weight. A protocol
        (:func:`ketpk.protocols.get`) is simulated by its regimen; the result keeps the protocol.
    times : Quantity, str [time] or TimeGrid
        Output times from the start of the regimen, sorted, >= 0 (e.g. ``Q_(np.arange(0, 601), "min")``,
        or ``ketpk.TimeGrid("10 h", step="1 min")``, read without pint).
    subjects : Subject, list of Subject, or population, optional
        Who is dosed. ``None`` means the model's typical subject (70 kg); per-weight doses then
        need an explicit weight.
    solver : {"exact", "ode"} or Solver
        ``"exact"`` (matrix exponential, default), ``"ode"`` (scipy ``solve_ivp``) or an instance
        of :class:`ketpk.solvers.Solver`.
    record : {"plasma", "all"}
        ``"plasma"`` (default) keeps the concentrations; ``"all"`` also keeps every compartment's
        amount for :meth:`SimulationResult.amount` (one more output per state: about 3-5x the
        time and memory of a population run).
    scenario : scenario, interaction name, or a sequence of them, optional
        Clinical what-ifs applied to the model first (:mod:`ketpk.scenarios`), e.g.
        ``"clarithromycin"``; their labels go into ``result.assumptions``.
    sampling : {"arterial", "venous"}, optional
        The plasma simulated (default: the model's own site, ``model.sampling``). The defaults
        (``"racemic"``, ``"esketamine"``) simulate both through an arterio-venous link; a
        published model only its paper's site (ParameterError otherwise). The site and the link
        go into ``result.assumptions``.

    Returns
    -------
    SimulationResult
        Concentrations in µmol/L inside, read in any unit with ``.concentration(analyte, unit)``.

    Raises
    ------
    UnitError, RegimenError, ParameterError, ModelNotFoundError, SolverError
    """
    req = request(model, regimen, times, subjects=subjects, solver=solver, record=record,
                  scenario=scenario, sampling=sampling)
    n_outputs = len(req.analytes) + (len(req.model.states) if req.record == "all" else 0)
    check_size(req.subjects.n, n_outputs, req.times_min.size)
    assumptions = req.assumptions
    if occasions.applies(req):
        plan, outputs = occasions.solve(req)
        assumptions += (occasions.ASSUMPTION,)
    else:
        plan = req.plan()
        outputs = plan.solve()
    n_analytes = len(req.analytes)
    return SimulationResult(
        times_min=req.times_min,
        concentrations_umol_per_l={a: outputs[:, i] for i, a in enumerate(req.analytes)},
        states=plan.states,
        species=plan.species,
        amounts_umol=outputs[:, n_analytes:] if req.record == "all" else None,
        model=req.model,
        regimen=req.given,
        solver=req.solver.name,
        single=req.subjects.single,
        assumptions=assumptions,
        metadata={**provenance(req.model, req.solver.name, req.subjects.seed),
                  "subjects": req.subjects.describe()},
    )
