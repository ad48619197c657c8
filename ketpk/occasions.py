"""Inter-occasion variability (IOV): the occasions of a regimen and their random effects.

An occasion is a dosing session: a dose that starts at least :data:`GAP_MIN` (12 h) after the
previous dose's start opens a new occasion, so each infusion day or nasal/film session is one.
:func:`ketpk.population.sample` draws one kappa per subject, occasion and IOV parameter of the
model (``model.occasion_variability``), stored with the etas as ``"occ:NAME#j"``; ``"occ:NAME"``
holds occasion 0's, which any single-occasion path uses.

:func:`solve` simulates each occasion's doses with that occasion's parameters (eta + kappa_j)
and adds the occasions' outputs (the system is linear). This gives each dose's whole course the
parameters of its own occasion; NONMEM instead switches the drug still in the body to the new
occasion's parameters when it starts. The two agree once earlier occasions have washed out,
which is why occasions are sessions at least 12 h apart (the label travels in
``result.assumptions``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from .errors import ParameterError, RegimenError
from .model import OCCASION_PREFIX, DrugModel

__all__ = ["GAP_MIN", "ASSUMPTION", "kappa_key", "occasion_of", "of_records", "split", "draw",
           "for_occasion", "count", "applies", "requests", "solve", "blocks"]

#: Minimum time (min) between the starts of two doses of different occasions.
GAP_MIN = 12 * 60.0

ASSUMPTION = ("inter-occasion variability: each occasion (doses starting >= 12 h after the "
              "previous dose) is simulated with its own kappa and the occasions are superposed; "
              "drug left from an earlier occasion keeps that occasion's parameters")


def kappa_key(name: str, occasion: int) -> str:
    """The etas key of occasion ``occasion``'s kappa of parameter ``name``."""
    return f"{OCCASION_PREFIX}{name}#{occasion}"


def occasion_of(regimen: Any) -> np.ndarray:
    """Occasion index (0, 1, …) of each dose of ``regimen``, in the regimen's dose order."""
    starts = np.array([d.start_minutes for d in regimen], dtype=float)
    order = np.argsort(starts, kind="stable")
    occasion = np.zeros(len(starts), dtype=int)
    if len(starts):
        jumps = np.diff(starts[order]) >= GAP_MIN
        occasion[order] = np.concatenate([[0], np.cumsum(jumps)])
    return occasion


def of_records(time: np.ndarray, evid: np.ndarray, ii: np.ndarray, addl: np.ndarray) -> np.ndarray:
    """Occasion (1, 2, …) of each record of one individual's dataset records, in record order.

    The default rule for datasets without an OCC column: a dose record (EVID 1 or 4) opens a
    new occasion when it starts at least :data:`GAP_MIN` after the previous dose (the last
    ADDL copy included) or after a reset that restarted the clock; ADDL copies stay in their
    record's occasion; every other record belongs to the occasion of the last dose record
    before it (occasion 1 before any dose). ``time`` and ``ii`` in min.
    """
    occasion = np.ones(len(time), dtype=int)
    current, last, restarted = 1, None, False
    for k in range(len(time)):
        restarted = restarted or bool(k and time[k] < time[k - 1])
        if evid[k] in (1, 4):
            if last is not None and (restarted or time[k] - last >= GAP_MIN):
                current += 1
            last, restarted = time[k] + ii[k] * addl[k], False
        occasion[k] = current
    return occasion


def split(regimen: Any) -> list[Any]:
    """``regimen`` as one Regimen per occasion, in time order."""
    if regimen.steady_state is not None:
        raise RegimenError("inter-occasion variability cannot be combined with a steady-state "
                           "start; simulate the doses explicitly or draw the population with "
                           "occasions=1.")
    return regimen.parts(occasion_of(regimen))


def draw(model: DrugModel, rng: np.random.Generator, n: int, occasions: int) -> dict[str, np.ndarray]:
    """Kappas for ``n`` subjects and ``occasions`` occasions, one (n, k) block per IOV block and
    occasion (occasion-major order)."""
    kappas: dict[str, np.ndarray] = {}
    for j in range(occasions):
        for block in model.occasion_variability:
            w, v = np.linalg.eigh(np.asarray(block.omega, dtype=float))
            draws = rng.standard_normal((n, len(block.names))) @ (v * np.sqrt(np.clip(w, 0, None))).T
            for i, name in enumerate(block.names):
                kappas[kappa_key(name, j)] = draws[:, i].copy()
                if j == 0:
                    kappas[OCCASION_PREFIX + name] = kappas[kappa_key(name, j)]
    return kappas


def count(etas: Mapping[str, np.ndarray]) -> int:
    """Number of occasions drawn in ``etas`` (0 when none)."""
    found = [int(k.rsplit("#", 1)[1]) for k in etas if k.startswith(OCCASION_PREFIX) and "#" in k]
    return max(found) + 1 if found else 0


def for_occasion(etas: Mapping[str, np.ndarray], occasion: int) -> dict[str, np.ndarray]:
    """``etas`` with occasion ``occasion``'s kappas as the current ones (``"occ:NAME"``)."""
    current = {k: v for k, v in etas.items() if not (k.startswith(OCCASION_PREFIX) and "#" in k)}
    suffix = f"#{occasion}"
    current.update({k[: -len(suffix)]: v for k, v in etas.items()
                    if k.startswith(OCCASION_PREFIX) and k.endswith(suffix)})
    return current


def applies(req: Any) -> bool:
    """Whether a :class:`ketpk.plan.Request` is solved occasion by occasion: its model has IOV
    and its subjects carry kappas of more than one occasion."""
    return bool(req.model.occasion_variability) and count(req.subjects.etas) > 1


def requests(req: Any) -> list[Any]:
    """One request per occasion of ``req``'s regimen, with that occasion's doses and kappas."""
    regimens = split(req.regimen)
    drawn = count(req.subjects.etas)
    if len(regimens) > drawn:
        raise ParameterError(
            f"the regimen has {len(regimens)} occasions (doses >= 12 h apart) but the population "
            f"drew kappas for {drawn}; draw it with ketpk.population.sample(..., occasions="
            f"{len(regimens)}).")
    return [dataclasses.replace(req, regimen=regimen, subjects=dataclasses.replace(
                req.subjects, etas=for_occasion(req.subjects.etas, j)))
            for j, regimen in enumerate(regimens)]


def solve(req: Any) -> tuple[Any, np.ndarray]:
    """(plan of occasion 0, summed outputs (S, O, T)) of a request that :func:`applies`."""
    first, total = None, None
    for occasion in requests(req):
        plan = occasion.plan()
        out = plan.solve()
        first, total = (plan, out) if first is None else (first, total + out)
    return first, total


def blocks(req: Any, start: int, stop: int, edges: np.ndarray, into: Any = None) -> Any:
    """:meth:`ketpk.plan.Request.blocks` of a request that :func:`applies` (``into`` as there):
    each block the sum of the occasions' blocks (the occasions' solvers stream side by side)."""
    occasions = requests(req)
    streams = [occasions[0].blocks(start, stop, edges, into)]
    streams += [occasion.blocks(start, stop, edges) for occasion in occasions[1:]]
    for parts in zip(*streams):
        total = parts[0]
        for part in parts[1:]:
            total += part
        yield total
