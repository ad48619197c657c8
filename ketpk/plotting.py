"""Plots of simulation results. matplotlib is imported here only, inside each function."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["plot_concentration"]


def plot_concentration(result: Any, analytes: Sequence[str] | None = None, *, unit: str = "ng/mL",
                       time_unit: str = "h", ax: Any = None, log: bool = False) -> Any:
    """Concentration–time curves of ``analytes`` (default: all) for one subject or a batch.

    Returns the matplotlib Axes. Curves that rest on assumption-labelled values get a dashed
    line and "(assumption)" in their label.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        ax = plt.subplots(figsize=(7, 4.2), layout="constrained")[1]
    times = result.times.to(time_unit).magnitude
    dashed = bool(result.assumptions)
    for analyte in analytes or result.analytes:
        values = result.concentration(analyte, unit).magnitude
        label = f"{analyte}{' (assumption)' if dashed else ''}"
        lines = ax.plot(times, values.T, ls="--" if dashed else "-", lw=1.6)
        lines[0].set_label(label)
    ax.set_xlabel(f"time [{time_unit}]")
    ax.set_ylabel(f"plasma concentration [{unit}]")
    if log:
        ax.set_yscale("log")
    ax.set_title(f"{result.model_id}", fontsize=10)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax
