"""Hostile and careless input to the front doors added in session 2: the pint-free readers of
known units (compared with pint), TimeGrid, concentration_values, datasets with random effects
and OCC, summaries with parameter uncertainty (ci), protocols as values, route comparisons,
event-table export and effect models.

Each case asserts the ketpk error class, its builtin base class and the message (what was wrong
and how to write it). No case simulates for long.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

import ketpk
import ketpk.tci
from ketpk import (Bolus, KetpkError, ParameterError, Q_, Regimen, RegimenError, Subject, TimeGrid,
                   UnitError, population, protocols, uncertainty, units)
from ketpk.effects import simulate_effects
from ketpk.eventtable import cmt_map, event_table

BUILTIN = {UnitError: TypeError, ParameterError: ValueError, RegimenError: ValueError}
W70 = Subject(weight="70 kg", age="40 year")
T = Q_([10, 30, 60], "min")
RACEMIC_PROTOCOL = "zarate2006"
ASHRAF = "esketamine.ashraf2018"  # a model with published parameter uncertainty
SIMONS = "esketamine.simons2022"  # a model with inter-occasion variability
CASES = []


def case(name, call, error, pattern):
    """One hostile input: ``call()`` must raise ``error`` with a message matching ``pattern``."""
    CASES.append(pytest.param(call, error, pattern, id=name))


# --- the strict reader: integers beyond the float range ----------------------------------------

_HUGE = "1" + "0" * 400
case("an integer beyond the float range as a time", lambda: TimeGrid(f"{_HUGE} min"), ParameterError,
     r"`TimeGrid` needs 0 <= start < end, both finite; got start '0 min' and end '1000")
case("an integer beyond the float range as a dose", lambda: Bolus("0 min", f"{_HUGE} mg"), RegimenError,
     r"finite")
case("a Quantity of an integer beyond the float range", lambda: TimeGrid(Q_(10 ** 400, "min")), UnitError,
     r"`end` = .* is beyond the float range in min; give a value of a physical size")


def test_known_unit_strings_read_as_pint_reads_them():
    """Every string the pint-free reader accepts gives pint's float (integers beyond 2**53
    are left to pint, which multiplies them exactly)."""
    numbers = ["5", "0", "0.5", ".5", "5.", "1e3", "+7", "5e-400", "1e-320", "1e308", "123456.789",
               "9578140833357183", "396471910457631371", "2" * 30]
    for unit, (dimension, _) in units.KNOWN_UNITS.items():
        for number in numbers:
            for text in (f"{number} {unit}", f"{number}{unit}", f" {number}  {unit} "):
                known = units.read_known(text)
                if known is None:
                    continue
                expected = float(units.parse_quantity(text, "x").to(units.CANONICAL[dimension]).magnitude)
                assert known == (expected, dimension), text
    for text in ("1,5 h", "5 minn", "-5 min", "nan min", "1e400 min", "h", "", f"{_HUGE} min"):
        assert units.read_known(text) is None, text  # left to the strict reader, which refuses


# --- TimeGrid ------------------------------------------------------------------------------------

for text, error, pattern in (
        ("1,5 h", UnitError, r"`end` has a comma: '1,5 h'.*write '1.5 h'"),
        ("5 minn", UnitError, r"`end` could not be read.*'minn'"),
        ("-5 min", ParameterError, r"`TimeGrid` needs 0 <= start < end"),
        ("nan min", ParameterError, r"both finite; got start '0 min' and end 'nan min'"),
        ("5", UnitError, r"`end` needs a unit.*e\.g\. '5 min'"),
        ("h", UnitError, r"`end` must start with a number"),
        ("", UnitError, r"`end` is an empty string")):
    case(f"TimeGrid end {text!r}", lambda v=text: TimeGrid(v), error, pattern)
case("TimeGrid end an array", lambda: TimeGrid(Q_([1, 2], "h")), UnitError,
     r"`end` must be one value; got 2 values")
case("TimeGrid step an array", lambda: TimeGrid("1 h", step=Q_([1, 2], "min")), UnitError,
     r"`step` must be one value; got 2 values")


def test_a_time_grid_cannot_be_changed_in_place():
    grid = TimeGrid("1 h", step="30 min")
    with pytest.raises(ValueError, match="read-only"):
        grid.minutes[0] = 5.0
    assert grid.minutes.tolist() == [0.0, 30.0, 60.0]


# --- summaries with parameter uncertainty --------------------------------------------------------

_ORAL = Bolus("0 min", "0.3 mg/kg", route="oral")


def _summary(subjects, **kw):
    return ketpk.summarize(ASHRAF, _ORAL, T, subjects=subjects, **kw)


def _uncertain():
    return population.sample(ASHRAF, 3, seed=2, uncertainty=True, replicates=2)


case("summarize ci on a population without replicates",
     lambda: _summary(population.sample(ASHRAF, 3, seed=1), ci=(5, 95)), ParameterError,
     r"`ci` \(\(5, 95\)\) summarises parameter replicates, but `subjects` has none; draw them with "
     r"ketpk.population.sample\(\.\.\., uncertainty=True, replicates=R\), or drop `ci`")
case("summary percentile q None", lambda: _summary(population.sample(ASHRAF, 3, seed=1)).percentile(
    "ketamine", None), ParameterError, r"`q` must be one of the percentiles computed, \(5.0, 50.0, 95.0\); "
     r"got None. E.g. q=5")
case("summary percentile_interval q '50'", lambda: _summary(_uncertain()).percentile_interval(
    "ketamine", "50"), ParameterError, r"`q` must be one of the percentiles computed.*got '50'")


def _intervals(**kw):
    pop = _uncertain()
    return uncertainty.percentile_intervals(ketpk.simulate(ASHRAF, _ORAL, T, subjects=pop), pop, **kw)


case("percentile_intervals ci 150", lambda: _intervals(ci=(2.5, 150)), ParameterError,
     r"`ci` must be in 0-100; got 150")
case("percentile_intervals ci '95'", lambda: _intervals(ci="95"), ParameterError,
     r"`ci` must be a number or a non-empty sequence of numbers; got '95'")
case("percentile_intervals q empty", lambda: _intervals(q=()), ParameterError,
     r"`q` must be a number or a non-empty sequence")
case("percentile_intervals q nan", lambda: _intervals(q=(np.nan,)), ParameterError, r"`q` must be in 0-100")
case("percentile_intervals of a string", lambda: uncertainty.percentile_intervals("result", _uncertain()),
     ParameterError, r"`result` must be a SimulationResult .*got str")


# --- datasets: OCC and seed ------------------------------------------------------------------------

def _film_rows(occ):
    cmt = cmt_map(ketpk.models.get(SIMONS))["sublingual"]
    return [dict(ID=1, TIME=0, EVID=1, AMT=50, RATE=-2, CMT=cmt, OCC=1),
            dict(ID=1, TIME=3, EVID=0, OCC=occ)]


def _dataset(occ=1, **kw):
    kw.setdefault("variability", True)
    return ketpk.simulate_dataset(_film_rows(occ), SIMONS, **kw)


case("dataset OCC 1e300", lambda: _dataset(1e300, seed=1), RegimenError,
     r"row 3: OCC must be a whole number from 0 to 2147483647; got 1e\+300")
case("dataset OCC 2**70", lambda: _dataset(2 ** 70, seed=1), RegimenError,
     r"row 3: OCC must be a whole number from 0 to 2147483647")
case("dataset OCC True", lambda: _dataset(True, seed=1), RegimenError,
     r"row 3: column OCC must be a number; got the boolean True. Write 1 or 0")
case("dataset seed without variability", lambda: _dataset(seed=1, variability=False), ParameterError,
     r"`seed` \(1\) is used only to draw random effects; add variability=True, or drop `seed`")
case("dataset seed of the wrong type without variability", lambda: _dataset(seed="1", variability=False),
     ParameterError, r"`seed` \('1'\) is used only to draw random effects")


# --- protocols and regimens of the wrong drug form, through every front door -----------------

def _racemic():
    return protocols.get(RACEMIC_PROTOCOL)


_FORM = r"doses racemic ketamine, but model 'esketamine\.[a-z0-9]+' is a S\(\+\)-ketamine .*Choose a racemic model"
case("compare_routes esketamine model, racemic protocol",
     lambda: ketpk.compare_routes("esketamine", _racemic(), ("iv",), subject=W70, times=T), RegimenError, _FORM)
case("compare_routes esketamine model, racemic regimen",
     lambda: ketpk.compare_routes("esketamine", _racemic().regimen, ("iv", "im"), subject=W70, times=T),
     RegimenError, _FORM)
case("event_table esketamine model, racemic protocol",
     lambda: event_table(_racemic(), W70, model=ketpk.models.get("esketamine")), RegimenError,
     r"protocol 'zarate2006' " + _FORM)
case("Regimen.to_event_table esketamine model, racemic regimen",
     lambda: _racemic().regimen.to_event_table(W70, model=ketpk.models.get("esketamine")), RegimenError,
     r"the regimen " + _FORM)
case("event_table model by id", lambda: event_table(_racemic(), W70, model="racemic"), ParameterError,
     r"`model` must be a DrugModel, e.g\. ketpk\.models\.get\('racemic'\); got 'racemic' of type str")
case("cmt_map model by id", lambda: cmt_map("racemic"), ParameterError, r"`model` must be a DrugModel")
case("effects named twice",
     lambda: simulate_effects("racemic", _racemic(), T, ["herd2008.sedation", "herd2008.sedation"],
                              subjects=W70), ParameterError,
     r"`effects` names 'herd2008.sedation' more than once; give each effect model once")


# --- routes: spelled-out names and abbreviations are refused with the route's name ----------------

for given, name in (("intravenous", "iv"), ("IV", "iv"), ("po", "oral"), ("Intranasal", "intranasal"),
                    ("subcutaneous", "sc")):
    case(f"route {given!r}", lambda g=given: Bolus("0 min", "5 mg", route=g), RegimenError,
         rf"`route` must be one of iv, .*; got '{given}'\. Did you mean '{name}'\?$")
case("compare_routes a route twice", lambda: ketpk.compare_routes("esketamine", "5 mg", ("iv", "iv"), times=T),
     ParameterError, r"`routes` names a route more than once \(iv, iv\); give each route once")
case("compare_routes routes a number", lambda: ketpk.compare_routes("esketamine", "5 mg", 5, times=T),
     ParameterError, r"`routes` must be a route name or a list of them, e\.g\. \('iv', 'im'\); got 5 of type int")


# --- effects and populations: an effect-site copy has its model's random effects ----------------

case("effects with a population of another model",
     lambda: simulate_effects("esketamine", Bolus("0 min", "20 mg"), T, "olofsen2022",
                              subjects=population.sample("esketamine.otto2021", 2, seed=1)), ParameterError,
     r"drawn for model 'esketamine.otto2021' .* uses model 'esketamine.multiroute@olofsen2022'\. Draw one "
     r"for this model: ketpk.population.sample\('esketamine.multiroute', n\)")


def test_effects_take_a_population_drawn_for_their_pk_model():
    pop = population.sample("esketamine", 3, seed=1)
    effects = simulate_effects("esketamine", Bolus("0 min", "20 mg"), T, "olofsen2022", subjects=pop)
    plain = ketpk.simulate("esketamine", Bolus("0 min", "20 mg"), T, subjects=pop)
    np.testing.assert_allclose(effects.pk.concentration("ketamine").magnitude,
                               plain.concentration("ketamine").magnitude, rtol=1e-12)
    assert effects.curves["olofsen2022"].values.shape == (3, len(T))


def test_a_single_route_name_is_one_route():
    comparison = ketpk.compare_routes("esketamine", "5 mg", "im", subject=W70, times=T)
    assert list(comparison.results) == ["im"]


# --- a Protocol value: each field of its kind; a protocol as the regimen keeps its drug form ----

def _replaced(**changes):
    return dataclasses.replace(_racemic(), **changes)


case("protocol holding a protocol of the other form", lambda: _replaced(regimen=protocols.get("noppers2011")),
     RegimenError, r"protocol 'zarate2006' is for racemic, but its regimen doses esketamine; give doses of "
     r"one drug form")
case("protocol assumptions a string", lambda: _replaced(assumptions="assumed"), RegimenError,
     r"protocol 'zarate2006': `assumptions` must be a tuple of strings \(one per line\); got 'assumed'\. "
     r"E\.g\. assumptions=\('assumed',\)")
case("protocol steps None", lambda: _replaced(steps=None), RegimenError,
     r"`steps` must be a tuple of strings .*got None\. E\.g\. steps=\('first line', 'second line'\)")
case("protocol name None", lambda: _replaced(name=None), RegimenError,
     r"protocol `name` must be a non-empty string; got None")
case("protocol citation a string", lambda: _replaced(citation="Zarate 2006"), RegimenError,
     r"`citation` must be a ketpk.Citation; got 'Zarate 2006' of type str")
case("protocol options a list", lambda: _replaced(options=[1, 2]), RegimenError, r"`options` must be a dict")
case("sampling as an array", lambda: ketpk.simulate("esketamine", Bolus("0 min", "20 mg"), T,
                                                    sampling=np.array(["venous"])), ParameterError,
     r"`sampling` must be 'arterial' or 'venous'; got array")


case("comparison table time_unit ''", lambda: ketpk.compare_routes("esketamine", "5 mg", "iv", subject=W70,
                                                                  times=T).table(time_unit=""), UnitError,
     r"`time_unit` must be a unit such as .*got the empty string ''")
case("nca curve unit ''", lambda: ketpk.nca.curve(ketpk.simulate("esketamine", Bolus("0 min", "5 mg"), T),
                                                  "ketamine", unit=""), UnitError,
     r"`unit` must be a unit such as .*got the empty string ''")


case("TCI of a racemic target protocol with an S-ketamine model",
     lambda: ketpk.tci.target_infusion("esketamine.otto2021", protocols.target_protocol("bowdle1998"), subject=W70),
     RegimenError, r"protocol 'bowdle1998' " + _FORM)


def test_compare_routes_keeps_the_steady_state_of_the_shape():
    """A route comparison of a regimen at steady state gives each route its steady state."""
    dose = Bolus("0 h", "10 mg")
    regimen = Regimen([dose]).with_steady_state(dose, every="12 h")
    comparison = ketpk.compare_routes("esketamine", regimen, ("iv", "im"), subject=W70, times=T)
    for route in ("iv", "im"):
        by_hand = Regimen([Bolus("0 h", "10 mg", route=route)]).with_steady_state(
            Bolus("0 h", "10 mg", route=route), every="12 h")
        direct = ketpk.simulate("esketamine", by_hand, T, subjects=W70)
        np.testing.assert_array_equal(comparison.results[route].concentration("ketamine").magnitude,
                                      direct.concentration("ketamine").magnitude)


@pytest.mark.parametrize("call, error, pattern", CASES)
def test_hostile_input_raises_a_clear_ketpk_error(call, error, pattern):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy noise before (or instead of) the error
        warnings.simplefilter("ignore", ketpk.errors.UnphysicalValueWarning)  # Simons 2022 F2 > 1
        with pytest.raises(error, match=pattern) as info:
            call()
    assert isinstance(info.value, KetpkError)
    assert isinstance(info.value, BUILTIN[error])
