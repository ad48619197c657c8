"""Dose finding: closed forms, percentiles of a population, root finding, limits."""

from __future__ import annotations

import numpy as np
import pytest

import ketpk
from ketpk.dosefinding import Target, find_dose
from ketpk.population import sample

OTTO = ketpk.models.resolve("esketamine.otto2021")
TYPICAL = ketpk.Subject(weight="70 kg")


def _infusion(rate):
    return ketpk.Infusion(start="0 h", rate=rate, duration="24 h")


def test_steady_state_rate_is_target_times_clearance():
    found = find_dose(OTTO, Target("steady_state", "150 ng/mL"), regimen_shape=_infusion,
                      reference="10 mg/h", subject=TYPICAL)
    assert found.method == "linear" and found.limited_by is None
    assert found.dose.to("mg/h").magnitude == pytest.approx(0.150 * 95.2, rel=1e-6)  # mg/L × L/h
    assert found.achieved.to("ng/mL").magnitude == pytest.approx(150, rel=1e-9)


def test_bolus_cmax_is_target_times_central_volume():
    herd = ketpk.models.resolve("racemic.herd2007")
    found = find_dose(herd, Target("cmax", "2 ug/mL", end="1 h"),
                      regimen_shape=lambda amount: ketpk.Bolus("0 h", amount), reference="50 mg",
                      subject=TYPICAL)
    assert found.dose.to("mg").magnitude == pytest.approx(2 * 38.7, rel=1e-9)  # Cmax = dose / V1


def test_population_percentile_and_posterior():
    pop = sample(OTTO, 300, seed=5)
    found = find_dose(OTTO, Target("cmax", "300 ng/mL", end="24 h", percentile=95),
                      regimen_shape=_infusion, reference="10 mg/h", population=pop)
    times = ketpk.Q_(np.linspace(0, 24, 2001), "h")
    cmax = ketpk.simulate(OTTO, found.regimen, times, subjects=pop).concentration("ketamine").magnitude.max(axis=1)
    assert np.percentile(cmax, 95) == pytest.approx(300, rel=1e-6)  # 95 % of subjects at or below
    posterior = ketpk.individualize(OTTO, _infusion("10 mg/h"), [("6 h", "ketamine", "60 ng/mL"),
                                                                 ("20 h", "ketamine", "70 ng/mL")],
                                    subject=TYPICAL)
    mine = find_dose(OTTO, Target("steady_state", "100 ng/mL"), regimen_shape=_infusion,
                     reference="10 mg/h", posterior=posterior)
    clearance = posterior.parameters["CL"].to("L/h").magnitude
    assert mine.dose.to("mg/h").magnitude == pytest.approx(0.1 * clearance, rel=1e-6)
    with pytest.raises(ketpk.ParameterError):
        find_dose(OTTO, Target("cmax", "1 ng/mL", end="1 h", percentile=90), regimen_shape=_infusion,
                  reference="1 mg/h", subject=TYPICAL)


def test_time_above_is_found_by_a_bounded_root_search():
    found = find_dose(OTTO, Target("time_above", "12 h", level="100 ng/mL", end="24 h"),
                      regimen_shape=_infusion, reference="10 mg/h", subject=TYPICAL)
    assert found.method == "root-find" and found.limited_by is None
    assert found.achieved.to("h").magnitude == pytest.approx(12, abs=1e-3)
    assert found.evaluations <= 64


def test_dose_dependent_bioavailability_is_not_scaled():
    """Perez-Ruixo 2021 intranasal F falls with the dose: proportionality fails, root-find is used."""
    found = find_dose("esketamine.perezruixo2021", Target("cmax", "100 ng/mL", end="6 h"),
                      regimen_shape=lambda amount: ketpk.Bolus("0 h", amount, "intranasal"),
                      reference="28 mg", subject=TYPICAL)
    assert found.method == "root-find"
    assert found.achieved.to("ng/mL").magnitude == pytest.approx(100, rel=1e-6)


def test_bounds_and_pump_limit_clip_and_say_so():
    target = Target("auc", "2000 ng/mL*h", end="24 h")
    pump = find_dose(OTTO, target, regimen_shape=_infusion, reference="10 mg/h", subject=TYPICAL,
                     max_rate="5 mg/h")
    assert pump.limited_by == "pump limit" and pump.dose.to("mg/h").magnitude == pytest.approx(5)
    assert pump.achieved.to("ng*h/mL").magnitude < 2000 and "NOT met" in str(pump)
    bound = find_dose(OTTO, target, regimen_shape=_infusion, reference="10 mg/h", subject=TYPICAL,
                      bounds=("1 mg/h", "4 mg/h"))
    assert bound.limited_by == "upper bound" and bound.dose.to("mg/h").magnitude == pytest.approx(4)
    with pytest.raises(ketpk.ParameterError):
        Target("cmax", "1 ng/mL")  # no window end
    with pytest.raises(ketpk.ParameterError):
        Target("peak", "1 ng/mL", end="1 h")


def test_module_example_runs():
    import doctest

    import ketpk.dosefinding

    assert doctest.testmod(ketpk.dosefinding).failed == 0
