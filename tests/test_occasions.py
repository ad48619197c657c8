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
