"""The uncertainty of population percentiles from replicate parameter sets.

``population.sample(model, n, uncertainty=True, replicates=R)`` draws R sets of typical values
from the published standard errors (:class:`ketpk.model.ParameterUncertainty`), each shared by
n subjects. :func:`percentile_intervals` computes each percentile of the concentrations within
every replicate, then the spread of that percentile over the replicates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import ParameterError

__all__ = ["percentile_intervals"]


def percentile_intervals(result: Any, population: Any, analyte: str = "ketamine", *,
                         q: Sequence[float] = (5, 50, 95), ci: Sequence[float] = (2.5, 50, 97.5),
                         unit: str = "ng/mL"):
    """Percentiles ``q`` of ``analyte`` per replicate, summarised by the percentiles ``ci``.

    Returns a Quantity of shape (len(q), len(ci), n_times): e.g. ``[i, 0]`` and ``[i, -1]`` are
    the 95 % interval of the ``q[i]``-th percentile over replicates, ``[i, 1]`` its median.
    """
    replicate = getattr(population, "replicate", None)
    if replicate is None:
        raise ParameterError("`population` has no replicates; draw it with "
                             "ketpk.population.sample(model, n, uncertainty=True, replicates=R).")
    conc = result.concentration(analyte, unit)
    values = np.atleast_2d(np.asarray(conc.magnitude))
    if values.shape[0] != len(replicate):
        raise ParameterError(f"`result` has {values.shape[0]} subjects but `population` "
                             f"{len(replicate)}; simulate with subjects=population.")
    groups = [values[replicate == r] for r in np.unique(replicate)]
    per_replicate = np.stack([np.percentile(g, np.asarray(q, float), axis=0) for g in groups])
    summary = np.percentile(per_replicate, np.asarray(ci, float), axis=0)  # (ci, q, T)
    return np.swapaxes(summary, 0, 1) * conc.units
