"""simulate_dataset beyond the nmtests suite: combinations it lacks, closed forms, time-varying
covariates inside an infusion, errors, the output table, and event-table route codes.

References: the independent superposition of tests/nmreference.py (closed-form single doses of
the one-compartment model with first-order absorption, Gibaldi & Perrier ch. 1-2) and the
one-compartment closed forms written out in each test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import ketpk
from ketpk import Bolus, Infusion, Q_, RegimenError, read_event_table
from ketpk.eventtable import cmt_map, event_table
from ketpk.fileio import read_csv
from tests import nmreference as ref

K = ref.CL / ref.V  # 1/h


def _row(time, evid=0, amt=0, cmt=2, ss=0, ii=0, addl=0, rate=0, lag=0, bioav=1, rat2=10, dur2=2, **extra):
    """A record in the nmtests column layout (the superposition reference reads it too)."""
    return {"ID": extra.pop("ID", 1), "time": time, "evid": evid, "amt": amt, "cmt": cmt, "ss": ss,
            "ii": ii, "addl": addl, "rate": rate, "LAGT": lag, "MODE": 0, "DUR2": dur2, "RAT2": rat2,
            "BIOAV": bioav, **extra}


def _observe(rows, until, step=0.5):
    """Dose rows with observation rows every ``step`` h to ``until``, in time order (doses first)."""
    obs = [_row(t) for t in np.arange(0, until + step / 2, step)]
    return sorted(rows + obs, key=lambda r: (r["time"], r["evid"] == 0))


def _both(rows, **kw):
    model = kw.pop("model", None) or ref.model()
    exact = ketpk.simulate_dataset(rows, model, cmt=ref.CMT, **kw)["PRED"]
    ode = ketpk.simulate_dataset(rows, model, cmt=ref.CMT, solver="ode", **kw)["PRED"]
    assert_allclose(ode, exact, rtol=1e-6, atol=1e-9 * np.abs(exact).max())
    return exact


def _superposed(rows, pred):
    expected = ref.superposition(rows)
    assert_allclose(pred, expected, rtol=1e-9, atol=1e-9 * np.abs(expected).max())


def test_ss2_with_lag_and_bioavailability_on_an_infusion():
    """SS=2 (steady state added to what is there) of a lagged infusion with F < 1 (the suite
    has SS=2 only for boluses into the depot)."""
    rows = _observe([_row(0, 1, 100, cmt=1),
                     _row(30, 1, 100, cmt=2, ss=2, ii=12, addl=2, rate=10, lag=3, bioav=0.6)], 80)
    _superposed(rows, _both(rows))


def test_reset_then_steady_state():
    """EVID 3 empties everything (the depot too); a later SS=1 dose starts from its steady state."""
    rows = _observe([_row(0, 1, 100, cmt=1, ii=12, addl=3),
                     _row(20, 3, cmt=2),
                     _row(30, 1, 100, cmt=2, ss=1, ii=8, lag=2, bioav=0.7)], 60)
    pred = _both(rows)
    _superposed(rows, pred)
    at_reset = [k for k, r in enumerate(rows) if r["time"] == 20]
    assert pred[at_reset[0]] == 0.0  # the reset record reports the emptied state
    assert pred[at_reset[1]] == 0.0  # and the observation after it at the same time
    assert pred[[k for k, r in enumerate(rows) if r["time"] == 19.5][0]] > 0


def test_steady_state_lag_longer_than_the_interval_is_superposition():
    """SS=1 with lag > II (bolus and infusion): ketpk sums every earlier copy, including those
    still in their lag at the record (NONMEM does not; see test_nmtests)."""
    for dose in (_row(0, 1, 100, cmt=2, ss=1, ii=12, lag=15, addl=2),
                 _row(0, 1, 100, cmt=2, ss=1, ii=12, lag=14, rate=25, addl=2)):
        rows = _observe([dose], 72)
        _superposed(rows, _both(rows))


def test_steady_state_closed_forms():
    """Bolus SS into the central compartment: peak D/V/(1 - e^-kτ) at the record; constant
    infusion at steady state: RATE/CL (Gibaldi & Perrier ch. 3)."""
    rows = [_row(0, 1, 100, cmt=2, ss=1, ii=12), _row(0), _row(5)]
    pred = _both(rows)
    peak = 100 / ref.V / (1 - math.exp(-K * 12)) * 1000
    assert_allclose(pred[:2], peak, rtol=1e-10)
    assert_allclose(pred[2], peak * math.exp(-K * 5), rtol=1e-10)
    rows = [_row(0, 1, 0, cmt=2, ss=1, rate=7), _row(0)]
    assert_allclose(_both(rows), 7 / ref.CL * 1000, rtol=1e-10)


@pytest.mark.parametrize("rate, duration", [(-1, 100 * 0.8 / 10), (-2, 2.0), (10, 100 * 0.8 / 10)])
def test_modelled_rate_and_duration_closed_form(rate, duration):
    """RATE -1 takes R2 (10 mg/h), RATE -2 takes D2 (2 h); a fixed RATE with F keeps the rate
    and shortens the infusion to F·AMT/RATE: one-compartment infusion closed form."""
    rows = [_row(0, 1, 100, cmt=2, rate=rate, bioav=0.8, rat2=10, dur2=2)] + [_row(t) for t in (1, 2.5, 9, 20)]
    pred = _both(rows)[1:]
    t = np.array([1, 2.5, 9, 20.0])
    infused = 100 * 0.8 / duration
    expected = infused / ref.CL * (1 - np.exp(-K * np.minimum(t, duration))) * np.exp(-K * np.maximum(t - duration, 0))
    assert_allclose(pred, expected * 1000, rtol=1e-10)


def _weight_infusion_rows():
    rows = [_row(0, 1, 100, cmt=2, rate=10, WT=70)]
    for t, wt in ((2, 70), (4, 70), (6, 140), (8, 140), (12, 100), (16, 100)):
        rows.append(_row(t, WT=wt))
    return rows


def test_a_covariate_change_inside_an_infusion():
    """CL = 1.1 (WT/70)^0.75 with WT stepping during a 10 h infusion: a piecewise closed form
    A' = R - k A with k per interval. NOCB: the interval (t_i-1, t_i] takes record i's WT; LOCF:
    record i-1's."""
    rows = _weight_infusion_rows()
    model = ref.model(weight_exponent=0.75)
    times = [r["time"] for r in rows]
    weights = [r["WT"] for r in rows]
    for carry, pick in (("nocb", lambda i: weights[i]), ("locf", lambda i: weights[i - 1])):
        pred = _both(rows, model=model, carry=carry)
        amount, expected, t0 = 0.0, [0.0], 0.0
        for i in range(1, len(rows)):
            k = ref.CL * (pick(i) / 70) ** 0.75 / ref.V
            for a, b in ((t0, min(times[i], 10)), (max(t0, 10), times[i])):
                if b > a:
                    rate = 10.0 if a < 10 else 0.0
                    amount = amount * math.exp(-k * (b - a)) + rate / k * (1 - math.exp(-k * (b - a)))
            t0 = times[i]
            expected.append(amount / ref.V * 1000)
        assert_allclose(pred, expected, rtol=1e-10, atol=1e-12)


def test_missing_covariates_are_carried_by_the_chosen_rule():
    rows = _weight_infusion_rows()
    rows[2]["WT"] = "."  # t = 4: NOCB takes 140 (next), LOCF 70 (previous)
    model = ref.model(weight_exponent=0.75)
    filled = [dict(r) for r in rows]
    for carry, value in (("nocb", 140), ("locf", 70)):
        filled[2]["WT"] = value
        assert_allclose(ketpk.simulate_dataset(rows, model, cmt=ref.CMT, carry=carry)["PRED"],
                        ketpk.simulate_dataset(filled, model, cmt=ref.CMT, carry=carry)["PRED"], rtol=1e-12)


def test_infusion_objects_and_datasets_state_their_rules_for_F():
    """ketpk's Infusion keeps the duration and scales the rate by F; a dataset record keeps RATE
    and shortens the infusion (NONMEM). Same amount delivered, different curves."""
    model = ref.model().with_parameters(F2=0.5)
    t = np.array([10.0, 30.0, 100.0])
    obj = ketpk.simulate(model, Infusion("0 h", amount="480 mg", rate="10 mg/h"), Q_(t, "h"))
    got = obj.concentration("ketamine", unit="ng/mL").magnitude
    keep_duration = 5 / ref.CL * (1 - np.exp(-K * np.minimum(t, 48))) * np.exp(-K * np.maximum(t - 48, 0)) * 1000
    assert_allclose(got, keep_duration, rtol=1e-9)
    rows = [_row(0, 1, 480, cmt=2, rate=10, bioav=0.5)] + [_row(x) for x in t]
    pred = ketpk.simulate_dataset(rows, ref.model(), cmt=ref.CMT)["PRED"][1:]
    keep_rate = 10 / ref.CL * (1 - np.exp(-K * np.minimum(t, 24))) * np.exp(-K * np.maximum(t - 24, 0)) * 1000
    assert_allclose(pred, keep_rate, rtol=1e-9)
    assert not np.allclose(pred, got)


def test_the_output_table_and_its_csv(tmp_path):
    rows = [dict(_row(0, 1, 100, cmt=1), DV="."), dict(_row(1), DV=2500.0), dict(_row(2, MDV=1), DV=".")]
    res = ketpk.simulate_dataset(rows, ref.model(), cmt=ref.CMT)
    assert res.columns[:7] == ("ID", "TIME", "EVID", "MDV", "CMT", "AMT", "DV")
    assert "PRED" in res.columns and "ketamine" in res.columns and "IPRED" not in res.columns
    assert list(res["MDV"]) == [1, 0, 1]
    assert res.to_array().shape == (3, len(res.columns))
    path = res.to_csv(tmp_path / "pred.csv")
    meta, header, data = read_csv(path)
    assert tuple(header) == res.columns and meta["conc_unit"] == "ng/mL"
    assert_allclose(data[:, header.index("PRED")], res["PRED"], rtol=1e-15)
    assert math.isnan(data[0, header.index("DV")]) and data[1, header.index("DV")] == 2500.0


def test_ipred_takes_the_subjects_own_parameters_from_columns():
    rows = [_row(0, 1, 100, cmt=2, CLI=2.2), _row(3, CLI=2.2), _row(6, CLI=2.2)]
    res = ketpk.simulate_dataset(rows, ref.model(), cmt=ref.CMT, individual={"CL": "CLI"})
    t = np.array([0, 3, 6.0])
    assert_allclose(res["PRED"], 100 / ref.V * np.exp(-K * t) * 1000, rtol=1e-10)
    assert_allclose(res["IPRED"], 100 / ref.V * np.exp(-2.2 / ref.V * t) * 1000, rtol=1e-10)
    assert_allclose(res["ketamine_IPRED"], res["IPRED"])


def test_several_subjects_in_one_dataset():
    rows = [_row(0, 1, 100, cmt=2, ID=1), _row(2, ID=1), _row(0, 1, 50, cmt=2, ID=2), _row(2, ID=2)]
    res = ketpk.simulate_dataset(rows, ref.model(), cmt=ref.CMT)
    assert list(res["ID"]) == [1, 1, 2, 2]
    assert_allclose(res["PRED"][1], 2 * res["PRED"][3], rtol=1e-12)


@pytest.mark.parametrize("rows, pattern", [
    ([_row(0, 5, 100)], r"EVID 5 is not one of 0"),
    ([_row(0, 2, cmt=-2)], r"EVID 2 with CMT -2 turns a compartment off"),
    ([_row(2), _row(1)], r"TIME goes back"),
    ([_row(0, 1, 0, cmt=2)], r"needs AMT > 0"),
    ([_row(0, 1, 100, cmt=2, ss=1)], r"SS 1 needs II > 0"),
    ([_row(0, 1, 100, cmt=2, rate=-3)], r"RATE -3 must be"),
    ([_row(0, 1, 100, cmt=7)], r"CMT 7 is not a dosing compartment"),
    ([_row(0, 1, 100, cmt=2, lag=-1)], r"lag = -60 min"),
    ([_row(0, 1, 100, cmt=1, rate=-1)], r"RATE -1 needs the modelled R of route 'oral'"),
    ([_row(0, 1, 100, cmt=2, rate=-2, dur2=0)], r"RATE -2 takes D = D2 = 0"),
])
def test_bad_records_are_named(rows, pattern):
    with pytest.raises(RegimenError, match=pattern):
        ketpk.simulate_dataset(rows, ref.model(), cmt=ref.CMT)


def test_duplicate_columns_and_unknown_ids_are_errors(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("ID,TIME,EVID,AMT,CMT,amt\n1,0,1,5,1,6\n")
    with pytest.raises(RegimenError, match="column AMT appears 2 times"):
        read_event_table(path)
    with pytest.raises(RegimenError, match="column AMT appears 2 times"):
        ketpk.simulate_dataset(path, ref.model(), cmt=ref.CMT)
    path.write_text("ID,TIME,EVID,AMT,CMT\n1,0,1,5,1\n2,0,1,5,1\n")
    with pytest.raises(RegimenError, match=r"`id` 3 is not in the event table; its IDs are 1, 2"):
        read_event_table(path, id=3)


def test_every_route_has_its_own_cmt_and_round_trips(tmp_path):
    """With a model every route gets its own code (inhaled is not IV); a table written with route
    codes and read with a model keeps its routes (the table's `# cmt:` line)."""
    model = ketpk.models.resolve("racemic")
    codes = cmt_map(model)
    assert len(set(codes.values())) == len(codes)
    for route in model.routes:
        dose = ketpk.Regimen([Bolus("1 h", "10 mg", route)])
        for writer in (dict(model=model), {}):
            path = event_table(dose, **writer).write(tmp_path / f"{route}.csv")
            back = read_event_table(path, model=model)
            assert [d.route for d in back.doses] == [route], (route, writer)
    path = event_table(ketpk.Regimen([Bolus("0 h", "10 mg", "intranasal")])).write(tmp_path / "in.csv")
    with pytest.raises(RegimenError, match="contradicts the table's own CMT mapping"):
        read_event_table(path, cmt={"intranasal": 3})


def test_flint2017_time_effect_on_norketamine_clearance_runs_as_published():
    """Flint 2017: Clsnk/Fm × (1 + 0.0087/h · t after the first dose), evaluated at every record.
    S-norketamine follows its clearance within minutes (k ≈ 9/h at 7 kg), so at each record it
    equals a time-invariant run with the clearance of that time, and not the frozen baseline."""
    model = ketpk.models.resolve("esketamine.flint2017")
    rows = [{"ID": 1, "TIME": 0, "EVID": 1, "AMT": 240, "RATE": 5, "CMT": 1, "WT": 7}]
    rows += [{"ID": 1, "TIME": t, "EVID": 0, "AMT": 0, "CMT": 1, "WT": 7} for t in range(2, 49, 2)]
    res = ketpk.simulate_dataset(rows, model)
    infusion = Infusion("0 h", amount="240 mg", rate="5 mg/h")
    child = ketpk.Subject(weight="7 kg")
    for t in (12, 24, 48):
        at = ketpk.simulate(model.with_parameters(TAFD=f"{t} h"), infusion, Q_([t], "h"), subjects=child)
        frozen = ketpk.simulate(model, infusion, Q_([t], "h"), subjects=child)
        got = res["norketamine"][res["TIME"] == t][0]
        assert_allclose(got, at.concentration("norketamine", unit="ng/mL").magnitude[0], rtol=1e-6)
        assert got < frozen.concentration("norketamine", unit="ng/mL").magnitude[0] / (1 + 0.0087 * t * 0.9)
        assert_allclose(res["ketamine"][res["TIME"] == t][0],
                        frozen.concentration("ketamine", unit="ng/mL").magnitude[0], rtol=1e-9)


def test_the_worked_example_in_docs_runs(tmp_path, monkeypatch):
    """docs/datasets.md's example runs as written (the documentation cannot rot)."""
    import re

    text = (ref.ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(code, "docs/datasets.md", "exec"), scope)
    result = scope["result"]
    assert len(result) == 7 and (tmp_path / "predictions.csv").is_file()
    assert result["PRED"][4] == 0.0 and result["PRED"][5] > result["PRED"][6] > 0


def test_to_event_table_keeps_every_field(tmp_path):
    """A dataset with every kind of record and a covariate written by to_event_table and read
    back gives the same text and the same predictions."""
    from ketpk.eventtable import to_event_table

    rows = _observe([_row(0, 1, 100, cmt=1, ii=12, addl=1, WT=60),
                     _row(6, 1, 100, cmt=2, rate=-1, bioav=0.7, WT="."),
                     _row(10, 1, 100, cmt=2, rate=-2, lag=1, WT=80),
                     _row(20, 3, cmt=2, WT=80),
                     _row(24, 4, 50, cmt=2, ss=1, ii=6, WT=80),
                     _row(30, 1, 40, cmt=1, ss=2, ii=6, MDV=1, WT=80)], 40, step=2)
    for r in rows:
        r.setdefault("WT", 80)
        r.setdefault("MDV", ".")
    model = ref.model(weight_exponent=0.75)
    first = to_event_table(rows).write(tmp_path / "a.csv")
    second = to_event_table(first).write(tmp_path / "b.csv")
    assert first.read_text() == second.read_text()
    table = to_event_table(first)
    assert {"EVID", "SS", "RATE", "MDV", "WT", "BIOAV"} <= set(table.columns)
    assert sorted({r["EVID"] for r in table.rows}) == [0, 1, 3, 4] and {r["SS"] for r in table.rows} == {0, 1, 2}
    expected = ketpk.simulate_dataset(rows, model, cmt=ref.CMT)["PRED"]
    assert_allclose(ketpk.simulate_dataset(second, model, cmt=ref.CMT)["PRED"], expected, rtol=1e-12)
    _superposed([r for r in rows], ketpk.simulate_dataset(rows, ref.model(), cmt=ref.CMT)["PRED"])


def test_time_may_restart_on_a_reset_record():
    """EVID 4 may take TIME back (a new course on its own clock): after it, the course runs as
    if alone."""
    rows = [_row(0, 1, 100, cmt=2), _row(5), _row(0, 4, 50, cmt=2), _row(5)]
    pred = _both(rows)
    assert_allclose(pred[3], pred[1] / 2, rtol=1e-12)
    assert_allclose(pred[1], 100 / ref.V * math.exp(-K * 5) * 1000, rtol=1e-10)


def test_the_dataset_command(tmp_path, capsys):
    from ketpk.cli import main

    data = tmp_path / "d.csv"
    data.write_text("ID,TIME,EVID,AMT,RATE,CMT,DV\n1,0,1,100,0,2,.\n1,3,0,0,0,2,200\n")
    card = ref.CARD_FILE
    out = tmp_path / "pred.csv"
    assert main(["dataset", str(data), "--model", str(card), "--cmt", "oral=1,iv=2", "--csv", str(out)]) == 0
    assert "2 records, 1 individual(s)" in capsys.readouterr().out
    _, header, values = read_csv(out)
    assert_allclose(values[1, header.index("PRED")], 100 / ref.V * math.exp(-K * 3) * 1000, rtol=1e-10)
    assert main(["dataset", str(data), "--model", str(card), "--cmt", "iv"]) == 1
    assert "--cmt must read NAME=VALUE" in capsys.readouterr().err



def test_errors_name_the_file_line(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("# a comment\nID,TIME,EVID,AMT,CMT\n1,0,1,5,2\n# another\n2,0,1,5,2\n2,1,0,x,2\n")
    with pytest.raises(RegimenError, match="row 6: column AMT must be a number"):
        ketpk.simulate_dataset(path, ref.model(), cmt=ref.CMT)


def test_a_regimen_gives_the_same_curves_through_both_front_doors():
    """A multi-route regimen of the racemic default (oral with first pass, intranasal, an IV
    infusion) written as a dataset with observation records: simulate_dataset equals simulate
    for every analyte (F = 1 on the infusion, so the two F rules coincide)."""
    model = ketpk.models.resolve("racemic")
    regimen = ketpk.Regimen([Bolus("0 h", "50 mg", "oral"), Infusion("2 h", amount="10 mg", duration="30 min"),
                             Bolus("5 h", "25 mg", "intranasal")])
    table = event_table(regimen, model=model)
    times = np.arange(0.25, 12, 0.25)
    rows = list(table.rows) + [{"ID": 1, "TIME": t, "EVID": 0, "AMT": 0, "CMT": 0} for t in times]
    rows.sort(key=lambda r: r["TIME"])
    res = ketpk.simulate_dataset(ketpk.eventtable.to_event_table(rows), model)
    direct = ketpk.simulate(model, regimen, Q_(times, "h"))
    obs = res["EVID"] == 0
    for analyte in direct.analytes:
        assert_allclose(res[analyte][obs], direct.concentration(analyte, unit="ng/mL").magnitude,
                        rtol=1e-9, atol=1e-12)
