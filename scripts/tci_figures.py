"""Draw the docs/tci.md figures and print the numbers the page quotes.

Usage: PYTHONPATH=$PWD python3 scripts/tci_figures.py   (from the repository root; headless)

1. Sigtermans 2009 (Anesthesiology) target schedule, plasma TCI of S-ketamine on Otto 2021
   (70 kg), effect site predicted with the Olofsen 2022 t½ke0 -> docs/figures/tci_sigtermans.png
2. Effect-site TCI of racemic ketamine on Kamp 2020 (70 kg) with simtiva's ke0 (Navarrete 2025)
   for 70 kg, a 10 mg/mL syringe and a 100 mL/h pump -> docs/figures/tci_effect.png
3. The Sigtermans schedule of figure 1 given to 500 sampled subjects: Varvel 1992 measures.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import ketpk  # noqa: E402
from ketpk import tci  # noqa: E402
from ketpk.plotting import save_figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SUBJECT = ketpk.Subject(weight="70 kg")


def main() -> None:
    figures = ROOT / "docs" / "figures"
    sig = tci.target_infusion("esketamine.otto2021", ketpk.protocols.target_protocol("sigtermans2009_tci"),
                              subject=SUBJECT, ke0="olofsen2022")
    save_figure(sig.plot(), figures / "tci_sigtermans.png")
    print(f"1. sigtermans2009_tci on esketamine.otto2021, 70 kg: total {sig.total_amount():.4g~P} "
          f"({sig.total_amount().magnitude / 70:.3f} mg/kg), first 10 s at {sig.rates('mg/h')[0]:.4g~P}, "
          f"last rate {sig.rates('mg/h')[-1]:.4g~P}")
    ke0 = 0.1876 * math.log(70) + 0.5932
    eff = tci.target_infusion("racemic.kamp2020", {"0 min": "1 ug/mL", "20 min": "2 ug/mL", "40 min": "0.5 ug/mL"},
                              subject=SUBJECT, until="60 min", site="effect", ke0=f"{ke0:.4f} 1/min",
                              max_rate="100 mL/h", concentration="10 mg/mL")
    save_figure(eff.plot(), figures / "tci_effect.png")
    effect = eff.predicted("effect", "ug/mL").magnitude
    reached = eff.times_min[next(i for i, c in enumerate(effect) if c >= 0.999)]
    print(f"2. effect-site TCI on racemic.kamp2020, ke0 {ke0:.4f} 1/min, 100 mL/h of 10 mg/mL: "
          f"total {eff.total_amount():.4g~P}, effect site at 1 ug/mL after {reached:.2f} min, "
          f"max effect site {effect.max():.5f} ug/mL, max plasma {eff.predicted('plasma', 'ug/mL').magnitude.max():.3f} ug/mL")
    population = ketpk.population.sample("esketamine.otto2021", 500, seed=2009)
    perf = sig.performance(population)
    print("3. " + perf.describe().replace("\n", "\n   "))


if __name__ == "__main__":
    main()
