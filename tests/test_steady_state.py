"""Steady-state starts (NONMEM SS=1), exact, against the limit of a long simulation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ketpk import Bolus, Infusion, Q_, Regimen, RegimenError, Subject, simulate
from ketpk.model import SystemBuilder

from .conftest import one_compartment
from .protocol_models import toy_zero_order

SLOW = dict(cl="0.5 L/min", v="100 L", ka="0.01 1/min", f="0.3")  # t1/2 139 min: doses accumulate
TAU_H = 2
COPIES = 60  # 7200 min of prior dosing = 52 half-lives


def compare(model, period, every_h=TAU_H, subjects=None, follow=3):
    """SS start + `follow` periods vs the last `follow` periods of COPIES + follow periods."""
    times = np.linspace(0, follow * every_h * 60 + 240, 161)
    ss = Regimen(period).repeat(every=f"{every_h} h", count=follow).with_steady_state(period, every=f"{every_h} h")
    long = Regimen(period).repeat(every=f"{every_h} h", count=COPIES + follow)
    a = simulate(model, ss, Q_(times, "min"), subjects=subjects).concentration("ketamine").magnitude
    b = simulate(model, long, Q_(times + COPIES * every_h * 60, "min"), subjects=subjects).concentration("ketamine").magnitude
    assert b.max() > 0
    assert_allclose(a, b, rtol=1e-9, atol=1e-12 * b.max())
    return a


def test_oral_with_lag_longer_than_the_interval_and_f_below_one():
    compare(one_compartment(lag="150 min", **SLOW), [Bolus("0 h", "50 mg", "oral")])


def test_zero_order_absorption_longer_than_the_interval_after_a_lag():
    compare(toy_zero_order(duration_min=200.0, lag_min=30.0, **SLOW), [Bolus("0 h", "50 mg", "oral")])


def test_iv_infusion_longer_than_the_interval():
    compare(one_compartment(**SLOW), [Infusion("0 h", amount="30 mg", duration="3 h")])


def test_a_period_of_several_doses_and_routes():
    compare(one_compartment(lag="20 min", **SLOW),
            [Bolus("0 h", "10 mg"), Bolus("30 min", "40 mg", "oral"), Infusion("1 h", rate="5 mg/h", duration="30 min")],
            every_h=4)


def test_subjects_with_different_event_times_are_grouped_correctly():
    subjects = [Subject(weight="50 kg"), Subject(weight="90 kg")]  # infusion lasts 1.25 h vs 2.25 h
    a = compare(one_compartment(**SLOW), [Infusion("0 h", amount="0.5 mg/kg", rate="20 mg/h")],
                every_h=4, subjects=subjects)
    assert not np.allclose(a[0], a[1])


def test_constant_infusion_steady_state_is_rate_over_clearance():
    model = one_compartment(**SLOW)
    reg = Regimen([Infusion("0 h", rate="10 mg/h", duration="10 h")]).with_steady_state(
        Infusion("0 h", rate="10 mg/h", duration="1 h"))
    conc = simulate(model, reg, Q_(np.linspace(0, 600, 41), "min")).concentration("ketamine", unit="mg/L")
    assert_allclose(conc.magnitude, (10 / 60) / 0.5, rtol=1e-10)  # R / CL, mg/L


def test_steady_state_is_reached_from_the_first_dose():
    model = one_compartment(**SLOW)
    dose = Bolus("0 h", "20 mg")
    reg = dose.repeat(every="2 h", count=5).with_steady_state(dose, every="2 h")
    conc = simulate(model, reg, Q_(np.arange(0, 600, 120.0), "min")).concentration("ketamine").magnitude
    assert_allclose(conc, conc[0], rtol=1e-10)  # every peak is the steady-state peak


@pytest.mark.parametrize("call, match", [
    (lambda: Regimen().with_steady_state(Bolus("3 h", "1 mg"), every="2 h"), "within one interval"),
    (lambda: Regimen().with_steady_state(Bolus("0 h", "1 mg")), "constant-infusion"),
    (lambda: Regimen().with_steady_state(Bolus("0 h", "1 mg"), every="0 h"), "positive duration"),
    (lambda: Regimen().with_steady_state(Regimen()), "non-empty"),
    (lambda: Regimen().with_steady_state(Bolus("0 h", "1 mg"), every="1 h").shifted("1 h"), "steady state"),
    (lambda: Regimen().with_steady_state(Bolus("0 h", "1 mg"), every="1 h")
     .with_steady_state(Bolus("0 h", "1 mg"), every="1 h"), "already"),
])
def test_steady_state_validation(call, match):
    with pytest.raises(RegimenError, match=match):
        call()


def test_no_steady_state_without_elimination():
    base = one_compartment()

    def closed(p):
        s = SystemBuilder(p.n)
        s.compartment("ketamine.central", "ketamine", volume=p.V, analytes=("ketamine",))
        return s

    model = dataclasses.replace(base, structure=closed)
    reg = Regimen().with_steady_state(Bolus("0 h", "1 mg"), every="1 h")
    with pytest.raises(RegimenError, match="no steady state"):
        simulate(model, reg, Q_([0, 60], "min"))
