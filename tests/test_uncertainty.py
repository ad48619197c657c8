"""Parameter uncertainty: replicate typical values drawn from the published RSEs (seeded)."""

import dataclasses

import numpy as np
import pytest

import ketpk
from ketpk import population, uncertainty
from ketpk.errors import ParameterError
from ketpk.model import ParameterUncertainty

ASHRAF = "esketamine.ashraf2018"


def test_replicate_draws_have_the_published_variances():
    model = ketpk.models.get(ASHRAF)
    reps = 4000
    pop = population.sample(model, 1, seed=7, variability=False, uncertainty=True, replicates=reps)
    values = pop.parameters()
    tolerance = 4 * np.sqrt(2 / (reps - 1))  # 4 standard errors of a sample variance
    for name, rse in model.uncertainty.rse.items():
        logs = np.log((values[name] / model.parameter(name).value).to("").magnitude)
        assert np.var(logs, ddof=1) == pytest.approx(np.log1p(rse ** 2), rel=tolerance), name
        assert abs(np.mean(logs)) < 4 * np.sqrt(np.log1p(rse ** 2) / reps), name
    # parameters without a published SE (fixed in the paper) do not vary
    assert np.ptp(values["CLP"].magnitude) == 0


def test_iiv_draws_have_the_published_omegas():
    model = ketpk.models.get(ASHRAF)
    n = 4000
    pop = population.sample(model, n, seed=3)
    tolerance = 4 * np.sqrt(2 / (n - 1))
    for block in model.variability:
        for i, name in enumerate(block.names):
            assert np.var(pop.etas[name], ddof=1) == pytest.approx(block.omega[i][i], rel=tolerance)


def test_each_replicate_shares_one_parameter_set():
    pop = population.sample(ASHRAF, 5, seed=1, variability=False, uncertainty=True, replicates=3)
    assert len(pop) == 15 and list(pop.replicate) == [0] * 5 + [1] * 5 + [2] * 5
    cl = pop.parameters()["CLINT_H_SK"].magnitude.reshape(3, 5)
    assert np.ptp(cl, axis=1).max() == 0 and np.ptp(cl[:, 0]) > 0
    again = population.sample(ASHRAF, 5, seed=1, variability=False, uncertainty=True, replicates=3)
    assert np.array_equal(again.parameters()["CLINT_H_SK"].magnitude, cl.ravel())


def test_percentile_intervals_widen_only_with_uncertainty():
    model = ketpk.models.get(ASHRAF)
    dose = ketpk.Bolus("0 min", "0.3 mg/kg", route="oral")
    times = ketpk.Q_([60, 240], "min")
    zero = dataclasses.replace(model, uncertainty=ParameterUncertainty({k: 0.0 for k in model.uncertainty.rse}, "test"))
    widths = []
    for m in (zero, model):
        pop = population.sample(m, 20, seed=2, weight="70 kg", variability=False, uncertainty=True,
                                replicates=30)
        bands = uncertainty.percentile_intervals(ketpk.simulate(m, dose, times, subjects=pop), pop)
        assert bands.shape == (3, 3, 2)
        assert np.all(np.diff(bands.magnitude, axis=1) >= 0)  # low <= median <= high
        widths.append((bands.magnitude[1, 2] - bands.magnitude[1, 0]) / bands.magnitude[1, 1])
    # identical subjects and no uncertainty: no spread; published RSEs: a 95 % interval of the
    # median wider than 10 % of it (CLint,H alone has RSE 14 %)
    assert np.all(widths[0] < 1e-9) and np.all(widths[1] > 0.1)


def test_uncertainty_is_refused_where_no_paper_gives_it():
    with pytest.raises(ParameterError, match="no published parameter uncertainty.*esketamine.ashraf2018, esketamine.simons2022"):
        population.sample("esketamine.otto2021", 10, uncertainty=True)
    with pytest.raises(ParameterError, match="has no replicates"):
        pop = population.sample(ASHRAF, 3, seed=1)
        uncertainty.percentile_intervals(ketpk.simulate(ASHRAF, ketpk.Bolus("0 min", "10 mg", route="oral"),
                                                        ketpk.Q_([60], "min"), subjects=pop), pop)


def test_summaries_report_the_percentile_intervals_of_results():
    """One computation (ketpk.uncertainty.intervals) for results and for streamed summaries."""
    dose = ketpk.Bolus("0 min", "0.3 mg/kg", route="oral")
    times = ketpk.Q_(np.arange(0, 600, 30.0), "min")
    pop = population.sample(ASHRAF, 40, seed=2, uncertainty=True, replicates=25)
    bands = uncertainty.percentile_intervals(ketpk.simulate(ASHRAF, dose, times, subjects=pop), pop,
                                             "norketamine", q=(10, 50), ci=(5, 95))
    summary = ketpk.summarize(ASHRAF, dose, times, subjects=pop, q=(10, 50), ci=(5, 95), block_times=7,
                              chunk_subjects=300)
    assert summary.ci == (5.0, 95.0) and summary.metadata["replicates"] == 25
    for i, level in enumerate((10, 50)):
        got = summary.percentile_interval("norketamine", level)
        assert got.shape == (2, times.size)
        np.testing.assert_allclose(got.magnitude, bands.magnitude[i], rtol=1e-12)
    plain = ketpk.summarize(ASHRAF, dose, times, subjects=population.sample(ASHRAF, 20, seed=1))
    assert plain.ci == () and "replicates" not in plain.metadata
    with pytest.raises(ParameterError, match="no parameter uncertainty"):
        plain.percentile_interval("ketamine", 50)
    with pytest.raises(ParameterError, match="`ci` must be in 0-100"):
        ketpk.summarize(ASHRAF, dose, times, subjects=pop, ci=(2.5, 150))


@pytest.mark.filterwarnings("ignore::ketpk.errors.UnphysicalValueWarning")
def test_simons_replicates_have_the_table_4_standard_errors():
    """Simons 2022 Table 4 SEE / estimate as the RSE of each theta (F1 26.3 % SEE 1.2; VK1 11.6 L
    SEE 0.9; MTT NK->HNK 1.12 min SEE 0.51), drawn log-normally per replicate."""
    model = ketpk.models.get("esketamine.simons2022")
    rse = model.uncertainty.rse
    assert rse["F1"] == pytest.approx(0.012 / 0.263) and rse["VK1"] == pytest.approx(0.9 / 11.6)
    assert "FM_NK" not in rse and "FM_HNK" not in rse  # fixed in the paper
    reps = 3000
    pop = population.sample(model, 1, seed=5, weight="70 kg", variability=False, uncertainty=True,
                            replicates=reps)
    values = pop.parameters()
    tolerance = 4 * np.sqrt(2 / (reps - 1))
    for name in ("F1", "KA2", "VK1", "CLK1", "MTT_NKHNK"):
        logs = np.log((values[name] / model.parameter(name).value).to("").magnitude)
        assert np.var(logs, ddof=1) == pytest.approx(np.log1p(rse[name] ** 2), rel=tolerance), name
    assert np.ptp(values["FM_NK"].magnitude) == 0
