"""Regimen objects: validation, immutability and the metamorphic dosing identities."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ketpk import Bolus, Infusion, Q_, Regimen, RegimenError, Subject, UnitError, simulate

TIMES = Q_(np.linspace(0, 1440, 577), "min")


def conc(model, regimen, **kw):
    return simulate(model, regimen, TIMES, **kw).concentration("ketamine").magnitude


def test_two_back_to_back_infusions_equal_one_long_infusion(toy):
    split = Infusion("0 min", rate="1 mg/min", duration="30 min") + Infusion("30 min", rate="1 mg/min", duration="50 min")
    whole = Infusion("0 min", rate="1 mg/min", duration="80 min")
    assert_allclose(conc(toy, split), conc(toy, whole), rtol=1e-10, atol=1e-14)


def test_repeat_equals_the_explicit_list(toy):
    repeated = Bolus("0 h", "20 mg", "oral").repeat(every="6 h", count=4)
    explicit = Regimen(Bolus(f"{6 * k} h", "20 mg", "oral") for k in range(4))
    assert repeated == explicit
    assert_allclose(conc(toy, repeated), conc(toy, explicit), rtol=0, atol=0)


def test_shifting_every_dose_shifts_the_curve(toy):
    reg = Bolus("0 min", "20 mg") + Infusion("60 min", amount="10 mg", duration="45 min", route="iv")
    base = conc(toy, reg)
    shifted = conc(toy, reg.shifted("120 min"))
    assert_allclose(shifted[48:], base[:-48], rtol=1e-9, atol=1e-14)  # 120 min = 48 steps of 2.5 min
    assert np.all(shifted[:48] == 0)


def test_very_short_infusion_tends_to_a_bolus(toy):
    bolus = conc(toy, Bolus("0 min", "20 mg"))
    short = conc(toy, Infusion("0 min", amount="20 mg", duration="0.001 min"))
    assert_allclose(short[1:], bolus[1:], rtol=1e-4)


def test_infusion_amount_rate_duration_are_consistent():
    dose = Infusion("0 min", amount="10 mg", duration="30 min").resolve(None, 1)
    assert dose.rate[0] == pytest.approx(10 / 30)
    dose = Infusion("0 min", amount="10 mg", rate="20 mg/h").resolve(None, 1)
    assert dose.duration[0] == pytest.approx(30.0)


@pytest.mark.parametrize("kwargs", [{"amount": "10 mg"}, {"amount": "10 mg", "rate": "1 mg/min", "duration": "10 min"}, {}])
def test_infusion_needs_exactly_two_of_amount_rate_duration(kwargs):
    with pytest.raises(RegimenError, match="exactly two of `amount`, `rate` and `duration`"):
        Infusion("0 min", **kwargs)


def test_per_weight_dose_equals_absolute_dose_for_that_weight(toy):
    per_kg = conc(toy, Bolus("0 min", "0.5 mg/kg"), subjects=Subject(weight="80 kg"))
    absolute = conc(toy, Bolus("0 min", "40 mg"), subjects=Subject(weight="80 kg"))
    assert_allclose(per_kg, absolute, rtol=1e-12)


def test_per_weight_rate_in_ug_per_kg_per_min(toy):
    a = conc(toy, Infusion("0 min", rate="1.2 ug/kg/min", duration="10 h"), subjects=Subject(weight="70 kg"))
    b = conc(toy, Infusion("0 min", rate="5.04 mg/h", duration="10 h"), subjects=Subject(weight="70 kg"))
    assert_allclose(a, b, rtol=1e-12)


def test_per_weight_dose_without_a_weight_is_refused(toy):
    with pytest.raises(RegimenError, match="per body weight .* no subject weight is known.*Subject\\(weight="):
        simulate(toy, Bolus("0 min", "0.5 mg/kg"), TIMES)


@pytest.mark.parametrize("value", [0.5, 25, np.float64(3.0)])
def test_bare_numbers_are_refused(value):
    with pytest.raises(UnitError, match="bare number"):
        Bolus("0 min", value)
    with pytest.raises(UnitError, match="bare number"):
        Bolus(value, "25 mg")


def test_dimensionless_quantity_is_not_a_per_weight_dose():
    with pytest.raises(UnitError, match="dose amount"):
        Bolus("0 min", Q_(0.5))


def test_rate_where_an_amount_is_expected_names_the_fix():
    with pytest.raises(UnitError, match="looks like a rate; pass it as `rate`"):
        Bolus("0 min", "20 mg/h")
    with pytest.raises(UnitError, match="looks like an amount; pass it as `amount`"):
        Infusion("0 min", rate="20 mg", duration="1 h")


def test_rate_constant_is_not_a_per_weight_rate():
    with pytest.raises(UnitError, match="dose rate"):
        Infusion("0 min", rate="0.35 1/h", duration="4 h")


@pytest.mark.parametrize("amount", ["-5 mg", "0 mg", "nan mg", "inf mg"])
def test_negative_zero_nan_infinite_doses_are_refused(amount):
    with pytest.raises(RegimenError, match="`amount` must be finite and positive"):
        Bolus("0 min", amount)


def test_unknown_route_suggests_close_names():
    with pytest.raises(RegimenError, match="Did you mean 'oral'"):
        Bolus("0 min", "25 mg", route="orla")


def test_route_the_model_lacks_is_refused():
    from ketpk import models

    with pytest.raises(RegimenError, match="has no route 'rectal'"):
        simulate(models.get("esketamine.otto2021"), Bolus("0 min", "25 mg", "rectal"), TIMES)


def test_doses_are_immutable():
    bolus = Bolus("0 min", "25 mg")
    with pytest.raises(dataclasses.FrozenInstanceError):
        bolus.amount = Q_(30, "mg")  # type: ignore[misc]


def test_regimen_is_time_sorted():
    reg = Bolus("2 h", "1 mg") + Bolus("1 h", "2 mg") + Infusion("0 h", amount="1 mg", duration="1 h")
    assert [d.start_minutes for d in reg] == [0.0, 60.0, 120.0]
