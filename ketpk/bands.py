"""Percentile-band plot of a population (matplotlib is imported only when plotting)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .species import analyte_label
from .units import Q_, to_unit

__all__ = ["plot_percentiles"]


def plot_percentiles(summary: Any, analyte: str = "ketamine", *, q: Sequence[float] = (5, 50, 95),
                     unit: str = "ng/mL", time_unit: str = "h", ax: Any = None,
                     log: bool = False, label: str | None = None) -> Any:
    """Median line with the outer percentiles shaded, e.g. a 5-95 % band.

    ``summary`` is a :class:`~ketpk.PopulationSummary` (which must contain ``q``) or a
    population :class:`~ketpk.SimulationResult`. ``q`` lists an odd number of percentiles,
    ascending: the middle one is drawn as a line and each symmetric pair as a band. Returns the
    matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    q = tuple(float(v) for v in q)
    if len(q) % 2 != 1 or list(q) != sorted(q):
        raise ValueError(f"`q` must be an odd number of ascending percentiles; got {q}.")
    if hasattr(summary, "percentile"):
        rows = [summary.percentile(analyte, v, unit).magnitude for v in q]
    else:
        rows = list(summary.percentiles(analyte, q, unit).magnitude)
    times = to_unit(Q_(summary.times_min, "min"), time_unit, "time_unit").magnitude
    if ax is None:
        _, ax = plt.subplots()
    middle = len(q) // 2
    name = analyte_label(summary.model.drug, analyte)
    line, = ax.plot(times, rows[middle], label=label or f"{name} median")
    for i in range(middle):
        alpha = 0.15 + 0.2 * i / max(middle, 1)
        ax.fill_between(times, rows[i], rows[-1 - i], color=line.get_color(), alpha=alpha, lw=0,
                        label=f"{q[i]:g}-{q[-1 - i]:g} %")
    ax.set_xlabel(f"time [{time_unit}]")
    ax.set_ylabel(f"{name} [{unit}]")
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax
