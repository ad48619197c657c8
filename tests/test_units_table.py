"""Built-in model parameters are read without pint, to pint's own floats."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ketpk
from ketpk.model import Parameter
from ketpk.species import SPECIES
from ketpk.units import CANONICAL, KNOWN_UNITS, Q_, convert, from_minutes, read_known, umol_per_mg

BUILT_IN = [(m.id, p) for m in (ketpk.models.get(s.id) for s in ketpk.models.available()) for p in m.parameters]


def _pint_canonical(quantity):
    dims = quantity.dimensionality
    return float(quantity.to(CANONICAL["dimensionless" if not dims else str(dims)]).magnitude)


@pytest.mark.parametrize("unit", sorted(KNOWN_UNITS))
def test_every_table_factor_is_pints_factor(unit):
    dimension, factor = KNOWN_UNITS[unit]
    one = Q_(1.0, unit) if unit else Q_(1.0)
    assert (str(one.dimensionality) if one.dimensionality else "dimensionless") == dimension
    assert factor == _pint_canonical(one)


def test_every_built_in_parameter_equals_the_pint_conversion_bit_for_bit():
    assert len(BUILT_IN) > 200
    for model_id, p in BUILT_IN:
        assert p.canonical == _pint_canonical(p.value), (model_id, p.name, p.value)


def test_per_weight_volumes_equal_the_old_pint_product():
    for model_id, per_kg in [("racemic.clements1981", "1.7522 L/kg"), ("racemic.domino1982", "0.063 L/kg"),
                             ("racemic.hijazi2003", "1.08 L/kg")]:
        old = Q_(per_kg) * Q_("70 kg")
        assert ketpk.models.get(model_id).parameter("V1").canonical == _pint_canonical(old)


@pytest.mark.parametrize("text", ["1.76 1/h", "70 min", "0.5", "3e-2 L/h", "12 L"])
def test_a_known_string_reads_as_pint_reads_it(text):
    value, dimension = read_known(text)
    assert value == _pint_canonical(Q_(text))
    p = Parameter("X", text, "test", "test")
    assert p.canonical == value and p.value == Q_(text)  # the Quantity is read on access


@pytest.mark.parametrize("text", ["1 kg", "25,5 mg", "nan L", "-1 L", "5 Mg", "1 000 mg", "2 L/kg"])
def test_other_strings_go_to_pint(text):
    assert read_known(text) is None


def test_a_zero_volume_is_still_refused_with_pints_message():
    with pytest.raises(ketpk.errors.ParameterError, match="is a volume and must be > 0; got 0 l"):
        Parameter("V", "0 L", "test", "test")


def test_loading_a_built_in_model_does_not_import_pint_and_user_strings_still_work():
    root = Path(__file__).resolve().parents[1]
    code = ("import sys, ketpk; m = ketpk.models.get('racemic'); print('pint' in sys.modules); "
            "r = ketpk.simulate(m, ketpk.Regimen([ketpk.Bolus('0 min', '0.5 mg/kg')]), "
            "ketpk.Q_([0, 30], 'min'), subjects=ketpk.Subject(weight='70 kg')); "
            "print(r.concentration('ketamine', unit='ng/mL').magnitude[-1] > 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)}, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_dose_and_time_factors_are_the_old_hand_written_ones():
    for species in SPECIES:
        assert umol_per_mg(species) == 1000.0 / SPECIES[species].molar_mass
        assert umol_per_mg(species) == pytest.approx(float(convert(1.0, "mg", species, "umol").magnitude), rel=1e-12)
    minutes = np.array([0.0, 1.0, 37.5, 6048.0, 1e-3])
    np.testing.assert_array_equal(from_minutes(minutes, "h"), minutes / 60.0)
    assert from_minutes(90.0, "h") == 1.5 and from_minutes(90.0, "min") == 90.0
    np.testing.assert_allclose(from_minutes(minutes, "day"), Q_(minutes, "min").to("day").magnitude, rtol=1e-15)
    with pytest.raises(ketpk.errors.UnitError, match="time_unit"):
        from_minutes(minutes, "L")
