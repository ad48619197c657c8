"""Inter-occasion variability: occasions of regimens, kappas drawn per occasion (seeded)."""

import dataclasses

import numpy as np
import pytest

import ketpk
from ketpk import occasions, population
from ketpk.errors import ParameterError

#: Simons 2022's published F2 = 1.16 makes film input fractions above 1 (a labelled model caveat).
pytestmark = pytest.mark.filterwarnings("ignore::ketpk.errors.UnphysicalValueWarning")

SIMONS = "esketamine.simons2022"
FILM = "sublingual"


def _sessions(*hours):
    return ketpk.Regimen([ketpk.Bolus(f"{h} h", "50 mg", route=FILM) for h in hours])


def test_each_session_at_least_12_h_apart_is_an_occasion():
    reg = ketpk.Regimen([ketpk.Bolus("24 h", "5 mg"), ketpk.Bolus("0 min", "5 mg"),
                         ketpk.Bolus("30 min", "5 mg"), ketpk.Bolus("24.5 h", "5 mg"), ketpk.Bolus("72 h", "5 mg")])
    assert [d.start_minutes for d in reg] == [0, 30, 1440, 1470, 4320]  # a Regimen sorts its doses
    assert occasions.occasion_of(reg).tolist() == [0, 0, 1, 1, 2]
    assert [len(r.doses) for r in occasions.split(reg)] == [2, 2, 1]


def test_kappas_have_the_published_iov_per_occasion():
    model = ketpk.models.get(SIMONS)
    n, k = 4000, 3
    pop = population.sample(model, n, seed=11, occasions=k)
    tolerance = 4 * np.sqrt(2 / (n - 1))
    (block,) = model.occasion_variability
    for i, name in enumerate(block.names):
        kappas = np.stack([pop.etas[occasions.kappa_key(name, j)] for j in range(k)])
        for j in range(k):
            assert np.var(kappas[j], ddof=1) == pytest.approx(block.omega[i][i], rel=tolerance), (name, j)
        r = np.corrcoef(kappas)[0, 1]
        assert abs(r) < 4 / np.sqrt(n)  # occasions independent
    assert np.array_equal(pop.etas["occ:KA1"], pop.etas[occasions.kappa_key("KA1", 0)])


def test_equal_kappas_reproduce_the_single_occasion_simulation():
    """Superposition of per-occasion solutions is exact when the occasions share parameters."""
    pop = population.sample(SIMONS, 4, seed=5, occasions=2)
    same = dict(pop.etas)
    for name in ketpk.models.get(SIMONS).occasion_variability[0].names:
        same[occasions.kappa_key(name, 1)] = same[occasions.kappa_key(name, 0)]
    tied = dataclasses.replace(pop, etas=same)
    times = ketpk.Q_(np.arange(0, 48 * 60 + 1, 30.0), "min")
    split = ketpk.simulate(SIMONS, _sessions(0, 24), times, subjects=tied)
    single = dataclasses.replace(pop, etas=occasions.for_occasion(pop.etas, 0))  # no occasion split
    one = ketpk.simulate(SIMONS, _sessions(0, 24), times, subjects=single)
    assert occasions.ASSUMPTION in split.assumptions and occasions.ASSUMPTION not in one.assumptions
    np.testing.assert_allclose(split.concentration("ketamine").magnitude,
                               one.concentration("ketamine").magnitude, rtol=1e-9, atol=1e-12)


def test_sessions_differ_within_a_subject_with_iov():
    pop = population.sample(SIMONS, 200, seed=2, occasions=2)
    times = ketpk.Q_(np.arange(0, 48 * 60 + 1, 10.0), "min")
    c = ketpk.simulate(SIMONS, _sessions(0, 24), times, subjects=pop).concentration("ketamine").magnitude
    day1, day2 = c[:, times.magnitude < 24 * 60].max(axis=1), c[:, times.magnitude >= 24 * 60].max(axis=1)
    ratio = np.log(day2 / day1)
    assert np.std(ratio) > 0.1  # same subject, two sessions: Cmax varies with the kappas
    pop1 = population.sample(SIMONS, 200, seed=2, variability=False, occasions=2)
    c1 = ketpk.simulate(SIMONS, _sessions(0, 24), times, subjects=pop1).concentration("ketamine").magnitude
    d1, d2 = c1[:, times.magnitude < 24 * 60].max(axis=1), c1[:, times.magnitude >= 24 * 60].max(axis=1)
    assert np.all(d2 >= d1 * 0.999)  # without IOV day 2 only adds the carry-over of day 1


def test_too_few_occasions_drawn_is_refused():
    pop = population.sample(SIMONS, 3, seed=1, occasions=1)
    pop2 = population.sample(SIMONS, 3, seed=1, occasions=2)
    with pytest.raises(ParameterError, match="has 3 occasions .* drew kappas for 2"):
        ketpk.simulate(SIMONS, _sessions(0, 24, 48), ketpk.Q_([60], "min"), subjects=pop2)
    # one drawn occasion: the single-occasion path (occasion 0's kappas for every dose)
    result = ketpk.simulate(SIMONS, _sessions(0, 24), ketpk.Q_([60], "min"), subjects=pop)
    assert occasions.ASSUMPTION not in result.assumptions


def test_event_tables_number_the_occasions_for_models_with_iov():
    from ketpk.eventtable import event_table

    daily = ketpk.Bolus("0 h", "50 mg", route=FILM).repeat(every="24 h", count=3)
    table = event_table(daily, model=ketpk.models.get(SIMONS))
    assert table.columns[-1] == "OCC"
    assert [(r["TIME"], r["ADDL"], r["OCC"]) for r in table] == [(0, 0, 1), (24, 0, 2), (48, 0, 3)]
    plain = event_table(daily, model=ketpk.models.get("esketamine.multiroute"))
    assert "OCC" not in plain.columns and [r["ADDL"] for r in plain] == [2]


# -- datasets: OCC column or derived occasions, random effects as NONMEM's $SIMULATION -----------

def _film_cmt():
    return ketpk.eventtable.cmt_map(ketpk.models.get(SIMONS))[FILM]


def test_dataset_occasions_follow_the_12_h_rule_with_addl_and_resets():
    h = 60.0
    time = np.array([0, 1, 11, 20, 30, 40, 41, 0, 1]) * h
    evid = np.array([1, 0, 1, 0, 1, 0, 1, 4, 0])
    ii = np.array([0, 0, 8, 0, 0, 0, 0, 0, 0]) * h
    addl = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0])
    # 11 h: same session; its ADDL copy at 19 h makes 30 h only 11 h later (same occasion);
    # 41 h is 11 h after 30 h; the reset at TIME 0 restarts the clock: a new occasion.
    assert occasions.of_records(time, evid, ii, addl).tolist() == [1, 1, 1, 1, 1, 1, 1, 2, 2]
    time[6] = 42 * h
    assert occasions.of_records(time, evid, ii, addl).tolist() == [1, 1, 1, 1, 1, 1, 2, 3, 3]


def test_dataset_ipred_with_drawn_effects_equals_simulate_with_the_same_effects():
    """Seeded IIV per ID and IOV per ID x occasion; with washed-out sessions the dataset (NONMEM
    switching) and simulate (superposed occasions) agree to rounding."""
    cmt, obs = _film_cmt(), [1, 2, 4, 8, 12, 97, 98, 100, 104]
    rows = []
    for i in (1, 2, 3):
        rows.append(dict(ID=i, TIME=0, EVID=1, AMT=50, RATE=-2, CMT=cmt))
        rows += [dict(ID=i, TIME=t, EVID=0) for t in obs[:5]]
        rows.append(dict(ID=i, TIME=96, EVID=1, AMT=50, RATE=-2, CMT=cmt))
        rows += [dict(ID=i, TIME=t, EVID=0) for t in obs[5:]]
    out = ketpk.simulate_dataset(rows, SIMONS, variability=True, seed=3)
    assert out.metadata["seed"] == 3
    assert out["OCC"].tolist() == ([1] * 6 + [2] * 5) * 3
    again = ketpk.simulate_dataset(rows, SIMONS, variability=True, seed=3)
    np.testing.assert_array_equal(out["IPRED"], again["IPRED"])
    plain = ketpk.simulate_dataset(rows, SIMONS)
    np.testing.assert_array_equal(out["PRED"], plain["PRED"])
    assert "IPRED" not in plain.columns and "OCC" not in plain.columns
    ids, first = out["ID"], [0, 11, 22]
    model = ketpk.models.get(SIMONS)
    etas = {c[4:]: out[c][first] for c in out.columns if c.startswith("ETA_")}
    assert set(etas) == {n for b in model.variability for n in b.names}
    for name in model.occasion_variability[0].names:
        kappa = out["KAPPA_" + name]
        assert np.all(kappa[ids == 1][:6] == kappa[0]) and kappa[6] != kappa[0]
        for j in (0, 1):
            etas[occasions.kappa_key(name, j)] = kappa[np.array(first) + 6 * j]
    pop = population.sample(SIMONS, 3, seed=0, weight="70 kg", variability=False)
    pop = dataclasses.replace(pop, etas=etas)
    regimen = _sessions(0, 96)
    expected = ketpk.simulate(SIMONS, regimen, ketpk.Q_(obs, "h"), subjects=pop).concentration("ketamine")
    got = out["IPRED"][out["EVID"] == 0].reshape(3, -1)
    np.testing.assert_allclose(got, expected.magnitude, rtol=1e-9)
    assert np.all(np.abs(got / out["PRED"][out["EVID"] == 0].reshape(3, -1) - 1) > 1e-3)


def test_dataset_draws_have_the_published_iiv_per_id_and_iov_per_occasion():
    model = ketpk.models.get(SIMONS)
    n, k = 250, 8  # 250 etas per parameter, 2000 kappas
    rows = [dict(ID=i, TIME=j, EVID=2, OCC=j + 1) for i in range(1, n + 1) for j in range(k)]
    out = ketpk.simulate_dataset(rows, SIMONS, variability=True, seed=8)
    per_id = np.arange(0, n * k, k)
    for block in model.variability:
        for i, name in enumerate(block.names):
            eta = out["ETA_" + name]
            assert np.all(eta.reshape(n, k) == eta[per_id, None])  # one eta per ID
            assert np.var(eta[per_id], ddof=1) == pytest.approx(block.omega[i][i], rel=4 * np.sqrt(2 / (n - 1)))
    (block,) = model.occasion_variability
    for i, name in enumerate(block.names):
        kappa = out["KAPPA_" + name].reshape(n, k)
        assert np.var(kappa, ddof=1) == pytest.approx(block.omega[i][i], rel=4 * np.sqrt(2 / (n * k - 1)))
        assert abs(np.corrcoef(kappa[:, 0], kappa[:, 1])[0, 1]) < 4 / np.sqrt(n)  # occasions independent


def test_dataset_occ_column_is_used_and_checked():
    cmt = _film_cmt()
    rows = [dict(ID=1, TIME=0, EVID=1, AMT=50, RATE=-2, CMT=cmt, OCC=1),
            dict(ID=1, TIME=2, EVID=1, AMT=50, RATE=-2, CMT=cmt, OCC=2),  # 2 h apart, but OCC says 2
            dict(ID=1, TIME=3, EVID=0, OCC=2)]
    out = ketpk.simulate_dataset(rows, SIMONS, variability=True, seed=1)
    assert out["OCC"].tolist() == [1, 2, 2] and out["KAPPA_KA1"][0] != out["KAPPA_KA1"][1]
    assert ketpk.simulate_dataset(rows, SIMONS)["OCC"].tolist() == [1, 2, 2]  # carried to the output
    for value, message in ((1.5, "whole number"), (-1, "whole number"), (0, "goes back"), (".", "missing")):
        bad = [dict(r) for r in rows]
        bad[2]["OCC"] = value
        with pytest.raises(ketpk.errors.RegimenError, match=f"row 4: OCC .*{message}"):
            ketpk.simulate_dataset(bad, SIMONS, variability=True, seed=1)
    with pytest.raises(ParameterError, match="use one of the two"):
        ketpk.simulate_dataset(rows, SIMONS, variability=True, individual={"KA1": "OCC"})


# -- summaries: each occasion's kappas for its doses -------------------------------------------

def test_summaries_of_populations_with_occasions_equal_the_simulation():
    pop = population.sample(SIMONS, 60, seed=4, occasions=2)
    times = ketpk.Q_(np.arange(0, 48 * 60 + 1, 60.0), "min")
    full = ketpk.simulate(SIMONS, _sessions(0, 24), times, subjects=pop).concentration("ketamine").magnitude
    summary = ketpk.summarize(SIMONS, _sessions(0, 24), times, subjects=pop, chunk_subjects=25, block_times=7)
    np.testing.assert_allclose(summary.percentile("ketamine", 95).magnitude, np.percentile(full, 95, axis=0),
                               rtol=1e-12)
    assert summary.metadata["occasions"] == occasions.ASSUMPTION
    one = population.sample(SIMONS, 60, seed=4, occasions=1)
    assert "occasions" not in ketpk.summarize(SIMONS, _sessions(0, 24), times, subjects=one).metadata
    with pytest.raises(ParameterError, match="has 3 occasions .* drew kappas for 2"):
        ketpk.summarize(SIMONS, _sessions(0, 24, 48), times, subjects=pop)


def test_summaries_reproduce_the_published_iov_of_the_film_bioavailability():
    """Systemic S-ketamine from the film comes only from the mucosal path: AUC = F1 dose / CLK1,
    so within a subject log(AUC day 2 / AUC day 1) = kappa_F1(2) - kappa_F1(1), variance 2 nu^2.
    The other IOV terms are dropped from this copy of the model so that the ratio is exact on a
    coarse grid (their shape changes would only add grid error); nu^2(F1) as published."""
    model = ketpk.models.get(SIMONS)
    (block,) = model.occasion_variability
    nu2 = block.omega[block.names.index("F1")][block.names.index("F1")]
    f1_only = dataclasses.replace(model, occasion_variability=(
        dataclasses.replace(block, names=("F1",), omega=((nu2,),), transforms=("log",)),))
    n = 600
    pop = population.sample(f1_only, n, seed=4, occasions=2)
    grid = np.array([0, 10, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880, 4300.0])
    regimen = _sessions(0, 72)
    auc = [ketpk.summarize(f1_only, regimen, ketpk.Q_(grid + start, "min"), subjects=pop,
                           analytes=["ketamine"]).auc("ketamine").magnitude for start in (0, 72 * 60)]
    ratio = np.log(auc[1] / auc[0])
    kappa = pop.etas[occasions.kappa_key("F1", 1)] - pop.etas[occasions.kappa_key("F1", 0)]
    np.testing.assert_allclose(ratio, kappa, atol=1e-4)  # day 1's tail in day 2's window
    assert np.var(ratio, ddof=1) == pytest.approx(2 * nu2, rel=4 * np.sqrt(2 / (n - 1)))


def test_dataset_cli_draws_random_effects_with_a_seed(tmp_path, capsys):
    from ketpk.cli import main

    data = tmp_path / "film.csv"
    cmt = _film_cmt()
    data.write_text(f"ID,TIME,EVID,AMT,RATE,CMT\n1,0,1,50,-2,{cmt}\n1,1,0,.,.,.\n1,24,1,50,-2,{cmt}\n1,25,0,.,.,.\n")
    out = tmp_path / "sim.csv"
    assert main(["dataset", str(data), "--model", SIMONS, "--seed", "4", "--csv", str(out)]) == 0
    assert "IPRED" in capsys.readouterr().out
    header = next(line for line in out.read_text().splitlines() if not line.startswith("#")).split(",")
    assert {"IPRED", "OCC", "KAPPA_KA1", "ETA_CLK1"} <= set(header)
    expected = ketpk.simulate_dataset(data, SIMONS, variability=True, seed=4)
    assert expected["OCC"].tolist() == [1, 1, 2, 2]
