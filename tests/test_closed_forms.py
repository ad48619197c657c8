"""The exact solver against closed-form solutions, and the ODE solver against both."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import ketpk
from ketpk import Bolus, Infusion, Q_, simulate

from .analytic import bateman, bateman_tmax, one_cmt_bolus, one_cmt_infusion
from .conftest import one_compartment

T = np.linspace(0, 600, 241)
TIMES = Q_(T, "min")
CL, V = 5.0, 100.0
# Exact: round-off only. ODE: rtol 1e-10 per step accumulates to ~1e-9 globally.
RTOL = {"exact": 1e-10, "ode": 1e-7}


@pytest.mark.parametrize("solver", ["exact", "ode"])
def test_iv_bolus_matches_closed_form(toy, solver):
    res = simulate(toy, Bolus("0 min", "50 mg"), TIMES, solver=solver)
    expected = one_cmt_bolus(T, 50.0, CL, V)
    assert_allclose(res.concentration("ketamine", "mg/L").magnitude, expected, rtol=RTOL[solver], atol=1e-14)


@pytest.mark.parametrize("solver", ["exact", "ode"])
def test_infusion_during_and_after_matches_closed_form(toy, solver):
    res = simulate(toy, Infusion("0 min", rate="2 mg/min", duration="90 min"), TIMES, solver=solver)
    expected = one_cmt_infusion(T, 2.0, 90.0, CL, V)
    assert_allclose(res.concentration("ketamine", "mg/L").magnitude, expected, rtol=RTOL[solver], atol=1e-14)


def test_long_infusion_reaches_rate_over_clearance(toy):
    res = simulate(toy, Infusion("0 min", rate="2 mg/min", duration="50 h"), Q_([49.0], "h"))
    assert res.concentration("ketamine", "mg/L").magnitude[0] == pytest.approx(2.0 / CL, rel=1e-9)


@pytest.mark.parametrize("ka", [0.05, 0.2, CL / V])  # the last is ka = k
@pytest.mark.parametrize("solver", ["exact", "ode"])
def test_oral_bateman_including_ka_equal_k(ka, solver):
    model = one_compartment(ka=f"{ka} 1/min", f="0.2")
    res = simulate(model, Bolus("0 min", "100 mg", route="oral"), TIMES, solver=solver)
    expected = bateman(T, 100.0, 0.2, ka, CL, V)
    assert_allclose(res.concentration("ketamine", "mg/L").magnitude, expected, rtol=RTOL[solver], atol=1e-14)


def test_bateman_peak_time():
    model = one_compartment(ka="0.2 1/min")
    fine = np.linspace(0, 60, 60001)
    res = simulate(model, Bolus("0 min", "100 mg", route="oral"), Q_(fine, "min"))
    c = res.concentration("ketamine").magnitude
    assert fine[np.argmax(c)] == pytest.approx(bateman_tmax(0.2, CL / V), abs=1e-3)


def test_lag_time_shifts_the_oral_curve():
    lagged = one_compartment(lag="15 min")
    res = simulate(lagged, Bolus("0 min", "100 mg", route="oral"), TIMES)
    expected = bateman(np.clip(T - 15.0, 0, None), 100.0, 0.2, 0.05, CL, V)
    assert_allclose(res.concentration("ketamine", "mg/L").magnitude, expected, rtol=1e-9, atol=1e-14)


def test_metabolite_chain_matches_closed_form():
    model = one_compartment(metabolite=True)
    res = simulate(model, Bolus("0 min", "100 mg"), TIMES)
    dose = 100.0 * 1000 / 237.73  # µmol
    k1, k2 = CL / V, 2.0 / 50.0
    expected = 0.8 * dose * k1 / (50.0 * (k2 - k1)) * (np.exp(-k1 * T) - np.exp(-k2 * T))
    assert_allclose(res.concentration("norketamine", "umol/L").magnitude, expected, rtol=1e-9, atol=1e-14)


def test_output_grid_not_aligned_with_doses_is_exact(toy):
    times = np.linspace(3.3, 700.7, 997)
    reg = Bolus("17.77 min", "50 mg") + Infusion("101.1 min", rate="1 mg/min", duration="33.3 min")
    res = simulate(toy, reg, Q_(times, "min"))
    expected = one_cmt_bolus(np.clip(times - 17.77, 0, None), 50.0, CL, V) * (times >= 17.77)
    expected += one_cmt_infusion(np.clip(times - 101.1, 0, None), 1.0, 33.3, CL, V) * (times >= 101.1)
    assert_allclose(res.concentration("ketamine", "mg/L").magnitude, expected, rtol=1e-9, atol=1e-14)


def test_irregular_output_times(toy):
    times = np.array([0.0, 0.5, 7.0, 7.5, 100.0, 333.0])
    res = simulate(toy, Bolus("0 min", "50 mg"), Q_(times, "min"))
    assert_allclose(res.concentration("ketamine", "mg/L").magnitude, one_cmt_bolus(times, 50.0, CL, V),
                    rtol=1e-10)


def test_dose_at_an_output_time_acts_before_the_observation(toy):
    res = simulate(toy, Bolus("60 min", "50 mg"), Q_([0.0, 60.0], "min"))
    assert res.concentration("ketamine", "mg/L").magnitude[1] == pytest.approx(50.0 / V)
    assert res.concentration("ketamine").magnitude[0] == 0.0


def test_mass_balance_of_a_bolus(toy):
    res = simulate(toy, Bolus("0 min", "50 mg"), Q_([0.0, 120.0], "min"), record="all")
    remaining = res.amount("ketamine.central", "mg").magnitude
    assert remaining[0] == pytest.approx(50.0)
    assert remaining[1] == pytest.approx(50.0 * np.exp(-CL / V * 120), rel=1e-10)


def test_amounts_are_kept_only_on_request(toy):
    res = simulate(toy, Bolus("0 min", "50 mg"), Q_([0.0, 120.0], "min"))
    assert res.amounts_umol is None
    with pytest.raises(ketpk.ParameterError, match="record='all'"):
        res.amount("ketamine.central")


def test_ketpk_version_is_set():
    assert isinstance(ketpk.__version__, str)
