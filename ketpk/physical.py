"""Physical rules every model obeys, whoever wrote it (built-in, card or ``with_parameters``).

A compartment system may lose drug but never create it:

* volumes are finite and positive (L), first-order rates finite and non-negative (1/min);
* a flow leaves one compartment for *other* compartments (a clearance back into its own
  compartment removes nothing), and its yields are fractions summing to at most 1: one mol of
  metabolite per mol of parent (``basis="molar"``), or one mg per mg (``basis="mass"``, the
  published convention of some papers);
* so every column of the system matrix, in the flows' own basis, sums to <= 0 (the total amount
  never grows) — checked on the built matrix too, as a last line;
* a route's input fractions are in [0, 1] and sum to at most 1 (F plus the presystemic
  metabolite fraction, plus any other pathway).

A published value that breaks a rule (Simons 2022's swallowed film fraction F2 = 1.16) is kept
only where the route says so (``Route.unphysical``): it then warns with
:class:`~ketpk.errors.UnphysicalValueWarning` and the reason travels into the results'
assumptions.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .errors import ParameterError, UnphysicalValueWarning

__all__ = ["check_volume", "check_flow", "check_balance", "check_inputs"]

_TOL = 1e-9


def _first_bad(values: np.ndarray, bad: np.ndarray) -> str:
    k = int(np.flatnonzero(bad)[0])
    where = f" (subject {k})" if values.size > 1 else ""
    return f"{values.ravel()[k]:g}{where}"


def check_volume(compartment: str, volume: np.ndarray) -> None:
    """Volumes (L, one per subject) must be finite and positive."""
    bad = ~np.isfinite(volume) | (volume <= 0)
    if np.any(bad):
        raise ParameterError(
            f"compartment {compartment!r} has volume {_first_bad(volume, bad)} L; a volume must be "
            "finite and > 0. Check the volume parameter (and its covariate scaling) of the model.")


def check_flow(source: str, rate: np.ndarray, targets: Mapping[str, Any], basis: str) -> None:
    """A first-order flow out of ``source`` at ``rate`` (1/min) into ``targets`` with yields."""
    bad = ~np.isfinite(rate) | (rate < 0)
    if np.any(bad):
        raise ParameterError(
            f"the flow out of {source!r} has rate {_first_bad(rate, bad)} 1/min; rates must be finite "
            "and >= 0 (a clearance over a zero volume, a negative or infinite parameter?). Check "
            "the model's clearances, volumes and rate constants.")
    if source in targets:
        raise ParameterError(
            f"a clearance of {source!r} flows back into {source!r} itself: it would remove "
            "nothing. Send it to another compartment (a metabolite) or nowhere (to=None).")
    total = np.zeros_like(rate)
    for target, yield_ in targets.items():
        value = np.broadcast_to(np.asarray(yield_, dtype=float), rate.shape)
        bad = ~np.isfinite(value) | (value < 0)
        if np.any(bad):
            raise ParameterError(
                f"the yield of {target!r} from {source!r} is {_first_bad(value, bad)}; a yield is a "
                "fraction in [0, 1]. Check the metabolite fractions of the model.")
        total = total + value
    bad = total > 1 + _TOL
    if np.any(bad):
        unit = "mol per mol" if basis == "molar" else "mg per mg"
        raise ParameterError(
            f"the yields from {source!r} into {', '.join(targets)} sum to {_first_bad(total, bad)} "
            f"{unit}, more than the maximum of 1: the flow would create drug. Make the metabolite "
            "fractions sum to at most 1.")


def check_balance(states: Sequence[str], flows: Sequence[tuple[str, str, np.ndarray]]) -> None:
    """No column of the balance matrix over the real (non-virtual) ``states`` may sum to more
    than 0: the total amount can only fall. ``flows`` are its entries (target, source, rate
    (S,) 1/min) in the flows' own basis, summed per pair; entries naming other states are
    left out. Only the nonzero cells are formed (no subjects × states × states matrix)."""
    index = {state: j for j, state in enumerate(states)}
    cells: dict[tuple[int, int], np.ndarray] = {}
    for target, source, rate in flows:
        if target in index and source in index:
            key = (index[target], index[source])
            cells[key] = cells[key] + rate if key in cells else np.asarray(rate, dtype=float)
    if not cells:
        return
    shape = (len(next(iter(cells.values()))), len(states))
    sums, scale = np.zeros(shape), np.zeros(shape)
    for (_, j), value in sorted(cells.items()):  # each column summed down its rows, in order
        sums[:, j] += value
        np.maximum(scale[:, j], np.abs(value), out=scale[:, j])
    scale += 1e-300
    bad = sums > _TOL * scale
    if np.any(bad):
        s, j = np.argwhere(bad)[0]
        raise ParameterError(
            f"the flows out of {states[j]!r} return {sums[s, j] / scale[s, j] + 1:.6g} times what they "
            "remove (the system matrix's column sums to more than 0): the model creates drug. "
            "Check the transfers and yields that form a cycle through this compartment.")


def check_inputs(model_id: str, route: Any, fractions: Sequence[np.ndarray]) -> None:
    """A route's input fractions (per subject) must be in [0, 1] and sum to at most 1.

    A route with ``unphysical`` reasons only warns (the published value is kept)."""
    arrays = [np.atleast_1d(np.asarray(f, dtype=float)) for f in fractions]
    problems = []
    for value in arrays:
        bad = ~np.isfinite(value) | (value < 0) | (value > 1 + _TOL)
        if np.any(bad):
            problems.append(f"an input fraction of {_first_bad(value, bad)} (a fraction is in [0, 1])")
    if arrays:
        total = np.sum(np.broadcast_arrays(*arrays), axis=0)
        bad = total > 1 + _TOL
        if np.any(bad):
            problems.append(f"input fractions summing to {_first_bad(total, bad)} of the dose (F plus "
                            "the presystemic metabolite fraction and other pathways is at most 1)")
    if not problems:
        return
    if any(not np.all(np.isfinite(a)) or np.any(a < 0) for a in arrays) or not route.unphysical:
        raise ParameterError(
            f"route {route.name!r} of model {model_id!r} has {'; '.join(problems)}: more drug would "
            "enter than was given. Check the route's F, presystemic and share parameters.")
    warnings.warn(
        f"route {route.name!r} of model {model_id!r} has {'; '.join(problems)}. Kept as published: "
        f"{' '.join(route.unphysical)}", UnphysicalValueWarning, stacklevel=5)
