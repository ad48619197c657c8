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



def test_independent_parts_move_as_one_system():
    """States that exchange nothing are stepped as separate parts (a racemate's R and S
    systems): with the parts' states interleaved, different infusions into each and a bolus,
    the outputs equal the ODE solver's on an even grid (table) and on uneven times."""
    from ketpk.schedule import Schedule
    from ketpk.solvers import OdeSolver

    S = 3
    k = np.array([[0.05], [0.02], [0.1]]) * np.array([1.0, 1.5, 0.7])  # (3 rates, S) 1/min
    A = np.zeros((S, 4, 4))  # part 1: states 0 -> 2, part 2: states 1 -> 3 (interleaved)
    A[:, 0, 0], A[:, 2, 0], A[:, 2, 2] = -k[0], k[0], -k[2]
    A[:, 1, 1], A[:, 3, 1] = -k[1], k[1]
    rates = np.zeros((3, S, 4))
    rates[0, :, 0], rates[1, :, 1], rates[1, :, 0] = 2.0, 5.0, 1.0  # µmol/min, changing at 60 min
    jumps = np.zeros((3, S, 4))
    jumps[2, :, 1] = 40.0  # µmol at 150 min
    schedule = Schedule(np.array([0.0, 60.0, 150.0]), jumps, rates, np.zeros((S, 4)))
    C = np.broadcast_to(np.eye(4)[[2, 3, 0]], (S, 3, 4)).copy()
    for times in (np.arange(0, 301, 3.0), np.sort(np.append(np.arange(0, 301, 7.0), [61.5, 149.9]))):
        exact = ExactSolver().solve(A, schedule, times, C)
        ode = OdeSolver().solve(A, schedule, times, C)
        assert_allclose(exact, ode, rtol=1e-7, atol=1e-9 * np.abs(ode).max())
        assert exact[:, 1].max() > 0 and exact[:, 0].max() > 0
