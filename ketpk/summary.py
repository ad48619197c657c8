"""Population summaries in bounded memory: percentiles, means and per-subject metrics.

:func:`summarize` simulates the subjects in chunks (``chunk_subjects``) and reduces the
outputs one block of output times at a time (``block_times``), so it never holds the full
subjects × times array: at most two blocks for all subjects (the one being reduced and the
next, computed meanwhile by worker threads, chunks in parallel), plus each chunk's solver state.
Because every subject of a block is present, the percentiles and means of a block are those
of the full array, computed by the same numpy call; Cmax, Tmax and AUC accumulate per subject
across blocks.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .display import Card, CardData, regimen_text, time_span
from .errors import ParameterError
from . import occasions, uncertainty
from .metrics import Running, check_levels, percentiles
from .plan import check_finite, request
from .result import provenance
from .units import Q_, convert

__all__ = ["PopulationSummary", "summarize"]

_CONCENTRATION = "a concentration unit, mass or molar (e.g. 'ng/mL', 'nmol/mL')"
_BLOCK_BYTES = 32e6  # one block of outputs for all subjects
_TABLE_BYTES = 64e6  # exact-solver output tables summed over all chunks
_BUFFERS = 2  # blocks of all subjects in memory: the one being reduced, the next being computed


@dataclass(frozen=True, eq=False, repr=False)
class PopulationSummary(Card):
    """Percentile bands, means and per-subject metrics of a simulated population (µmol/L, min).

    Read them with units through the methods, e.g. ``summary.percentile("ketamine", 95)``.
    """

    times_min: np.ndarray
    q: tuple[float, ...]
    percentiles_umol_per_l: dict[str, np.ndarray]
    mean_umol_per_l: dict[str, np.ndarray]
    cmax_umol_per_l: dict[str, np.ndarray]
    tmax_min: dict[str, np.ndarray]
    auc_umol_min_per_l: dict[str, np.ndarray]
    model: Any
    n_subjects: int
    metadata: dict[str, Any] = field(default_factory=dict)
    ci: tuple[float, ...] = ()
    intervals_umol_per_l: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def times(self):
        """Output times as a Quantity (min)."""
        return Q_(self.times_min, "min")

    @property
    def analytes(self) -> tuple[str, ...]:
        return tuple(self.percentiles_umol_per_l)

    def _check(self, analyte: str) -> None:
        if analyte not in self.percentiles_umol_per_l:
            raise ParameterError(f"`analyte` must be one of {', '.join(self.analytes)}; got {analyte!r}.")

    def _level(self, q: Any) -> int:
        """The index of percentile level ``q`` (a number, one of ``summary.q``)."""
        number = isinstance(q, (int, float, np.number)) and not isinstance(q, (bool, np.bool_))
        if not number or float(q) not in self.q:
            raise ParameterError(f"`q` must be one of the percentiles computed, {self.q}; got {q!r}. "
                                 f"E.g. q={self.q[0]:g}.")
        return self.q.index(float(q))

    def percentile(self, analyte: str, q: float, unit: str = "ng/mL"):
        """The ``q``-th percentile over subjects at each time (one of ``summary.q``)."""
        self._check(analyte)
        row = self.percentiles_umol_per_l[analyte][self._level(q)]
        return convert(row, "umol/L", analyte, unit, expected=_CONCENTRATION)

    def percentile_interval(self, analyte: str, q: float, unit: str = "ng/mL"):
        """The ``q``-th percentile's spread over parameter replicates at each time: shape
        (len(summary.ci), T), by default its 2.5th, 50th and 97.5th percentiles (a population
        drawn with ``uncertainty=True``; :func:`ketpk.uncertainty.intervals`)."""
        self._check(analyte)
        if not self.intervals_umol_per_l:
            raise ParameterError("this summary has no parameter uncertainty; summarise a population "
                                 "drawn with ketpk.population.sample(..., uncertainty=True, replicates=R).")
        rows = self.intervals_umol_per_l[analyte][self._level(q)]
        return convert(rows, "umol/L", analyte, unit, expected=_CONCENTRATION)

    def mean(self, analyte: str, unit: str = "ng/mL"):
        """Mean concentration over subjects at each time."""
        self._check(analyte)
        return convert(self.mean_umol_per_l[analyte], "umol/L", analyte, unit, expected=_CONCENTRATION)

    def cmax(self, analyte: str, unit: str = "ng/mL"):
        """Each subject's highest concentration on the output grid."""
        self._check(analyte)
        return convert(self.cmax_umol_per_l[analyte], "umol/L", analyte, unit, expected=_CONCENTRATION)

    def tmax(self, analyte: str, unit: str = "h"):
        """Each subject's time of Cmax (first, if reached more than once)."""
        self._check(analyte)
        return Q_(self.tmax_min[analyte], "min").to(unit)

    def auc(self, analyte: str, unit: str = "ng*h/mL"):
        """Each subject's AUC over the output times, by the summary's ``auc_rule``
        (``metadata["auc_rule"]``)."""
        self._check(analyte)
        return convert(self.auc_umol_min_per_l[analyte], "umol*min/L", analyte, unit)

    def to_frame(self, *, unit: str = "ng/mL", time_unit: str = "h", wide: bool = False,
                 subjects: bool = False) -> Any:
        """A pandas DataFrame (``pip install "ketpk[pandas]"``); provenance in ``frame.attrs``.

        Default: the bands, long: ``statistic`` (``P5``, ``P50``, ..., ``mean``), ``time`` (in
        ``time_unit``), ``analyte``, ``value`` (in ``unit``), ``unit``; ``wide=True`` puts one
        ``"<analyte> [<unit>]"`` column per analyte. A summary with parameter uncertainty
        (``summary.ci``) adds each percentile's interval over replicates as statistics
        ``"P<q> CI<c>"`` (e.g. ``P50 CI2.5``, :meth:`percentile_interval`). ``subjects=True``: one
        row per subject and analyte with ``ID`` (1..n), Cmax [unit], Tmax [time_unit] and
        AUC [unit·time_unit].
        """
        from .frames import columns_frame, curves_frame
        from .units import to_unit

        attrs = {**self.metadata, "citation": str(self.model.citation), "time_unit": time_unit,
                 "n_subjects": self.n_subjects}
        if subjects:
            n = self.n_subjects
            auc_unit = f"{unit}*{time_unit}"
            columns = {
                "ID": np.tile(np.arange(1, n + 1), len(self.analytes)),
                "analyte": np.repeat(self.analytes, n),
                f"Cmax [{unit}]": np.concatenate([self.cmax(a, unit).magnitude for a in self.analytes]),
                f"Tmax [{time_unit}]": np.concatenate([self.tmax(a, time_unit).magnitude for a in self.analytes]),
                f"AUC [{unit}·{time_unit}]": np.concatenate([self.auc(a, auc_unit).magnitude
                                                            for a in self.analytes]),
            }
            return columns_frame(columns, attrs)
        times = to_unit(self.times, time_unit, "time_unit").magnitude
        labels = ([f"P{q:g}" for q in self.q] + ["mean"]
                  + [f"P{q:g} CI{c:g}" for q in self.q for c in self.ci])
        keys = {"statistic": np.repeat(labels, times.size), "time": np.tile(times, len(labels))}
        series = [(a, unit, np.concatenate([*(self.percentile(a, q, unit).magnitude for q in self.q),
                                            self.mean(a, unit).magnitude,
                                            *(self.percentile_interval(a, q, unit).magnitude.ravel()
                                              for q in self.q if self.ci)]))
                  for a in self.analytes]
        return curves_frame(keys, series, attrs, wide)

    def card(self) -> CardData:
        """Subjects, times, percentiles, citation and per-subject Cmax/AUC spread (one screen)."""
        rows = []
        for a in self.analytes:
            for name, values in (("Cmax [ng/mL]", self.cmax(a).magnitude),
                                 ("AUC [ng·h/mL]", self.auc(a).magnitude)):
                p5, p50, p95 = np.percentile(values, (5, 50, 95))
                rows.append({"analyte": a, "metric": name, "P5": p5, "median": p50, "P95": p95})
        return CardData(
            title=f"PopulationSummary: model {self.model.id}, {self.n_subjects} subjects",
            facts=[("times", time_span(self.times_min)),
                   ("percentiles", ", ".join(f"{q:g}" for q in self.q)),
                   ("seed", str(self.metadata.get("seed"))), ("citation", str(self.model.citation)),
                   ("assumptions", f"{len(self.model.assumptions)} in the model")],
            rows=rows, figure=self.plot,
            hint="across subjects; percentile(), mean(), cmax(), auc(), to_frame(), plot()")

    def plot(self, analyte: str = "ketamine", **kwargs: Any) -> Any:
        """Percentile bands; see :func:`ketpk.bands.plot_percentiles`."""
        from .bands import plot_percentiles

        return plot_percentiles(self, analyte, **kwargs)


def _threaded_blocks(streams: Sequence[Iterator[np.ndarray]], n_blocks: int, workers: int,
                     ahead: int) -> Iterator[list[np.ndarray]]:
    """Blocks of all chunks in subject order (one array per chunk). ``workers`` threads advance
    the streams (numpy releases the GIL), oldest block first, each stream up to ``ahead``
    blocks beyond the one the caller is reducing (whose buffer is then still in use): no
    thread waits for the slowest chunk of a block before starting on the next."""
    state = threading.Condition()
    done = [0] * len(streams)  # blocks produced, per stream
    busy = [False] * len(streams)
    parts: list[list[Any]] = [[None] * len(streams) for _ in range(ahead)]
    reduced = 0  # blocks the caller is done with
    failed: list[BaseException] = []
    stop = False

    def pick() -> int | None:
        """A stream free to produce its next block, the one furthest behind; None: no more work."""
        while not (failed or stop):
            limit = min(n_blocks, reduced + ahead)
            ready = [c for c in range(len(streams)) if not busy[c] and done[c] < limit]
            if ready:
                c = min(ready, key=done.__getitem__)
                busy[c] = True
                return c
            if min(done) == n_blocks:
                return None
            state.wait()
        return None

    def work() -> None:
        while True:
            with state:
                c = pick()
            if c is None:
                return
            try:
                block = next(streams[c])
            except BaseException as error:  # handed to the caller, who raises it
                with state:
                    failed.append(error)
                    state.notify_all()
                return
            with state:
                parts[done[c] % ahead][c] = block
                done[c] += 1
                busy[c] = False
                state.notify_all()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for b in range(n_blocks):
            with state:
                while not failed and min(done) <= b:
                    state.wait()
                if failed:
                    raise failed[0]
                block = list(parts[b % ahead])
            yield block
            with state:
                reduced = b + 1
                state.notify_all()
    finally:
        with state:
            stop = True
            state.notify_all()
        for thread in threads:
            thread.join()


def _edges(n_times: int, block_times: int) -> np.ndarray:
    return np.unique(np.append(np.arange(0, n_times, block_times), n_times))


def summarize(model: Any, regimen: Any, times: Any, *, subjects: Any,
              q: Sequence[float] = (5, 50, 95), analytes: Sequence[str] | None = None,
              solver: Any = "exact", chunk_subjects: int = 10_000, block_times: int | None = None,
              workers: int | None = None, client: Any = None,
              auc_rule: str = "linear-up/log-down", progress: bool | None = None,
              ci: Sequence[float] | None = None, sampling: str | None = None) -> PopulationSummary:
    """Percentiles, means and per-subject Cmax/Tmax/AUC of a population in bounded memory.

    Parameters
    ----------
    model, regimen, times, subjects
        As for :func:`ketpk.simulate` (``subjects`` is typically a
        :func:`ketpk.population.sample`).
    q : percentiles (0-100) to report at each time (numpy's linear interpolation).
    analytes : names to summarise (default: every analyte of the model).
    solver : ``"exact"`` (default), ``"ode"`` or a :class:`ketpk.solvers.Solver`. A solver given
        by name shares the summary's table budget between chunks (``Solver.with_memory``); one
        that does not stream (``"ode"``) holds one chunk's full time course at a time.
    chunk_subjects : subjects simulated together (bounds the solver's working memory).
    block_times : output times reduced together (default: a block of all subjects <= 32 MB).
    workers : threads computing chunks in process, and as many reducing the blocks (default:
        ``os.cpu_count()``); the result does not depend on it.
    client : a ``dask.distributed.Client`` to compute the chunks on a Dask cluster
        (``pip install ketpk[dask]``); results are identical to the in-process path.
    auc_rule : ``"linear-up/log-down"`` (the default, as :func:`ketpk.nca.auc`'s) or
        ``"linear"`` (trapezoids); with the same rule the summary's AUC, Cmax and Tmax equal
        :mod:`ketpk.nca`'s for the same curves.
    progress : show a progress bar over the output times (``None``: only on a terminal, never
        under pytest; tqdm if installed, ``pip install "ketpk[progress]"``, else a plain bar).
    ci : for a population drawn with ``uncertainty=True``: the percentiles (0-100) over the
        parameter replicates of each ``q`` percentile, read with
        :meth:`PopulationSummary.percentile_interval` (default None: 2.5, 50, 97.5); refused for
        a population without replicates.
    sampling : ``"arterial"`` or ``"venous"`` plasma (default: the model's own site), as for
        :func:`ketpk.simulate`; recorded in ``metadata["sampling"]``, with the labels of the
        model, its routes and its arterio-venous link in ``metadata["assumptions"]``.

    Concentrations are summarised in µmol/L and times in min; read them in any unit through
    the :class:`PopulationSummary` methods.
    """
    from .progress import bar

    if not (isinstance(chunk_subjects, int) and chunk_subjects >= 1):
        raise ParameterError(f"`chunk_subjects` must be a positive int; got {chunk_subjects!r}.")
    if workers is not None and not (isinstance(workers, int) and workers >= 1):
        raise ParameterError(f"`workers` must be a positive int or None; got {workers!r}.")
    q = check_levels(q)
    replicate = getattr(subjects, "replicate", None)
    if ci is not None and replicate is None:
        raise ParameterError(f"`ci` ({ci!r}) summarises parameter replicates, but `subjects` has none; "
                             "draw them with ketpk.population.sample(..., uncertainty=True, replicates=R), "
                             "or drop `ci`.")
    ci = check_levels((2.5, 50, 97.5) if ci is None else ci, "ci")
    if client is not None and not (hasattr(client, "submit") and hasattr(client, "gather")):
        raise ParameterError(f"`client` must be a dask.distributed.Client (or None for in-process "
                             f"threads); got {client!r} of type {type(client).__name__}.")
    named = isinstance(solver, str)
    req = request(model, regimen, times, subjects=subjects, solver=solver, analytes=analytes,
                  sampling=sampling)
    S, n_analytes, minutes = req.subjects.n, len(req.analytes), req.times_min
    if block_times is None:
        block_times = max(1, int(_BLOCK_BYTES // (S * n_analytes * 8)))
    if named:  # a solver by name gets a share of the summary's table budget per chunk
        req = replace(req, solver=req.solver.with_memory(_TABLE_BYTES * min(chunk_subjects, S) / S))
    edges = _edges(minutes.size, block_times)
    bounds = [(a, min(a + chunk_subjects, S)) for a in range(0, S, chunk_subjects)]
    spans = list(zip(edges[:-1], edges[1:]))
    # Block b of all subjects is written into buffers[b % len(buffers)] (analytes, times,
    # subjects), each chunk into its columns, while earlier blocks are reduced in the others:
    # no per-block allocations, and no copy joining the chunks.
    width = int(np.diff(edges).max())
    buffers = [np.empty((n_analytes, width, S)) for _ in range(min(_BUFFERS, len(spans)))]

    def buffer(b: int) -> np.ndarray:
        return buffers[b % len(buffers)][:, :edges[b + 1] - edges[b]]

    if client is None:
        streams = [req.blocks(a, c, edges, into=lambda b, a=a, c=c: buffer(b)[:, :, a:c])
                   for a, c in bounds]
        blocks: Iterator = _threaded_blocks(streams, len(spans), workers or os.cpu_count() or 1,
                                            len(buffers))
    else:
        from .scaleout import dask_blocks

        blocks = dask_blocks(client, req, bounds, edges)
    analytes = req.analytes
    bands = {a: np.empty((len(q), minutes.size)) for a in analytes}
    means = {a: np.empty(minutes.size) for a in analytes}
    spreads = {} if replicate is None else {a: np.empty((len(q), len(ci), minutes.size)) for a in analytes}
    metrics = {a: Running(S, auc_rule) for a in analytes}

    def reduce(a: str, values: np.ndarray, e0: int, e1: int) -> None:
        """Fold block ``values`` (times e0:e1, all subjects) of analyte ``a`` into the results;
        the percentiles last: they sort ``values`` in place."""
        mean = means[a][e0:e1] = values.mean(axis=1)
        if not np.isfinite(mean).all():  # an inf or NaN curve raises the solver's SolverError
            check_finite(values, req)
        metrics[a].update(values, minutes[e0:e1], 0)
        if spreads:
            spreads[a][:, :, e0:e1] = uncertainty.intervals(values.T, replicate, q, ci)
        bands[a][:, e0:e1] = percentiles(values, q, axis=1, overwrite=True)

    meter = bar(minutes.size, f"{S} subjects", progress=progress, unit="times")
    # The reduction of a block runs in threads too, one per analyte (numpy releases the GIL in
    # the sorts and ufuncs), next to the solver threads computing the next block.
    with ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
        try:
            for b, ((e0, e1), parts) in enumerate(zip(spans, blocks)):
                values = buffer(b)
                if client is not None:  # a cluster's parts arrive as arrays of their own
                    for (a, c), part in zip(bounds, parts):
                        values[:, :, a:c] = part
                tasks = [pool.submit(reduce, a, values[i], e0, e1) for i, a in enumerate(analytes)]
                for task in tasks:
                    task.result()
                meter.update(int(e1 - e0))
        finally:
            meter.close()
    return PopulationSummary(
        times_min=minutes, q=q, percentiles_umol_per_l=bands, mean_umol_per_l=means,
        cmax_umol_per_l={a: m.cmax for a, m in metrics.items()},
        tmax_min={a: m.tmax for a, m in metrics.items()},
        auc_umol_min_per_l={a: m.auc for a, m in metrics.items()},
        model=req.model, n_subjects=S,
        metadata={**provenance(req.model, req.solver.name, req.subjects.seed), "auc_rule": auc_rule,
                  "subjects": req.subjects.describe(), "regimen": regimen_text(req.given),
                  "sampling": req.model.sampling, "assumptions": req.assumptions,
                  "chunk_subjects": chunk_subjects,
                  "block_times": block_times,
                  **({"occasions": occasions.ASSUMPTION} if occasions.applies(req) else {}),
                  **({"replicates": len(np.unique(replicate))} if spreads else {})},
        ci=ci if spreads else (), intervals_umol_per_l=spreads,
    )

