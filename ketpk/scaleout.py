"""Scale-out of :func:`ketpk.summarize` on a Dask cluster (``pip install ketpk[dask]``).

Each chunk of subjects is simulated by one Dask task, with the same code and the same solver
as the in-process path, and stays on its worker; the client then pulls one block of output
times at a time (all subjects, sliced on the workers) and reduces it exactly as in process.
So the results are identical, the cluster holds the subjects × times array spread over its
workers, and the client holds one block.

>>> from dask.distributed import Client, LocalCluster          # doctest: +SKIP
>>> client = Client(LocalCluster(n_workers=2))                  # doctest: +SKIP
>>> ketpk.summarize(model, regimen, times, subjects=pop, client=client)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["dask_blocks"]


def _chunk_outputs(req: Any, start: int, stop: int) -> np.ndarray:
    """Subjects ``start:stop``'s concentrations (analytes, times, chunk size), on a worker."""
    return next(req.blocks(start, stop, np.array([0, req.times_min.size])))


def _columns(values: np.ndarray, start: int, stop: int) -> np.ndarray:
    return values[:, start:stop]


def dask_blocks(client: Any, req: Any, bounds: Sequence[tuple[int, int]],
                edges: np.ndarray) -> Iterator[np.ndarray]:
    """Blocks of the :class:`~ketpk.plan.Request` ``req`` in time order, each a list of one
    array (analytes, block, chunk) per chunk of subjects in ``bounds``, computed on
    ``client``'s cluster."""
    futures = [client.submit(_chunk_outputs, req, a, b, pure=False) for a, b in bounds]
    try:
        for e0, e1 in zip(edges[:-1], edges[1:]):
            parts = client.gather([client.submit(_columns, f, int(e0), int(e1), pure=False)
                                   for f in futures])
            yield parts
    finally:
        client.cancel(futures)
