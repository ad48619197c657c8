"""The summary's shared block buffers: chunks written in place, several schedule groups per
chunk (individual lag times) scattered into them, a short last block, and one Running per
analyte over all subjects; every statistic equals the full array's."""

import dataclasses
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import ketpk
from ketpk import Bolus, Q_, SolverError, metrics
from ketpk.model import OmegaBlock
from ketpk.population import sample
from ketpk.solvers import ExactSolver, Solver

from .conftest import one_compartment


def test_summary_of_lagged_groups_in_chunks_equals_the_full_array():
    model = dataclasses.replace(one_compartment(lag="15 min"), variability=(
        OmegaBlock(("TLAG", "KA"), ((0.2, 0.0), (0.0, 0.1)), source="test"),))
    pop = sample(model, 45, seed=4)
    regimen = Bolus(time="7 min", amount="25 mg", route="oral")
    times = Q_(np.arange(0, 601, 3.0), "min")  # 201 times: the last block of 9 holds 3
    full = ketpk.simulate(model, regimen, times, subjects=pop, record="plasma")
    summary = ketpk.summarize(model, regimen, times, subjects=pop, q=(0, 5, 50, 95, 100),
                              chunk_subjects=16, block_times=9)
    t = full.times_min
    values = full.concentrations_umol_per_l["ketamine"]
    assert_allclose(summary.percentiles_umol_per_l["ketamine"],
                    np.percentile(values, (0, 5, 50, 95, 100), axis=0), rtol=1e-12, atol=0)
    assert_allclose(summary.mean_umol_per_l["ketamine"], values.mean(axis=0), rtol=1e-12, atol=0)
    assert_allclose(summary.cmax_umol_per_l["ketamine"], metrics.cmax(values), rtol=1e-12, atol=0)
    assert_array_equal(summary.tmax_min["ketamine"], metrics.tmax(t, values))
    assert_allclose(summary.auc_umol_min_per_l["ketamine"], metrics.auc(t, values), rtol=1e-12, atol=0)


class OneNaN(Solver):
    """The exact solver's outputs with one value spoiled: a curve no summary may report."""

    name = "one-nan"

    def solve(self, A, schedule, times, C):
        out = ExactSolver().solve(A, schedule, times, C)
        out[-1, 0, len(times) // 2] = np.nan
        return out


def test_a_non_finite_block_raises_the_solver_error_and_no_numpy_warning():
    pop = sample("esketamine", 30, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(SolverError, match=r"gave non-finite concentrations \(inf or NaN\)"):
            ketpk.summarize("esketamine", Bolus("0 min", "20 mg"), Q_(np.arange(0, 601, 10.0), "min"),
                            subjects=pop, solver=OneNaN(), chunk_subjects=7, block_times=9)


class FailsLater(Solver):
    """A streaming solver whose third piece fails: the summary must raise it, not hang."""

    name = "fails-later"

    def solve(self, A, schedule, times, C):
        return ExactSolver().solve(A, schedule, times, C)

    def stream(self, A, schedule, times, C):
        for k, piece in enumerate(ExactSolver(chunk=8).stream(A, schedule, times, C)):
            if k == 2:
                raise RuntimeError("solver failed on its third piece")
            yield piece


def test_a_stream_that_fails_midway_raises_its_error_from_summarize():
    pop = sample("esketamine", 30, seed=6)
    with pytest.raises(RuntimeError, match="third piece"):
        ketpk.summarize("esketamine", Bolus("0 min", "20 mg"), Q_(np.arange(0, 601, 5.0), "min"),
                        subjects=pop, solver=FailsLater(), chunk_subjects=7, block_times=9, workers=2)
