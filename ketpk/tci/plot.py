"""The TCI figure: target, predicted plasma and effect-site concentrations, and the rate."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ParameterError
from ..units import Q_, to_unit

__all__ = ["plot_tci"]


def plot_tci(result: Any, *, unit: str = "ng/mL", time_unit: str = "min", index: int = 0) -> Any:
    """A two-panel matplotlib Figure for subject ``index`` of ``result``; returns the Figure."""
    import matplotlib.pyplot as plt

    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < result.n_subjects:
        raise ParameterError(f"`index` must be a subject number from 0 to {result.n_subjects - 1}; "
                             f"got {index!r}.")

    times = to_unit(Q_(result.times_min, "min"), time_unit, "time_unit").magnitude
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 5.6), sharex=True, layout="constrained",
                                      gridspec_kw={"height_ratios": (2.2, 1)})
    target = result.target(unit).magnitude
    top.step(times, np.append(target, target[-1]), where="post", color="k", lw=1.2, ls="--",
             label=f"target ({result.site})")
    plasma = np.atleast_2d(result.predicted("plasma", unit).magnitude)[index]
    top.plot(times, plasma, color="C0", lw=1.6, label=f"{result.analyte} plasma")
    if result.effect_umol is not None:
        effect = np.atleast_2d(result.predicted("effect", unit).magnitude)[index]
        top.plot(times, effect, color="C3", lw=1.6, label=f"{result.analyte} effect site")
    top.set_ylabel(f"concentration [{unit}]")
    top.set_title(f"TCI, {result.model.id} (interval {result.interval_min * 60:g} s)", fontsize=10)
    top.legend(frameon=False, fontsize=8)
    top.grid(alpha=0.3)
    rate_unit = "mL/h" if result.concentration is not None else "mg/h"
    rates = np.atleast_2d(result.rates(rate_unit).magnitude)[index]
    bottom.step(times, np.append(rates, 0.0), where="post", color="C2", lw=1.2)
    limit = result.max_rate_mg_per_min[index]
    if np.isfinite(limit):
        shown = Q_(limit, "mg/min") / (result.concentration if result.concentration is not None else 1)
        bottom.axhline(float(shown.to(rate_unit).magnitude), color="0.5", lw=0.8, ls=":", label="pump limit")
        bottom.legend(frameon=False, fontsize=8)
    bottom.set_ylabel(f"rate [{rate_unit}]")
    bottom.set_xlabel(f"time [{time_unit}]")
    bottom.set_ylim(bottom=0)
    bottom.grid(alpha=0.3)
    return fig
