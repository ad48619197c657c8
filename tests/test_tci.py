"""Target-controlled infusion: closed forms, every built-in IV model, mass balance, pauses,
pump limits, enantiomers, effect-site targeting, population performance (Varvel 1992)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ketpk
from ketpk import tci
from ketpk.errors import ModelNotFoundError, ParameterError, UnitError
from ketpk.species import molar_mass
from ketpk.tci.performance import varvel

from .conftest import one_compartment

MW = molar_mass("ketamine")
SUBJECT = ketpk.Subject(weight="70 kg", age="40 year", sex="male")
IV_MODELS = [m.id for m in ketpk.models.available() if "iv" in m.routes]


def fine(result, step_s=2.0):
    """The schedule simulated by the exact solver on a fine grid: (minutes, SimulationResult)."""
    end = result.times_min[-1]
    minutes = np.arange(0.0, end + 1e-9, step_s / 60.0)
    return minutes, result.simulate(ketpk.Q_(minutes, "min"))


def test_one_compartment_holds_the_target_exactly_after_the_first_interval():
    model = one_compartment(cl="5 L/min", v="100 L")
    res = tci.target_infusion(model, {"0 min": "1 ug/mL"}, until="20 min", interval="10 s")
    k, V, h, target = 5 / 100, 100.0, 1 / 6, 1.0  # 1/min, L, min, mg/L
    rates = res.rates("mg/min").magnitude
    # closed form: load C = r0/(kV) (1 - e^-kh) = T in the first interval, then r = CL T
    assert rates[0] == pytest.approx(target * k * V / (1 - math.exp(-k * h)), rel=1e-12)
    assert np.allclose(rates[1:], 5.0 * target, rtol=1e-12)
    minutes, sim = fine(res, 1.0)
    c = sim.concentration("ketamine", "mg/L").magnitude
    assert np.max(np.abs(c[minutes >= h] - target)) < 1e-9


# One adult subject for every model: paediatric models warn that they extrapolate, which does
# not matter to the algorithm checked here.
EXTRAPOLATES = pytest.mark.filterwarnings("ignore::ketpk.CovariateRangeWarning")


@EXTRAPOLATES
@pytest.mark.parametrize("model_id", IV_MODELS)
def test_plasma_target_within_one_percent_for_every_iv_model(model_id):
    res = tci.target_infusion(model_id, {"0 min": "0.3 ug/mL", "15 min": "0.6 ug/mL"},
                              subject=SUBJECT, until="30 min")
    minutes, sim = fine(res)
    c = sim.concentration(res.analyte, "ug/mL").magnitude
    target = np.where(minutes < 15, 0.3, 0.6)
    h = res.interval_min
    settled = (minutes >= h) & ~((minutes >= 15) & (minutes < 15 + h))  # after each step's interval
    assert np.max(np.abs(c[settled] / target[settled] - 1)) < 0.01
    # the loop's own predictions agree with the exact solver at the update times
    again = res.simulate().concentration(res.analyte, "ug/mL").magnitude
    assert np.allclose(again, res.predicted("plasma", "ug/mL").magnitude, rtol=1e-8, atol=1e-12)


@EXTRAPOLATES
@pytest.mark.parametrize("model_id", IV_MODELS)
def test_effect_site_target_within_one_percent_after_the_peak_and_never_above(model_id):
    res = tci.target_infusion(model_id, {"0 min": "0.4 ug/mL"}, subject=SUBJECT, until="30 min",
                              site="effect", ke0="0.2 1/min")
    minutes, sim = fine(res)
    ce = sim.concentration(res.effect_analyte, "ug/mL").magnitude
    # no overshoot: the peak is searched at the update times, so between two of them the curve
    # may pass the target by a grid error (below 0.02 % for these models at 10 s)
    assert ce.max() <= 0.4 * (1 + 2.5e-4)
    peak = minutes[np.argmax(ce >= 0.4 * 0.999)]
    assert peak < 15  # the peak-time bolus reaches the target
    assert np.max(np.abs(ce[minutes >= peak] / 0.4 - 1)) < 0.01


def test_mass_balance_infused_equals_in_body_plus_eliminated():
    model = ketpk.models.get("racemic.domino1982")
    res = tci.target_infusion(model, {"0 min": "1 ug/mL", "20 min": "0.4 ug/mL"}, subject=SUBJECT,
                              until="40 min")
    minutes = np.arange(0, 40 + 1e-9, 1 / 120)  # 0.5 s
    sim = res.simulate(ketpk.Q_(minutes, "min"), record="all")
    body = sum(sim.amount(s, "mg").magnitude for s in sim.states)
    central = sim.amount("ketamine.central", "mg").magnitude
    k10 = model.parameter("k10").canonical
    eliminated = np.concatenate([[0], np.cumsum(np.diff(minutes) * (central[1:] + central[:-1]) / 2)]) * k10
    infused = res.total_amount().to("mg").magnitude
    assert infused == pytest.approx(res.regimen.total_amount(SUBJECT).to("mg").magnitude, rel=1e-12)
    assert body[-1] + eliminated[-1] == pytest.approx(infused, rel=1e-5)


def test_a_step_down_pauses_the_pump_until_the_prediction_reaches_the_target():
    res = tci.target_infusion("racemic.kamp2020", {"0 min": "1 ug/mL", "30 min": "0.3 ug/mL"},
                              subject=SUBJECT, until="120 min")
    rates = res.rates("mg/h").magnitude
    plasma = res.predicted("plasma", "ug/mL").magnitude
    times = res.times_min
    k_down = int(round(30 / res.interval_min))
    assert np.all(rates[:k_down] > 0)
    paused = np.flatnonzero(rates[k_down:] == 0) + k_down
    resume = k_down + len(paused)
    assert paused[0] == k_down and np.all(np.diff(paused) == 1)  # one pause, right at the step
    assert np.all(rates[resume:] > 0)  # then it runs again
    assert np.all(plasma[k_down + 1:resume] > 0.3)  # falling freely above the target
    assert plasma[resume + 1] == pytest.approx(0.3, rel=1e-9)
    assert 30 < times[resume] < 120


def test_pump_limit_in_mg_per_h_and_in_ml_per_h_with_a_syringe():
    targets = {"0 min": "0.6 ug/mL"}
    free = tci.target_infusion("racemic.kamp2020", targets, subject=SUBJECT, until="30 min")
    mg = tci.target_infusion("racemic.kamp2020", targets, subject=SUBJECT, until="30 min",
                             max_rate="300 mg/h")
    ml = tci.target_infusion("racemic.kamp2020", targets, subject=SUBJECT, until="30 min",
                             max_rate="30 mL/h", concentration="10 mg/mL")
    assert free.rates("mg/h").magnitude[0] > 300
    assert np.max(mg.rates("mg/h").magnitude) <= 300 * (1 + 1e-12)
    assert mg.rates("mg/h").magnitude[0] == pytest.approx(300)
    assert np.allclose(ml.rates("mg/h").magnitude, mg.rates("mg/h").magnitude, rtol=1e-12)
    assert np.allclose(ml.rates("mL/h").magnitude * 10, mg.rates("mg/h").magnitude, rtol=1e-12)
    # limited, it reaches the target later but never overshoots, and then holds it
    plasma = mg.predicted("plasma", "ug/mL").magnitude
    assert plasma.max() <= 0.6 * (1 + 1e-9)
    assert plasma[-1] == pytest.approx(0.6, rel=1e-9)
    with pytest.raises(ParameterError, match="concentration"):
        tci.target_infusion("racemic.kamp2020", targets, until="1 min", max_rate="30 mL/h")


def test_enantiomer_and_total_targets():
    model = "racemic.multiroute"
    s = tci.target_infusion(model, {"0 min": "100 ng/mL"}, subject=SUBJECT, until="30 min",
                            analyte="s_ketamine")
    total = tci.target_infusion(model, {"0 min": "100 ng/mL"}, subject=SUBJECT, until="30 min")
    sim_s, sim_t = s.simulate(), total.simulate()
    assert sim_s.concentration("s_ketamine").magnitude[-1] == pytest.approx(100, rel=1e-9)
    assert sim_t.concentration("ketamine").magnitude[-1] == pytest.approx(100, rel=1e-9)
    assert s.total_amount().magnitude > total.total_amount().magnitude  # S is half the racemate
    esk = tci.target_infusion("esketamine.otto2021", {"0 min": "100 ng/mL"}, until="10 min",
                              analyte="s_ketamine")
    assert esk.analyte == "ketamine"
    with pytest.raises(ParameterError, match="enantiomers"):
        tci.target_infusion("racemic.domino1982", {"0 min": "100 ng/mL"}, until="10 min",
                            analyte="r_ketamine")


def test_effect_site_needs_a_ke0_and_takes_it_from_the_effects_library():
    with pytest.raises(ParameterError, match="ke0"):
        tci.target_infusion("racemic.kamp2020", {"0 min": "0.5 ug/mL"}, until="10 min", site="effect")
    res = tci.target_infusion("esketamine.otto2021", {"0 min": "100 ng/mL"}, until="60 min",
                              site="effect", ke0="olofsen2022")
    # Olofsen 2022 t½ke0 8.3 min: the model's effect site uses ke0 = ln 2 / 8.3 min
    assert "8.3" in " ".join(res.model.notes)
    same = tci.target_infusion(ketpk.effects.with_effect_site(
        ketpk.models.get("esketamine.otto2021"), site="pain", t_half="8.3 min"),
        {"0 min": "100 ng/mL"}, until="60 min", site="effect")
    assert np.allclose(same.rates_mg_per_min, res.rates_mg_per_min, rtol=1e-10)
    with pytest.raises(UnitError):
        tci.target_infusion("racemic.kamp2020", {"0 min": "0.5 ug/mL"}, until="10 min",
                            site="effect", ke0="5 min")


def test_each_subject_of_a_batch_gets_their_own_schedule():
    subjects = [ketpk.Subject(weight=w) for w in ("50 kg", "70 kg", "110 kg")]
    batch = tci.target_infusion("racemic.kamp2020", {"0 min": "0.5 ug/mL"}, subject=subjects,
                                until="20 min", site="effect", ke0="0.3 1/min")
    for i, s in enumerate(subjects):
        alone = tci.target_infusion("racemic.kamp2020", {"0 min": "0.5 ug/mL"}, subject=s,
                                    until="20 min", site="effect", ke0="0.3 1/min")
        assert np.allclose(batch.rates_mg_per_min[i], alone.rates_mg_per_min[0], rtol=1e-9)
    totals = batch.total_amount().magnitude
    assert totals[0] < totals[1] < totals[2]
    with pytest.raises(ParameterError, match="regimen_of"):
        batch.regimen  # noqa: B018


def test_varvel_measures_closed_forms():
    times = np.linspace(0, 120, 13)  # min
    predicted = np.full(13, 2.0)
    constant = varvel(np.full((1, 13), 2.2), predicted, times)  # PE = +10 % throughout
    assert constant["MDPE"][0] == pytest.approx(10) and constant["MDAPE"][0] == pytest.approx(10)
    assert constant["wobble"][0] == pytest.approx(0) and constant["divergence"][0] == pytest.approx(0)
    rising = varvel((2.0 * (1 + 0.05 * times / 60))[None, :], predicted, times)  # |PE| = 5 %/h · t
    assert rising["divergence"][0] == pytest.approx(5.0)
    assert rising["MDPE"][0] == pytest.approx(5.0)  # median of 0..10 %
    assert rising["wobble"][0] == pytest.approx(np.median(np.abs(5 * times / 60 - 5)))


def test_performance_of_a_typical_schedule_in_a_population():
    model = ketpk.models.get("esketamine.otto2021")
    typical = tci.target_infusion(model, ketpk.protocols.target_protocol("sigtermans2009_tci"))
    same = typical.performance([ketpk.Subject()] * 3)  # the typical subject: no error
    assert np.allclose(same.summary()["MDAPE"], 0, atol=1e-9)
    population = ketpk.population.sample(model, 200, seed=3)
    perf = tci.performance(typical, population)
    mdape = perf.summary()["MDAPE"]
    assert 1 < mdape[1] < 100  # variability gives real errors, neither none nor absurd
    lo, mid, hi = perf.achieved("ng/mL").magnitude
    assert np.all(lo <= mid) and np.all(mid <= hi)
    assert mid[-1] == pytest.approx(320, rel=0.5)
    assert "MDPE" in perf.describe()
    # solver against solver: the regimen simulated for three of them gives the same percentiles
    few = population[:3]
    direct = tci.performance(typical, few)
    sim = typical.simulate(ketpk.Q_(typical.times_min[1:], "min"), subjects=few)
    expected = np.percentile(sim.concentrations_umol_per_l["ketamine"], (5, 50, 95), axis=0)
    assert np.allclose(direct.achieved_umol, expected, rtol=1e-8, atol=1e-12)


def test_target_protocols_are_the_published_schedules():
    sig = ketpk.protocols.target_protocol("sigtermans2009_tci")
    assert [c for _, c in sig.targets] == [f"{40 * i} ng/mL" for i in range(1, 9)]
    assert [t for t, _ in sig.targets] == [f"{15 * i} min" for i in range(8)]
    assert sig.citation.doi == "10.1097/ALN.0b013e3181b437b1"
    bowdle = ketpk.protocols.target_protocol("bowdle1998")
    res = tci.target_infusion("racemic.domino1982", bowdle, subject=SUBJECT)
    plasma = res.predicted("plasma", "ng/mL").magnitude
    for minute, target in ((29, 0), (59, 50), (89, 100), (119, 150), (149, 200)):
        assert plasma[int(minute * 6)] == pytest.approx(target, abs=1e-9 + target * 1e-9)
    with pytest.raises(ModelNotFoundError, match="bowdle1998"):
        ketpk.protocols.target_protocol("bowdle")


def test_bad_inputs_name_the_fix():
    with pytest.raises(UnitError, match="concentration"):
        tci.target_infusion("racemic.kamp2020", {"0 min": "5 mg"}, until="10 min")
    with pytest.raises(ParameterError, match="until"):
        tci.target_infusion("racemic.kamp2020", {"0 min": "1 ug/mL"})
    with pytest.raises(ParameterError, match="site"):
        tci.target_infusion("racemic.kamp2020", {"0 min": "1 ug/mL"}, until="1 min", site="brain")
    with pytest.raises(ParameterError, match="same time"):
        tci.target_infusion("racemic.kamp2020", [("0 min", "1 ug/mL"), ("0 h", "2 ug/mL")], until="1 min")
    with pytest.raises(ParameterError, match="pump updates"):
        tci.target_infusion("racemic.kamp2020", {"0 min": "1 ug/mL"}, until="1000 day", interval="1 s")


def test_cli_prints_the_rate_table_and_writes_csv_and_plot(tmp_path, capsys):
    from ketpk.cli import main
    from ketpk.fileio import read_csv

    csv_path, png = tmp_path / "tci.csv", tmp_path / "tci.png"
    code = main(["tci", "--model", "racemic.kamp2020", "--target", "0 min=0.5 ug/mL",
                 "--target", "30 min=1 ug/mL", "--until", "60min", "--weight", "70kg",
                 "--site", "effect", "--ke0", "0.3 1/min", "--max-rate", "60 mL/h",
                 "--concentration", "10 mg/mL", "--csv", str(csv_path), "--plot", str(png)])
    out = capsys.readouterr().out
    assert code == 0
    assert "rate [mL/h]" in out and "600.0000" in out  # the limit binds first: 60 mL/h x 10 mg/mL
    meta, header, rows = read_csv(csv_path)
    assert header[:4] == ["subject", "time [min]", "rate [mg/h]", "target [ng/mL]"]
    assert len(rows) == 361 and png.stat().st_size > 10_000
    assert main(["tci", "--model", "racemic.kamp2020", "--until", "1 min"]) == 1
    assert "--target" in capsys.readouterr().err


# Published behaviour of the two peer TCI tools for the Domino and Kamp models:
# * opentiva (github.com/opentiva/opentiva, opentiva/ketamine.py at commit 4c6b38c) gives each
#   ketamine model a ke0 "from tpeak 1 min": Domino 0.652 /min; Kamp 2.791 /min;
# * simtiva (github.com/luktinghin/simtiva, pharmacology.js) gives Kamp the ke0 of Navarrete et al.
#   (J Clin Monit Comput 2025;39(2):349-354, doi:10.1007/s10877-024-01240-4),
#   ke0 = 0.1876 ln(weight/kg) + 0.5932 /min, with a time to peak effect of about 1.6 min.
# ketpk's Domino and Kamp models carry the same parameters at 70 kg, so the same ke0 must give
# the same peak time after a bolus, and an effect-site TCI must reach its target at that time.
PEERS = [("racemic.domino1982", 0.652, 1.0), ("racemic.kamp2020", 2.791, 1.0),
         ("racemic.kamp2020", 0.1876 * math.log(70) + 0.5932, 1.6)]


@pytest.mark.parametrize(("model_id", "ke0", "tpeak"), PEERS)
def test_peak_times_of_opentiva_and_simtiva(model_id, ke0, tpeak):
    model = ketpk.effects.with_effect_site(ketpk.models.get(model_id), site="peer", ke0=f"{ke0} 1/min")
    minutes = np.arange(0, 5, 1 / 600)  # 0.1 s
    bolus = ketpk.simulate(model, ketpk.Bolus("0 min", "10 mg"), ketpk.Q_(minutes, "min"),
                           subjects=ketpk.Subject(weight="70 kg"))
    ce = bolus.concentration("ketamine@peer").magnitude
    assert minutes[np.argmax(ce)] == pytest.approx(tpeak, abs=0.01)
    res = tci.target_infusion(model_id, {"0 min": "1 ug/mL"}, subject=ketpk.Subject(weight="70 kg"),
                              until="10 min", site="effect", ke0=f"{ke0} 1/min", interval="1 s")
    rates = res.rates("mg/h").magnitude
    resumed = np.flatnonzero(rates[1:] > 0)[0] + 1  # the pump pauses after the first second
    assert res.times_min[resumed] == pytest.approx(tpeak, abs=0.03)
    effect = res.predicted("effect", "ug/mL").magnitude
    assert effect[resumed] == pytest.approx(1.0, rel=1e-3)


def test_subjects_outside_the_validated_range_are_warned_about():
    with pytest.warns(ketpk.CovariateRangeWarning, match="age"):
        tci.target_infusion("racemic.herd2007", {"0 min": "0.5 ug/mL"}, until="1 min",
                            subject=ketpk.Subject(weight="70 kg", age="40 year"))


def test_the_regimen_round_trips_through_a_nonmem_event_table(tmp_path):
    from ketpk.eventtable import event_table

    res = tci.target_infusion("racemic.domino1982", {"0 min": "1 ug/mL", "10 min": "0.4 ug/mL"},
                              subject=SUBJECT, until="20 min")
    path = event_table(res.regimen, SUBJECT, time_unit="min").write(tmp_path / "tci.csv")
    back = ketpk.read_event_table(path, time_unit="min")
    assert back.total_amount(SUBJECT).magnitude == pytest.approx(res.total_amount().magnitude, rel=1e-9)
    minutes = ketpk.Q_(res.times_min, "min")
    again = ketpk.simulate("racemic.domino1982", back, minutes, subjects=SUBJECT)
    assert np.allclose(again.concentration("ketamine", "ug/mL").magnitude,
                       res.predicted("plasma", "ug/mL").magnitude, rtol=1e-6, atol=1e-9)


def test_every_example_in_the_tci_help_runs(tmp_path, monkeypatch, capsys):
    import shlex

    from ketpk.cli import main
    from ketpk.cli_tci import EXAMPLES

    monkeypatch.chdir(tmp_path)
    commands = EXAMPLES.split("\n  ketpk ")[1:]
    assert len(commands) == 3
    for command in commands:
        argv = shlex.split(command.replace("\\\n", " "))
        assert main(argv) == 0, capsys.readouterr().err
    assert (tmp_path / "tci.csv").exists() and (tmp_path / "tci.png").exists()
    assert "500" in capsys.readouterr().out  # the 0.5 ug/mL target, shown in ng/mL
