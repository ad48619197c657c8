"""Exact propagation of the linear system by matrix exponentials, batched over subjects.

Over a step ``h`` with constant input ``u`` the state moves as ``x(h) = E x + G u`` with
``E = exp(A h)`` and ``G = ∫0^h exp(A s) ds``, both read off ``exp([[A, B], [0, 0]] h)``
(``B``: the identity's columns of the states that receive an infusion, so ``G`` has only those)
(python-control's augmented-matrix method), computed for all subjects at once by a batched
Padé scaling-and-squaring (:mod:`.expm`): no inversion of ``A`` and no eigenvectors, so
singular systems and equal rate constants (ka = k, transit chains) are handled exactly.

States that no dose reaches (depots of routes not used) stay zero and are dropped first.
On an evenly spaced run of output times the outputs come from one table ``[C E(jh), C G(jh)]``,
j < chunk, built by doubling and laid out times last; the states at the starts of the run's
blocks of ``chunk`` outputs are stepped by the block transition, and one batched product
``[x; u]^T @ table`` per piece writes the outputs of all its blocks (when :meth:`solve` fills an
array, straight into it). When the run's blocks reach the next dose event
exactly (a grid aligned with the doses), the state there is stepped on from the last block
instead of exponentiating the whole gap again. Uneven output times are evaluated in blocks from
the segment start, one batched exponential per block. No Python loop runs over subjects or
single output times; loops run over dose events and blocks of output times.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from ..schedule import Schedule
from .base import Solver
from .expm import expm

__all__ = ["ExactSolver"]

_TABLE_BYTES = 32e6  # default memory budget of the output table when ``chunk`` is automatic
_EXPM_BYTES = 4e6  # augmented matrices exponentiated at once (the Padé steps need ~15x this)


class _Flows:
    """System matrices A (S, n, n) 1/min kept as their entries that are nonzero for some
    subject (``values`` (S, nnz) at ``rows``, ``cols``): a compartment model's A is mostly
    zeros, and every open stream of a summary keeps its A for the transitions it may need."""

    def __init__(self, A: np.ndarray):
        self.S, self.n = A.shape[0], A.shape[1]
        self.rows, self.cols = np.nonzero((A != 0).any(axis=0))
        self.values = A[:, self.rows, self.cols]


def _augmented(A: _Flows, rated: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """``[E(h) G(h)]`` (S, len(hs), n, n + k) for each subject and each step in ``hs``:
    ``E(h) = exp(A h)`` and ``G(h) = ∫0^h exp(A s) ds`` restricted to the columns ``rated``,
    the top rows of ``exp([[A, B], [0, 0]] h)`` with ``B`` the identity's ``rated`` columns,
    computed in slices of subjects so that the exponential's temporaries stay small."""
    S, n = A.S, A.n
    k, H = len(rated), len(hs)
    B = np.eye(n)[:, rated]
    EG = np.empty((S, H, n, n + k))
    step = max(1, int(_EXPM_BYTES // (H * (n + k) ** 2 * 8)))
    for s0 in range(0, S, step):
        M = np.zeros((min(step, S - s0), H, n + k, n + k))
        M[:, :, A.rows, A.cols] = A.values[s0:s0 + step, None, :] * hs[None, :, None]
        M[:, :, :n, n:] = B * hs[None, :, None, None]
        EG[s0:s0 + step] = expm(M)[:, :, :n]
    return EG


def _reachable(A: np.ndarray, fed: np.ndarray) -> np.ndarray:
    """States reachable from the ``fed`` states along nonzero flows of any subject."""
    flows = (A != 0).any(axis=0)  # flows[i, j]: j feeds i
    reach = fed.copy()
    while True:
        grown = reach | flows[:, reach].any(axis=1)
        if (grown == reach).all():
            return reach
        reach = grown


def _parts(A: np.ndarray) -> list[np.ndarray]:
    """The states split into parts with no flow between them in any subject (the R- and
    S-enantiomer systems of a racemate), each part's states sorted; parts by first state."""
    linked = (A != 0).any(axis=0)
    linked = linked | linked.T | np.eye(A.shape[1], dtype=bool)
    parts, free = [], np.ones(A.shape[1], dtype=bool)
    while free.any():
        part = np.zeros_like(free)
        part[np.flatnonzero(free)[0]] = True
        while True:
            grown = linked[:, part].any(axis=1)
            if (grown == part).all():
                break
            part = grown
        parts.append(np.flatnonzero(part))
        free &= ~part
    return parts


@dataclass(frozen=True)
class _Part:
    """One part of the system: its states ``x[:, states]`` and inputs ``u[:, inputs]`` (slices),
    its flows, and its inputs' states counted within the part (``rated``)."""

    states: slice
    inputs: slice
    flows: _Flows
    rated: np.ndarray

    @property
    def size(self) -> int:
        """The part's number of states."""
        return self.states.stop - self.states.start


class _Propagator:
    """Transitions and output tables for one batch, cached by step length (min).

    The states come ordered by part (:func:`_parts`, contiguous), and so do the inputs ``u``
    (S, k): the rates into the states ``rated``. Each part moves by its own ``[E G]``
    (S, n_p, n_p + k_p), so the transitions kept and the mat-vecs of a racemate's two
    independent enantiomer systems are half the size of one joint system's. The table holds
    every part: ``[C E(jh), C G(jh)]`` with k columns for ``C G``, not n.
    """

    def __init__(self, A: np.ndarray, rated: np.ndarray, C: np.ndarray, chunk: int,
                 sizes: list[tuple[int, int]]):
        self.C, self.chunk = C, chunk
        self.k = sum(k_p for _, k_p in sizes)  # inputs of all parts
        self.parts = []
        x0 = u0 = 0
        for n_p, k_p in sizes:
            states, inputs = slice(x0, x0 + n_p), slice(u0, u0 + k_p)
            self.parts.append(_Part(states, inputs, _Flows(A[:, states, states]), rated[inputs] - x0))
            x0, u0 = x0 + n_p, u0 + k_p
        self._transitions: dict[float, list[np.ndarray]] = {}
        self._tables: dict[float, np.ndarray] = {}

    def transition(self, h: float) -> list[np.ndarray]:
        """Each part's ``[E G]`` for step ``h``: (S, n_p, n_p + k_p)."""
        cached = self._transitions.get(h)
        if cached is None:
            cached = self._transitions[h] = self._step(h)
        return cached

    def _step(self, h: float) -> list[np.ndarray]:
        return [_augmented(p.flows, p.rated, np.array([h]))[:, 0] for p in self.parts]

    def advance(self, x: np.ndarray, u: np.ndarray, h: float) -> np.ndarray:
        """State after ``h`` minutes from ``x`` (S, n) under constant input ``u`` (S, k)."""
        if h == 0.0:
            return x
        moved = np.empty_like(x)
        for p, EG in zip(self.parts, self.transition(h)):
            z = np.concatenate([x[:, p.states], u[:, p.inputs]], axis=1)
            moved[:, p.states] = np.einsum("sij,sj->si", EG, z)  # faster than matmul for small matrices
        return moved

    def exact(self, hs: np.ndarray) -> np.ndarray:
        """``[E(h) G(h)]`` of the whole system (S, len(hs), n, n + k), zero between parts."""
        S, n, k = self.C.shape[0], self.C.shape[2], self.k
        EG = np.zeros((S, len(hs), n, n + k))
        for p in self.parts:
            part = _augmented(p.flows, p.rated, hs)
            n_p = p.size
            EG[:, :, p.states, p.states] = part[..., :n_p]
            EG[:, :, p.states, n + p.inputs.start:n + p.inputs.stop] = part[..., n_p:]
        return EG

    def table(self, h: float) -> np.ndarray:
        """``[C E(jh), C G(jh)]`` for j < chunk, laid out times last: (S, O, n + k, chunk), so
        that a run of blocks is one product ``[x; u]^T @ table`` straight into the outputs."""
        cached = self._tables.get(h)
        if cached is None:  # E(h), G(h) are not kept: only the table and E(mh), G(mh) are reused
            steps = self._transitions.get(h) or self._step(h)
            S, O, n = self.C.shape
            table = np.zeros((S, O, n + self.k, self.chunk))
            blocks = []
            for p, EG in zip(self.parts, steps):
                n_p = p.size
                R = table[:, :, p.states]  # (C E(jh))^T and (C G(jh))^T, filled by doubling
                Q = table[:, :, n + p.inputs.start:n + p.inputs.stop]
                R[..., 0] = self.C[:, :, p.states]
                Pt = np.ascontiguousarray(EG[:, :, :n_p].transpose(0, 2, 1))[:, None]  # E(mh)^T
                Gmt = np.ascontiguousarray(EG[:, :, n_p:].transpose(0, 2, 1))[:, None]  # G(mh)^T
                m = 1
                while m < self.chunk:
                    np.matmul(Pt, R[..., :m], out=R[..., m:2 * m])
                    Q[..., m:2 * m] = Q[..., :m] + Gmt @ R[..., :m]
                    Gmt = Gmt + Gmt @ Pt  # G(2mh)^T = G(mh)^T + (E(mh) G(mh))^T
                    Pt = Pt @ Pt
                    m *= 2
                blocks.append(np.ascontiguousarray(
                    np.concatenate([Pt[:, 0].transpose(0, 2, 1), Gmt[:, 0].transpose(0, 2, 1)], axis=2)))
            # The doubling ends at E(mh), G(mh): the transition over one block, kept for advance().
            self._transitions.setdefault(self.chunk * h, blocks)
            cached = self._tables[h] = table
        return cached

    def outputs(self, x: np.ndarray, u: np.ndarray, offsets: np.ndarray, out: np.ndarray | None,
                shift: int = 0, until: float | None = None):
        """Yield ``(shift + j0, shift + j1, y)``: outputs (S, O, j1-j0) at ``offsets[j0:j1]``
        (min, sorted, >= 0) after state ``x`` under input ``u``, in pieces of whole blocks of
        ``chunk`` times (at most a quarter of the table's size unless written into ``out``); computed in
        place in ``out[:, :, j0:j1]`` (and ``y`` a view of it) when ``out`` (S, O, len(offsets))
        is given. Returns ``(state, offset)``: the latest state reached and its offset (min),
        at most ``until`` (the next event), so that the caller continues from there instead of
        exponentiating the whole gap again."""
        S, n = x.shape
        O, k = self.C.shape[1], u.shape[1]
        m = len(offsets)
        steps = np.diff(offsets)
        if m >= 3 and np.allclose(steps, steps.mean(), rtol=1e-9, atol=1e-12):
            h = float((offsets[-1] - offsets[0]) / (m - 1))
            table, chunk = self.table(h), self.chunk
            x = self.advance(x, u, float(offsets[0]))
            reached = float(offsets[0])
            n_blocks = -(-m // chunk)
            # Block to block, each part's [x; u] is a contiguous array stepped in place by its
            # E(mh), G(mh) (no per-block concatenation); x is put back together at the end.
            block_steps = self.transition(chunk * h)
            walkers = [np.concatenate([x[:, p.states], u[:, p.inputs]], axis=1) for p in self.parts]
            spares = [w.copy() for w in walkers]
            # A streamed piece is whole blocks holding at most a quarter of the table's bytes.
            per_piece = n_blocks if out is not None else max(1, (n + k) // 4)
            for b0 in range(0, n_blocks, per_piece):
                b1 = min(b0 + per_piece, n_blocks)
                z = np.empty((S, 1, b1 - b0, n + k))  # [x; u] at each block's start
                z[:, 0, :, n:] = u[:, None, :]
                for b in range(b0, b1):
                    for p, w in zip(self.parts, walkers):
                        z[:, 0, b - b0, p.states] = w[:, :p.size]
                    after = float(offsets[0] + (b + 1) * chunk * h)
                    if (b + 1) * chunk < m or (until is not None and after <= until * (1 + 1e-12)):
                        for p, EG, w, spare in zip(self.parts, block_steps, walkers, spares):
                            np.einsum("sij,sj->si", EG, w, out=spare[:, :p.size])
                        walkers, spares, reached = spares, walkers, after
                j0, j1 = b0 * chunk, min(b1 * chunk, m)
                if out is None:
                    piece = np.matmul(z, table).reshape(S, O, -1)[:, :, :j1 - j0]
                else:
                    full = (j1 - j0) // chunk
                    if full:
                        np.matmul(z[:, :, :full], table, out=_blocks_view(out[:, :, j0:j0 + full * chunk], chunk))
                    if j0 + full * chunk < j1:
                        rest = j1 - j0 - full * chunk
                        np.matmul(z[:, :, full:], table[..., :rest], out=out[:, :, j0 + full * chunk:j1, None].swapaxes(2, 3))
                    piece = out[:, :, j0:j1]
                del z  # nothing of a piece outlives its yield: a summary keeps many streams open
                yield shift + j0, shift + j1, piece
                del piece
            return np.concatenate([w[:, :p.size] for p, w in zip(self.parts, walkers)], axis=1), reached
        block = max(1, int(_TABLE_BYTES // (S * (n + k) ** 2 * 8 * 6)))
        for j0 in range(0, m, block):
            j1 = min(j0 + block, m)
            EG = self.exact(offsets[j0:j1])
            states = np.matmul(EG, np.concatenate([x, u], axis=1)[:, None, :, None])[..., 0]
            yield shift + j0, shift + j1, np.einsum("soi,ski->sok", self.C, states,
                                                    out=None if out is None else out[:, :, j0:j1])
        return x, 0.0


def _blocks_view(run: np.ndarray, chunk: int) -> np.ndarray:
    """``run`` (S, O, b * chunk), a slice of an output array, seen as (S, O, b, chunk) without copying."""
    view = run.view()
    view.shape = (*run.shape[:2], run.shape[2] // chunk, chunk)  # raises rather than copies
    return view


@dataclass(frozen=True)
class ExactSolver(Solver):
    """Matrix-exponential solver (the default): amounts in µmol, time in min.

    ``chunk``: output times per table block; ``None`` picks the largest power of two from 8 to
    256 whose table fits in ``table_bytes`` (default 32 MB) for the batch, counting the states
    that are kept (dose-reachable).
    """

    chunk: int | None = None
    table_bytes: float = _TABLE_BYTES
    name: str = "exact"

    def with_memory(self, nbytes: float) -> ExactSolver:
        """This solver with output tables of at most ``nbytes`` (when ``chunk`` is automatic)."""
        return replace(self, table_bytes=nbytes)

    def _chunk(self, S: int, O: int, width: int) -> int:
        """Output times per table block for a table of ``width`` (= n + k) columns."""
        if self.chunk is not None:
            return self.chunk
        fits = self.table_bytes / (S * O * width * 8)
        return int(2 ** np.clip(np.floor(np.log2(max(fits, 1.0))), 3, 8))

    def solve(self, A: np.ndarray, schedule: Schedule, times: np.ndarray, C: np.ndarray) -> np.ndarray:
        """Outputs ``C x(t)`` at ``times`` (min), shape (S, O, T); each output's (S, T) slice is
        contiguous (the array is stored outputs first), so a result's curves are plain arrays."""
        out = np.empty((C.shape[1], C.shape[0], len(times))).transpose(1, 0, 2)
        for _ in self.stream(A, schedule, times, C, out=out):
            pass
        return out

    def stream(self, A: np.ndarray, schedule: Schedule, times: np.ndarray, C: np.ndarray,
               out: np.ndarray | None = None) -> Iterator[tuple[int, int, np.ndarray]]:
        """Pieces ``(i0, i1, y)`` in time order: ``y`` (S, O, i1-i0) are the outputs at
        ``times[i0:i1]``. :meth:`solve` is exactly these pieces put together, so a consumer
        that reduces them as they come (percentiles, Cmax) holds only one piece at a time.
        With ``out`` (S, O, T) every piece is computed in place into it (no copy).

        The arguments are reduced here, before the first piece, to the states a dose reaches
        and the inputs that are used: the returned iterator holds only those, so a consumer
        keeping many streams open (summaries) does not keep the full system alive.
        """
        S, O, _ = C.shape
        jumped = np.flatnonzero((schedule.jumps != 0).any(axis=(0, 1)) | (schedule.x0 != 0).any(axis=0))
        rated = np.flatnonzero((schedule.rates != 0).any(axis=(0, 1)))
        fed = np.zeros(A.shape[1], dtype=bool)
        fed[jumped] = fed[rated] = True
        keep = np.flatnonzero(_reachable(A, fed))
        if keep.size == 0:
            if out is None:
                out = np.zeros((S, O, len(times)))
            else:
                out[...] = 0.0
            return iter([(0, len(times), out)])
        parts = [keep[p] for p in _parts(A[:, keep][:, :, keep])]
        keep = np.concatenate(parts)  # states ordered by part
        inputs = [rated[np.isin(rated, p)] for p in parts]
        rated = np.concatenate(inputs)  # inputs ordered by part
        position = {state: i for i, state in enumerate(keep)}  # index among the kept states
        jumped_kept = np.array([position[i] for i in jumped], dtype=int)
        rated_kept = np.array([position[i] for i in rated], dtype=int)
        sizes = [(len(p), len(i)) for p, i in zip(parts, inputs)]
        prop = _Propagator(A[:, keep][:, :, keep], rated_kept, C[:, :, keep],
                           self._chunk(S, O, keep.size + rated.size), sizes)
        x0 = np.zeros((S, keep.size))
        x0[:, jumped_kept] = schedule.x0[:, jumped]
        return _pieces(prop, schedule.breakpoints, x0, jumped_kept,
                       np.ascontiguousarray(schedule.jumps[:, :, jumped]),
                       np.ascontiguousarray(schedule.rates[:, :, rated]), times, out)


def _pieces(prop: _Propagator, bps: np.ndarray, x: np.ndarray, jumped: np.ndarray,
            jumps: np.ndarray, rates: np.ndarray, times: np.ndarray, out: np.ndarray | None):
    """The pieces of :meth:`ExactSolver.stream`: jumps (B, S, j) into the states ``jumped``,
    rates (B, S, k) into the rated states (ordered by part), starting from ``x`` (S, n)."""
    first = np.searchsorted(times, bps, side="left")
    for k in range(len(bps)):
        x[:, jumped] += jumps[k]  # x is this stream's own array
        u = rates[k]
        i0, i1 = first[k], (first[k + 1] if k + 1 < len(bps) else len(times))
        gap = float(bps[k + 1] - bps[k]) if k + 1 < len(bps) else None
        reached = 0.0
        if i1 > i0:
            x, reached = yield from prop.outputs(x, u, times[i0:i1] - bps[k],
                                                 None if out is None else out[:, :, i0:i1], i0, gap)
        if gap is not None:
            rest = gap - reached
            x = prop.advance(x, u, 0.0 if abs(rest) <= 1e-12 * gap else rest)
