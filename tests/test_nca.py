"""Exposure metrics against closed forms (Gibaldi & Perrier ch. 1-2) and on users' own arrays."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ketpk import Bolus, KetpkWarning, ParameterError, Q_, UnitError, nca, simulate
from ketpk.species import molar_mass

from .analytic import bateman, bateman_tmax, one_cmt_bolus
from .conftest import one_compartment

CL, V = 5.0, 100.0  # toy model: L/min, L
K = CL / V


def test_auc_inf_equals_f_dose_over_cl_for_oral():
    model = one_compartment(ka="0.2 1/min", f="0.2")
    # the linear-up trapezoid errs by ~h²/12·C'(0) on the rise: 3e-5 relative at h = 0.2 min
    res = simulate(model, Bolus("0 min", "100 mg", route="oral"), Q_(np.arange(0, 600.1, 0.2), "min"))
    value = nca.auc_inf(res, unit="mg/L", time_unit="min")
    assert value.units == Q_(1, "mg/L*min").units
    assert value.magnitude == pytest.approx(0.2 * 100.0 / CL, rel=1e-4)


def test_auc_inf_extrapolation_is_exact_on_a_truncated_exponential():
    t = np.linspace(0, 30, 31)  # ends after less than one half-life (13.9 min)
    conc = Q_(one_cmt_bolus(t, 50.0, CL, V), "mg/L")
    with pytest.warns(KetpkWarning, match="extrapolates"):
        value = nca.auc_inf((Q_(t, "min"), conc))
    assert value.to("mg/L*min").magnitude == pytest.approx(50.0 / CL, rel=1e-12)


@pytest.mark.parametrize("points", [2, 3, 5])
def test_half_life_is_ln2_over_k_on_an_exponential(points):
    t = Q_(np.linspace(0, 2, 25), "h")
    conc = Q_(3.0 * np.exp(-0.7 * t.magnitude), "ng/mL")
    assert nca.lambda_z((t, conc), points=points).to("1/h").magnitude == pytest.approx(0.7, rel=1e-12)
    assert nca.half_life((t, conc), points=points).to("min").magnitude == pytest.approx(
        np.log(2) / 0.7 * 60, rel=1e-12)


def test_tmax_and_cmax_of_a_bateman_curve():
    ka, step = 0.2, 0.05
    model = one_compartment(ka=f"{ka} 1/min", f="0.5")
    t = np.arange(0, 120 + step / 2, step)
    res = simulate(model, Bolus("0 min", "80 mg", route="oral"), Q_(t, "min"))
    peak = bateman_tmax(ka, K)
    assert abs(nca.tmax(res, time_unit="min").magnitude - peak) <= step / 2
    assert nca.cmax(res, unit="mg/L").magnitude == pytest.approx(
        bateman(peak, 80.0, 0.5, ka, CL, V), rel=1e-5)


def test_window_auc_and_cavg_interpolate_off_grid_ends():
    t = Q_(np.arange(0, 61.0, 10), "min")  # window ends 5 and 35 min are between samples
    conc = Q_(one_cmt_bolus(t.magnitude, 50.0, CL, V), "mg/L")
    exact = 50.0 / CL * (np.exp(-K * 5) - np.exp(-K * 35))
    assert nca.auc((t, conc), start="5 min", end="35 min").to("mg*min/L").magnitude == pytest.approx(exact, rel=1e-12)
    assert nca.cavg((t, conc), start="5 min", end="35 min").to("mg/L").magnitude == pytest.approx(exact / 30, rel=1e-12)


def test_linear_up_trapezoid_on_a_rising_line():
    t = Q_([0.0, 1.0, 3.0], "h")
    conc = Q_([0.0, 2.0, 6.0], "ng/mL")  # C = 2 t: area 9 exactly by trapezoids
    assert nca.auc((t, conc)).to("ng*h/mL").magnitude == pytest.approx(9.0)


def test_time_above_threshold_on_an_exponential():
    t = Q_(np.linspace(0, 200, 41), "min")
    conc = Q_(one_cmt_bolus(t.magnitude, 50.0, CL, V), "mg/L")  # C0 = 0.5 mg/L
    # log-down interpolation makes the crossing exact: ln(C0/thr)/k
    value = nca.time_above((t, conc), threshold="100 ng/mL")
    assert value.to("min").magnitude == pytest.approx(np.log(0.5 / 0.1) / K, rel=1e-12)


def test_time_above_in_molar_units_converts_with_the_molar_mass():
    t = Q_(np.linspace(0, 200, 41), "min")
    conc = Q_(one_cmt_bolus(t.magnitude, 50.0, CL, V), "mg/L")
    molar = Q_(100.0 / molar_mass("ketamine"), "umol/L")  # 100 ng/mL as µmol/L
    assert nca.time_above((t, conc), "ketamine", threshold=molar).magnitude == pytest.approx(
        nca.time_above((t, conc), threshold="100 ng/mL").magnitude, rel=1e-12)


def test_metabolite_parent_ratio_and_ketamine_equivalents_match_closed_forms():
    fm, cl_m = 0.8, 2.0
    model = one_compartment(metabolite=True, fm=str(fm), cl_m=f"{cl_m} L/min")
    res = simulate(model, Bolus("0 min", "100 mg"), Q_(np.arange(0, 24 * 60 + 0.1, 0.25), "min"))
    # molar AUC_m / AUC_p = fm · CL / CL_m
    assert nca.metabolite_ratio(res, "auc_inf").magnitude == pytest.approx(fm * CL / cl_m, rel=1e-4)
    dose_umol = 100.0 * 1000 / molar_mass("ketamine")
    total = nca.auc_inf(res, nca.KETAMINE_EQUIVALENTS, unit="umol/L", time_unit="min")
    assert total.magnitude == pytest.approx(dose_umol / CL + fm * dose_umol / cl_m, rel=1e-4)
    in_mass = nca.auc_inf(res, nca.KETAMINE_EQUIVALENTS, unit="ng/mL", time_unit="min")
    assert in_mass.magnitude == pytest.approx(total.magnitude * molar_mass("ketamine"), rel=1e-12)


def test_user_mapping_gives_the_same_ratio_as_the_result():
    model = one_compartment(metabolite=True)
    res = simulate(model, Bolus("0 min", "100 mg"), Q_(np.arange(0, 601.0, 5), "min"))
    data = {a: (res.times, res.concentration(a, "ng/mL")) for a in ("ketamine", "norketamine")}
    assert nca.metabolite_ratio(data, "cmax").magnitude == pytest.approx(
        nca.metabolite_ratio(res, "cmax").magnitude, rel=1e-12)
    assert nca.auc(data, nca.KETAMINE_EQUIVALENTS, unit="umol/L").to("umol*min/L").magnitude == \
        pytest.approx(nca.auc(res, nca.KETAMINE_EQUIVALENTS, unit="umol/L").to("umol*min/L").magnitude)


def test_metrics_are_vectorised_over_subjects():
    t = Q_(np.linspace(0, 120, 61), "min")
    k = np.array([[0.01], [0.02], [0.05]])
    conc = Q_(2.0 * np.exp(-k * t.magnitude), "ng/mL")
    assert nca.cmax((t, conc)).shape == (3,)
    assert_allclose(nca.lambda_z((t, conc)).to("1/min").magnitude, k.ravel(), rtol=1e-12)
    with pytest.warns(KetpkWarning, match="extrapolates up to 30%"):  # k = 0.01: e^-1.2 left
        assert_allclose(nca.auc_inf((t, conc)).magnitude, 2.0 / k.ravel(), rtol=1e-12)


def test_lambda_z_fails_per_subject_with_nan_and_a_warning():
    t = Q_([0.0, 1.0, 2.0, 3.0], "h")
    conc = Q_([[0.0, 1.0, 2.0, 3.0], [4.0, 3.0, 2.0, 1.0]], "ng/mL")  # first still rising
    with pytest.warns(KetpkWarning, match="1 of 2"):
        lam = nca.lambda_z((t, conc))
    assert np.isnan(lam.magnitude[0]) and lam.magnitude[1] > 0


def test_bad_inputs_raise_clear_errors():
    t = Q_([0.0, 1.0, 2.0], "h")
    with pytest.raises(UnitError):
        nca.cmax((np.array([0.0, 1.0]), Q_([1.0, 2.0], "ng/mL")))
    with pytest.raises(UnitError, match="concentrations"):
        nca.cmax((t, Q_([1.0, 2.0, 3.0], "mg")))
    with pytest.raises(ParameterError, match="strictly increasing"):
        nca.cmax((Q_([0.0, 2.0, 1.0], "h"), Q_([1.0, 2.0, 3.0], "ng/mL")))
    with pytest.raises(ParameterError, match="window"):
        nca.auc((t, Q_([1.0, 2.0, 3.0], "ng/mL")), end="5 h")
    with pytest.raises(ParameterError, match="metric"):
        nca.metabolite_ratio({}, "tmax")


def test_no_warning_for_a_well_sampled_terminal_phase():
    t = Q_(np.linspace(0, 600, 121), "min")
    conc = Q_(one_cmt_bolus(t.magnitude, 50.0, CL, V), "mg/L")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nca.metrics((t, conc))
