"""The uncertainty of population percentiles from replicate parameter sets.

``population.sample(model, n, uncertainty=True, replicates=R)`` draws R sets of typical values
from the published standard errors (:class:`ketpk.model.ParameterUncertainty`), each shared by
n subjects. :func:`intervals` computes each percentile of the concentrations within every
replicate, then the spread of that percentile over the replicates; :func:`percentile_intervals`
applies it to a result and :func:`ketpk.summarize` to every block of output times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import ParameterError
from .metrics import check_levels, percentiles
from .result import SimulationResult

__all__ = ["intervals", "percentile_intervals"]


def intervals(values: np.ndarray, replicate: np.ndarray, q: Sequence[float],
              ci: Sequence[float]) -> np.ndarray:
    """Percentiles ``q`` over the subjects of each replicate of (S, T) ``values``, summarised
    over replicates by the percentiles ``ci``: shape (len(q), len(ci), T), in ``values``' unit."""
    groups = [values[replicate == r] for r in np.unique(replicate)]
    per_replicate = np.stack([percentiles(g, q) for g in groups])  # (R, q, T)
    R, nq, T = per_replicate.shape
    summary = percentiles(per_replicate.reshape(R, nq * T), ci).reshape(len(ci), nq, T)
    return np.swapaxes(summary, 0, 1)


def percentile_intervals(result: Any, population: Any, analyte: str = "ketamine", *,
                         q: Sequence[float] = (5, 50, 95), ci: Sequence[float] = (2.5, 50, 97.5),
                         unit: str = "ng/mL"):
    """Percentiles ``q`` of ``analyte`` per replicate, summarised by the percentiles ``ci``.

    Returns a Quantity of shape (len(q), len(ci), n_times): e.g. ``[i, 0]`` and ``[i, -1]`` are
    the 95 % interval of the ``q[i]``-th percentile over replicates, ``[i, 1]`` its median.
    """
    q, ci = check_levels(q), check_levels(ci, "ci")
    if not isinstance(result, SimulationResult):
        raise ParameterError(f"`result` must be a SimulationResult (ketpk.simulate(..., subjects="
                             f"population)); got {type(result).__name__}.")
    replicate = getattr(population, "replicate", None)
    if replicate is None:
        raise ParameterError("`population` has no replicates; draw it with "
                             "ketpk.population.sample(model, n, uncertainty=True, replicates=R).")
    conc = result.concentration(analyte, unit)
    values = np.atleast_2d(np.asarray(conc.magnitude))
    if values.shape[0] != len(replicate):
        raise ParameterError(f"`result` has {values.shape[0]} subjects but `population` "
                             f"{len(replicate)}; simulate with subjects=population.")
    return intervals(values, replicate, q, ci) * conc.units
