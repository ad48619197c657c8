"""The summary's shared block buffers: chunks written in place, several schedule groups per
chunk (individual lag times) scattered into them, a short last block, and one Running per
analyte over all subjects; every statistic equals the full array's."""

import dataclasses

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

import ketpk
from ketpk import Bolus, Q_, metrics
from ketpk.model import OmegaBlock
from ketpk.population import sample

from .conftest import one_compartment


def test_summary_of_lagged_groups_in_chunks_equals_the_full_array():
    model = dataclasses.replace(one_compartment(lag="15 min"), variability=(
        OmegaBlock(("TLAG", "KA"), ((0.2, 0.0), (0.0, 0.1)), source="test"),))
    pop = sample(model, 45, seed=4)
    regimen = Bolus(time="7 min", amount="25 mg", route="oral")
    times = Q_(np.arange(0, 601, 3.0), "min")  # 201 times: the last block of 9 holds 3
    full = ketpk.simulate(model, regimen, times, subjects=pop, record="plasma")
    summary = ketpk.summarize(model, regimen, times, subjects=pop, q=(0, 5, 50, 95, 100),
                              chunk_subjects=16, block_times=9)
    t = full.times_min
    values = full.concentrations_umol_per_l["ketamine"]
    assert_allclose(summary.percentiles_umol_per_l["ketamine"],
                    np.percentile(values, (0, 5, 50, 95, 100), axis=0), rtol=1e-12, atol=0)
    assert_allclose(summary.mean_umol_per_l["ketamine"], values.mean(axis=0), rtol=1e-12, atol=0)
    assert_allclose(summary.cmax_umol_per_l["ketamine"], metrics.cmax(values), rtol=1e-12, atol=0)
    assert_array_equal(summary.tmax_min["ketamine"], metrics.tmax(t, values))
    assert_allclose(summary.auc_umol_min_per_l["ketamine"], metrics.auc(t, values), rtol=1e-12, atol=0)
