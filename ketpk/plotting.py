"""Plots of simulation results. matplotlib is imported here only, inside each function."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import ParameterError
from .fileio import atomic_path
from .units import Q_, to_canonical, to_unit

__all__ = ["plot_concentration", "plot_comparison", "plot_schedule", "plot_posterior", "save_figure"]

_ASSUMED = " *"
_FOOTNOTE = "* rests on assumption-labelled values"


def plot_concentration(result: Any, analytes: Sequence[str] | None = None, *, unit: str = "ng/mL",
                       time_unit: str = "h", ax: Any = None, log: bool = False) -> Any:
    """Concentration–time curves of ``analytes`` (default: all) for one subject or a batch.

    Returns the matplotlib Axes. Curves that rest on assumption-labelled values get a dashed
    line and a "*" after their label, explained in the legend title.
    """
    import matplotlib.pyplot as plt

    times = to_unit(result.times, time_unit, "time_unit").magnitude  # before any figure exists
    if ax is None:
        ax = plt.subplots(figsize=(7, 4.2), layout="constrained")[1]
    dashed = bool(result.assumptions)
    for analyte in analytes or result.analytes:
        values = result.concentration(analyte, unit).magnitude
        label = f"{result.label(analyte)}{_ASSUMED if dashed else ''}"
        lines = ax.plot(times, values.T, ls="--" if dashed else "-", lw=1.6)
        lines[0].set_label(label)
    ax.set_xlabel(f"time [{time_unit}]")
    ax.set_ylabel(f"plasma concentration [{unit}]")
    if log:
        ax.set_yscale("log")
    ax.set_title(f"{result.model_id}", fontsize=10)
    _legend(ax, dashed)
    ax.grid(alpha=0.3)
    return ax


def _legend(ax: Any, flagged: bool, **kwargs: Any) -> None:
    """Legend; its title explains the "*" when any curve rests on assumptions."""
    legend = ax.legend(frameon=False, title=_FOOTNOTE if flagged else None, **kwargs)
    if flagged:
        legend.get_title().set_fontsize(7)


def _log_axis(ax: Any) -> None:
    """Log scale over three decades below the highest curve."""
    top = max(np.nanmax(line.get_ydata()) for line in ax.get_lines())
    ax.set_yscale("log")
    ax.set_ylim(top * 1e-3, top * 1.5)


def plot_comparison(comparison: Any, *, analytes: Sequence[str] | None = None, unit: str = "ng/mL",
                    time_unit: str = "h", log: bool = False, schedule: bool | None = None,
                    title: str | None = None) -> Any:
    """Overlay labelled curves (routes or regimens): one panel per analyte, shared time axis.

    Default panels: ketamine and norketamine (those the models have). ``schedule`` (default:
    on for regimen comparisons) adds a panel with each regimen's infusion rate (mg/h) and
    boluses under the concentrations. Curves resting on assumption-labelled values are dashed
    and marked "*", explained in the legend title. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    from .regimen import dose_schedule

    names = list(analytes or comparison.main_analytes)
    schedule = comparison.kind == "regimens" if schedule is None else schedule
    heights = [3.0] * len(names) + ([1.6] if schedule else [])
    fig, axes = plt.subplots(len(heights), 1, figsize=(7.5, sum(heights) + 0.9), sharex=True,
                             height_ratios=heights, layout="constrained", squeeze=False)
    axes = axes[:, 0]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    flagged = False
    mixed = len(comparison.drugs) > 1  # curves of both forms: each legend entry names its own
    for i, (label, result) in enumerate(comparison.results.items()):
        colour = colours[i % len(colours)]
        assumed = bool(result.assumptions)
        flagged |= assumed
        times = to_unit(result.times, time_unit, "time_unit").magnitude
        for ax, analyte in zip(axes, names):
            if analyte not in result.analytes:
                continue
            form = f" — {result.label(analyte)}" if mixed else ""
            ax.plot(times, result.concentration(analyte, unit).magnitude, color=colour, lw=1.6,
                    ls="--" if assumed else "-", label=f"{label}{form}{_ASSUMED if assumed else ''}")
        if schedule:
            _draw_schedule(axes[-1], dose_schedule(result.regimen, comparison.subject), time_unit,
                           times[-1], colour, label)
    for ax, analyte in zip(axes, names):
        ax.set_ylabel(f"{comparison.label(analyte)} [{unit}]")
        ax.grid(alpha=0.3)
        if log:
            _log_axis(ax)
    _legend(axes[0], flagged, fontsize=8, ncol=min(3, len(comparison.results)),
            loc="lower left", bbox_to_anchor=(0.0, 1.0), borderaxespad=0.2)
    axes[-1].set_xlabel(f"time [{time_unit}]")
    if schedule:
        axes[-1].set_ylabel("infusion rate [mg/h]")
        axes[-1].grid(alpha=0.3)
    models = sorted({r.model_id for r in comparison.results.values()})
    fig.suptitle(title or f"{comparison.kind} compared — model {', '.join(models)}", fontsize=10)
    return fig


def _draw_schedule(ax: Any, sched: Any, time_unit: str, end: float, colour: str, label: str) -> None:
    times = np.append(to_unit(sched.times, time_unit, "time_unit").magnitude, end)
    rates = np.append(sched.rates.magnitude, sched.rates.magnitude[-1])
    ax.step(times, rates, where="post", color=colour, lw=1.4, label=label)
    bolus_times = to_unit(sched.bolus_times, time_unit, "time_unit").magnitude
    if bolus_times.size:
        ax.plot(bolus_times, np.zeros_like(bolus_times), "v", color=colour, ms=6, clip_on=False,
                label=f"{label}: boluses")


def plot_schedule(regimen: Any, subject: Any = None, *, ax: Any = None, time_unit: str = "h",
                  end: Any = None, label: str = "regimen") -> Any:
    """The infusion rate (mg/h, all routes summed) as steps, boluses as markers. Returns the Axes.

    ``end`` (a time Quantity) extends the last step; per-weight doses need ``subject``'s weight.
    """
    import matplotlib.pyplot as plt

    from .regimen import dose_schedule

    if ax is None:
        ax = plt.subplots(figsize=(7, 2.4), layout="constrained")[1]
    sched = dose_schedule(regimen, subject)
    last = to_unit(sched.times, time_unit, "time_unit").magnitude[-1]
    if end is not None:
        end_q = Q_(to_canonical(end, "[time]", "end"), "min")
    stop = last if end is None else float(to_unit(end_q, time_unit, "time_unit").magnitude)
    _draw_schedule(ax, sched, time_unit, max(stop, last), "C0", label)
    ax.set_xlabel(f"time [{time_unit}]")
    ax.set_ylabel("infusion rate [mg/h]")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=8)
    return ax


def check_plot_path(path: Any) -> str:
    """The plot format of ``path`` (its suffix), or a ParameterError listing the formats."""
    from matplotlib.backend_bases import FigureCanvasBase

    suffix = os.path.splitext(os.fspath(path))[1].lstrip(".").lower()
    formats = FigureCanvasBase.get_supported_filetypes()
    if suffix not in formats:
        raise ParameterError(
            f"cannot write a plot to {os.fspath(path)!r}: the suffix must be one of "
            f"{', '.join('.' + f for f in sorted(formats))}; got {('.' + suffix) if suffix else 'none'}."
        )
    return suffix


def save_figure(figure: Any, path: Any, *, dpi: int = 120) -> None:
    """Save ``figure`` to ``path`` atomically (format from the suffix) and close it."""
    import matplotlib.pyplot as plt

    try:
        suffix = check_plot_path(path)
        with atomic_path(path, suffix=f".{suffix}.tmp") as tmp:
            figure.savefig(tmp, format=suffix, dpi=dpi)
    finally:
        plt.close(figure)


def plot_posterior(posterior: Any, forecast: Any, analytes: Sequence[str] | None = None, *,
                   unit: str = "ng/mL", time_unit: str = "h", ax: Any = None) -> Any:
    """One panel per measured analyte: measurements (BLQ as open triangles at the LLOQ), the
    typical curve, the individual (MAP) curve and its posterior band. Returns the figure."""
    import matplotlib.pyplot as plt

    names = list(analytes or dict.fromkeys(o.analyte for o in posterior.observations)) or ["ketamine"]
    times = to_unit(forecast.times, time_unit, "time_unit").magnitude
    if ax is None:
        figure, axes = plt.subplots(1, len(names), figsize=(5.2 * len(names), 4), layout="constrained",
                                    squeeze=False)
        axes = axes[0]
    else:
        axes, figure = np.atleast_1d(ax), np.atleast_1d(ax)[0].figure
    scale = float(to_canonical(Q_(1.0, time_unit), "[time]", "time_unit"))
    for axis, analyte in zip(axes, names):
        low, high = forecast.band(analyte, unit)
        axis.fill_between(times, low.magnitude, high.magnitude, color="C0", alpha=0.25, lw=0,
                          label=f"individual {forecast.level:.0%} band")
        axis.plot(times, forecast.individual.concentration(analyte, unit).magnitude[0], color="C0",
                  lw=1.8, label="individual (MAP)")
        axis.plot(times, forecast.typical.concentration(analyte, unit).magnitude[0], color="0.4",
                  ls="--", lw=1.2, label="typical (population)")
        for blq in (False, True):
            shown = [o for o in posterior.observations if o.analyte == analyte and o.blq == blq]
            if shown:
                axis.plot([o.time_min / scale for o in shown],
                          [o.concentration(unit).magnitude for o in shown],
                          "v" if blq else "o", mfc="none" if blq else "k", mec="k",
                          ls="none", label="below LLOQ (at LLOQ)" if blq else "measured")
        axis.set_title(f"{posterior.model.id}: {analyte}", fontsize=10)
        axis.set_xlabel(f"time [{time_unit}]")
        axis.set_ylabel(f"plasma concentration [{unit}]")
        axis.grid(alpha=0.3)
        axis.legend(frameon=False, fontsize=8)
    return figure
