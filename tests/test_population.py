"""Virtual populations, the batched exact core, chunked summaries and the Dask path."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.linalg import expm as scipy_expm

import ketpk
from ketpk import Bolus, Infusion, Q_, Subject
from ketpk.model import OmegaBlock, Params, SystemBuilder
from ketpk.population import LogNormal, add_residual_error, sample
from ketpk.solvers.expm import expm

from .conftest import one_compartment

OTTO = ketpk.models.get("esketamine.otto2021")
REGIMEN = Infusion(start="0 min", rate="0.35 mg/kg/h", duration="4 h").repeat(every="24 h", count=2)
TIMES = Q_(np.arange(0, 2 * 1440 + 1, 10.0), "min")


def test_iiv_draws_have_published_geometric_means_log_sds_and_correlation():
    n = 20_000
    pop = sample(OTTO, n, seed=11, weight="70 kg")
    p = pop.parameters()
    for block in OTTO.variability:
        omega = np.asarray(block.omega)
        logs = {name: np.log(p[name].to(OTTO.parameter(name).value.units).magnitude
                             / OTTO.parameter(name).value.magnitude) for name in block.names}
        for i, name in enumerate(block.names):
            sd = math.sqrt(omega[i, i])
            assert abs(logs[name].mean()) < 4 * sd / math.sqrt(n)  # geometric mean = typical value
            assert abs(logs[name].std() - sd) < 4 * sd / math.sqrt(2 * n)
        r = omega[0, 1] / math.sqrt(omega[0, 0] * omega[1, 1])
        observed = np.corrcoef(logs[block.names[0]], logs[block.names[1]])[0, 1]
        assert abs(observed - r) < 4 * (1 - r * r) / math.sqrt(n)


def test_logit_normal_bioavailability():
    model = dataclasses.replace(one_compartment(f="0.2"), variability=(
        OmegaBlock(("F",), ((0.25,),), transforms=("logit",), source="test"),))
    f = sample(model, 20_000, seed=2).parameters()["F"].magnitude
    assert np.all((f > 0) & (f < 1))
    eta = np.log(f / (1 - f)) - np.log(0.2 / 0.8)
    assert abs(eta.mean()) < 4 * 0.5 / math.sqrt(20_000)
    assert abs(eta.std() - 0.5) < 4 * 0.5 / math.sqrt(40_000)


def test_default_weight_is_log_normal_around_the_reference_within_the_validated_range():
    w = sample(OTTO, 20_000, seed=4).covariates["weight"]
    low, high = OTTO.covariate_range["weight"]
    assert w.min() >= low and w.max() <= high
    assert abs(np.exp(np.log(w).mean()) / 70.0 - 1) < 0.01
    assert 0.12 < np.log(w).std() < 0.15  # 0.15 before truncation to 50-95 kg
    custom = sample(OTTO, 5000, seed=4, weight=LogNormal("80 kg", 0.1, "60 kg", "100 kg"))
    assert abs(np.exp(np.log(custom.covariates["weight"]).mean()) / 80 - 1) < 0.01


def test_same_seed_is_bit_identical_and_seeds_are_recorded():
    a, b = sample(OTTO, 50, seed=7), sample(OTTO, 50, seed=7)
    for name in a.etas:
        assert np.array_equal(a.etas[name], b.etas[name])
    ra = ketpk.simulate(OTTO, REGIMEN, TIMES, subjects=a, record="plasma")
    rb = ketpk.simulate(OTTO, REGIMEN, TIMES, subjects=b, record="plasma")
    assert np.array_equal(ra.concentrations_umol_per_l["ketamine"], rb.concentrations_umol_per_l["ketamine"])
    assert ra.metadata["seed"] == 7
    assert not np.array_equal(sample(OTTO, 50, seed=8).etas["CL"], a.etas["CL"])
    fresh = sample(OTTO, 50)
    assert np.array_equal(sample(OTTO, 50, seed=fresh.seed).etas["CL"], fresh.etas["CL"])
    g1, g2 = np.random.default_rng(3), np.random.default_rng(3)
    assert np.array_equal(sample(OTTO, 5, seed=g1).etas["V1"], sample(OTTO, 5, seed=g2).etas["V1"])


def test_population_equals_loop_of_single_subject_simulations():
    pop = sample(OTTO, 6, seed=5)
    batch = ketpk.simulate(OTTO, REGIMEN, TIMES, subjects=pop)
    for i in range(len(pop)):
        one = ketpk.simulate(OTTO, REGIMEN, TIMES, subjects=pop[i])
        for analyte in ("ketamine", "norketamine"):
            np.testing.assert_allclose(one.concentrations_umol_per_l[analyte][0],
                                       batch.concentrations_umol_per_l[analyte][i], rtol=1e-12, atol=0)
    typical = sample(OTTO, 3, seed=1, weight="70 kg", variability=False)
    single = ketpk.simulate(OTTO, REGIMEN, TIMES, subjects=Subject(weight="70 kg"))
    np.testing.assert_allclose(ketpk.simulate(OTTO, REGIMEN, TIMES, subjects=typical).concentration("ketamine")
                               .magnitude, np.tile(single.concentration("ketamine").magnitude, (3, 1)), rtol=1e-13)


def test_parameters_are_quantities_in_table_units_and_covariate_tables():
    table = {"weight": Q_([60.0, 80.0], "kg"), "sex": ["female", "male"]}
    pop = sample(OTTO, covariates=table, seed=1, variability=False)
    v1 = pop.parameters()["V1"]
    np.testing.assert_allclose(v1.to("L").magnitude, [133 * 60 / 70, 133 * 80 / 70])
    assert str(v1.units) == str(OTTO.parameter("V1").value.units)
    resampled = sample(OTTO, 100, covariates=table, seed=1)
    assert set(np.unique(resampled.covariates["weight"])) <= {60.0, 80.0}
    listed = sample(OTTO, covariates=[Subject(weight="55 kg"), Subject(weight="65 kg")], seed=1)
    np.testing.assert_allclose(listed.weight.magnitude, [55.0, 65.0])
    with pytest.raises(ketpk.ParameterError):
        sample(OTTO, 0)
    with pytest.raises(ketpk.ParameterError):
        sample(OTTO, 3, seed="x")


def test_residual_error_has_the_published_proportional_sd():
    pop = sample(OTTO, 400, seed=1)
    result = ketpk.simulate(OTTO, REGIMEN, TIMES, subjects=pop, record="plasma")
    observed = add_residual_error(result, seed=2)
    pred = result.concentrations_umol_per_l["ketamine"][:, 1:]
    ratio = observed.concentrations_umol_per_l["ketamine"][:, 1:] / pred - 1
    assert abs(ratio.std() - 0.2361) < 0.005  # Otto 2021 Table 3
    assert observed.metadata["residual_error"]["analytes"] == ["ketamine", "norketamine"]
    again = add_residual_error(result, seed=2)
    assert np.array_equal(again.concentrations_umol_per_l["ketamine"],
                          observed.concentrations_umol_per_l["ketamine"])


def test_chunked_summary_equals_the_full_array():
    pop = sample(OTTO, 300, seed=9)
    full = ketpk.simulate(OTTO, REGIMEN, TIMES, subjects=pop, record="plasma")
    summary = ketpk.summarize(OTTO, REGIMEN, TIMES, subjects=pop, q=(5, 25, 50, 95),
                              chunk_subjects=64, block_times=37, auc_rule="linear")
    for analyte in ("ketamine", "norketamine"):
        values = full.concentrations_umol_per_l[analyte]
        expected = np.percentile(values, [5, 25, 50, 95], axis=0)
        np.testing.assert_allclose(summary.percentiles_umol_per_l[analyte], expected, rtol=1e-12, atol=0)
        np.testing.assert_allclose(full.percentiles(analyte, (5, 25, 50, 95), "umol/L").magnitude,
                                   expected, rtol=0, atol=0)
        np.testing.assert_allclose(summary.mean_umol_per_l[analyte], values.mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(summary.cmax_umol_per_l[analyte], values.max(axis=1), rtol=1e-12)
        np.testing.assert_array_equal(summary.tmax_min[analyte], full.times_min[values.argmax(axis=1)])
        np.testing.assert_allclose(summary.auc_umol_min_per_l[analyte],
                                   np.trapezoid(values, full.times_min, axis=1), rtol=1e-12)
    assert summary.percentile("ketamine", 95).units == Q_(1, "ng/mL").units
    assert summary.auc("ketamine", "ng*h/mL").shape == (300,)
    one_thread = ketpk.summarize(OTTO, REGIMEN, TIMES, subjects=pop, q=(5, 25, 50, 95),
                                 chunk_subjects=64, block_times=37, workers=1, auc_rule="linear")
    for field in ("percentiles_umol_per_l", "mean_umol_per_l", "cmax_umol_per_l", "auc_umol_min_per_l"):
        for analyte in ("ketamine", "norketamine"):
            np.testing.assert_array_equal(getattr(one_thread, field)[analyte], getattr(summary, field)[analyte])


def test_summary_with_lagged_groups_and_the_ode_solver():
    model = dataclasses.replace(one_compartment(lag="15 min"), variability=(
        OmegaBlock(("TLAG", "KA"), ((0.2, 0.0), (0.0, 0.1)), source="test"),))
    pop = sample(model, 40, seed=3)
    regimen = Bolus(time="7 min", amount="25 mg", route="oral")
    times = Q_(np.arange(0, 600, 3.0), "min")
    full = ketpk.simulate(model, regimen, times, subjects=pop, record="plasma", solver="ode")
    summary = ketpk.summarize(model, regimen, times, subjects=pop, solver="ode", chunk_subjects=16,
                              block_times=25)
    np.testing.assert_allclose(summary.percentiles_umol_per_l["ketamine"],
                               np.percentile(full.concentrations_umol_per_l["ketamine"], [5, 50, 95], axis=0),
                               rtol=1e-12, atol=0)
    exact = ketpk.summarize(model, regimen, times, subjects=pop, chunk_subjects=16, block_times=25)
    np.testing.assert_allclose(exact.percentiles_umol_per_l["ketamine"],
                               summary.percentiles_umol_per_l["ketamine"], rtol=1e-6, atol=1e-12)


def test_dask_path_equals_in_process_path():
    from dask.distributed import Client, LocalCluster

    pop = sample(OTTO, 120, seed=3)
    options = dict(subjects=pop, chunk_subjects=50, block_times=40, q=(10, 50, 90))
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        remote = ketpk.summarize(OTTO, REGIMEN, TIMES, client=client, **options)
    local = ketpk.summarize(OTTO, REGIMEN, TIMES, **options)
    for field in ("percentiles_umol_per_l", "mean_umol_per_l", "cmax_umol_per_l", "tmax_min",
                  "auc_umol_min_per_l"):
        for analyte in local.analytes:
            assert np.array_equal(getattr(remote, field)[analyte], getattr(local, field)[analyte])


def test_batched_expm_matches_scipy_including_defective_matrices():
    rng = np.random.default_rng(0)
    M = rng.normal(size=(50, 6, 6)) * rng.uniform(0.01, 20, size=(50, 1, 1))
    expected = np.stack([scipy_expm(m) for m in M])
    scale = np.abs(expected).max(axis=(1, 2), keepdims=True)
    assert np.max(np.abs(expm(M) - expected) / scale) < 1e-11
    jordan = -0.1 * np.eye(5) + np.diag([0.1] * 4, -1)
    np.testing.assert_allclose(expm(jordan[None] * 60)[0], scipy_expm(jordan * 60), rtol=1e-12, atol=1e-16)


def _transit_model(k: str = "0.05 1/min", n_transit: int = 4):
    base = one_compartment()

    def structure(p: Params) -> SystemBuilder:
        s = SystemBuilder(p.n)
        for i in range(n_transit):
            s.compartment(f"ketamine.transit{i}", "ketamine")
        s.compartment("ketamine.central", "ketamine", volume=p.V, analytes=("ketamine",))
        for i in range(n_transit):
            s.transfer(f"ketamine.transit{i}", p.KA,
                       f"ketamine.transit{i + 1}" if i + 1 < n_transit else "ketamine.central")
        s.transfer("ketamine.central", p.KA)  # elimination at the same rate: repeated eigenvalue
        return s

    route = ketpk.Route("oral", lambda p, amount: [ketpk.model.Input("ketamine.transit0")], "transit")
    return dataclasses.replace(base, structure=structure, routes={"iv": base.routes["iv"], "oral": route},
                               parameters=tuple(dataclasses.replace(p, value=Q_(k) if p.name == "KA" else p.value)
                                                for p in base.parameters))


def test_transit_chain_with_off_grid_dose_is_exact_for_a_population():
    model = dataclasses.replace(_transit_model(), variability=(OmegaBlock(("V",), ((0.1,),), source="test"),))
    pop = sample(model, 20, seed=1)
    dose_time = 3.7  # off the 2-min output grid
    times = np.arange(0, 400, 2.0)
    result = ketpk.simulate(model, Bolus(time=f"{dose_time} min", amount="20 mg", route="oral"),
                            Q_(times, "min"), subjects=pop, record="plasma")
    k = 0.05
    d = 20.0 * 1000 / ketpk.species.molar_mass("ketamine")
    t = np.clip(times - dose_time, 0, None)
    amount = d * (k * t) ** 4 / math.factorial(4) * np.exp(-k * t)  # Erlang: 5 equal rates
    volume = pop.parameters()["V"].to("L").magnitude
    np.testing.assert_allclose(result.concentrations_umol_per_l["ketamine"], amount / volume[:, None],
                               rtol=1e-10, atol=1e-15)
