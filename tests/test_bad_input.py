"""Bad input at every public entry point: a ketpk error (or warning) that names the argument,
the rule, the value received and the fix. One parametrised table per boundary."""

from __future__ import annotations

import os
import warnings

import re

import numpy as np
import pytest

import ketpk
from ketpk import (Bolus, CovariateRangeWarning, FileError, Infusion, KetpkError, ModelNotFoundError,
                   ParameterError, ProtocolLimitWarning, Q_, Regimen, RegimenError, SolverError, Subject,
                   UnitError, models, nca, population, protocols, simulate, titration)
from ketpk.cli import main

T = Q_(np.linspace(0, 600, 11), "min")
B = Bolus("0 min", "5 mg")
CURVE = (Q_([0, 1, 2], "h"), Q_([3, 2, 1], "ng/mL"))
BUILTIN = {UnitError: TypeError, ParameterError: ValueError, RegimenError: ValueError,
           ModelNotFoundError: LookupError, SolverError: RuntimeError, FileError: OSError}


def _sim(regimen=B, times=T, model="esketamine", **kw):
    return simulate(model, regimen, times, **kw)


def _probe(times=T):
    return simulate("esketamine", B, times)


# (category, id, call, error class, regex the message must match: argument, rule, value, fix)
CASES = []


def case(category, name, call, error, pattern):
    CASES.append(pytest.param(call, error, pattern, id=f"{category}: {name}"))


for bad in ("-5 mg", "0 mg", "nan mg", "inf mg"):
    case("dose", f"Bolus amount {bad}", lambda v=bad: Bolus("0 min", v), RegimenError,
         r"`amount` must be finite and positive; got .*mg\. To fix: .* such as '25 mg'")
    case("dose", f"Infusion amount {bad}", lambda v=bad: Infusion("0 min", amount=v, duration="1 h"),
         RegimenError, r"`amount` must be finite and positive; got .*To fix")
for bad in ("-5 mg/h", "0 mg/h", "nan mg/h", "inf mg/h"):
    case("rate", f"Infusion rate {bad}", lambda v=bad: Infusion("0 min", rate=v, duration="1 h"),
         RegimenError, r"`rate` must be finite and positive; got .*mg/h\. To fix: .*'20 mg/h'")
for bad in ("-5 min", "0 min", "nan min", "inf min"):
    case("duration", f"Infusion duration {bad}", lambda v=bad: Infusion("0 min", amount="5 mg", duration=v),
         RegimenError, r"`duration` must be finite and positive; got .*min\. To fix: .*'40 min'")
for bad in ("-5 kg", "0 kg", "nan kg", "inf kg"):
    case("weight", f"Subject weight {bad}", lambda v=bad: Subject(weight=v), ParameterError,
         r"`weight` must be finite and positive; got .* kg\. Give a real weight, e.g. '70 kg'")
case("weight", "population weight -70 kg", lambda: population.sample("esketamine", 3, weight="-70 kg"),
     ParameterError, r"`weight` must be finite and positive; got -70.* kg")
case("weight", "population weight nan", lambda: population.sample("esketamine", 3, weight="nan kg"),
     ParameterError, r"`weight` must be finite and positive; got nan kg")
case("weight", "covariate table weight < 0",
     lambda: population.sample("esketamine", covariates={"weight": Q_([-70, 80], "kg")}),
     ParameterError, r"`weight` must be finite and positive; got \[-70\.\] kg at subject\(s\) \[0\]")
case("weight", "Subject age -5 year", lambda: Subject(age="-5 year"), ParameterError,
     r"`age` must be finite and non-negative; got -5.* year\. Give a real age")
for bad in ("-5 min", "nan min", "inf min"):
    case("time", f"Bolus time {bad}", lambda v=bad: Bolus(v, "5 mg"), RegimenError,
         r"`time` must be finite and non-negative \(time from the start of the regimen\); got .*To fix")
for name, grid, pattern in (
        ("negative", [-1, 2], r"`times` must be finite and >= 0 .*got -1 min at index 0\. Give e\.g\."),
        ("NaN", [0, np.nan], r"`times` must be finite .*got nan min at index 1"),
        ("infinite", [0, np.inf], r"`times` must be finite .*got inf min at index 1"),
        ("unsorted", [0, 5, 2], r"strictly increasing .*got 5 then 2 min at index 2 \(out of order\)\. Sort"),
        ("duplicate", [0, 5, 5], r"strictly increasing .*got 5 then 5 min at index 2 \(a duplicate\)\. .*np\.unique"),
        ("empty", [], r"`times` must be a non-empty 1-D array of times; got shape \(0,\)")):
    case("output times", name, lambda g=grid: _sim(times=Q_(np.array(g, dtype=float), "min")),
         ParameterError, pattern)
case("output times", "bare numbers", lambda: _sim(times=[0, 1]), UnitError,
     r"`times` must be a pint Quantity .*got \[0, 1\] of type list.*Q_\(")
case("output times", "a mass", lambda: _sim(times="5 mg"), UnitError,
     r"`times` must have dimension \[time\] \(e\.g\. min or h\); got 5 mg .*Give it in a unit")
case("time", "shifted below 0", lambda: B.shifted("-5 min"), RegimenError, r"`time` must be .*got -5 min")
case("time", "repeat every 0 h", lambda: B.repeat(every="0 h", count=2), RegimenError,
     r"`every` must be finite and positive; got 0 h\. To fix: .*'24 h'")
case("time", "repeat count 2.5", lambda: B.repeat(every="1 h", count=2.5), RegimenError,
     r"`count` must be a whole number >= 1; got 2\.5")
case("per-weight", "per-kg bolus, no weight", lambda: _sim(Bolus("0 min", "0.5 mg/kg")), RegimenError,
     r"`amount` is given per body weight \(0\.5 mg/kg\) but no subject weight is known\. Pass subjects=")
case("per-weight", "per-kg rate, no weight",
     lambda: _sim(Infusion("0 min", rate="0.5 mg/kg/h", duration="1 h")), RegimenError,
     r"`rate` is given per body weight .* Pass subjects=ketpk\.Subject\(weight='70 kg'\)")
case("per-weight", "total_amount, no weight", lambda: Regimen([Bolus("0 min", "0.5 mg/kg")]).total_amount(),
     RegimenError, r"per body weight")
case("units", "rate given as amount", lambda: Bolus("0 min", "5 mg/h"), UnitError,
     r"`amount` must be a dose amount .*got 5(\.0)? mg/h\. This looks like a rate; pass it as `rate`")
case("units", "amount given as rate", lambda: Infusion("0 min", rate="5 mg", duration="1 h"), UnitError,
     r"`rate` must be a dose rate .*got 5 mg\. This looks like an amount; pass it as `amount`")
case("units", "mg/kg/h given as amount", lambda: Infusion("0 min", amount="0.35 mg/kg/h", duration="1 h"),
     UnitError, r"`amount` must be a dose amount .*This looks like a rate")
case("units", "mg/kg given as rate", lambda: Infusion("0 min", rate="0.5 mg/kg", duration="1 h"),
     UnitError, r"`rate` must be a dose rate .*This looks like an amount")
case("units", "bare number dose", lambda: Bolus("0 min", 5), UnitError, r"`amount` .*bare number")
case("units", "undefined unit", lambda: Bolus("0 min", "5 mgg"), UnitError,
     r"`amount` could not be read as a quantity: '5 mgg' has the unit 'mgg', which is not a unit.*Write e\.g\. '25 mg'")
case("units", "duration per kg", lambda: Infusion("0 min", amount="5 mg", duration="5 min/kg"),
     UnitError, r"`duration` must be a plain \[time\] quantity; got .* drop the '/kg'")
case("units", "concentration unit mg", lambda: _probe().concentration("ketamine", "mg"), UnitError,
     r"`unit` must be a concentration unit, mass or molar .*got 'mg', which is \[mass\]")
case("units", "concentration unit misspelt", lambda: _probe().concentration("ketamine", "ngg/mL"),
     UnitError, r"`unit` .*got '1 ngg/mL'.*Write a number and a unit|`unit` must be a unit")
case("units", "amount unit mg/L", lambda: simulate("esketamine", B, T, record="all").amount("ketamine.central", "mg/L"), UnitError,
     r"`unit` must be an amount unit, molar or mass .*got 'mg/L'")
case("route", "route the model lacks", lambda: _sim(Bolus("0 min", "5 mg", "oral"), model="esketamine.otto2021"),
     RegimenError, r"model 'esketamine\.otto2021' has no route 'oral'; it has iv\. Choose")
case("route", "misspelt route", lambda: Bolus("0 min", "5 mg", "orall"), RegimenError,
     r"`route` must be one of iv, .*; got 'orall'\. Did you mean 'oral'\?")
case("route", "infusion on a bolus-only route",
     lambda: _sim(Infusion("0 min", amount="5 mg", duration="1 h", route="oral")), RegimenError,
     r"route 'oral' of model .* takes boluses only .*give a Bolus")
case("names", "misspelt model", lambda: models.get("esketamine.oto2021"), ModelNotFoundError,
     r"unknown model 'esketamine\.oto2021'; did you mean 'esketamine\.otto2021'.*\? available: esketamine, racemic, .*esketamine\.otto2021")
case("names", "misspelt model in simulate", lambda: _sim(model="esketamin"), ModelNotFoundError,
     r"unknown model 'esketamin'; did you mean 'esketamine'")
case("names", "misspelt protocol", lambda: protocols.get("zarate2007"), ModelNotFoundError,
     r"unknown protocol 'zarate2007'; did you mean 'zarate2006'\? available: alshirawi2017, .*zarate2006\.$")
case("names", "unknown protocol option", lambda: protocols.get("zarate2006", amout="0.5 mg/kg"),
     RegimenError, r"protocol 'zarate2006' has no option 'amout'; its options are amount, duration")
case("names", "protocol option with a rate unit", lambda: protocols.get("zarate2006", amount="0.5 mg/h"),
     UnitError, r"`amount` must be a dose amount .*This looks like a rate")
case("names", "misspelt solver", lambda: _sim(solver="exakt"), SolverError,
     r"`solver` must be one of \['exact', 'ode'\] .*got 'exakt'")
case("names", "misspelt effect model", lambda: ketpk.effects.get("olofsen"), ModelNotFoundError,
     r"unknown effect model 'olofsen'; did you mean 'olofsen2022'\? available: olofsen2022, ")
case("names", "misspelt analyte", lambda: _probe().concentration("ketamin"), ParameterError,
     r"`analyte` must be one of ketamine, norketamine .*got 'ketamin'")
for given in ({"amount": "5 mg"}, {"amount": "5 mg", "rate": "5 mg/h", "duration": "1 h"}):
    case("infusion", f"{len(given)} of amount/rate/duration", lambda g=given: Infusion("0 min", **g),
         RegimenError, r"`Infusion` needs exactly two of `amount`, `rate` and `duration`; got amount=5 mg.*E\.g\.")
case("titration", "overlapping amount steps",
     lambda: titration.amount_steps([("0 h", "5 mg"), ("1 h", "5 mg")], duration="2 h"), RegimenError,
     r"`steps` 0 and 1 overlap on the iv line: an infusion of 2 h from 0 h runs past 1 h\. Shorten")
case("titration", "overlapping infusions on one line",
     lambda: titration.check_lines(Infusion("0 h", rate="5 mg/h", duration="2 h")
                                   + Infusion("1 h", rate="5 mg/h", duration="2 h")),
     RegimenError, r"infusions overlap on the iv line.*end the first earlier")
case("titration", "unsorted steps", lambda: titration.rate_steps([("2 h", "5 mg/h"), ("1 h", "5 mg/h")], end="3 h"),
     RegimenError, r"`steps` times must increase strictly; step 1 at 1 h is not after step 0 at 2 h\. Sort")
case("titration", "end before last step",
     lambda: titration.rate_steps([("0 h", "5 mg/h"), ("2 h", "6 mg/h")], end="1 h"), RegimenError,
     r"`end` must be after the last step \(2 h\); got 1 h")
case("titration", "mixed units in escalate",
     lambda: titration.escalate("5 mg/h", "0.1 mg/kg/h", "10 mg/h", ["0 h", "1 h"]), RegimenError,
     r"`start`, `step` and `target` must have the same units; got 5 mg/h, 0\.1 mg/kg/h")
case("population", "n = 0", lambda: population.sample("esketamine", 0), ParameterError,
     r"`n` must be a positive integer; got 0")
case("population", "seed < 0", lambda: population.sample("esketamine", 3, seed=-1), ParameterError,
     r"`seed` must be a non-negative int.*got -1\. E\.g\. seed=1")
case("population", "female = 2", lambda: population.sample("esketamine", 3, female=2.0), ParameterError,
     r"`female` must be a probability in \[0, 1\]; got 2\.0\. E\.g\.")
case("population", "LogNormal median < 0",
     lambda: population.sample("esketamine", 3, weight=population.LogNormal("-70 kg", 0.1)), ParameterError,
     r"LogNormal needs median > 0.*got LogNormal\(median='-70 kg'.*E\.g\.")
case("regimen", "Regimen(5)", lambda: Regimen(5), RegimenError,
     r"`Regimen` takes an iterable of Bolus and Infusion objects; got 5 of type int\. E\.g\.")
case("regimen", "Regimen of strings", lambda: Regimen(["5 mg"]), RegimenError,
     r"got '5 mg' of type str\. Wrap amounts in a dose")
case("regimen", "regimen given as a string", lambda: _sim("5 mg"), RegimenError,
     r"`regimen` must be a Regimen, Bolus or Infusion; got '5 mg'")
case("nca", "unsorted times", lambda: nca.cmax((Q_([0, 2, 1], "h"), Q_([1, 2, 3], "ng/mL"))),
     ParameterError, r"`times` must be .*strictly increasing .*got \[0\. 2\. 1\.\]\. Sort")
case("nca", "negative concentration", lambda: nca.auc((Q_([0, 1, 2], "h"), Q_([1, -2, 3], "ng/mL"))),
     ParameterError, r"`concentrations` must be finite and non-negative; got \[-2\.\]")
case("nca", "window outside the samples", lambda: nca.auc(CURVE, start="5 h"), ParameterError,
     r"the window must satisfy 0 <= start < end <= 2 h .*got start=5.*Choose a window")
case("nca", "window in mg", lambda: nca.auc(CURVE, start="5 mg"), UnitError,
     r"`start` must have dimension \[time\]")
case("nca", "time_unit mg", lambda: nca.cmax(CURVE, time_unit="mg"), UnitError,
     r"`time_unit` must be a unit of \[time\] like h; got 'mg'")
case("nca", "unit misspelt", lambda: nca.cmax(CURVE, unit="ngg/mL"), UnitError,
     r"`unit` must be a unit such as 'ng/mL'.*got 'ngg/mL'.*Check the spelling")
case("nca", "threshold in mg", lambda: nca.time_above(CURVE, threshold="5 mg"), UnitError,
     r"must be concentrations.*got 5 mg")
case("compare", "route the model lacks", lambda: ketpk.compare_routes("esketamine.otto2021", "25 mg", ["iv", "oral"]),
     RegimenError, r"has no route 'oral'")
case("compare", "dose given as a rate", lambda: ketpk.compare_routes("esketamine", "25 mg/h", ["iv"]),
     UnitError, r"This looks like a rate")
case("compare", "unknown metric", lambda: ketpk.equivalent_dose("esketamine", "25 mg", to_route="oral", metric="auc0"),
     ParameterError, r"`metric` must be one of auc, auc_inf, cmax; got 'auc0'")
case("effects", "parent-only racemic model",
     lambda: ketpk.effects.simulate_effects("racemic.domino1982", B, T, "olofsen2022"), ParameterError,
     r"has no analyte for s_ketamine .*Use an S-ketamine model")
case("model", "unknown parameter override", lambda: models.get("esketamine").with_parameters(XYZ="1 L"),
     ParameterError, r"has no parameter 'XYZ'; it has \[")
case("model", "empty model card", lambda: models.from_dict({}), ParameterError,
     r"`id` is required but missing\. Add it")


@pytest.mark.parametrize("call, error, pattern", CASES)
def test_bad_input_raises_a_clear_ketpk_error(call, error, pattern):
    with pytest.raises(error, match=pattern) as caught:
        call()
    assert isinstance(caught.value, KetpkError)
    assert isinstance(caught.value, BUILTIN[error])  # `except ValueError` etc. keeps working


# --- event tables (file import) --------------------------------------------------------------

EVENT_TABLES = {
    "missing columns": ("TIME,AMT\n0,5\n", r"lacks column\(s\) EVID, CMT; it has TIME, AMT\. Required"),
    "unknown EVID": ("ID,TIME,EVID,AMT,CMT\n1,0,3,5,1\n", r"row 2: EVID 3 is not supported; use 1"),
    "unknown CMT": ("ID,TIME,EVID,AMT,CMT\n1,0,1,5,99\n", r"row 2: CMT 99 is not in the mapping .*pass the model"),
    "text in AMT": ("ID,TIME,EVID,AMT,CMT\n1,0,1,five,1\n", r"row 2: column AMT must be a number; got 'five'\. Event tables"),
    "text in CMT": ("ID,TIME,EVID,AMT,CMT\n1,0,1,5,iv\n", r"row 2: column CMT must be a number; got 'iv'"),
    "fractional CMT": ("ID,TIME,EVID,AMT,CMT\n1,0,1,5,1.5\n", r"row 2: column CMT must be a whole number; got '1\.5'"),
    "fractional ADDL": ("ID,TIME,EVID,AMT,CMT,ADDL,II\n1,0,1,5,1,2.5,12\n", r"column ADDL must be a whole number"),
    "ADDL without II": ("ID,TIME,EVID,AMT,CMT,ADDL\n1,0,1,5,1,3\n", r"row 2: ADDL 3 needs a positive II; got II 0"),
    "NaN AMT": ("ID,TIME,EVID,AMT,CMT\n1,0,1,nan,1\n", r"row 2: column AMT must be finite; got 'nan'"),
    "negative AMT": ("ID,TIME,EVID,AMT,CMT\n1,0,1,-5,1\n", r"row 2: a dose \(EVID 1\) needs AMT > 0; got -5"),
    "negative TIME": ("ID,TIME,EVID,AMT,CMT\n1,-1,1,5,1\n", r"`time` must be finite and non-negative"),
    "empty cell": ("ID,TIME,EVID,AMT,CMT\n1,0,1\n", r"row 2: column CMT is empty; it needs a number \(write 0"),
    "extra values": ("ID,TIME,EVID,AMT,CMT\n1,0,1,5,1,7\n", r"row 2 of .* has 1 more value\(s\) than the header"),
    "RATE -1": ("ID,TIME,EVID,AMT,CMT,RATE\n1,0,1,5,1,-1\n", r"RATE -1 is not supported in a Regimen; use 0 \(bolus\)"),
    "no rows": ("ID,TIME,EVID,AMT,CMT\n", r"the event table has no rows"),
}


@pytest.mark.parametrize("name", list(EVENT_TABLES))
def test_malformed_event_table(tmp_path, name):
    text, pattern = EVENT_TABLES[name]
    path = tmp_path / "events.csv"
    path.write_text(text)
    with pytest.raises(RegimenError, match=pattern) as caught:
        ketpk.read_event_table(path)
    assert isinstance(caught.value, KetpkError) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize("source, error, pattern", [
    ("/no/such/events.csv", FileError, r"`source` '/no/such/events\.csv' could not be read: No such file"),
    ([5, 6], RegimenError, r"`source` rows must be dicts .*row 0 is 5"),
    (5, RegimenError, r"`source` must be a CSV path, an EventTable or a list of row dicts; got 5"),
])
def test_event_table_sources(source, error, pattern):
    with pytest.raises(error, match=pattern) as caught:
        ketpk.read_event_table(source)
    assert isinstance(caught.value, KetpkError) and isinstance(caught.value, BUILTIN[error])


def test_event_table_that_is_not_utf8(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"ID,TIME,EVID,AMT,CMT\n1,0,1,5,1\n\xe9\xff\n")
    with pytest.raises(FileError, match=r"is not UTF-8 text .*Save it as UTF-8"):
        ketpk.read_event_table(path)


# --- warnings: outside the validated range or the published protocol ------------------------

@pytest.mark.parametrize("call, category, pattern", [
    (lambda: _sim(subjects=Subject(weight="300 kg")), CovariateRangeWarning,
     r"weight 300–300 kg lies outside the range 50\.0–95\.0 kg .*Choose a model validated"),
    (lambda: population.sample("esketamine", 3, weight="300 kg").summarize(B, T), CovariateRangeWarning,
     r"weight 300–300 kg lies outside"),
    (lambda: protocols.get("sigtermans2009", target="8.4 ug/kg/min"), ProtocolLimitWarning,
     r"sigtermans2009: `target` 8\.4 ug/kg/min exceeds the published maximum 7\.2"),
    (lambda: protocols.get("schwartzman2009", rate="0.5 mg/kg/h"), ProtocolLimitWarning,
     r"schwartzman2009: `rate` 0\.5 mg/kg/h exceeds the published maximum 0\.35"),
    (lambda: protocols.get("schwartzman2009", cap="40 mg/h"), ProtocolLimitWarning,
     r"`cap` 40 mg/h exceeds the published maximum 25 mg/h"),
    (lambda: protocols.get("schwartzman2009", cap=None), ProtocolLimitWarning,
     r"`cap` is None, but the protocol never exceeds"),
    (lambda: protocols.get("lenze2016", target="0.9 mg/kg/h"), ProtocolLimitWarning,
     r"lenze2016: `target` 0\.9 mg/kg/h exceeds the published maximum 0\.6"),
])
def test_warnings_not_errors(call, category, pattern):
    with pytest.warns(category, match=pattern):
        assert call() is not None


def test_published_defaults_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProtocolLimitWarning)
        for summary in protocols.available():
            protocols.get(summary.name)


# --- the command line: one line on stderr, exit 1, never a traceback -------------------------

SIM = ["simulate", "--drug", "esketamine", "--end", "1 h", "--step", "10 min"]
CLI = {
    "negative dose": (SIM + ["--dose", "-5 mg"], r"`amount` must be finite and positive; got -5 mg"),
    "NaN dose": (SIM + ["--dose", "nan mg"], r"`amount` must be finite and positive; got nan mg"),
    "rate as dose": (SIM + ["--dose", "5 mg/h"], r"This looks like a rate"),
    "amount as rate": (SIM + ["--rate", "5 mg", "--duration", "1 h"], r"This looks like an amount"),
    "per-kg, no weight": (SIM + ["--dose", "0.5 mg/kg"], r"per kg of body weight; add --weight"),
    "zero duration": (SIM + ["--dose", "5 mg", "--duration", "0 min"], r"`duration` must be finite and positive"),
    "three of three": (SIM + ["--dose", "5 mg", "--rate", "5 mg/h", "--duration", "1 h"], r"exactly two of"),
    "negative weight": (SIM + ["--dose", "5 mg", "--weight", "-70 kg"], r"`weight` must be finite and positive"),
    "weight without unit": (SIM + ["--dose", "5 mg", "--weight", "70"], r"`weight` needs a unit: .*got the bare number 70 .*Add the unit, e\.g\. '70 kg'"),
    "end in mg": (SIM + ["--dose", "5 mg", "--end", "12 mg"], r"`--end` must have dimension \[time\]"),
    "zero step": (SIM + ["--dose", "5 mg", "--step", "0 min"], r"--end and --step must be positive"),
    "route lacking": (["simulate", "--model", "esketamine.otto2021", "--dose", "5 mg", "--route", "oral"],
                      r"has no route 'oral'"),
    "misspelt route": (SIM + ["--dose", "5 mg", "--route", "orall"], r"Did you mean 'oral'"),
    "misspelt model": (["simulate", "--model", "esketamine.oto2021", "--dose", "5 mg"], r"unknown model 'esketamine\.oto2021'; did you mean"),
    "misspelt protocol": (["simulate", "--protocol", "zarate2007"], r"unknown protocol 'zarate2007'; did you mean 'zarate2006'"),
    "bare protocol option": (["simulate", "--protocol", "zarate2006", "--option", "amount=0.5"], r"bare number"),
    "unit mg": (SIM + ["--dose", "5 mg", "--unit", "mg"], r"`unit` must be a concentration unit"),
    "plot format": (SIM + ["--dose", "5 mg", "--plot", "x.xyz"], r"the suffix must be one of .*got \.xyz"),
    "count 0": (SIM + ["--dose", "5 mg", "--every", "1 h", "--count", "0"], r"`count` must be a whole number"),
    "population seed < 0": (["population", "--drug", "esketamine", "--dose", "5 mg", "--n", "3", "--seed", "-1"],
                            r"--seed must be a whole number >= 0; got -1"),
    "population percentiles": (["population", "--drug", "esketamine", "--dose", "5 mg", "--n", "3",
                                "--percentiles", "5,x"], r"--percentiles must be numbers like 5,50,95"),
    "population weight < 0": (["population", "--drug", "esketamine", "--dose", "5 mg", "--n", "3",
                               "--weight", "-70 kg"], r"`weight` must be finite and positive"),
}


@pytest.mark.parametrize("name", list(CLI))
def test_cli_bad_input_is_one_line(name, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, pattern = CLI[name]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("ketpk: error: ") and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("ketpk: error")]) == 1
    assert re.search(pattern, err), err
    assert os.listdir(tmp_path) == []  # nothing written


def test_cli_population_accepts_per_kg_doses(capsys):
    argv = ["population", "--drug", "esketamine", "--dose", "0.5 mg/kg", "--n", "4", "--end", "1 h",
            "--step", "10 min"]
    assert main(argv) == 0, capsys.readouterr().err
