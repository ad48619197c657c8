"""Effect plots: plasma and effect-site concentrations of each effect's driver over the effect curves.

matplotlib is imported inside the function only.
"""

from __future__ import annotations

from typing import Any

from ..units import to_unit

__all__ = ["plot_effects"]


def plot_effects(comparison: Any, *, unit: str = "ng/mL", time_unit: str = "h", axes: Any = None) -> Any:
    """Two panels for an :class:`~ketpk.effects.EffectComparison` (one subject or the median).

    Top: plasma driver (S-ketamine, or total ketamine) per regimen (solid) with each effect site (thin). Bottom: each effect
    (fraction of maximum) per regimen, dashed and marked "(assumption)" when it rests on
    assumption-labelled values, with the comparison threshold; citations in the footer.
    Returns the Figure.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    if axes is None:
        fig, axes = plt.subplots(2, 1, figsize=(8, 6.5), sharex=True, layout="constrained")
    else:
        fig = axes[0].figure
    top, bottom = axes
    dashed = ["--", ":", "-."]  # effects that rest on assumptions; solid otherwise
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    citations = {}
    for i, (label, result) in enumerate(comparison.results.items()):
        colour = colours[i % len(colours)]
        times = to_unit(result.times, time_unit, "time_unit").magnitude
        for parent in dict.fromkeys(c.analyte for c in result.curves.values()):
            plasma = np.median(np.atleast_2d(result.concentration(parent, unit).magnitude), axis=0)
            top.plot(times, plasma, color=colour, lw=1.8, label=f"{label}: plasma {parent}")
        for j, curve in enumerate(result.curves.values()):
            site = curve.effect_id.replace(".", "_")
            ce = np.median(np.atleast_2d(result.concentration(f"{curve.analyte}@{site}", unit).magnitude), axis=0)
            top.plot(times, ce, color=colour, lw=0.9, ls=dashed[j % len(dashed)],
                     label=f"{label}: Ce {curve.effect_id}")
            flag = " (assumption)" if curve.assumptions else ""
            bottom.plot(times, np.median(np.atleast_2d(curve.values), axis=0), color=colour,
                        ls=dashed[j % len(dashed)] if flag else "-", lw=1.6,
                        label=f"{label}: {curve.effect_id}{flag}")
            citations[curve.effect_id] = curve.citation
    bottom.axhline(comparison.threshold, color="grey", lw=0.8, ls=":", label=f"threshold {comparison.threshold:g}")
    top.set_ylabel(f"concentration [{unit}]")
    top.set_title("plasma and effect-site concentration", fontsize=10)
    bottom.set_ylabel("effect [fraction of max]")
    bottom.set_xlabel(f"time [{time_unit}]")
    bottom.set_ylim(0, 1.02)
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=7)
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0, 0.018 * len(citations), 1, 1 - 0.018 * len(citations)))  # footer room
    fig.text(0.01, 0.005, "\n".join(f"{k}: {c.authors.split(',')[0]} {c.year}, "
                                  + (f"doi:{c.doi}" if c.doi else f"PMID {c.pmid}")
                                  for k, c in citations.items()), fontsize=6, va="bottom")
    return fig
