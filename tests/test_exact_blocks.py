"""The exact solver's table path (grouped blocks, stepping on to the next dose from the last
block) against its per-time exponentials: the same outputs to rounding."""

import numpy as np
from numpy.testing import assert_allclose

import ketpk
from ketpk import Infusion, Q_
from ketpk.solvers import ExactSolver

REGIMEN = (Infusion("0 h", rate="0.35 mg/kg/h", duration="4 h") + Infusion("24 h", rate="0.35 mg/kg/h", duration="4 h")
           + Infusion("48 h", rate="0.35 mg/kg/h", duration="4 h"))


def test_aligned_grid_equals_per_time_exponentials():
    pop = ketpk.population.sample("racemic", 6, seed=11)
    grid = np.arange(0, 72 * 60 + 1, 5.0)  # every dose event lies on the grid
    events = np.array([0, 4, 24, 28, 48, 52]) * 60.0
    uneven = np.sort(np.append(grid, events + 1.234))  # off-grid times: every segment per time
    for chunk in (8, 16, None):
        solver = ExactSolver(chunk=chunk)
        table = ketpk.simulate("racemic", REGIMEN, Q_(grid, "min"), subjects=pop, solver=solver)
        direct = ketpk.simulate("racemic", REGIMEN, Q_(uneven, "min"), subjects=pop, solver=solver)
        keep = np.isin(uneven, grid)
        for analyte in ("ketamine", "norketamine"):
            a = table.concentrations_umol_per_l[analyte]
            b = direct.concentrations_umol_per_l[analyte][:, keep]
            assert_allclose(a, b, rtol=1e-11, atol=1e-12 * np.abs(b).max())


def test_streamed_pieces_equal_the_solved_result():
    pop = ketpk.population.sample("racemic", 5, seed=12)
    times = Q_(np.arange(0, 72 * 60 + 1, 5.0), "min")
    full = ketpk.simulate("racemic", REGIMEN, times, subjects=pop).concentrations_umol_per_l
    summary = ketpk.summarize("racemic", REGIMEN, times, subjects=pop, chunk_subjects=2, q=(0, 100))
    for analyte in ("ketamine", "norketamine"):
        assert_allclose(summary.percentiles_umol_per_l[analyte][0], full[analyte].min(axis=0), rtol=1e-13)
        assert_allclose(summary.percentiles_umol_per_l[analyte][1], full[analyte].max(axis=0), rtol=1e-13)
        assert_allclose(summary.cmax_umol_per_l[analyte], full[analyte].max(axis=1), rtol=1e-13)
