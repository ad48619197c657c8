"""metrics.percentiles (one partition per level) equals np.percentile, and the streamed
metrics do not depend on the layout of a block (times along either axis)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from ketpk import metrics
from ketpk.errors import ParameterError

LEVELS = (0, 2.5, 5, 12.5, 33.3, 50, 66.7, 95, 99.9, 100)


@pytest.mark.parametrize("shape", [(1, 3), (2, 4), (3, 1), (5, 6), (101, 7), (1000, 3)])
@pytest.mark.parametrize("kind", ["normal", "ties"])
def test_percentiles_equal_numpy_along_either_axis(shape, kind):
    rng = np.random.default_rng(sum(shape))
    values = rng.normal(size=shape) if kind == "normal" else rng.integers(0, 3, size=shape).astype(float)
    for axis in (0, 1):
        got = metrics.percentiles(values, LEVELS, axis=axis)
        assert_array_equal(got, np.percentile(values, LEVELS, axis=axis))


def test_percentiles_equal_numpy_for_random_levels_sizes_ties_nan_and_inf():
    """Runs of adjacent order statistics (small n, many levels), repeated levels, 0 and 100."""
    rng = np.random.default_rng(12)
    for trial in range(400):
        n, m = int(rng.integers(1, 40)), int(rng.integers(1, 4))
        grid = np.linspace(0, 100, max(n, 2))
        q = np.sort(rng.choice(np.r_[rng.uniform(0, 100, 4), grid, 0, 100], size=int(rng.integers(1, 8))))
        values = rng.integers(0, 4, size=(n, m)).astype(float) if trial % 2 else rng.normal(size=(n, m))
        if trial % 5 == 0:
            values[rng.integers(n), rng.integers(m)] = np.nan if trial % 10 else np.inf
        with np.errstate(invalid="ignore"):
            for axis in (0, 1):
                assert_array_equal(metrics.percentiles(values, q, axis=axis),
                                   np.percentile(values, q, axis=axis))


def test_percentiles_propagate_nan_and_do_not_touch_the_input():
    values = np.random.default_rng(3).normal(size=(40, 5))
    values[7, 2] = np.nan
    kept = values.copy()
    got = metrics.percentiles(values, (5, 50, 95))
    assert_array_equal(got, np.percentile(values, (5, 50, 95), axis=0))
    assert np.isnan(got[:, 2]).all() and not np.isnan(np.delete(got, 2, axis=1)).any()
    assert_array_equal(values, kept)


def test_percentiles_of_nothing_are_refused():
    with pytest.raises(ParameterError, match="at least one value"):
        metrics.percentiles(np.empty((0, 3)), (50,))


@pytest.mark.parametrize("rule", metrics.RULES)
def test_running_metrics_are_the_same_with_times_along_either_axis(rule):
    t = np.arange(0.0, 60.0, 2.5)
    c = np.exp(np.random.default_rng(5).normal(size=(9, t.size))).cumsum(axis=1)
    c[:, 12:] = c[:, 12:][:, ::-1]  # rises, then falls (log-down segments)
    rows, columns = metrics.Running(9, rule), metrics.Running(9, rule)
    for edges in ((0, 5), (5, 6), (6, 17), (17, t.size)):
        block = slice(*edges)
        rows.update(c[:, block], t[block])
        columns.update(np.ascontiguousarray(c[:, block].T), t[block], axis=0)
    for running in (rows, columns):
        assert_array_equal(running.cmax, metrics.cmax(c))
        assert_array_equal(running.tmax, metrics.tmax(t, c))
        assert_allclose(running.auc, metrics.auc(t, c, rule), rtol=1e-14)
    assert_allclose(metrics.auc(t, c.T, rule, axis=0), metrics.auc(t, c, rule), rtol=1e-14)


def test_log_down_auc_is_exact_for_a_nearly_flat_decline():
    """Log-down is exact for a mono-exponential; with a decline of 5e-9 per interval the ratio
    c0 / c1 lies within 1e-8 of 1, where ln(c0 / c1) alone loses half the digits."""
    k = 1e-9  # 1/min
    t = np.arange(0.0, 101.0, 5.0)
    c = np.exp(-k * t)[None, :]
    exact = -np.expm1(-k * t[-1]) / k
    assert_allclose(metrics.auc(t, c), exact, rtol=1e-14)
