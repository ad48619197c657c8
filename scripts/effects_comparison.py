"""Compare Sigtermans 2009 (S(+)-ketamine, 100 h) with Schwartzman 2009 (racemic, 4 h/day ×
10 days) by effect: metrics table and figure.

    python3 scripts/effects_comparison.py [figure.png]

Each protocol runs with the default model of its drug form; the racemic model's S-ketamine
drives the effects (R-ketamine contributes none, Olofsen 2022). The protocols' unpublished
details (titration interval, daily ramp) are listed in their `assumptions`.
"""

from __future__ import annotations

import sys

import numpy as np

from ketpk import Q_, Subject, protocols
from ketpk.effects import compare_regimens


def main(figure: str | None = None) -> None:
    """Print the metrics table; save the two-panel figure to ``figure`` if given."""
    times = Q_(np.arange(0, 30 * 24 * 60 + 1, 5.0), "min")
    comparison = compare_regimens(
        {"Sigtermans 2009 (S(+), 100 h)": ("esketamine", protocols.get("sigtermans2009")),
         "Schwartzman 2009 (racemic, 4 h/day x 10)": ("racemic", protocols.get("schwartzman2009"))},
        times, ("dahan2011.crps_relief", "olofsen2022", "simons2022.drug_high"),
        threshold=0.5, subjects=Subject(weight="70 kg"))
    print(comparison.to_markdown())
    if figure:
        fig = comparison.plot(time_unit="day")
        fig.savefig(figure, dpi=120)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
