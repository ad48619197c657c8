"""Percentile-band plots of a population (matplotlib is imported only when plotting)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import ParameterError
from .species import analyte_label
from .units import Q_, to_unit

__all__ = ["plot_percentiles", "draw_bands", "check_levels"]


def check_levels(q: Sequence[float]) -> tuple[float, ...]:
    """``q`` as floats: an odd number of ascending percentiles (a median and symmetric bands)."""
    q = tuple(float(v) for v in q)
    if len(q) % 2 != 1 or list(q) != sorted(q):
        raise ParameterError(f"`q` must be an odd number of ascending percentiles, e.g. (5, 50, 95); "
                             f"got {q}.")
    return q


def draw_bands(ax: Any, times: np.ndarray, rows: Sequence[np.ndarray], q: Sequence[float],
               colour: Any, label: str, ls: str = "-") -> None:
    """The middle row of ``rows`` (percentiles ``q``) as a line, each symmetric pair shaded."""
    q = check_levels(q)
    middle = len(q) // 2
    ax.plot(times, rows[middle], color=colour, ls=ls, lw=1.6, label=f"{label} P{q[middle]:g}")
    for i in range(middle):
        alpha = 0.12 + 0.16 * i / max(middle - 1, 1)
        ax.fill_between(times, rows[i], rows[-1 - i], color=colour, alpha=alpha, lw=0,
                        label=f"{label} P{q[i]:g}-P{q[-1 - i]:g}")


def plot_percentiles(summary: Any, analyte: str = "ketamine", *, q: Sequence[float] | None = None,
                     unit: str = "ng/mL", time_unit: str = "h", ax: Any = None,
                     log: bool = False, label: str | None = None, title: str | None = None) -> Any:
    """Median line with the outer percentiles shaded (every band computed, by default).

    ``summary`` is a :class:`~ketpk.PopulationSummary` (default ``q``: all its percentiles, an
    odd number) or a population :class:`~ketpk.SimulationResult` (default 5, 50, 95). The
    title names the dose, the subjects and the model unless ``title`` is given (``""``: none).
    Returns the Figure.
    """
    import matplotlib.pyplot as plt

    from .display import regimen_text

    if q is None:
        q = getattr(summary, "q", (5.0, 50.0, 95.0))
    q = check_levels(q)
    if hasattr(summary, "percentile"):
        rows = [summary.percentile(analyte, v, unit).magnitude for v in q]
    else:
        rows = list(summary.percentiles(analyte, q, unit).magnitude)
    times = to_unit(Q_(summary.times_min, "min"), time_unit, "time_unit").magnitude
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    name = analyte_label(summary.model.drug, analyte)
    draw_bands(ax, times, rows, q, "C0", label or name)
    ax.set_xlabel(f"time [{time_unit}]")
    ax.set_ylabel(f"{name} [{unit}]")
    if log:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=8)
    if title is None:
        meta = summary.metadata
        what = meta.get("regimen") or regimen_text(getattr(summary, "regimen", None))
        title = f"{what}, {meta.get('subjects', '')} — model {summary.model.id}"
    ax.set_title(title, fontsize=10)
    return ax.figure
