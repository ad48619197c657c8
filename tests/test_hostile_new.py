"""Hostile and careless input to the newer front doors: TCI, individualize, dose finding, Subject
body size, datasets, validation, scenarios and the app's compute.

Each case asserts the ketpk error class, its builtin base class (so ``except ValueError`` keeps
working) and the message (what was wrong and how to write it). No case simulates for long.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import ketpk
import ketpk.posterior
import ketpk.tci
from ketpk import (Bolus, Infusion, KetpkError, ParameterError, Q_, RegimenError, Subject, UnitError)
from ketpk.dosefinding import Target, find_dose
from ketpk.posterior import individualize
from ketpk.tci import target_infusion

BUILTIN = {UnitError: TypeError, ParameterError: ValueError, RegimenError: ValueError,
           ketpk.ModelNotFoundError: LookupError, ketpk.SolverError: RuntimeError,
           ketpk.FileError: OSError}
TCI_MODEL = "racemic.kamp2020"
MAP_MODEL = "esketamine.otto2021"
STEP = {"0 min": "1 ug/mL"}
ADULT = Subject(weight="70 kg", age="40 year")
CASES = []


def case(name, call, error, pattern):
    """One hostile input: ``call()`` must raise ``error`` with a message matching ``pattern``."""
    CASES.append(pytest.param(call, error, pattern, id=name))


def _tci(targets=STEP, until="10 min", **kw):
    return target_infusion(TCI_MODEL, targets, until=until, **kw)


def _map(observations, regimen=Bolus("0 min", "20 mg")):
    return individualize(MAP_MODEL, regimen, observations, subject=ADULT)


def _dose(target, **kw):
    kw.setdefault("regimen_shape", lambda d: Infusion("0 h", rate=d, duration="2 h"))
    kw.setdefault("reference", "10 mg/h")
    return find_dose(TCI_MODEL, target, **kw)


# --- TCI (target_infusion) -------------------------------------------------------------------

_TARGETS = r"`targets` must be a mapping of times to concentrations.*got .* of type"
case("tci targets None", lambda: _tci(None), ParameterError, _TARGETS + " NoneType")
case("tci targets a number", lambda: _tci(5), ParameterError, _TARGETS + " int")
case("tci targets a string", lambda: _tci("1 ug/mL"), ParameterError, _TARGETS + " str")
case("tci targets a set (no order)", lambda: _tci({("0 min", "1 ug/mL")}), ParameterError, _TARGETS + " set")
case("tci target step after until", lambda: _tci({"0 min": "1 ug/mL", "30 min": "2 ug/mL"}),
     ParameterError, r"`targets` has a step at 30 min, at or after `until` \(10 min\); it would never "
     r"take effect\. Move it before `until` or extend `until`")
case("tci target step at 1e308 min", lambda: _tci({"1e308 min": "1 ug/mL"}), ParameterError,
     r"step at 1e\+308 min, at or after `until`")
case("tci target an array", lambda: _tci({"0 min": Q_([1, 2], "ug/mL")}), UnitError,
     r"`target` must be one value; got 2 values")
case("tci target time an array", lambda: _tci([(Q_([0, 1], "min"), "1 ug/mL")]), UnitError,
     r"`target time` must be one value; got 2 values")
case("tci until an array", lambda: _tci(until=Q_([10, 20], "min")), UnitError,
     r"`until` must be one value; got 2 values")
case("tci interval an array", lambda: _tci(interval=Q_([10, 20], "s")), UnitError,
     r"`interval` must be one value; got 2 values")
_SYRINGE = r"`concentration` \(the syringe\) must be finite and positive, e.g\. '10 mg/mL'; got "
for text in ("0 mg/mL", "-1 mg/mL", "nan mg/mL", "inf mg/mL"):
    case(f"tci syringe {text!r} with a mL/h limit",
         lambda v=text: _tci(max_rate="5 mL/h", concentration=v), ParameterError, _SYRINGE + repr(text))
case("tci syringe 0 mg/mL without a mL/h limit", lambda: _tci(concentration="0 mg/mL"),
     ParameterError, _SYRINGE + "'0 mg/mL'")
case("tci syringe of the wrong dimension", lambda: _tci(concentration="10 mg"), UnitError,
     r"`concentration` must have dimension \[mass\] / \[length\] \*\* 3.*got 10 mg")
case("tci syringe a bare number", lambda: _tci(concentration=10), UnitError,
     r"`concentration` must be a pint Quantity or a string with a unit")

# --- individualize (observations) ------------------------------------------------------------

_OBS = r"observations must be a list of \(time, analyte, value\) tuples.*got "
case("map observations None", lambda: _map(None), ParameterError, _OBS + "NoneType")
case("map observations a dict", lambda: _map({"2 h": "50 ng/mL"}), ParameterError, _OBS + "dict")
case("map observations a number", lambda: _map(5), ParameterError, _OBS + "int")
case("map observation before the first dose", lambda: _map([("1 h", "ketamine", "50 ng/mL")],
                                                           Bolus("3 h", "20 mg")),
     ParameterError, r"observation 0 \(ketamine at 1 h\) is where the model predicts 0 \(the first "
     r"dose starts at 3 h\), and its proportional residual error cannot explain a measured value.*"
     r"\(time, analyte, None, lloq\)")
case("map observation 1e300 h after the dose", lambda: _map([("1e300 h", "ketamine", "5 ng/mL")]),
     ParameterError, r"observation 0 \(ketamine at 1e\+300 h\) is where the model predicts 0")
case("map observation of the wrong unit", lambda: _map([("2 h", "ketamine", "50 mg")]), UnitError,
     r"`observation 0 value` must be a concentration")
case("map observation negative", lambda: _map([("2 h", "ketamine", "-50 ng/mL")]), ParameterError,
     r"`observation 0 value` must be a finite concentration >= 0; got '-50 ng/mL'")

# --- dose finding ----------------------------------------------------------------------------

_WINDOW = dict(end="2 h")
case("dose target percentile a string", lambda: Target("cmax", "100 ng/mL", end="2 h", percentile="50"),
     ParameterError, r"`percentile` must be a number in \(0, 100\), e\.g\. 50; got '50' of type str")
case("dose target not a Target", lambda: _dose({"metric": "cmax"}), ParameterError,
     r"`target` must be a ketpk\.dosefinding\.Target.*got dict")
case("dose analyte unknown", lambda: _dose(Target("cmax", "100 ng/mL", analyte="ketamin", **_WINDOW)),
     ParameterError, r"`analyte` must be one of \('ketamine',\); got 'ketamin'")
case("dose analyte a list", lambda: _dose(Target("cmax", "100 ng/mL", analyte=["ketamine"], **_WINDOW)),
     ParameterError, r"`analyte` must be one of .*got \['ketamine'\]")
case("dose shape not callable", lambda: _dose(Target("cmax", "100 ng/mL", **_WINDOW), regimen_shape="infusion"),
     ParameterError, r"`regimen_shape` must be a function of the dose.*got 'infusion'")
case("dose bounds one string", lambda: _dose(Target("cmax", "100 ng/mL", **_WINDOW), bounds="0 mg/h"),
     ParameterError, r"`bounds` must be a pair \(low, high\).*got '0 mg/h'")
case("dose bounds one value", lambda: _dose(Target("cmax", "100 ng/mL", **_WINDOW), bounds=("5 mg/h",)),
     ParameterError, r"`bounds` must be a pair \(low, high\)")
for text in ("0 ng/mL", "-100 ng/mL", "nan ng/mL", "inf ng/mL"):
    case(f"dose target value {text!r}", lambda v=text: _dose(Target("concentration", v, **_WINDOW)),
         ParameterError, r"the target's `value` must be finite and positive; got " + repr(text))
case("dose time-above level negative",
     lambda: _dose(Target("time_above", "1 h", end="4 h", level="-100 ng/mL")),
     ParameterError, r"the target's `level` must be finite and positive; got '-100 ng/mL'")

# --- Subject body size -----------------------------------------------------------------------

case("subject dose_weight a list", lambda: Subject(weight="70 kg", height="170 cm", sex="male",
                                                   dose_weight=["ideal"]),
     ParameterError, r"`dose_weight` must be one of total, ideal, lean; got \['ideal'\]")
case("subject height an array", lambda: Subject(weight="70 kg", height=Q_([170, 180], "cm")),
     UnitError, r"`height` must be one value; got 2 values")


# --- TCI performance and plots, posterior intervals ------------------------------------------


def _schedule():
    return _tci()


case("tci performance of a non-result", lambda: ketpk.tci.performance("x", [ADULT]), ParameterError,
     r"`result` must be a TCIResult from ketpk\.tci\.target_infusion; got str")
case("tci performance percentiles '50'", lambda: ketpk.tci.performance(_schedule(), [ADULT], q="50"),
     ParameterError, r"`q` must be a number or a non-empty sequence of numbers; got '50'")
case("tci performance percentile 150", lambda: ketpk.tci.performance(_schedule(), [ADULT], q=(150,)),
     ParameterError, r"`q` must be in 0-100; got 150")
case("tci plot of subject 5 of 1", lambda: _schedule().plot(index=5), ParameterError,
     r"`index` must be a subject number from 0 to 0; got 5")
case("tci performance on a population of another model",
     lambda: ketpk.tci.performance(_schedule(), ketpk.population.sample("esketamine.perezruixo2021", 5, seed=1)),
     ParameterError, r"the population was drawn for model 'esketamine\.perezruixo2021'.*Draw one for this model")
case("simulate a population of another model",
     lambda: ketpk.simulate("racemic", Bolus("0 min", "10 mg"), Q_([0, 60], "min"),
                            subjects=ketpk.population.sample("esketamine.perezruixo2021", 5, seed=1)),
     ParameterError, r"drawn for model 'esketamine\.perezruixo2021'.*uses model 'racemic\.multiroute'")
case("posterior interval level '0.9'",
     lambda: _map([("2 h", "ketamine", "50 ng/mL")]).interval("CL", level="0.9"), ParameterError,
     r"`level` must be a number in \(0, 1\), e\.g\. 0\.9; got '0\.9'")
case("posterior observation 1e300 ng/mL", lambda: _map([("2 h", "ketamine", "1e300 ng/mL")]),
     ParameterError, r"above 1 mg/mL: no plasma level is that high.*Check the unit")
case("posterior observation 150 mg/mL", lambda: _map([("2 h", "ketamine", "150 mg/mL")]),
     ParameterError, r"is '150 mg/mL', above 1 mg/mL")
case("posterior dataset DV 1e300", lambda: ketpk.posterior.read_observations(
         [dict(_ROW), dict(_ROW, TIME=2, EVID=0, AMT=".", DV=1e300)], MAP_MODEL), ParameterError,
     r"row 3: DV or LLOQ is 1e\+300 ng/mL, above 1 mg/mL")
case("posterior population of 10**10 draws",
     lambda: _map([("2 h", "ketamine", "50 ng/mL")]).population(10**10), ParameterError,
     r"a population of 10000000000 subjects needs about .* GB")


@pytest.mark.parametrize("call, error, pattern", CASES)
def test_hostile_input_raises_a_clear_ketpk_error(call, error, pattern):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy noise before (or instead of) the error
        with pytest.raises(error, match=pattern) as info:
            call()
    assert isinstance(info.value, KetpkError)
    assert isinstance(info.value, BUILTIN[error])


def test_cmax_over_a_long_window_sees_the_infusion_peak():
    """A 2-h infusion's Cmax over a 1e9-h window was 0 (the coarse grid stepped over the peak);
    the dose times are now on the grid, so Cmax over [0, 1e9 h] equals Cmax over [0, 24 h]."""
    short = _dose(Target("cmax", "100 ng/mL", end="24 h"))
    long = _dose(Target("cmax", "100 ng/mL", end="1e9 h"))
    assert long.limited_by is None
    assert long.dose.magnitude == pytest.approx(short.dose.magnitude, rel=1e-9)


# --- doses that overflow floating point: the SolverError comes alone --------------------------

_OVERFLOW = r"gave non-finite concentrations \(inf or NaN\).*Doses this large overflow floating point"
T = Q_(np.linspace(0, 60, 5), "min")
OVERFLOW = [
    pytest.param(lambda: ketpk.simulate("esketamine", Bolus("0 min", "1e308 mg"), T, solver="ode"),
                 id="ode solver (scipy refused an infinite y0 in its own words)"),
    pytest.param(lambda: ketpk.simulate("esketamine", Bolus("0 min", "1e308 mg/kg"), T,
                                        subjects=Subject(weight="70 kg")),
                 id="per-kg dose (mg/kg x kg overflowed with a numpy warning)"),
    pytest.param(lambda: ketpk.simulate("racemic", Bolus("0 min", "1e308 mg", route="oral"), T),
                 id="oral racemic"),
]


@pytest.mark.parametrize("call", OVERFLOW)
def test_an_overflowing_dose_raises_one_solver_error_and_no_numpy_warning(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ketpk.SolverError, match=_OVERFLOW) as info:
            call()
    assert isinstance(info.value, RuntimeError)


# --- command line: one error line, nothing printed or written before it ----------------------

_TCI = ["tci", "--model", TCI_MODEL, "--target", "0 min=1 ug/mL", "--until", "10 min"]


def _dataset(tmp_path, amount="20"):
    path = tmp_path / "data.csv"
    path.write_text(f"ID,TIME,EVID,AMT,DV,CMT\n1,0,1,{amount},.,1\n1,2,0,.,50,1\n")
    return ["dataset", str(path), "--model", MAP_MODEL]


CLI = [
    (lambda tmp: _TCI + ["--unit", "mg"],
     r"`--unit` must be a concentration such as 'ng/mL' or 'umol/L'; got 'mg'"),
    (lambda tmp: _TCI + ["--unit", "ng/mL,"],
     r"`--unit` must be a unit such as 'ng/mL'.*got 'ng/mL,', which has ',', not part of any unit"),
    (lambda tmp: _TCI + ["--max-rate", "100 mL/h", "--concentration", "0 mg/mL"],
     r"`concentration` \(the syringe\) must be finite and positive"),
    (lambda tmp: _TCI[:4] + ["30 min=1 ug/mL", "--until", "10 min"],
     r"`targets` has a step at 30 min, at or after `until`"),
    (lambda tmp: _dataset(tmp, "1e308"),
     r"ID 1: the predictions are not finite \(inf or NaN\); the largest AMT is 1e\+308 mg"),
    (lambda tmp: _dataset(tmp) + ["--conc-unit", "mg"],
     r"`conc_unit` must be a concentration such as 'ng/mL' or 'umol/L'; got 'mg'"),
    (lambda tmp: _dataset(tmp) + ["--conc-unit", "ng/mL!"],
     r"`conc_unit` must be a unit such as 'ng/mL'.*which has '!'"),
    (lambda tmp: _TCI + ["--rows", "-5"], r"--rows must be 0 or more .*got -5"),
    (lambda tmp: ["app", "--port", "70000"], r"--port must be from 1 to 65535; got 70000"),
]


@pytest.mark.parametrize("argv, pattern", CLI, ids=["tci --unit mg", "tci --unit 'ng/mL,'",
                                                   "tci syringe 0 mg/mL", "tci step after --until",
                                                   "dataset AMT 1e308", "dataset --conc-unit mg",
                                                   "dataset --conc-unit 'ng/mL!'",
                                                   "tci --rows -5", "app --port 70000"])
def test_cli_refuses_with_one_line_before_any_output(argv, pattern, tmp_path, capsys):
    from ketpk.cli import main

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(argv(tmp_path)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert re.search(pattern, err), err


# --- datasets, observations from datasets, validation, the app -------------------------------

_ROW = {"ID": 1, "TIME": 0, "EVID": 1, "AMT": 20, "CMT": 1}


def _simulate_rows(rows=(_ROW,), **kw):
    from ketpk.dataset import simulate_dataset

    return simulate_dataset(list(rows), MAP_MODEL, **kw)


def _validate(studies):
    from ketpk.validation import validate

    return validate(TCI_MODEL, studies=studies)


case("dataset ADDL 1e9 (expanded one by one: hung)", lambda: _simulate_rows([dict(_ROW, ADDL=10**9, II=1)]),
     RegimenError, r"row 2: ADDL 1e\+09 asks for more than 100000 doses")
case("dataset weight column negative", lambda: _simulate_rows([dict(_ROW, WT=-70)]), ParameterError,
     r"`weight` must be finite and positive; got \[-70\.\] kg")
case("dataset covariates naming an absent column", lambda: _simulate_rows(covariates={"weight": "WEIGHT"}),
     RegimenError, r"`covariates` names column\(s\) WEIGHT, which the dataset lacks; it has ID, TIME")
for arg, value in (("cmt", ["iv"]), ("cmt", "iv=1"), ("covariates", "WT"), ("individual", ["CL"])):
    case(f"dataset {arg}={value!r} (not a mapping)", lambda a=arg, v=value: _simulate_rows(**{a: v}),
         ParameterError, rf"`{arg}` must be a mapping, e\.g\. .*got {re.escape(repr(value))} of type")
case("dataset time_unit with a stray comma (pint read 'h,' as h)", lambda: _simulate_rows(time_unit="h,"),
     ParameterError, r"`time_unit` must be a unit convertible to min; got 'h,'")
case("observations of an ID the dataset lacks (fitted nothing, returned the prior)",
     lambda: ketpk.posterior.read_observations([dict(_ROW), dict(_ROW, TIME=2, EVID=0, AMT=".", DV=50)],
                                               MAP_MODEL, id=7),
     ParameterError, r"the dataset has no ID 7; it has IDs 1")
for studies in ("kamp2020", None, [1, 2]):
    case(f"validate studies={studies!r}", lambda v=studies: _validate(v), ParameterError,
         r"`studies` must be a list of ketpk\.validation Study records")


@pytest.mark.parametrize("settings, message", [
    (dict(end="inf h"), "`end` must be a finite positive time such as '12 h'; got 'inf h'."),
    (dict(subjects="5"), "`subjects` must be from 0 (no band) to 2000; got '5'."),
    (dict(subjects=2.5), "`subjects` must be from 0 (no band) to 2000; got 2.5."),
])
def test_the_app_shows_a_clear_message(settings, message):
    from ketpk.app import Settings, compute

    assert compute(Settings(**settings)).error == message
