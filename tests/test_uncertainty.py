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
    with pytest.raises(ParameterError, match="no published parameter uncertainty.*esketamine.ashraf2018"):
        population.sample("esketamine.otto2021", 10, uncertainty=True)
    with pytest.raises(ParameterError, match="has no replicates"):
        pop = population.sample(ASHRAF, 3, seed=1)
        uncertainty.percentile_intervals(ketpk.simulate(ASHRAF, ketpk.Bolus("0 min", "10 mg", route="oral"),
                                                        ketpk.Q_([60], "min"), subjects=pop), pop)
