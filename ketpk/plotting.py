"""Plots of simulation results. matplotlib is imported here only, inside each function."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .errors import ParameterError
from .fileio import atomic_path
from .units import Q_, to_canonical, to_unit

__all__ = ["plot_concentration", "plot_comparison", "plot_schedule", "plot_posterior", "save_figure",
           "draw_observations"]

_ASSUMED = " *"
_FOOTNOTE = "* rests on assumption-labelled values"


def plot_concentration(result: Any, analytes: Sequence[str] | None = None, *, unit: str = "ng/mL",
                       time_unit: str = "h", ax: Any = None, log: bool = False,
                       bands: bool | None = None, q: Sequence[float] = (5, 50, 95),
                       observations: Any = None, title: str | None = None) -> Any:
    """Concentration–time curves of ``analytes`` (default: all), one colour per analyte.

    A population (more than one subject) is drawn as bands by default: the median of ``q`` as
    a line and each symmetric pair of percentiles shaded; ``bands=False`` draws every subject's
    curve, thin. ``observations`` overlays measured concentrations as markers (see
    :func:`draw_observations`). Curves that rest on assumption-labelled values are dashed with
    a "*" after their label, explained in the legend title. The title names the dose, the
    subjects and the model unless ``title`` is given. Returns the Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    from .bands import draw_bands
    from .display import regimen_text

    times = to_unit(result.times, time_unit, "time_unit").magnitude  # before any figure exists
    names = list(analytes or result.analytes)
    population = result.n_subjects > 1
    bands = population if bands is None else bands
    if ax is None:
        ax = plt.subplots(figsize=(7, 4.2), layout="constrained")[1]
    dashed = bool(result.assumptions)
    style = "--" if dashed else "-"
    colours = _colours()
    for i, analyte in enumerate(names):
        colour, label = colours[i % len(colours)], f"{result.label(analyte)}{_ASSUMED if dashed else ''}"
        if bands and population:
            rows = result.percentiles(analyte, q, unit).magnitude
            draw_bands(ax, times, rows, q, colour, label, ls=style)
            continue
        values = np.atleast_2d(result.concentration(analyte, unit).magnitude)
        if len(values) == 1:
            ax.plot(times, values[0], color=colour, ls=style, lw=1.6, label=label)
        else:
            ax.add_collection(LineCollection([np.column_stack([times, v]) for v in values],
                                             colors=colour, linestyles=style, lw=0.6, alpha=0.25))
            ax.plot([], [], color=colour, ls=style, label=f"{label} ({len(values)} subjects)")
            ax.autoscale_view()
    if observations is not None:
        draw_observations(ax, observations, names, unit, time_unit)
    ax.set_xlabel(f"time [{time_unit}]")
    ax.set_ylabel(f"plasma concentration [{unit}]")
    if log:
        _log_axis(ax)
    subjects = result.metadata.get("subjects")
    ax.set_title(title if title is not None else ", ".join(filter(None, (
        regimen_text(result.regimen), subjects))) + f" — model {result.model_id}", fontsize=10)
    _legend(ax, dashed)
    ax.grid(alpha=0.3)
    return ax.figure


def _colours() -> list[str]:
    import matplotlib.pyplot as plt

    return plt.rcParams["axes.prop_cycle"].by_key()["color"]


def draw_observations(ax: Any, observations: Any, analytes: Sequence[str], unit: str,
                      time_unit: str) -> None:
    """Measured concentrations as markers on ``ax``, in the colour of their analyte's curve.

    ``observations`` is a mapping ``{analyte: (times, concentrations)}`` of Quantities (or
    strings/arrays with units), or one ``(times, concentrations)`` pair for the first analyte.
    Concentrations are converted to ``unit`` (mass↔molar with the analyte's molar mass).
    """
    from .nca import curve

    if not isinstance(observations, Mapping):
        observations = {analytes[0]: observations}
    colours = _colours()
    for analyte, pair in observations.items():
        if analyte not in analytes:
            raise ParameterError(f"`observations` has {analyte!r}, which is not plotted; plotted are "
                                 f"{', '.join(analytes)}.")
        c = curve(pair, analyte, unit=unit)
        times = to_unit(c.times, time_unit, "observation times").magnitude
        colour = colours[list(analytes).index(analyte) % len(colours)]
        for row in np.atleast_2d(c.values.magnitude):
            ax.plot(times, row, "o", ms=4, mfc="white", mec=colour, mew=1.3, ls="none")
        ax.plot([], [], "o", ms=4, mfc="white", mec=colour, ls="none", label=f"{analyte} observed")


def _legend(ax: Any, flagged: bool, **kwargs: Any) -> None:
    """Legend; its title explains the "*" when any curve rests on assumptions."""
    legend = ax.legend(frameon=False, title=_FOOTNOTE if flagged else None, **kwargs)
    if flagged:
        legend.get_title().set_fontsize(7)


def _log_axis(ax: Any) -> None:
    """Log scale over three decades below the highest curve."""
    top = ax.dataLim.y1  # lines, bands and subject collections alike
    ax.set_yscale("log")
    ax.set_ylim(top * 1e-3, top * 1.5)


def plot_comparison(comparison: Any, *, analytes: Sequence[str] | None = None, unit: str = "ng/mL",
                    time_unit: str = "h", log: bool = False, schedule: bool | None = None,
                    title: str | None = None, observations: Any = None) -> Any:
    """Overlay labelled curves (routes or regimens): one panel per analyte, shared time axis.

    Default panels: ketamine and norketamine (those the models have). ``schedule`` (default:
    on for regimen comparisons) adds a panel with each regimen's infusion rate (mg/h) and
    boluses under the concentrations. Curves resting on assumption-labelled values are dashed
    and marked "*", explained in the legend title. ``observations`` (as for
    :func:`draw_observations`) are drawn on their analyte's panel. The default title names the
    dose, the subject and the model. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    from .display import regimen_text
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
    if observations is not None:
        pairs = observations if isinstance(observations, Mapping) else {names[0]: observations}
        for ax, analyte in zip(axes, names):
            if analyte in pairs:
                draw_observations(ax, {analyte: pairs[analyte]}, [analyte], unit, time_unit)
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
    first = next(iter(comparison.results.values()))
    dose = (f"{regimen_text(first.regimen, route=False)} by route" if comparison.kind == "routes"
            else "regimens")
    who = str(comparison.subject) if comparison.subject is not None else first.metadata.get("subjects")
    fig.suptitle(title or f"{dose}, {who} — model {', '.join(models)}", fontsize=10)
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
