"""Sigtermans vs Schwartzman: for the same 70-kg patient, how do the plasma curves of a 100-h
titrated S(+)-ketamine infusion (Sigtermans 2009, Pain 145:304, doi:10.1016/j.pain.2009.06.023)
and of 4-h daily racemic infusions for 10 days (Schwartzman 2009, Pain 147:107,
doi:10.1016/j.pain.2009.08.015) compare, with each infusion schedule drawn underneath?

Models: the default S(+)-ketamine model for Sigtermans and the default racemic model for
Schwartzman (citations printed). Uses ``ketpk.protocols`` when this version has it; otherwise
builds the two regimens explicitly below (the Sigtermans titration steps are an ASSUMPTION:
the papers give start 1.2 µg/kg/min, maximum 7.2 µg/kg/min and a mean end rate of
22.2 mg/h/70 kg, not the step size or interval). Writes a PNG to examples/output/.
Research and teaching only; not a dosing device.
"""

from pathlib import Path

import numpy as np

import ketpk
from ketpk.plotting import save_figure

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
subject = ketpk.Subject(weight="70 kg")

try:
    from ketpk import protocols

    sigtermans, schwartzman = protocols.get("sigtermans2009"), protocols.get("schwartzman2009")
except ImportError:  # before the protocol library: the same regimens written out
    steps = [ketpk.Infusion(f"{12 * k} h", rate=f"{1.2 * (k + 1):.1f} ug/kg/min", duration="12 h")
             for k in range(3)]  # ASSUMPTION: +1.2 µg/kg/min every 12 h ...
    hold = ketpk.Infusion("36 h", rate="4.8 ug/kg/min", duration="64 h")  # ... held to 100 h
    sigtermans = ketpk.Regimen(steps + [hold])
    schwartzman = ketpk.Infusion("0 h", rate="0.35 mg/kg/h", duration="4 h").repeat(every="24 h", count=10)

comparison = ketpk.compare_regimens(
    {"Sigtermans 2009 (S(+), 100 h)": ("esketamine", sigtermans),
     "Schwartzman 2009 (racemic, 4 h/day)": ("racemic", schwartzman)},
    subject=subject, times=ketpk.Q_(np.arange(0, 10 * 24 * 60 + 1, 10), "min"))

for label, result in comparison.results.items():
    print(f"{label}: model {result.model_id}; cite {result.citation}")
print(comparison.format_table())
fig = comparison.plot(time_unit="day", title="Two CRPS regimens, one 70-kg patient")
save_figure(fig, out / "sigtermans_vs_schwartzman.png")
print(f"wrote {out / 'sigtermans_vs_schwartzman.png'}")
