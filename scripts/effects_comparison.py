"""Compare a Sigtermans-like S-ketamine 100-h titration with the S-ketamine content of a
Schwartzman-like racemic 4 h/day × 10 days course, by effect (metrics table + figure).

    PYTHONPATH=$PWD python3 scripts/effects_comparison.py [figure.png]

Both regimens are illustrations built from pk_gaps.md §4 / research_gaps.md §2, not the trial
protocols: the Sigtermans step times and the Schwartzman daily escalation were not retrieved.
The racemic course is simulated as its S-ketamine half with the S-ketamine model (assumption:
S-ketamine disposition in the racemate equals that of S-ketamine alone; R-ketamine contributes
no effect, Olofsen 2022).
"""

from __future__ import annotations

import sys

import numpy as np

from ketpk import Infusion, Q_, Regimen, Subject
from ketpk.effects import compare_regimens

SIGTERMANS_LIKE = Regimen([Infusion(f"{20 * i} h", rate=f"{r} ug/kg/min", duration="20 h")
                           for i, r in enumerate((1.2, 2.2, 3.2, 4.3, 5.3))])
#: 0.35 mg/kg/h racemic (≤ 25 mg/h) for 4 h daily × 10 days; its S-ketamine half is 0.175 mg/kg/h.
SCHWARTZMAN_S_CONTENT = Infusion("0 h", rate="0.175 mg/kg/h", duration="4 h").repeat(every="24 h", count=10)


def main(figure: str | None = None) -> None:
    """Print the metrics table; save the two-panel figure to ``figure`` if given."""
    times = Q_(np.arange(0, 30 * 24 * 60 + 1, 5.0), "min")
    comparison = compare_regimens(
        {"Sigtermans-like S 100 h": ("esketamine", SIGTERMANS_LIKE),
         "Schwartzman-like rac 4 h/d x10 (S half)": ("esketamine", SCHWARTZMAN_S_CONTENT)},
        times, ("dahan2011.crps_relief", "olofsen2022", "simons2022.drug_high"),
        threshold=0.5, subjects=Subject(weight="70 kg"))
    print(comparison.to_markdown())
    if figure:
        fig = comparison.plot(time_unit="day")
        fig.savefig(figure, dpi=120)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
