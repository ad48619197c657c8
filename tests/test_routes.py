"""Route layer of the two default models: F, first-pass norketamine, observations, assumptions."""

from __future__ import annotations

import numpy as np
import pytest

from ketpk import Bolus, Infusion, ParameterError, Q_, RegimenError, models, simulate
from ketpk.models._route_layer import ROUTE_PARAMETERS
from ketpk.routes import route_bioavailability

FORMS = ("esketamine", "racemic")
ROUTES = tuple(ROUTE_PARAMETERS)
# 1-min grid over 5 days: the slowest input (24-h patch) and the 7.4-h terminal half-life are
# over by then (residual AUC < 1e-4), and the trapezoid error at 1 min is < 1e-4 relative.
LONG = Q_(np.arange(0, 5 * 24 * 60 + 1, 1.0), "min")


def _auc(result, analyte):
    return np.trapezoid(result.concentration(analyte, "nmol/mL").magnitude, LONG.magnitude)


def _enteral_weight(model):
    """Total-ketamine AUC per mg of parent after oral first pass, relative to IV's 50:50 split.

    The racemic default gives S a share S_SHARE_ORAL of the parent escaping first pass (Hasan
    2021), and R-ketamine a clearance fCL_R × CL: AUC weights s/CL_S + (1 - s)/CL_R against
    0.5/CL_S + 0.5/CL_R. 1 for the esketamine default."""
    if model.drug != "racemic":
        return 1.0
    from ketpk.models.racemic_default import S_SHARE_ORAL as s

    r = model.parameter("fCL_R").value.magnitude
    return (s + (1 - s) / r) / (0.5 + 0.5 / r)


def _value(model, name):
    return model.parameter(name).value.magnitude


def _expected_F(model, route):
    """The route's parent F as an AUC ratio: its enteral part (oral, or the swallowed share of a
    mucosal route) weighted by :func:`_enteral_weight`."""
    if route == "iv":
        return 1.0
    F = _value(model, f"F_{route}")
    if route == "oral":
        return F * _enteral_weight(model)
    if f"fsw_{route}" in ROUTE_PARAMETERS[route]:
        swallowed = _value(model, f"fsw_{route}") * _value(model, "F_oral")
        return F - swallowed + swallowed * _enteral_weight(model)
    return F


@pytest.fixture(scope="module")
def iv_auc():
    return {form: _auc(simulate(form, Bolus("0 min", "20 mg"), LONG, record="plasma"), "ketamine")
            for form in FORMS}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("route", ROUTES)
def test_parent_auc_ratio_equals_the_route_F(form, route, iv_auc):
    model = models.get(form)
    res = simulate(model, Bolus("0 min", "20 mg", route), LONG, record="plasma")
    F = _expected_F(model, route)
    assert _auc(res, "ketamine") / iv_auc[form] == pytest.approx(F, rel=2e-3)
    assert route_bioavailability(model, route) == pytest.approx(F, rel=1e-9)
    if model.drug == "racemic" and route == "oral":
        assert _enteral_weight(model) == pytest.approx(1.0089, abs=1e-4)  # S 44 %, CL_R 0.86 CL_S


@pytest.mark.parametrize("form", FORMS)
def test_norketamine_exceeds_parent_after_oral_dosing(form):
    res = simulate(form, Bolus("0 min", "25 mg", "oral"), LONG, record="plasma")
    assert _auc(res, "norketamine") > 3 * _auc(res, "ketamine")
    nk, k = res.concentration("norketamine").magnitude, res.concentration("ketamine").magnitude
    assert nk.max() > k.max()


def test_oral_F_ranges_and_esketamine_below_racemic():
    s = route_bioavailability(models.get("esketamine"), "oral")
    r = route_bioavailability(models.get("racemic"), "oral")
    assert 0.08 <= s <= 0.11  # Fanta 2015 0.08; Peltoniemi 2016 8-11 %
    assert 0.17 <= r <= 0.24  # Clements 1982 0.17, Yanagihara 2003 ≈0.20, Chong 2006 0.23
    assert s < r


def test_racemic_oral_parent_plus_norketamine_is_chong_59_percent():
    """Chong 2006: parent ≈ 20 % but parent + norketamine 59 ± 16 % of the dose (mean ± SD).

    The calibrated default (F_oral 0.237 + fpre_oral 0.51, calibrated to Chong's and Grant's
    Cmax) lies within Chong's mean ± 1 SD; before calibration it was set to 0.59 exactly."""
    model = models.get("racemic")
    nk_relative_to_iv = route_bioavailability(model, "oral", analyte="norketamine")
    assert 0.59 - 0.16 <= nk_relative_to_iv <= 0.59 + 0.16
    assert _value(model, "F_oral") + _value(model, "fpre_oral") == pytest.approx(nk_relative_to_iv, rel=0.02)


def _peak(form, route, dose, analyte):
    times = Q_(np.arange(0, 12 * 60 + 0.5, 0.5), "min")
    c = simulate(form, Bolus("0 min", dose, route), times, record="plasma").concentration(analyte, "ng/mL")
    return c.magnitude.max(), times.magnitude[c.magnitude.argmax()] / 60


def test_oral_racemic_25_mg_against_chong_2006():
    """Chong 2006 (n=6 neuropathic-pain inpatients, mean ± SD): ketamine Cmax 22.8 ± 12.8 ng/mL
    at 0.96 ± 0.8 h, norketamine 82 ± 34 ng/mL at 1.6 ± 0.9 h; IV 10 mg norketamine Cmax 38 ± 29.

    Tolerances: Tmax within mean ± 1 SD (a typical subject lies inside the spread); ketamine Cmax
    within the 95 % CI of the mean (22.8 ± 2.57 × 12.8/√6 = 9.4-36.2); NK/K Cmax ratio 3.6 within
    ±30 % (CVs 56 % and 41 %, n = 6: SE of the log ratio ≈ 0.28); norketamine Cmax per mg oral vs
    IV (0.86, within-study, so the venous model's lower absolute levels cancel) within ±35 %
    (IV NK CV 76 %). Absolute NK Cmax is about half the observed one, like the model's IV
    curves against Chong's IV arm (a disposition/population difference, see the issue-3 note).
    """
    k_max, k_t = _peak("racemic", "oral", "25 mg", "ketamine")
    nk_max, nk_t = _peak("racemic", "oral", "25 mg", "norketamine")
    nk_iv, _ = _peak("racemic", "iv", "10 mg", "norketamine")
    assert 0.96 - 0.8 <= k_t <= 0.96 + 0.8
    assert 1.6 - 0.9 <= nk_t <= 1.6 + 0.9
    assert 9.4 <= k_max <= 36.2
    assert nk_max / k_max == pytest.approx(82 / 22.8, rel=0.30)
    assert (nk_max / 25) / (nk_iv / 10) == pytest.approx((82 / 25) / (38 / 10), rel=0.35)
    assert nk_t > k_t


def test_sublingual_racemic_tmax_against_chong_2006():
    """Chong 2006 sublingual 25 mg: ketamine Tmax 0.76 ± 0.51 h, norketamine 1.9 ± 1.0 h; the
    norketamine/ketamine Cmax ratio (2.3) is below the oral one (3.6)."""
    k_max, k_t = _peak("racemic", "sublingual", "25 mg", "ketamine")
    nk_max, nk_t = _peak("racemic", "sublingual", "25 mg", "norketamine")
    ok_max, _ = _peak("racemic", "oral", "25 mg", "ketamine")
    onk_max, _ = _peak("racemic", "oral", "25 mg", "norketamine")
    assert abs(k_t - 0.76) <= 0.51 and abs(nk_t - 1.9) <= 1.0
    assert nk_max / k_max < onk_max / ok_max


@pytest.mark.parametrize("route", ["sc", "transdermal"])
def test_assumption_labels_travel_into_results(route):
    res = simulate("esketamine", Bolus("0 min", "25 mg", route), Q_([0, 60], "min"))
    assert any(a.startswith(f"route {route}: F_{route}") and "assumption" in a for a in res.assumptions)
    iv = simulate("esketamine", Bolus("0 min", "25 mg"), Q_([0, 60], "min"))
    assert not any(f"F_{route}" in a for a in iv.assumptions)


def test_racemic_results_say_they_rest_on_the_composite():
    res = simulate("racemic", Bolus("0 min", "25 mg"), Q_([0, 60], "min"))
    assert any(a.startswith("fCL_R:") and "composite" in a for a in res.assumptions)
    assert models.get("racemic").evidence == "composite"


def test_per_call_overrides_of_F_fpre_ka_and_lag():
    base = models.get("racemic")
    model = base.with_parameters(F_oral="0.3", fpre_oral=0.2, ka_oral="2 1/h", lag_oral="30 min")
    assert route_bioavailability(model, "oral") == pytest.approx(0.3 * _enteral_weight(model))
    assert route_bioavailability(model, "oral", analyte="norketamine") == pytest.approx(0.5, rel=0.01)
    times = Q_(np.arange(0, 600, 1.0), "min")
    res = simulate(model, Bolus("0 min", "25 mg", "oral"), times)
    assert any(a.startswith("F_oral:") and "user" in a for a in res.assumptions)
    c = res.concentration("ketamine").magnitude
    assert np.all(c[:30] == 0) and c[31] > 0  # 30-min lag
    no_lag = simulate(base.with_parameters(F_oral="0.3", fpre_oral=0.2, ka_oral="2 1/h"),
                      Bolus("0 min", "25 mg", "oral"), times).concentration("ketamine").magnitude
    np.testing.assert_allclose(c[30:], no_lag[:-30], rtol=1e-9, atol=1e-15)
    slower = simulate(base.with_parameters(ka_oral="0.5 1/h"), Bolus("0 min", "25 mg", "oral"), times)
    assert slower.concentration("ketamine").magnitude.argmax() > no_lag.argmax()


def test_mucosal_F_must_be_consistent_with_the_swallowed_share():
    with pytest.raises(ParameterError, match="fsw_sublingual"):  # checked when the model is made
        models.get("esketamine").with_parameters(F_sublingual="0.01")


def test_routes_with_a_zero_order_phase_take_boluses_only():
    with pytest.raises(RegimenError, match="boluses only"):
        simulate("racemic", Infusion("0 min", amount="25 mg", duration="1 h", route="oral"), Q_([60], "min"))


@pytest.mark.parametrize("form", FORMS)
def test_every_route_parameter_is_a_documented_model_parameter(form):
    model = models.get(form)
    card = model.describe()
    for route, names in ROUTE_PARAMETERS.items():
        assert route in model.routes
        for name in names:
            assert model.parameter(name).source
            assert name in card
            if route != "iv":
                assert name in model.route(route).description


def test_racemic_composite_enantiomers_and_clearance():
    model = models.get("racemic")
    res = simulate(model, Bolus("0 min", "10 mg"), LONG, record="plasma")
    assert {"ketamine", "norketamine", "s_ketamine", "r_ketamine", "s_norketamine",
            "r_norketamine"} <= set(res.analytes)
    np.testing.assert_allclose(res.concentration("ketamine").magnitude,
                               (res.concentration("s_ketamine") + res.concentration("r_ketamine")).magnitude)
    assert _auc(res, "s_ketamine") / _auc(res, "r_ketamine") == pytest.approx(0.86, rel=2e-3)
    # Pharmacotherapy 2022 Table 6: 10 mg IV ketamine AUC 113 µg·h/L (geometric mean, n = 9);
    # ±15 % covers the between-study spread of clearance (Kamp 2020 meta-analysis CI 69-90 L/h).
    auc = np.trapezoid(res.concentration("ketamine", "ng/mL").magnitude, LONG.magnitude) / 60
    assert auc == pytest.approx(113, rel=0.15)
    assert 69 <= 10e3 / auc <= 90


def test_venous_default_against_arterial_kamp_2020_has_the_expected_bias():
    """Kamp 2020 escalating racemic infusion (20/40/80 mg/h × 1 h), digitised ARTERIAL means
    (pk_gaps.md §1.7, nmol/mL). A venous model must lie below arterial data at the end of each
    step (input phase) and above it 30 min after the stop (arterial falls faster)."""
    reg = (Infusion("0 h", rate="20 mg/h", duration="1 h") + Infusion("1 h", rate="40 mg/h", duration="1 h")
           + Infusion("2 h", rate="80 mg/h", duration="1 h"))
    res = simulate("racemic", reg, Q_([1.0, 2.0, 3.0, 3.5], "h"))
    observed = {"s_ketamine": [0.2701, 0.5239, 1.0457, 0.4102], "r_ketamine": [0.3959, 0.597, 1.1492, 0.4609]}
    for analyte, obs in observed.items():
        ratio = res.concentration(analyte, "nmol/mL").magnitude / np.array(obs)
        assert np.all(ratio[:3] < 1) and np.all(ratio[:3] > 0.35)
        assert 1 < ratio[3] < 1.5
