"""Sigtermans vs Schwartzman: for the same 70-kg patient, how do the plasma curves of the 100-h
titrated S(+)-ketamine infusion of Sigtermans 2009 (Pain 145:304, doi:10.1016/j.pain.2009.06.023)
and the 4-h daily racemic infusions for 10 days of Schwartzman 2009 (Pain 147:107,
doi:10.1016/j.pain.2009.08.015) compare, with each infusion-rate schedule drawn underneath?

Models: the default S(+)-ketamine model (``esketamine.multiroute``, Otto 2021) for Sigtermans and
the default racemic model (``racemic.multiroute``) for Schwartzman; citations printed. The
regimens come from ``ketpk.protocols``; what the papers do not state (e.g. the Sigtermans step
interval) is listed as the protocols' assumptions, printed below. Writes a PNG to
examples/output/. Research and teaching only; not a dosing device.
"""

from pathlib import Path

import numpy as np

import ketpk
from ketpk.plotting import save_figure

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
subject = ketpk.Subject(weight="70 kg")
sigtermans = ketpk.protocols.get("sigtermans2009")
schwartzman = ketpk.protocols.get("schwartzman2009")

comparison = ketpk.compare_regimens(
    {"Sigtermans 2009 (S(+), 100 h)": (sigtermans.drug, sigtermans),
     "Schwartzman 2009 (racemic, 4 h/day)": (schwartzman.drug, schwartzman)},
    subject=subject, times=ketpk.Q_(np.arange(0, 10 * 24 * 60 + 1, 10), "min"))

for protocol in (sigtermans, schwartzman):
    print(protocol.describe(subject), "\n")
for label, result in comparison.results.items():
    print(f"{label}: model {result.model_id}; cite {result.citation}")
print(comparison.format_table(analytes=("ketamine", "norketamine")))
fig = comparison.plot(time_unit="day", title="Two CRPS regimens for one 70-kg patient "
                      "(S(+)-ketamine vs racemic ketamine)")
save_figure(fig, out / "sigtermans_vs_schwartzman.png")
print(f"wrote {out / 'sigtermans_vs_schwartzman.png'}")
