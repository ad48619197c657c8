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
from ketpk.display import quantity_text, value_text
from ketpk.units import (CANONICAL, DOSE_FACTORS, KNOWN_CONCENTRATIONS, KNOWN_UNITS, Q_, concentration_factor,
                         convert, convert_values, dose_in, from_minutes, parse_dose, read_dose, read_known,
                         to_canonical, umol_per_mg)

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


def _fresh_process(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a new Python process with this checkout first on the path; it must succeed."""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)}, cwd=root)
    assert done.returncode == 0, done.stderr
    return done


def test_loading_a_built_in_model_does_not_import_pint_and_user_strings_still_work():
    code = ("import sys, ketpk; m = ketpk.models.get('racemic'); print('pint' in sys.modules); "
            "r = ketpk.simulate(m, ketpk.Regimen([ketpk.Bolus('0 min', '0.5 mg/kg')]), "
            "ketpk.Q_([0, 30], 'min'), subjects=ketpk.Subject(weight='70 kg')); "
            "print(r.concentration('ketamine', unit='ng/mL').magnitude[-1] > 0)")
    done = _fresh_process(code)
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


@pytest.mark.parametrize("unit", sorted(KNOWN_CONCENTRATIONS))
def test_every_output_concentration_factor_is_pints(unit):
    factor, molar = KNOWN_CONCENTRATIONS[unit]
    stored = Q_(1.0, "umol/L") if molar else Q_(1.0, "umol/L") * Q_(1.0, "g/mol")
    assert factor == stored.to(unit).magnitude
    for species in SPECIES:
        assert concentration_factor(species, unit) == convert(1.0, "umol/L", species, unit).magnitude


def test_known_outputs_are_the_pint_conversion_bit_for_bit():
    values = np.random.default_rng(1).lognormal(0.0, 3.0, (7, 50))
    for species in SPECIES:
        for unit in KNOWN_CONCENTRATIONS:
            np.testing.assert_array_equal(convert_values(values, "umol/L", species, unit),
                                          convert(values, "umol/L", species, unit).magnitude)
    assert concentration_factor("ketamine", "ng/ml") is None  # other spellings go to pint
    np.testing.assert_array_equal(convert_values(values, "umol/L", "ketamine", "ng/ml"),
                                  convert(values, "umol/L", "ketamine", "ng/mL").magnitude)
    with pytest.raises(ketpk.errors.UnitError, match="mass and molar units needs a known analyte"):
        convert_values(values, "umol/L", None, "ng/mL")


DOSES = [("25 mg", "amount"), ("0.5 mg/kg", "amount"), ("250 ug", "amount"), ("3 µg/kg", "amount"),
         ("20 mg/h", "rate"), ("0.35 mg/kg/h", "rate"), ("1.2 ug/kg/min", "rate"),
         ("7.2 µg/kg/min", "rate"), ("0.15 mg/kg/min", "rate"), ("2e1 ug/min", "rate"), ("3 ug/kg/h", "rate")]


@pytest.mark.parametrize("text, kind", DOSES)
def test_a_known_dose_reads_as_pint_reads_it(text, kind):
    number, unit = text.split(" ")
    for value in (number, "1", "0.1", "22.2", "0.3171428571428571", "1e-3", "123456.789"):
        shown = f"{value} {unit}"
        assert read_dose(shown, kind) == parse_dose(Q_(shown), "x", kind=kind)  # the Quantity goes to pint
        assert parse_dose(shown, "x", kind=kind) == read_dose(shown, kind)


@pytest.mark.parametrize("text, kind", [("0 mg", "amount"), ("-1 mg/kg", "amount"), ("25 mg/h", "amount"),
                                        ("5 mg", "rate"), ("1 mg/kg/kg", "amount"), ("5 Mg", "amount"),
                                        ("1 mg/lb", "amount"), ("nan mg/h", "rate"), ("2 mg/kg/d", "rate")])
def test_other_dose_strings_go_to_pint(text, kind):
    assert read_dose(text, kind) is None


@pytest.mark.parametrize("text", ["40 min", "2 h", "90 s", "1.5 d", "100.8 h", "0 min", "1e3 s"])
def test_a_known_time_reads_as_pint_reads_it(text):
    assert to_canonical(text, "[time]", "t") == to_canonical(Q_(text), "[time]", "t")
    with pytest.raises(ketpk.errors.UnitError, match="must have dimension"):
        to_canonical(text, "[mass]", "amount")


def test_a_time_grid_gives_the_arange_of_the_old_quantity_and_the_same_simulation():
    grid = ketpk.TimeGrid("100.8 h")
    np.testing.assert_array_equal(grid.minutes, np.arange(0, 100.8 * 60 + 1).astype(float))
    np.testing.assert_array_equal(ketpk.TimeGrid("2 h", step="30 min", start="1 h").minutes, [60.0, 90.0, 120.0])
    assert ketpk.TimeGrid("1 h", step=Q_(0.25, "h")).times.to("h").magnitude.tolist() == [0, 0.25, 0.5, 0.75, 1]
    regimen = ketpk.Regimen([ketpk.Bolus("0 min", "0.5 mg/kg")])
    subject = ketpk.Subject(weight="70 kg")
    by_grid = ketpk.simulate("esketamine", regimen, ketpk.TimeGrid("6 h", step="5 min"), subjects=subject)
    by_array = ketpk.simulate("esketamine", regimen, Q_(np.arange(0, 361, 5), "min"), subjects=subject)
    np.testing.assert_array_equal(by_grid.times_min, by_array.times_min)
    for analyte in by_array.analytes:
        np.testing.assert_array_equal(by_grid.concentration_values(analyte, "ng/mL"),
                                      by_array.concentration(analyte, "ng/mL").magnitude)


@pytest.mark.parametrize("kwargs, message", [
    (dict(end="0 min"), "0 <= start < end"), (dict(end="1 h", start="2 h"), "0 <= start < end"),
    (dict(end="inf h"), "0 <= start < end"), (dict(end="1 h", step="0 min"), "positive time"),
    (dict(end="1000 d", step="1 s"), "at most 5000000"), (dict(end="5 mg"), "dimension"),
    (dict(end=24), "bare number")])
def test_a_bad_time_grid_is_refused_naming_the_fix(kwargs, message):
    with pytest.raises(ketpk.KetpkError, match=message):
        ketpk.TimeGrid(**kwargs)


def test_the_front_doors_build_their_output_times_as_time_grids(tmp_path, capsys):
    """The app, the route comparison's default and the CLI's --end/--step all give a TimeGrid
    with the times the old hand-built aranges gave (one time-grid concept)."""
    from ketpk import app, cli

    grids = {"12 h": (720.0, 1.0), "7 d": (10080.0, 6.0)}
    for end, (minutes, step) in grids.items():
        grid = app.output_times(end)
        assert isinstance(grid, ketpk.TimeGrid)
        np.testing.assert_array_equal(grid.minutes, np.arange(0.0, minutes + step / 2, step))
    comparison = ketpk.compare_routes("racemic", ketpk.Bolus("0 min", "25 mg"), ["iv"])
    np.testing.assert_array_equal(comparison.results["iv"].times_min, np.arange(0.0, 1440.5, 1.0))
    path = tmp_path / "curves.csv"
    assert cli.main(["simulate", "--drug", "racemic", "--dose", "5 mg", "--end", "10 d", "--step", "7 min",
                     "--csv", str(path)]) == 0
    rows = [line.split(",") for line in path.read_text().splitlines() if line[:1].isdigit()]
    np.testing.assert_allclose([float(row[1]) for row in rows], np.arange(0.0, 14400.0 + 3.5, 7.0) / 60, rtol=1e-9)


def test_concentration_values_are_the_concentration_magnitudes():
    pop = ketpk.population.sample("racemic", 4, seed=3)
    result = ketpk.simulate("racemic", ketpk.protocols.get("zarate2006"), ketpk.TimeGrid("3 h", step="10 min"),
                            subjects=pop)
    for analyte in result.analytes:
        for unit in ("ng/mL", "nmol/mL", "mg/L", "umol/L", "pmol/mL"):
            np.testing.assert_array_equal(result.concentration_values(analyte, unit),
                                          result.concentration(analyte, unit).magnitude)
    with pytest.raises(ketpk.ParameterError, match="`analyte` must be one of"):
        result.concentration_values("banana")
    with pytest.raises(ketpk.UnitError, match="concentration unit"):
        result.concentration_values("ketamine", "mg")


DOSE_UNITS = [u for u, (d, _) in KNOWN_UNITS.items() if d in ("[mass]", "[mass] / [time]")]
PER_KG = [u.replace("/", "/kg/", 1) if "/" in u else f"{u}/kg" for u in DOSE_UNITS]


def test_every_dose_factor_is_pints_and_every_pair_of_known_dose_units_converts_as_pint_does():
    for (source, goal), factor in DOSE_FACTORS.items():
        assert factor == Q_(1.0, source).to(goal).magnitude
    pairs = 0
    for units in (DOSE_UNITS, PER_KG):
        for source in units:
            for goal in units:
                if Q_(1.0, source).dimensionality != Q_(1.0, goal).dimensionality:
                    assert dose_in(f"2.5 {source}", goal) is None
                    continue
                for number in ("2.5", "1", "0.3171428571428571", "1e-3"):
                    assert dose_in(f"{number} {source}", goal) == Q_(f"{number} {source}").to(goal).magnitude
                pairs += 1
    assert pairs == 2 * (3 * 3 + 6 * 6)  # amounts (mg, ug, µg) and six rates, per kg or not
    assert dose_in("1 mg/kg/h", "mg/h") is None and dose_in("1 mg/h", "L/h") is None


@pytest.mark.parametrize("unit", [u for u in KNOWN_UNITS if u] + PER_KG)
def test_a_known_string_is_written_as_its_quantity_is(unit):
    for number in ("1.5", "0.07142857142857142", "25", "1200"):
        assert value_text(f"{number} {unit}") == quantity_text(Q_(f"{number} {unit}"))
    if unit in PER_KG and "/kg/" in unit:
        assert value_text(f"0.3171 {unit}", unit="ug/kg/min") == quantity_text(Q_(f"0.3171 {unit}").to("ug/kg/min"))


def test_a_dose_of_strings_reads_them_on_access_and_equals_the_dose_of_quantities():
    strings = ketpk.Infusion("1 h", rate="1.2 ug/kg/min", duration="2 h")
    quantities = ketpk.Infusion(Q_(1, "h"), rate=Q_(1.2, "ug/kg/min"), duration=Q_(2, "h"))
    assert strings == quantities and strings.rate == Q_(1.2, "ug/kg/min") and strings.start.units == Q_(1, "h").units
    bolus = ketpk.Bolus("0 min", "0.5 mg/kg")
    assert bolus.amount == Q_("0.5 mg/kg") and bolus.resolve(np.array([70.0]), 1).amount[0] == 35.0
    with pytest.raises(ketpk.RegimenError, match=r"per body weight \(0\.5 mg/kg\)"):
        bolus.resolve(None, 1)


def test_every_built_in_protocol_builds_without_importing_pint():
    code = ("import sys, ketpk\n"
            "ids = [e.id for e in ketpk.protocols.available()]\n"
            "for i in ids:\n"
            "    ketpk.protocols.get(i)\n"
            "    if 'pint' in sys.modules:\n"
            "        print('pint imported by', i); break\n"
            "print(len(ids), 'pint' in sys.modules)")
    done = _fresh_process(code)
    assert done.stdout.split() == [str(len(ketpk.protocols.available())), "False"]


def test_times_in_known_units_are_added_as_pint_adds_them():
    from ketpk.units import TIME_FACTORS, add_times

    for (source, goal), factor in TIME_FACTORS.items():
        assert factor == Q_(1.0, source).to(goal).magnitude
    units = ("min", "h", "s", "d")
    for a in units:
        for b in units:
            for x, y, k in (("0", "5", 3), ("2.5", "0.1", 7), ("100.8", "0.3171428571428571", 1), ("13", "24", 0)):
                text = add_times(f"{x} {a}", f"{y} {b}", k)
                assert isinstance(text, str) and text.endswith(f" {a}")
                assert Q_(text) == Q_(f"{x} {a}") + Q_(f"{y} {b}") * k
                assert Q_(text).to("min").magnitude == (Q_(f"{x} {a}") + Q_(f"{y} {b}") * k).to("min").magnitude
    assert add_times(None, "3 d", 4) == "12 d"
    assert add_times("1 h", Q_(30, "min")) == Q_(1.5, "h")  # a Quantity: pint adds it
    assert add_times("1 day", "30 min", 2) == Q_(1, "day") + Q_(60, "min")  # 'day' is not a known unit


def test_the_w1_path_never_imports_pint():
    code = ("import sys, ketpk; m = ketpk.models.get('esketamine'); "
            "pop = ketpk.population.sample(m, 20, seed=2009); "
            "r = ketpk.simulate(m, ketpk.protocols.get('sigtermans2009'), ketpk.TimeGrid('100.8 h', step='1 min'), "
            "subjects=pop); c = [r.concentration_values(a, 'ng/mL') for a in r.analytes]; "
            "print('pint' in sys.modules, c[0].shape, float(c[0][:, -1].min()) > 0)")
    done = _fresh_process(code)
    assert done.stdout.split() == ["False", "(20,", "6049)", "True"]


def test_a_concentration_allocates_nothing_full_size_beyond_the_returned_array():
    import tracemalloc

    pop = ketpk.population.sample("esketamine", 200, seed=1)
    result = ketpk.simulate("esketamine", ketpk.Bolus("0 min", "0.5 mg/kg"), ketpk.TimeGrid("24 h"), subjects=pop)
    for read in (lambda: result.concentration_values("ketamine", "ng/mL"),
                 lambda: result.concentration("ketamine", "ng/mL").magnitude,
                 lambda: result.concentration("norketamine", "nmol/mL").magnitude):
        read()  # the registry and caches are built before measuring
        tracemalloc.start()
        values = read()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert values.nbytes == 200 * 1441 * 8 and peak < values.nbytes * 1.05 + 200_000
