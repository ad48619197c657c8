"""Residual error: one definition per analyte for every model, used by simulation and fitting."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import ketpk
from ketpk.population import add_residual_error, sample
from ketpk.residual import ResidualError

PUBLISHED = {  # model -> {analyte: kind}, as the papers estimated them
    "esketamine.otto2021": {"ketamine": "proportional", "norketamine": "proportional"},
    "esketamine.multiroute": {"ketamine": "proportional", "norketamine": "proportional"},
    "esketamine.flint2017": {"ketamine": "proportional", "norketamine": "proportional"},
    "esketamine.ashraf2018": {"ketamine": "proportional", "norketamine": "proportional"},
    "esketamine.perezruixo2021": {"ketamine": "exponential", "norketamine": "exponential"},
    "esketamine.simons2022": {"ketamine": "proportional", "norketamine": "combined",
                              "hydroxynorketamine": "combined"},
}


def _analytes(model):
    return tuple(model.system(model.individual({}, {}, 1)).observe)


@pytest.mark.parametrize("summary", ketpk.models.available(), ids=lambda s: s.id)
def test_every_model_has_a_residual_error_for_each_analyte(summary):
    model = ketpk.models.resolve(summary.id)
    for analyte in _analytes(model):
        error = model.error(analyte)
        assert error.kind in ("additive", "proportional", "combined", "exponential")
        if summary.id in PUBLISHED:
            assert error.kind == PUBLISHED[summary.id][analyte]
            assert error.source and error.assumption is None
        else:
            assert error.assumption  # not published: labelled
        assert analyte in model.describe().split("residual ", 1)[1]


def test_missing_analyte_names_the_fix():
    with pytest.raises(ketpk.ParameterError, match="residual_error"):
        ketpk.models.resolve("esketamine.otto2021").error("hydroxynorketamine")
    with pytest.raises(ketpk.ParameterError):
        ResidualError("ketamine")
    with pytest.raises(ketpk.ParameterError):
        ResidualError("ketamine", proportional=0.1, exponential=0.1)


@pytest.mark.parametrize("error", [
    ResidualError("ketamine", proportional=0.475),
    ResidualError("ketamine", proportional=0.1, additive=0.05),
    ResidualError("ketamine", additive=0.05),
])
def test_linear_scale_draws_are_the_published_normal_truncated_at_zero(error):
    rng = np.random.default_rng(3)
    f = np.full(200_000, 0.1)
    y = error.draw(f, rng)
    assert y.min() >= 0
    sd = float(error.sd(f[:1])[0])
    expected = stats.truncnorm(-0.1 / sd, np.inf, loc=0.1, scale=sd)
    assert abs(y.mean() - expected.mean()) < 4 * expected.std() / np.sqrt(y.size)
    assert abs(y.std() / expected.std() - 1) < 0.01
    assert np.array_equal(error.draw(np.zeros(3), rng) >= 0, [True] * 3)


def test_exponential_draws_are_log_normal():
    error = ResidualError("ketamine", exponential=0.276)
    y = error.draw(np.full(100_000, 2.0), np.random.default_rng(1))
    assert abs(np.log(y / 2.0).std() - 0.276) < 0.003
    assert abs(np.log(y / 2.0).mean()) < 0.003


def test_simulated_measurements_are_never_negative():
    model = ketpk.models.resolve("esketamine.flint2017")  # proportional SD 0.42 and 0.48
    pop = sample(model, 300, seed=4, weight="20 kg")
    times = ketpk.Q_(np.linspace(10, 1440, 40), "min")
    regimen = ketpk.Infusion(start="0 h", rate="0.5 mg/kg/h", duration="2 h")
    observed = add_residual_error(ketpk.simulate(model, regimen, times, subjects=pop), seed=5)
    for analyte in ("ketamine", "norketamine"):
        assert observed.concentrations_umol_per_l[analyte].min() >= 0


@pytest.mark.parametrize("error", [
    ResidualError("ketamine", proportional=0.2),
    ResidualError("ketamine", additive=0.03),
    ResidualError("ketamine", proportional=0.15, additive=0.02),
    ResidualError("ketamine", exponential=0.3),
])
def test_objective_is_minus_two_log_likelihood_with_its_derivative(error):
    y = np.array([0.12, 0.4, 0.05, 0.08])
    f = np.array([0.10, 0.5, 0.09, 0.02])
    blq = np.array([False, False, True, True])  # y holds the LLOQ on BLQ rows
    value, slope, curvature = error.objective(y, f, blq)
    assert np.all(curvature > 0)
    sd = error.sd(f)
    if error.kind == "exponential":
        dens = stats.norm.logpdf(np.log(y), np.log(f), sd)
        below = stats.norm.logcdf(np.log(y), np.log(f), sd)
    else:
        dens = stats.norm.logpdf(y, f, sd)
        below = stats.norm.logcdf(y, f, sd)
    np.testing.assert_allclose(value, np.where(blq, -2 * below, -2 * dens), rtol=1e-12)
    h = 1e-7
    numeric = (error.objective(y, f + h, blq)[0] - error.objective(y, f - h, blq)[0]) / (2 * h)
    np.testing.assert_allclose(slope, numeric, rtol=1e-5)
