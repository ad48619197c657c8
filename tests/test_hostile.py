"""Hostile and careless input, across the API and the command line.

Each case asserts the ketpk error class, its builtin base class (so ``except ValueError`` keeps
working) and the message: what was read and how to write it. A seeded random-regimen fuzz then
checks that whatever is accepted gives finite, non-negative, solver-independent, mass-balanced
results.
"""

from __future__ import annotations

import math
import os
import re
import time
import warnings

import numpy as np
import pytest

import ketpk
from ketpk import (Bolus, Infusion, KetpkError, ParameterError, Q_, Regimen, RegimenError, Subject,
                   UnitError, models, protocols, simulate)
from ketpk.cli import main

T = Q_(np.linspace(0, 600, 11), "min")
B = Bolus("0 min", "5 mg")
BUILTIN = {UnitError: TypeError, ParameterError: ValueError, RegimenError: ValueError,
           ketpk.ModelNotFoundError: LookupError, ketpk.SolverError: RuntimeError,
           ketpk.FileError: OSError}

CASES = []


def case(name, call, error, pattern):
    """One hostile input: ``call()`` must raise ``error`` with a message matching ``pattern``."""
    CASES.append(pytest.param(call, error, pattern, id=name))


def _sim(regimen=B, times=T, model="esketamine", **kw):
    return simulate(model, regimen, times, **kw)


# --- 1. the strict quantity reader -----------------------------------------------------------

_COMMA = r"has a comma: .*ketpk reads '\.' as the decimal point and takes no thousands separators: write "
for text, fixed in (("25,5 mg", "25.5 mg"), ("1,000 mg", "1000 mg"), ("0,5 mg/kg", "0.5 mg/kg"),
                    ("2,5 h", "2.5 h"), ("1,000,000 mg", "1000000 mg")):
    case(f"comma {text!r} as a bolus amount", lambda v=text: Bolus("0 min", v), UnitError,
         _COMMA + re.escape(repr(fixed)))
case("decimal comma in a time", lambda: Bolus("1,5 h", "5 mg"), UnitError, r"`time` has a comma")
case("decimal comma in a weight", lambda: Subject(weight="70,5 kg"), UnitError,
     r"`weight` has a comma: '70,5 kg'.*write '70\.5 kg'")
case("decimal comma in a rate", lambda: Infusion("0 min", rate="0,35 mg/kg/h", duration="1 h"),
     UnitError, r"`rate` has a comma.*write '0\.35 mg/kg/h'")
for text in ("1 000 mg", "10 000 mg", "1 000 000 mg"):
    case(f"space thousands {text!r}", lambda v=text: Bolus("0 min", v), UnitError,
         r"`amount` has digits after the number: .*Do not separate thousands with a space: write '1[0]+ mg'")
for text in ("mg", "mg/kg", "kg", " min", "ng/mL"):
    case(f"bare unit {text!r}", lambda v=text: Bolus("0 min", v), UnitError,
         r"`amount` must start with a number; got .* read as a unit with no amount\. Write one number")
case("bare unit as a weight", lambda: Subject(weight="kg"), UnitError, r"`weight` must start with a number")
case("bare unit as a time", lambda: Bolus("h", "5 mg"), UnitError, r"`time` must start with a number")
for text in ("", " ", "   ", "\t", "\n"):
    case(f"empty string {text!r}", lambda v=text: Bolus("0 min", v), UnitError,
         r"`amount` is an empty string .*Write one number and a unit")
case("empty weight", lambda: Subject(weight=""), UnitError, r"`weight` is an empty string")
case("empty infusion duration", lambda: Infusion("0 min", amount="5 mg", duration=" "), UnitError,
     r"`duration` is an empty string")
for text, meant in (("25 Mg", "25 mg"), ("5 MG", "5 mg"), ("1 Mmol", "1 mmol"), ("2 ML", "2 mL"),
                    ("25 Mg/kg", "25 mg/kg"), ("2 Mm", "2 mm")):
    case(f"wrong-case prefix {text!r}", lambda v=text: Bolus("0 min", v), UnitError,
         r"uses '[A-Z][A-Za-z]*' in .*upper-case prefix .* is mega or more\. Units are case-sensitive")
case("wrong-case prefix names the fix", lambda: Bolus("0 min", "25 Mg"), UnitError,
     r"1e\+09 times 'mg'.*write '25 mg'")
case("mega-inch for minutes", lambda: Bolus("10 Min", "5 mg"), UnitError, r"uses 'Min'.*write '10 min'")
case("megasecond for a duration", lambda: Infusion("0 min", amount="5 mg", duration="5 Ms"), UnitError,
     r"uses 'Ms'.*write '5 ms'")
case("wrong-case mega in a weight", lambda: Subject(weight="70 Mg"), UnitError, r"`weight` uses 'Mg'")
for text, hint in (("25 Kg", "kg"), ("5 MIN", "min"), ("5 mg/Kg", "mg/kg"), ("5 MGG", None)):
    pattern = r"could not be read as a quantity: .* which is not a unit"
    if hint:
        pattern += rf".*Did you mean '{hint}'\?"
    case(f"undefined case {text!r}", lambda v=text: Bolus("0 min", v) if "g" in v else Bolus(v, "5 mg"),
         UnitError, pattern)
for text in ("25 mg 30", "25 mg mgg", "5 mg + 3 mg", "twenty mg", "25mg!", "2 (mg"):
    case(f"garbage {text!r}", lambda v=text: Bolus("0 min", v), UnitError,
         r"`amount` (could not be read as a quantity|must start with a number)")
for text in ("25", "0.5", "1e3"):
    case(f"bare number string {text!r} as a dose", lambda v=text: Bolus("0 min", v), UnitError,
         r"`amount` needs a unit: it is a dose amount; got the bare number .*Add the unit, e\.g\.")
    case(f"bare number string {text!r} as a time", lambda v=text: Bolus(v, "5 mg"), UnitError,
         r"`time` needs a unit: it is a quantity of dimension \[time\]; got the bare number")
case("bare number string as a weight", lambda: Subject(weight="70"), UnitError,
     r"`weight` needs a unit.*'70 kg'")
for value in (5, 5.0, np.float64(5), [5], None, True, object()):
    case(f"non-quantity {type(value).__name__} amount", lambda v=value: Bolus("0 min", v), UnitError,
         r"`amount` must be a pint Quantity or a string with a unit")
case("overflow 1e309 mg", lambda: Bolus("0 min", "1e309 mg"), RegimenError,
     r"`amount` must be finite and positive; got inf mg")
case("overflow on conversion", lambda: Bolus("0 min", "1e308 kg"), UnitError,
     r"`amount` = .* overflows to infinity in mg")
case("overflow of a weight", lambda: Subject(weight="1e308 Gg" if False else "1e307 t"), UnitError,
     r"`weight` = .* overflows to infinity")
case("NaN weight string", lambda: Subject(weight="nan kg"), ParameterError, r"`weight` must be finite")
case("inf time", lambda: Bolus("inf h", "5 mg"), RegimenError, r"`time` must be finite")
case("-inf rate", lambda: Infusion("0 min", rate="-inf mg/h", duration="1 h"), RegimenError,
     r"`rate` must be finite and positive")

# --- arrays, complex and other non-scalars where one value is expected ------------------------

case("array dose", lambda: Bolus("0 min", Q_([5, 10], "mg")), UnitError,
     r"`amount` must be one value; got 2 values \(shape \(2,\)\)")
case("2-D array dose", lambda: Bolus("0 min", Q_(np.ones((2, 2)), "mg")), UnitError,
     r"`amount` must be one value; got 4 values")
case("array rate", lambda: Infusion("0 min", rate=Q_([1, 2], "mg/h"), duration="1 h"), UnitError,
     r"`rate` must be one value")
case("array cap", lambda: Bolus("0 min", "5 mg", cap=Q_([1, 2], "mg")), UnitError, r"`cap` must be one value")
case("array bolus time", lambda: Bolus(Q_([0, 1], "h"), "5 mg"), RegimenError, r"`time` must be a single time")
case("array duration", lambda: Infusion("0 min", amount="5 mg", duration=Q_([1, 2], "h")), RegimenError,
     r"`duration` must be a single duration")
case("array weight", lambda: Subject(weight=Q_([70, 80], "kg")), UnitError, r"`weight` must be one value")
case("array age", lambda: Subject(age=Q_([20, 30], "year")), UnitError, r"`age` must be one value")
case("complex dose", lambda: Bolus("0 min", Q_(5 + 1j, "mg")), UnitError,
     r"`amount` must be a real number; got the complex value")
case("complex times", lambda: _sim(times=Q_(np.array([0, 1 + 1j]), "min")), UnitError,
     r"`times` must be a real number; got the complex value")
case("complex weight", lambda: Subject(weight=Q_(70j, "kg")), UnitError, r"`weight` must be a real number")
case("boolean dose", lambda: Bolus("0 min", Q_(np.array([True]), "mg")), UnitError,
     r"`amount` must hold real numbers")
case("henry for hours", lambda: Bolus("5 H", "5 mg"), UnitError, r"`time` must have dimension \[time\]")
case("string array times", lambda: _sim(times=Q_(np.array(["a", "b"], dtype=object), "min")), UnitError,
     r"`times` must hold real numbers")
case("bare list times", lambda: _sim(times=[0, 1, 2]), UnitError, r"`times` must be a pint Quantity")
case("repeat count 1e9", lambda: B.repeat(every="1 h", count=10**9), RegimenError,
     r"`count` 1000000000 makes more than 100000 doses per regimen; simulate a steady state")
case("a regimen of 200001 doses", lambda: Regimen([B] * 200_001), RegimenError,
     r"a regimen holds at most 100000 doses; got 200001")
case("two long regimens added", lambda: B.repeat(every="1 h", count=60_000) + B.repeat(every="1 h", count=60_000),
     RegimenError, r"a regimen holds at most 100000 doses; got 120000")
case("repeat count True", lambda: B.repeat(every="1 h", count=True), RegimenError,
     r"`count` must be a whole number >= 1")

# --- 4. every loop bounded: titration clocks ---------------------------------------------------

for name in ("sigtermans2009", "goldberg2010", "lenze2016"):
    for option, value in (("interval", "0 min"), ("interval", "-1 h"), ("interval", "nan min"),
                          ("interval", "inf h")):
        case(f"{name} {option}={value}", lambda n=name, o=option, v=value: protocols.get(n, **{o: v}),
             RegimenError, rf"`{option}` must be a finite, positive time; got {re.escape(value)}\. A "
                           r"titration clock needs to advance")
    case(f"{name} interval without unit", lambda n=name: protocols.get(n, interval=0), UnitError,
         r"`interval` must be a pint Quantity .*A bare number is ambiguous")
    case(f"{name} a million checks", lambda n=name: protocols.get(n, interval="1 s", duration="100 d"),
         RegimenError, r"titration checks every 1 s .* make 8\.64e\+06 steps, more than 100000")
case("sigtermans2009 night_interval=0", lambda: protocols.get("sigtermans2009", night_interval="0 min"),
     RegimenError, r"`night_interval` must be a finite, positive time; got 0 min")
case("sigtermans2009 night_interval<0", lambda: protocols.get("sigtermans2009", night_interval="-8 h"),
     RegimenError, r"`night_interval` must be a finite, positive time")

# --- 2. physical validation of every model -----------------------------------------------------

ESK = models.get("esketamine")
RAC = models.get("racemic")
_FRACTION = r"route '{route}' of model '{model}' has .*more drug would enter than was given"
for model, overrides, route in (
        (ESK, {"F_oral": 1.5}, "oral"), (ESK, {"F_oral": "1.01"}, "oral"),
        (ESK, {"F_oral": 0.5, "fpre_oral": 0.6}, "oral"), (RAC, {"F_oral": 0.7, "fpre_oral": 0.39}, "oral"),
        (ESK, {"F_im": 2}, "im"), (ESK, {"F_sc": 1.2}, "sc"), (RAC, {"F_transdermal": 3}, "transdermal"),
        (ESK, {"F_rectal": 0.9, "fpre_rectal": 0.2}, "rectal"), (ESK, {"F_inhaled": 1.5}, "inhaled")):
    case(f"{model.id} {overrides}", lambda m=model, o=overrides: m.with_parameters(**o), ParameterError,
         _FRACTION.format(route=route, model=re.escape(model.id)))
case("F_oral negative", lambda: ESK.with_parameters(F_oral=-0.1), ParameterError,
     r"`F_oral` must be non-negative; got -0\.1")
case("F_oral NaN", lambda: ESK.with_parameters(F_oral=float("nan")), ParameterError,
     r"`F_oral` must be a finite number; got nan")
case("F_oral inf string", lambda: ESK.with_parameters(F_oral="inf"), ParameterError, r"`F_oral` must be a finite")
case("F_oral boolean", lambda: ESK.with_parameters(F_oral=True), UnitError, r"`F_oral` must be a pint Quantity")
case("F_oral with a unit", lambda: ESK.with_parameters(F_oral="0.5 mg"), ParameterError,
     r"`F_oral` of model .* has dimension dimensionless; got 0\.5 mg")
for name in ("V1", "Vp1", "V_NK"):
    case(f"zero volume {name}", lambda n=name: ESK.with_parameters(**{n: "0 L"}), ParameterError,
         rf"(?i)`{name}` is a volume and must be > 0; got 0 L")
for name in ("CL", "Q1", "CL_NK"):
    case(f"zero clearance {name}", lambda n=name: ESK.with_parameters(**{n: "0 L/h"}), ParameterError,
         rf"(?i)`{name}` is a clearance and must be > 0; got 0 L/h")
case("negative volume", lambda: ESK.with_parameters(V1="-5 L"), ParameterError, r"`V1` must be non-negative")
case("volume in mg", lambda: ESK.with_parameters(V1="5 mg"), ParameterError, r"`V1` of model .* has dimension")
case("volume with a decimal comma", lambda: ESK.with_parameters(V1="133,5 L"), UnitError, r"`V1` has a comma")
case("volume overflow", lambda: ESK.with_parameters(V1="1e308 m**3"), ParameterError,
     r"volume inf L; a volume must be finite and > 0|overflow")
case("absorption rate inf", lambda: ESK.with_parameters(ka_oral="inf 1/h"), ParameterError,
     r"`ka_oral` must be a finite number")
case("NaN allometric exponent", lambda: ketpk.model.Allometric(float("nan")), ParameterError,
     r"Allometric `exponent` must be a finite number; got nan")
case("inf allometric exponent", lambda: ketpk.model.Allometric(float("inf")), ParameterError,
     r"Allometric `exponent` must be a finite number")
case("string allometric exponent", lambda: ketpk.model.Allometric("0.75"), ParameterError,
     r"Allometric `exponent` must be a finite number; got '0\.75'")
case("zero allometric reference", lambda: ketpk.model.Allometric(0.75, 0.0), ParameterError,
     r"Allometric `reference` must be > 0")
for year in (-5, 0, 1066, 3000, 2021.5, "2021", True):
    case(f"citation year {year!r}", lambda y=year: ketpk.citations.Citation(
        authors="A", year=y, title="t", journal="j", doi="10.1/x"), ParameterError,
         r"`Citation` year must be a whole year from 1800 to \d{4}; got")


def _builder():
    b = ketpk.model.SystemBuilder(1)
    b.compartment("ketamine.central", "ketamine", volume=100.0, analytes=("ketamine",))
    b.compartment("norketamine.central", "norketamine", volume=50.0, analytes=("norketamine",))
    return b


def _cycle(gain):
    b = _builder()
    b.transfer("ketamine.central", 0.1, "norketamine.central")
    b.transfer("norketamine.central", 0.1, {"ketamine.central": 1.0})
    b._flows.append(("ketamine.central", "norketamine.central", np.array([gain])))  # a hand-made leak
    b._balance.append(("ketamine.central", "norketamine.central", np.array([gain])))
    return b.build()


case("clearance back into its own compartment",
     lambda: _builder().clearance("ketamine.central", 1.0, "ketamine.central"), ParameterError,
     r"a clearance of 'ketamine\.central' flows back into 'ketamine\.central' itself")
case("metabolite yield 2", lambda: _builder().clearance("ketamine.central", 1.0, {"norketamine.central": 2.0}),
     ParameterError, r"the yields from 'ketamine\.central' into norketamine\.central sum to 2 mol per mol, "
                     r"more than the maximum of 1: the flow would create drug")
case("mass-basis yield 1.5", lambda: _builder().clearance("ketamine.central", 1.0, {"norketamine.central": 1.5},
                                                          basis="mass"),
     ParameterError, r"sum to 1\.5 mg per mg")
case("negative yield", lambda: _builder().clearance("ketamine.central", 1.0, {"norketamine.central": -0.5}),
     ParameterError, r"the yield of 'norketamine\.central' from 'ketamine\.central' is -0\.5")
case("NaN yield", lambda: _builder().clearance("ketamine.central", 1.0, {"norketamine.central": np.nan}),
     ParameterError, r"is nan; a yield is a fraction in \[0, 1\]")
case("negative rate", lambda: _builder().transfer("ketamine.central", -0.1), ParameterError,
     r"the flow out of 'ketamine\.central' has rate -0\.1 1/min; rates must be finite and >= 0")
case("infinite rate", lambda: _builder().transfer("ketamine.central", np.inf), ParameterError,
     r"has rate inf 1/min")
case("flow to an undefined compartment", lambda: _builder().transfer("ketamine.central", 0.1, "liver"),
     ParameterError, r"a flow names compartment 'liver', which is not defined")
case("zero volume compartment", lambda: _builder().compartment("x", "ketamine", volume=0.0), ParameterError,
     r"compartment 'x' has volume 0 L; a volume must be finite and > 0")
case("NaN volume compartment", lambda: _builder().compartment("x", "ketamine", volume=np.nan), ParameterError,
     r"compartment 'x' has volume nan L")
case("duplicate compartment", lambda: _builder().compartment("ketamine.central", "ketamine", volume=5.0),
     ParameterError, r"compartment 'ketamine\.central' is defined twice")
case("cycle that creates drug", lambda: _cycle(0.05), ParameterError,
     r"the flows out of 'norketamine\.central' return 1\.3+ times what they remove .*the model creates drug")
case("unknown basis", lambda: _builder().transfer("ketamine.central", 0.1, "norketamine.central", basis="volume"),
     ParameterError, r"`basis` must be 'molar' or 'mass'; got 'volume'")

_CARD = """
id = "racemic.hostile"
drug = "racemic"
population = "toy"
sampling = "venous"
[citation]
authors = "A"
year = {year}
title = "t"
journal = "j"
doi = "10.1/x"
[parameters]
CL = {{ value = "{cl}", source = "toy", weight_exponent = {exponent} }}
V = {{ value = "{volume}", source = "toy" }}
FM = {{ value = "{fm}", source = "toy" }}
VM = {{ value = "50 L", source = "toy" }}
CLM = {{ value = "2 L/min", source = "toy" }}
F = {{ value = "{f}", source = "toy" }}
KA = {{ value = "1 1/h", source = "toy" }}
[[compartments]]
name = "ketamine.central"
species = "ketamine"
volume = "V"
analytes = ["ketamine"]
[[compartments]]
name = "norketamine.central"
species = "norketamine"
volume = "VM"
analytes = ["norketamine"]
[[flows]]
type = "clearance"
from = "ketamine.central"
value = "CL"
to = {{ "{target}" = "FM" }}
[[flows]]
type = "clearance"
from = "norketamine.central"
value = "CLM"
[routes.iv]
type = "iv"
[routes.oral]
type = "absorption"
F = "F"
ka = "KA"
"""
_GOOD = dict(year=2024, cl="60 L/h", exponent=0.75, volume="100 L", fm="0.8", f="0.5",
             target="norketamine.central")


def _card(**changes):
    import tomllib

    return models.from_dict(tomllib.loads(_CARD.format(**{**_GOOD, **changes})))


def _toml_file(tmp_text, encoding):
    import os
    import tempfile

    handle, path = tempfile.mkstemp(suffix=".toml")
    with os.fdopen(handle, "wb") as out:
        out.write(tmp_text.encode(encoding))
    try:
        return models.from_toml(path)
    finally:
        os.remove(path)


case("card: metabolite yield 2", lambda: _card(fm="2"), ParameterError,
     r"`parameters\.FM\.value` is a fraction and must lie in \[0, 1\]; got '2'")
case("card: oral F 1.5", lambda: _card(f="1.5"), ParameterError, r"`parameters\.F\.value` is a fraction")
case("card: zero volume", lambda: _card(volume="0 L"), ParameterError, r"is a volume and must be > 0|`V`")
case("card: clearance into itself", lambda: _card(target="ketamine.central"), ParameterError,
     r"flows back into 'ketamine\.central' itself")
case("card: NaN weight exponent", lambda: _card(exponent="nan"), ParameterError,
     r"weight_exponent.*(finite|number)")
case("card: inf weight exponent", lambda: _card(exponent="inf"), ParameterError,
     r"weight_exponent.*(finite|number)")
case("card: citation year -5", lambda: _card(year=-5), ParameterError, r"year")
case("card: decimal comma", lambda: _card(cl="60,5 L/h"), ParameterError, r"has a comma")
case("card file: latin-1", lambda: _toml_file(_CARD.format(**_GOOD).replace('"toy"', '"Müller"'), "latin-1"),
     ketpk.FileError, r"is not UTF-8 text .*save it as UTF-8")
case("card file: None", lambda: models.from_toml(None), ketpk.FileError,
     r"`path` must be a file path \(str or pathlib\.Path\) of a TOML model card; got None")
case("card file: a number", lambda: models.from_toml(3), ketpk.FileError, r"`path` must be a file path")

# --- 3. drug form and the subjects a model was validated for -----------------------------------

W70 = Subject(weight="70 kg")
_FORM = r"doses {dose}, but model '{model}' is a {form} model: the whole dose would be read as"
case("racemic protocol on the S(+) model", lambda: _sim(protocols.get("zarate2006"), subjects=W70),
     RegimenError, r"protocol 'zarate2006' " + _FORM.format(dose="racemic ketamine", model="esketamine.*",
                                                            form=r"S\(\+\)-ketamine \(esketamine\)"))
case("racemic protocol on Otto's S(+) model",
     lambda: _sim(protocols.get("zarate2006"), model="esketamine.otto2021", subjects=W70), RegimenError,
     r"protocol 'zarate2006' doses racemic ketamine, but model 'esketamine\.otto2021'")
case("shifted racemic protocol keeps its form",
     lambda: _sim(protocols.get("zarate2006").shifted("1 h"), subjects=W70), RegimenError,
     r"the regimen doses racemic ketamine, but model")
case("racemic protocol plus a bolus keeps its form",
     lambda: _sim(protocols.get("zarate2006") + B, subjects=W70), RegimenError, r"the regimen doses racemic")
case("declared esketamine regimen on a racemic model",
     lambda: _sim(Regimen([B], drug="esketamine"), model="racemic"), RegimenError,
     r"the regimen doses S\(\+\)-ketamine \(esketamine\), but model 'racemic.*' is a racemic ketamine model")
case("declared racemic regimen on Simons 2022", lambda: _sim(Regimen([B], drug="racemic"),
                                                            model="esketamine.simons2022"),
     RegimenError, r"but model 'esketamine\.simons2022' is a S\(\+\)-ketamine")
for form in ("S", "ketamine", "Racemic", 1):
    case(f"regimen drug {form!r}", lambda f=form: Regimen([B], drug=f), RegimenError,
         r"`drug` must be one of 'esketamine', 'racemic' or None \(undeclared\)")
case("adding regimens of two forms", lambda: Regimen([B], drug="esketamine") + Regimen([B], drug="racemic"),
     RegimenError, r"cannot add an esketamine regimen to a racemic one")
case("a racemic protocol plus an esketamine regimen",
     lambda: protocols.get("zarate2006") + Regimen([B], drug="esketamine"), RegimenError,
     r"cannot add an esketamine regimen to a racemic one")

# --- absurd sizes refused before any work --------------------------------------------------------

case("population of 1e9 subjects", lambda: ketpk.population.sample("esketamine", 10**9, seed=1),
     ParameterError, r"a population of 1000000000 subjects needs about \d+ GB .*ketpk\.summarize")
case("population of 1e8 racemic subjects", lambda: ketpk.population.sample("racemic", 10**8, seed=1),
     ParameterError, r"a population of 100000000 subjects needs about")
case("1e9 covariate rows", lambda: ketpk.population.sample("esketamine", 10**9, seed=1,
                                                           covariates={"weight": Q_([70.0], "kg")}),
     ParameterError, r"a population of 1000000000 subjects")
case("population n=0", lambda: ketpk.population.sample("esketamine", 0), ParameterError,
     r"`n` must be a positive integer; got 0")
case("population n=2.5", lambda: ketpk.population.sample("esketamine", 2.5), ParameterError,
     r"`n` must be a positive integer; got 2\.5")
case("population n='100'", lambda: ketpk.population.sample("esketamine", "100"), ParameterError,
     r"`n` must be a positive integer; got '100'")
case("a full result of tens of GB", lambda: _sim(times=Q_(np.arange(0.0, 2e5), "min"), record="all",
                                                 subjects=ketpk.population.sample("esketamine", 2000, seed=1)),
     ParameterError, r"this simulation would hold 2000 subjects × \d+ outputs × 200000 times = .* GB .*"
                     r"Use ketpk\.summarize\(\.\.\.\)")

# --- output checks and overflow ------------------------------------------------------------------

case("1e308 mg dose overflows in the solver", lambda: _sim(Bolus("0 min", "1e308 mg")), ketpk.SolverError,
     r"gave non-finite concentrations \(inf or NaN\); the largest dose is 1e\+308 mg")
case("1e308 mg/kg dose overflows with the weight", lambda: _sim(Bolus("0 min", "1e308 mg/kg"), subjects=Subject(weight="70 kg")),
     ketpk.SolverError, r"the largest dose is beyond floating point \(a per-kg dose times the weight")
case("empty concentration unit", lambda: _sim().concentration("ketamine", ""), UnitError,
     r"`unit` must be a unit such as 'ng/mL'.*got the empty string")
case("blank concentration unit", lambda: _sim().concentration("ketamine", "  "), UnitError,
     r"got the empty string '  '")
case("plot to .docx", lambda: __import__("ketpk.plotting").plotting.check_plot_path("a.docx"), ParameterError,
     r"cannot write a plot to 'a\.docx': the suffix must be one of .*got \.docx")

# --- arguments that were passed unchecked to numpy, dask or pint ---------------------------------

_POP = None


def _pop():
    global _POP
    if _POP is None:
        _POP = ketpk.population.sample("esketamine", 5, seed=1)
    return _POP


_CURVE = (Q_([0, 1, 2], "h"), Q_([3, 2, 1], "ng/mL"))
for q, pattern in (((5, 50, 150), r"`q` must be in 0-100; got 150"), (("median",), r"`q` must hold numbers; got 'median'"),
                   ((float("nan"),), r"`q` must be in 0-100; got nan"), ((), r"non-empty sequence"),
                   ("50", r"must be a number or a non-empty sequence"), ((-1, 50), r"got -1"),
                   ((True,), r"must hold numbers")):
    case(f"summarize q={q!r}", lambda v=q: ketpk.summarize("esketamine", B, T, subjects=_pop(), q=v),
         ParameterError, pattern)
case("result percentiles 150", lambda: _sim(subjects=_pop()).percentiles("ketamine", (150,)), ParameterError,
     r"`q` must be in 0-100; got 150")
case("client='abc'", lambda: ketpk.summarize("esketamine", B, T, subjects=_pop(), client="abc"), ParameterError,
     r"`client` must be a dask\.distributed\.Client .*got 'abc' of type str")
case("client=42", lambda: ketpk.summarize("esketamine", B, T, subjects=_pop(), client=42), ParameterError,
     r"`client` must be a dask")
case("compare_regimens with a list", lambda: ketpk.compare_regimens([("esketamine", B)], times=T),
     ParameterError, r"`regimens` must be a mapping \{label: regimen or \(model, regimen\)\}; got list")
case("compare_regimens with a triple", lambda: ketpk.compare_regimens({"a": ("esketamine", B, 3)}, times=T),
     ParameterError, r"regimen 'a' must be a Regimen or a \(model, Regimen\) pair; got a tuple of 3")
case("unknown analyte in a table",
     lambda: ketpk.compare_routes("racemic", "5 mg", ["iv"], times=T).format_table(analytes=("ketamin",)),
     ParameterError, r"`analytes` must be a sequence of ketamine, .*got \('ketamin',\)")
case("analytes as one string",
     lambda: ketpk.compare_routes("racemic", "5 mg", ["iv"], times=T).table(analytes="ketamine"),
     ParameterError, r"`analytes` must be a sequence of")
case("routes='iv' is not iterated letter by letter",
     lambda: ketpk.compare_routes("racemic", "5 mg", "i", times=T), RegimenError, r"`route` must be one of")
case("NaN NCA threshold", lambda: ketpk.nca.time_above(_CURVE, threshold=Q_(float("nan"), "ng/mL")),
     ParameterError, r"`threshold` must be a finite, non-negative concentration")
case("negative NCA threshold", lambda: ketpk.nca.time_above(_CURVE, threshold="-5 ng/mL"), ParameterError,
     r"`threshold` must be a finite, non-negative concentration; got '-5 ng/mL'")
case("array NCA threshold", lambda: ketpk.nca.time_above(_CURVE, threshold=Q_([1, 2], "ng/mL")), UnitError,
     r"`threshold` must be one value")


@pytest.mark.parametrize("call, error, pattern", CASES)
def test_hostile_input_raises_a_clear_ketpk_error(call, error, pattern):
    with pytest.raises(error, match=pattern) as caught:
        call()
    assert isinstance(caught.value, KetpkError)
    assert isinstance(caught.value, BUILTIN[error])


def test_strict_reader_keeps_every_valid_spelling():
    """What the reader must still accept (units with digits, µ, exponents, per-weight rates)."""
    for text, unit, magnitude in (("25 mg", "mg", 25), ("0.05 1/min", "1/min", 0.05),
                                  ("2.93 1/h", "1/h", 2.93), ("1.2 ug/kg/min", "ug/kg/min", 1.2),
                                  ("1e-3 µg", "ug", 1e-3), (".5 h", "h", 0.5), ("+3 mg", "mg", 3),
                                  ("5 mM", "mM", 5), ("3 mg*h/L", "mg*h/L", 3), ("2 m**2", "m**2", 2),
                                  ("  25   mg ", "mg", 25)):
        q = ketpk.units.as_quantity(text, "x")
        assert q.to(unit).magnitude == pytest.approx(magnitude), text


def test_every_builtin_model_is_physical_and_simons_warns():
    """Every registered model passes the physical checks; the one published non-physical value
    (Simons 2022 F2 = 1.16) warns and is stated in the result's assumptions."""
    for summary in models.available():
        model = models.get(summary.id)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.check()
        flagged = [w for w in caught if issubclass(w.category, ketpk.UnphysicalValueWarning)]
        assert bool(flagged) == (model.id == "esketamine.simons2022"), model.id
    with pytest.warns(ketpk.UnphysicalValueWarning, match=r"F2 = 1\.16 .*not a physical fraction"):
        result = simulate("esketamine.simons2022", Bolus("0 min", "50 mg", "sublingual"), T)
    assert any("F2 = 1.16" in a for a in result.assumptions)


@pytest.mark.parametrize("model_id", ["esketamine.flint2017", "racemic.herd2007", "racemic.elkomy2015",
                                      "racemic.hornik2018"])
def test_paediatric_models_warn_without_a_subject(model_id):
    with pytest.warns(ketpk.CovariateRangeWarning, match=r"no (subject|weight) given: model .* reference weight of 70 kg"):
        simulate(model_id, B, T)
    with warnings.catch_warnings():  # a child within the range: no warning
        warnings.simplefilter("error", ketpk.CovariateRangeWarning)
        simulate(model_id, B, T, subjects=Subject(weight="20 kg", age="6 year"))


def test_adult_models_do_not_warn_without_a_subject():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ketpk.CovariateRangeWarning)
        for model_id in ("esketamine", "racemic", "esketamine.otto2021", "esketamine.simons2022"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ketpk.UnphysicalValueWarning)
                simulate(model_id, B, T)


def test_declared_forms_simulate_on_their_own_models():
    r = simulate("racemic", protocols.get("zarate2006"), T, subjects=W70)
    assert r.regimen.drug == "racemic"
    assert Regimen([B], drug="esketamine").shifted("1 h").repeat(every="1 h", count=2).drug == "esketamine"
    assert (Regimen([B]) + Regimen([B], drug="racemic")).drug == "racemic"


# --- 5. the ODE solver meets the 1e-6 promise on very short inputs ------------------------------

@pytest.mark.parametrize("route, duration", [("iv", "0.0001 min"), ("iv", "0.01 min"), ("sc", "0.0001 min"),
                                             ("im", "0.001 min"), ("sc", "0.05 min")])
def test_ode_matches_exact_for_infusions_shorter_than_a_tenth_of_a_minute(route, duration):
    """atol follows the amount delivered, not the rate: a 1e-4-min SC infusion once gave 1e-5."""
    reg = Infusion("0 min", amount="25 mg", duration=duration, route=route)
    for model in ("esketamine", "racemic"):
        for times in (Q_(np.linspace(0, 1, 101), "min"), Q_(np.linspace(0, 24, 97), "h")):
            exact = simulate(model, reg, times, subjects=W70)
            ode = simulate(model, reg, times, subjects=W70, solver="ode")
            for analyte in exact.analytes:
                e, o = exact.concentration(analyte).magnitude, ode.concentration(analyte).magnitude
                assert np.max(np.abs(e - o)) <= 1e-6 * np.max(np.abs(e)), (model, analyte)


# --- 6. labels name the drug form wherever a human reads them -----------------------------------

def test_labels_name_the_form_but_keys_stay(tmp_path):
    from ketpk.species import analyte_label

    assert analyte_label("esketamine", "ketamine") == "S-ketamine"
    assert analyte_label("racemic", "ketamine") == "ketamine (R+S)"
    assert analyte_label("racemic", "s_norketamine") == "S-norketamine"
    assert analyte_label("esketamine", "ketamine@site") == "S-ketamine@site"
    s = simulate("esketamine", B, T)
    r = simulate("racemic", B, T)
    assert s.concentration("ketamine").shape == r.concentration("ketamine").shape  # keys unchanged
    s.to_csv(tmp_path / "s.csv")
    header = [line for line in (tmp_path / "s.csv").read_text().splitlines() if not line.startswith("#")][0]
    assert header == "subject,time [h],S-ketamine [ng/mL],S-norketamine [ng/mL]"
    comparison = ketpk.compare_regimens(
        {"Sigtermans (S)": ("esketamine", protocols.get("sigtermans2009")),
         "Schwartzman (R+S)": ("racemic", protocols.get("schwartzman2009"))},
        subject=W70, times=Q_(np.arange(0, 2 * 24 * 60 + 1, 60), "min"))
    fig = comparison.plot()
    assert fig.axes[0].get_ylabel() == "ketamine (S-ketamine or ketamine (R+S), by curve) [ng/mL]"
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("S-ketamine" in t for t in legend) and any("ketamine (R+S)" in t for t in legend)
    table = comparison.format_table(analytes=("ketamine",))
    assert "S-ketamine" in table and "ketamine (R+S)" in table
    comparison.to_csv(tmp_path / "c.csv")
    assert "ketamine (S-ketamine or ketamine (R+S), by curve) [ng/mL]" in (tmp_path / "c.csv").read_text()



# --- 7. the command line: one line on stderr, exit 1, nothing written, for any input -------------

SIM = ["simulate", "--drug", "esketamine", "--end", "1 h", "--step", "10 min"]
CLI = {
    "decimal comma dose": (SIM + ["--dose", "25,5 mg"], r"`amount` has a comma: '25,5 mg'.*write '25\.5 mg'"),
    "thousands comma": (SIM + ["--dose", "1,000 mg"], r"write '1000 mg'"),
    "space thousands": (SIM + ["--dose", "1 000 mg"], r"Do not separate thousands"),
    "megagram dose": (SIM + ["--dose", "25 Mg"], r"uses 'Mg'.*write '25 mg'"),
    "bare unit dose": (SIM + ["--dose", "mg"], r"`amount` must start with a number"),
    "blank dose": (SIM + ["--dose", "   "], r"`amount` is an empty string"),
    "empty dose": (SIM + ["--dose", ""], r"give a dose|`amount` is an empty string"),
    "Kg weight": (SIM + ["--dose", "5 mg", "--weight", "70 Kg"], r"Did you mean 'kg'"),
    "comma weight": (SIM + ["--dose", "5 mg", "--weight", "70,5 kg"], r"`weight` has a comma"),
    "1e308 mg": (SIM + ["--dose", "1e308 mg"], r"non-finite concentrations"),
    "1e309 mg": (SIM + ["--dose", "1e309 mg"], r"`amount` must be finite and positive; got inf mg"),
    "racemic protocol on S(+)": (["simulate", "--protocol", "zarate2006", "--drug", "esketamine",
                                  "--weight", "70 kg"], r"protocol 'zarate2006' doses racemic"),
    "interval 0": (["simulate", "--protocol", "sigtermans2009", "--option", "interval=0 min",
                    "--weight", "70 kg"], r"`interval` must be a finite, positive time"),
    "night_interval 0": (["simulate", "--protocol", "sigtermans2009", "--option", "night_interval=0 min",
                          "--weight", "70 kg"], r"`night_interval` must be a finite, positive time"),
    "goldberg interval -1 h": (["simulate", "--protocol", "goldberg2010", "--option", "interval=-1 h",
                                "--weight", "70 kg"], r"`interval` must be a finite, positive time"),
    "lenze interval 0": (["simulate", "--protocol", "lenze2016", "--option", "interval=0 h",
                          "--weight", "70 kg"], r"`interval` must be a finite, positive time"),
    "csv then bad plot": (SIM + ["--dose", "5 mg", "--csv", "a.csv", "--plot", "a.docx"],
                          r"cannot write a plot to 'a\.docx'"),
    "csv and plot on one file": (SIM + ["--dose", "5 mg", "--csv", "a.png", "--plot", "a.png"],
                                 r"--csv and --plot name the same file"),
    "csv is a folder": (SIM + ["--dose", "5 mg", "--csv", "."], r"--csv '\.' is a folder"),
    "plot without suffix": (SIM + ["--dose", "5 mg", "--plot", "curves"], r"got none"),
    "csv in a missing folder": (SIM + ["--dose", "5 mg", "--csv", "no/such/a.csv"], r"does not exist"),
    "empty unit": (SIM + ["--dose", "5 mg", "--unit", ""], r"got the empty string"),
    "unknown unit": (SIM + ["--dose", "5 mg", "--unit", "ngg/mL"], r"`--unit` must be a unit"),
    "population 1e9": (["population", "--drug", "esketamine", "--dose", "5 mg", "--n", "1000000000"],
                       r"a population of 1000000000 subjects needs about"),
    "percentile 150": (["population", "--drug", "esketamine", "--dose", "5 mg", "--n", "3",
                        "--percentiles", "5,50,150"], r"--percentiles must be ascending values in 0-100"),
    "percentile median": (["population", "--drug", "esketamine", "--dose", "5 mg", "--n", "3",
                           "--percentiles", "median"], r"--percentiles must be numbers"),
    "count 1e8": (SIM + ["--dose", "5 mg", "--every", "1 h", "--count", "100000000"],
                  r"makes more than 100000 doses"),
    "giant time grid": (SIM[:3] + ["--dose", "5 mg", "--end", "1e9 h"], r"output times; use a larger --step"),
    "empty route list": (["compare-routes", "--drug", "racemic", "--dose", "5 mg", "--routes", "iv,,oral"],
                         r"`route` must be one of"),
    "routes as letters": (["compare-routes", "--drug", "racemic", "--dose", "5 mg", "--routes", "x"],
                          r"`route` must be one of"),
}


@pytest.mark.parametrize("name", list(CLI))
def test_cli_hostile_input_is_one_line_and_writes_nothing(name, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, pattern = CLI[name]
    assert main(argv) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("ketpk: error: ")]
    assert len(errors) == 1 and "Traceback" not in err and "internal error" not in err, err
    assert re.search(pattern, errors[0]), err
    assert os.listdir(tmp_path) == []  # checked before any work: nothing half-written


# --- the seeded random-regimen fuzz --------------------------------------------------------------

_FUZZ_MODELS = ("esketamine", "racemic", "esketamine.otto2021", "racemic.kamp2020", "esketamine.flint2017")
_JUNK = ("25,5 mg", "mg", " ", "-5 mg", "0 mg", "nan mg", "5 Mg", "5 mg/h", "1 000 mg")


def _random_dose(rng, model):
    """A random dose, valid or (one time in six) careless."""
    t = f"{rng.uniform(0, 600):.4g} min"
    amount = f"{10 ** rng.uniform(-2, 2.5):.4g} mg" if rng.random() > 1 / 6 else str(rng.choice(_JUNK))
    if rng.random() < 0.5:
        return Bolus(t, amount, str(rng.choice(list(model.routes))))
    routes = [r for r, route in model.routes.items() if route.infusion]
    return Infusion(t, route=str(rng.choice(routes)), amount=amount, duration=f"{10 ** rng.uniform(-4, 3):.4g} min")


def test_seeded_random_regimens_are_finite_solver_independent_and_mass_balanced():
    rng = np.random.default_rng(12)
    start, checked, refused = time.perf_counter(), 0, 0
    for _ in range(200):
        if time.perf_counter() - start > 10:  # bounded in CI (<= 20 s on a slow machine)
            break
        model = models.get(str(rng.choice(_FUZZ_MODELS)))
        subject = Subject(weight=f"{rng.uniform(5, 30) if 'flint' in model.id else rng.uniform(50, 95):.3g} kg",
                          age="6 year" if "flint" in model.id else None)
        try:
            regimen = Regimen([_random_dose(rng, model) for _ in range(rng.integers(1, 4))])
            times = Q_(np.unique(np.concatenate([[0.0], rng.uniform(0, 1440, 30)])), "min")
            exact = simulate(model, regimen, times, subjects=subject, record="all")
        except KetpkError:
            refused += 1
            continue
        ode = simulate(model, regimen, times, subjects=subject, solver="ode")
        for analyte in exact.analytes:
            e, o = exact.concentration(analyte).magnitude, ode.concentration(analyte).magnitude
            assert np.all(np.isfinite(e)) and np.all(e >= -1e-12 * max(1e-300, np.abs(e).max()))
            assert np.max(np.abs(e - o)) <= 1e-6 * max(np.abs(e).max(), 1e-300), (model.id, regimen, analyte)
        # mass balance: the body never holds more drug (mol) than was given, up to the mass-basis
        # conversions some papers use (parent mass into metabolite: x MW ratio <= 1.072)
        given = regimen.total_amount(subject).to("mg").magnitude * 1000 / 237.73  # µmol
        body = [i for i, state in enumerate(exact.states) if "@" not in state]  # not the virtual
        # "<compartment>@<site>" states (effect and venous sampling sites hold no mass of their own)
        amounts = exact.amounts_umol[..., body, :]
        held = np.nansum(amounts, axis=0) if amounts.ndim == 2 else amounts.sum(axis=-2)
        assert np.all(held <= given * 1.072 + 1e-9) and np.all(held >= -1e-9 * given)
        checked += 1
    assert checked >= 10 and refused >= 1  # both accepted and careless regimens were drawn
