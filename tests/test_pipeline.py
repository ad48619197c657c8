"""The pipeline under the front doors: the solver contract and the frozen plan (issue 11)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import ketpk
from ketpk import Bolus, Infusion, Q_, SolverError, Subject
from ketpk.plan import request
from ketpk.solvers import ExactSolver, Solver

TIMES = Q_(np.arange(0, 601, 10.0), "min")
REGIMEN = Bolus("0 min", "20 mg") + Infusion("1 h", rate="10 mg/h", duration="2 h")


class Delegating(Solver):
    """A minimal solver: only ``name`` and ``solve`` (the contract's required items)."""

    name = "delegating"

    def __init__(self):
        self.calls = 0

    def solve(self, A, schedule, times, C):
        self.calls += 1
        return ExactSolver().solve(A, schedule, times, C)


def test_a_solver_providing_only_solve_works_in_simulate_and_summarize():
    pop = ketpk.population.sample("esketamine", 30, seed=1)
    mine = Delegating()
    a = ketpk.simulate("esketamine", REGIMEN, TIMES, subjects=pop, solver=mine)
    b = ketpk.simulate("esketamine", REGIMEN, TIMES, subjects=pop)
    assert mine.calls >= 1 and a.solver == "delegating"
    assert_array_equal(a.concentration("ketamine").magnitude, b.concentration("ketamine").magnitude)
    s = ketpk.summarize("esketamine", REGIMEN, TIMES, subjects=pop, solver=Delegating(), chunk_subjects=7)
    assert_array_equal(s.percentile("ketamine", 50).magnitude, b.percentiles("ketamine", (50,))[0].magnitude)


def test_an_object_that_only_looks_like_a_solver_is_refused():
    class Duck:
        name = "duck"

        def solve(self, A, schedule, times, C):
            return None

    with pytest.raises(SolverError, match="Solver instance"):
        ketpk.simulate("esketamine", REGIMEN, TIMES, solver=Duck())


def test_default_stream_is_solve_as_one_piece():
    plan = request("esketamine", REGIMEN, TIMES, solver=Delegating()).plan()
    (idx, pieces), = plan.streams()
    (i0, i1, y), = list(pieces)
    assert (i0, i1) == (0, TIMES.size)
    assert_array_equal(y, plan.solve())


def test_plan_is_frozen_and_knows_its_outputs():
    req = request("esketamine", REGIMEN, TIMES, subjects=[Subject(weight="60 kg")] * 3, record="all")
    plan = req.plan()
    model = req.model
    assert plan.outputs == model.analytes + model.states
    assert plan.A.shape == (3, len(model.states), len(model.states))
    assert plan.C.shape == (3, len(plan.outputs), len(model.states))
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.A = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        req.model = None


def test_model_reports_its_layout_without_a_caller_building_a_system():
    model = ketpk.models.get("racemic")
    system = model.system(model.individual({}, {}, 1))
    assert model.states == system.states and model.species == system.species
    assert model.analytes == tuple(system.observe)


def test_ode_steady_state_comes_from_the_ode_solver_and_agrees_with_exact():
    dose = Bolus("0 h", "50 mg", "oral")
    ss = dose.repeat(every="6 h", count=2).with_steady_state(dose, every="6 h")
    exact = ketpk.simulate("esketamine", ss, TIMES).concentration("ketamine").magnitude
    ode = ketpk.simulate("esketamine", ss, TIMES, solver="ode").concentration("ketamine").magnitude
    assert np.max(np.abs(ode - exact)) < 1e-7 * exact.max()
    assert not np.array_equal(ode, exact)  # computed by the ODE path, not copied from exact


@pytest.mark.parametrize("rule", ["linear-up/log-down", "linear"])
def test_population_summary_and_nca_give_the_same_auc_cmax_tmax(rule):
    pop = ketpk.population.sample("esketamine", 40, seed=11)
    times = Q_(np.arange(0, 24 * 60 + 1, 30.0), "min")  # a coarse grid, where the rules differ
    regimen = Bolus("0 min", "25 mg", "intranasal") + Bolus("8 h", "25 mg", "intranasal")
    result = ketpk.simulate("esketamine", regimen, times, subjects=pop)
    summary = ketpk.summarize("esketamine", regimen, times, subjects=pop, chunk_subjects=13,
                              block_times=7, auc_rule=rule)
    for analyte in ("ketamine", "norketamine"):
        np.testing.assert_allclose(summary.auc(analyte).magnitude,
                                   ketpk.nca.auc(result, analyte, rule=rule).magnitude, rtol=1e-12)
        # the summary's streamed solve may differ from simulate's in the last bit: rtol 1e-12
        np.testing.assert_allclose(summary.cmax(analyte).magnitude,
                                   ketpk.nca.cmax(result, analyte).magnitude, rtol=1e-12)
        assert_array_equal(summary.tmax(analyte).magnitude, ketpk.nca.tmax(result, analyte).magnitude)
    other = "linear" if rule != "linear" else "linear-up/log-down"
    assert not np.allclose(summary.auc("ketamine").magnitude,
                           ketpk.nca.auc(result, rule=other).magnitude, rtol=1e-6)


def test_the_summary_auc_defaults_to_the_nca_rule():
    pop = ketpk.population.sample("esketamine", 8, seed=12)
    times = Q_(np.arange(0, 12 * 60 + 1, 30.0), "min")
    result = ketpk.simulate("esketamine", Bolus("0 min", "25 mg", "intranasal"), times, subjects=pop)
    summary = ketpk.summarize("esketamine", Bolus("0 min", "25 mg", "intranasal"), times, subjects=pop)
    assert summary.metadata["auc_rule"] == "linear-up/log-down"
    np.testing.assert_allclose(summary.auc("ketamine").magnitude, ketpk.nca.auc(result, "ketamine").magnitude,
                               rtol=1e-12)
